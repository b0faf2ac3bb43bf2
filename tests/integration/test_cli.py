"""The ingestion commands, on an embedded data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from faturas.cli import app


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"FATURAS_DATA_DIR": str(tmp_path / "data"), "FATURAS_WORKERS": "1"}


def test_db_upgrade_creates_the_database(env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "faturas.db").is_file()


def test_ingest_waits_and_summarises_then_jobs_and_retry(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "bills"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "photo.pdf").write_bytes(b"GIF89a0000")  # bill images are JPG, PNG or WebP; a GIF is refused
    runner = CliRunner()

    ingested = runner.invoke(app, ["ingest", str(folder), "--wait"], env=env)
    assert ingested.exit_code == 1  # one file refused at the door
    assert "1 com falha" in ingested.output
    assert "1 recusada(s) no envio" in ingested.output
    assert "imagem GIF" in ingested.output
    assert "damaged_pdf" in ingested.output

    listed = runner.invoke(app, ["jobs", "--status", "failed"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "broken.pdf" in listed.output

    retried = runner.invoke(app, ["retry", "--all-failed"], env=env)
    assert retried.exit_code == 0, retried.output
    assert "1 job(s) de volta na fila" in retried.output
    assert runner.invoke(app, ["retry"], env=env).exit_code != 0

    again = runner.invoke(app, ["ingest", str(folder / "broken.pdf")], env=env)
    assert again.exit_code == 0
    assert "1 na fila" in again.output


def test_reprocess_reports_what_it_did(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["reprocess", "--distributor", "CEMIG", "--since", "2024-01-01"], env=env)
    assert result.exit_code == 0, result.output
    assert "0 documento(s) relido(s)" in result.output

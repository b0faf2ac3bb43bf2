"""``faturas webhooks`` on an embedded data folder."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from faturas.cli import app
from faturas.config import Settings
from faturas.db.models_webhooks import EventType
from faturas.services.context import build_context
from faturas.services.webhook_events import emit_event
from faturas.services.webhook_subscriptions import list_deliveries


def test_add_list_deliveries_redeliver_and_remove(tmp_path: Path) -> None:
    env = {"FATURAS_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "240"}
    runner = CliRunner()

    added = runner.invoke(
        app, ["webhooks", "add", "https://example.com/hooks", "--events", "invoice.stored,job.failed"], env=env
    )
    assert added.exit_code == 0, added.output
    assert "assinatura 1" in added.output
    assert "eventos: invoice.stored, job.failed" in added.output
    assert "segredo: whsec_" in added.output

    refused = runner.invoke(app, ["webhooks", "add", "https://example.com", "--events", "invoice.paid"], env=env)
    assert refused.exit_code == 1
    assert "evento(s) desconhecido(s) invoice.paid" in refused.output

    listed = runner.invoke(app, ["webhooks", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "https://example.com/hooks" in listed.output
    assert "ativa" in listed.output
    assert "whsec_" not in listed.output

    context = build_context(Settings(data_dir=tmp_path / "data"))
    try:
        with context.uow_factory() as uow:
            emit_event(uow, EventType.JOB_FAILED, {"job_id": "j1"})
            uow.commit()
        [delivery] = list_deliveries(context).items
    finally:
        context.close()

    shown = runner.invoke(app, ["webhooks", "deliveries", "--status", "pending"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "job.failed" in shown.output
    assert "1 de 1 entrega(s)" in shown.output
    assert delivery.id in shown.output

    again = runner.invoke(app, ["webhooks", "redeliver", delivery.id], env=env)
    assert again.exit_code == 0, again.output
    assert "agendada para reenvio" in again.output
    unknown = runner.invoke(app, ["webhooks", "redeliver", "nope"], env=env)
    assert unknown.exit_code == 1
    assert "não encontrado" in unknown.output

    removed = runner.invoke(app, ["webhooks", "remove", "1"], env=env)
    assert removed.exit_code == 0, removed.output
    assert "0 assinatura(s)" in runner.invoke(app, ["webhooks", "list"], env=env).output

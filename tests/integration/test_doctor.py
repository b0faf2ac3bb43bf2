"""``faturas doctor``: finds each broken invariant on a live database and store, repairs the safe ones."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from faturas.cli import app
from faturas.db.models import Document, JobStatus, utcnow
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.services.doctor import Check, examine, repair
from faturas.services.process_job import process_job
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf
from tests.reconcile import reconcile

ORPHAN_KEY = "documents/ab/orphan.pdf"


def run_doctor(context: ServiceContext, *args: str) -> tuple[int, str]:
    settings = context.settings
    env = {"FATURAS_DATA_DIR": str(settings.data_dir), "FATURAS_DATABASE_URL": settings.resolved_database_url}
    result = CliRunner().invoke(app, ["doctor", *args], env=env)
    return result.exit_code, result.output


def upload_and_process(context: ServiceContext, *bills: bytes) -> list[str]:
    accepted = accept_upload(context, [Upload(f"bill-{i}.pdf", data) for i, data in enumerate(bills)])
    for item in accepted:
        process_job(context, item.job_id, fake_extract)
    return [item.job_id for item in accepted]


def test_a_consistent_database_is_reported_clean_with_exit_code_zero(make_context: ContextFactory) -> None:
    context = make_context()
    job_ids = upload_and_process(context, fake_pdf(month="2024-01"), fake_pdf(month="2024-02"))

    assert reconcile(context, job_ids).invoices == 2
    code, output = run_doctor(context)
    assert code == 0, output
    assert "Tudo certo: nenhum problema encontrado." in output
    assert "arquivos no armazenamento sem documento: nenhum" in output


def test_each_broken_invariant_is_found_and_the_safe_ones_repaired(make_context: ContextFactory) -> None:
    context = make_context()
    [stuck, lost_file] = upload_and_process(context, fake_pdf(month="2024-01"), fake_pdf(month="2024-02"))
    context.store.put(ORPHAN_KEY, b"%PDF-1.4 stored, then the API died before the commit")
    with context.uow_factory() as uow:
        job = uow.jobs.get(stuck)
        assert job is not None
        # A worker died mid-job long ago: running, its lease expired.
        job.status, job.lease_expires_at = JobStatus.RUNNING, utcnow() - timedelta(minutes=5)
        document = Document(sha256="f" * 64, original_name="sem-job.pdf", size_bytes=3, storage_key="documents/ff/x")
        uow.documents.add(document)
        missing = uow.jobs.get(lost_file)
        assert missing is not None
        uow.commit()
        jobless_id, missing_key = document.id, missing.document.storage_key
    context.store.put("documents/ff/x", fake_pdf(month="2024-03"))
    context.store.delete(missing_key)

    examination = examine(context, orphan_grace=timedelta(0))
    assert {(f.check, f.subject) for f in examination.findings} == {
        (Check.ORPHAN_FILE, ORPHAN_KEY),
        (Check.STUCK_JOB, stuck),
        (Check.DOCUMENT_WITHOUT_JOB, str(jobless_id)),
        (Check.MISSING_FILE, str(examination.of(Check.MISSING_FILE)[0].subject)),
    }
    code, output = run_doctor(context, "--grace-minutes", "0")
    assert code == 1
    assert "4 problema(s) encontrado(s)." in output
    assert "jobs presos em 'running' além do prazo: 1" in output

    code, output = run_doctor(context, "--repair", "--grace-minutes", "0")
    assert code == 1, output  # the missing file cannot be repaired: a person must look
    assert "3 problema(s) corrigido(s); 1 restante(s)." in output
    assert not context.store.exists(ORPHAN_KEY)
    remaining = examine(context, orphan_grace=timedelta(0)).findings
    assert [finding.check for finding in remaining] == [Check.MISSING_FILE]
    with context.uow_factory() as uow:
        requeued = uow.jobs.get(stuck)
        created = uow.jobs.get_by_document(jobless_id)
        assert requeued is not None and requeued.status == JobStatus.QUEUED
        assert created is not None and created.status == JobStatus.QUEUED
        created_id = created.id
    assert process_job(context, stuck, fake_extract) == JobStatus.SUCCEEDED
    assert process_job(context, created_id, fake_extract) == JobStatus.SUCCEEDED


def test_a_young_file_without_document_is_an_upload_in_flight_and_left_alone(make_context: ContextFactory) -> None:
    context = make_context()
    context.store.put(ORPHAN_KEY, b"%PDF-1.4 being committed right now")

    examination = examine(context, orphan_grace=timedelta(minutes=60))
    assert examination.findings == []
    assert examination.young_orphans == 1
    repair(context, examination)
    code, output = run_doctor(context, "--repair")
    assert code == 0, output
    assert context.store.exists(ORPHAN_KEY)
    assert "provavelmente envios em andamento" in output


def test_a_duplicated_invoice_is_reported_and_never_touched(make_context: ContextFactory, tmp_path: Path) -> None:
    context = make_context()
    upload_and_process(context, fake_pdf(month="2024-05", total="90.00"))
    # The unique index makes this impossible; drop it to see that the doctor would notice.
    with context.engine.begin() as connection:
        connection.execute(text("DROP INDEX uq_invoices_current_unit_month"))
        connection.execute(
            text(
                "INSERT INTO invoices (consumer_unit_id, document_id, reference_month, sub_index, distributor,"
                " layout, installation_number, total_amount, total_without_gd, gd_savings, needs_review, warnings,"
                " extracted, created_at, updated_at)"
                " SELECT consumer_unit_id, document_id, reference_month, 1, distributor, layout,"
                " installation_number, total_amount, total_without_gd, gd_savings, needs_review, warnings,"
                " extracted, created_at, updated_at FROM invoices"
            )
        )

    [finding] = examine(context, orphan_grace=timedelta(0)).findings
    assert finding.check is Check.DUPLICATE_INVOICE and "2024-05" in finding.subject
    code, output = run_doctor(context, "--repair")
    assert code == 1
    assert "precisa de análise manual" in output


def test_a_database_without_the_schema_is_an_error_that_says_how_to_fix_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["doctor"], env={"FATURAS_DATA_DIR": str(tmp_path / "novo")})
    assert result.exit_code == 2
    assert "faturas db upgrade" in result.output


def test_a_half_written_temporary_file_left_by_a_killed_process_is_an_orphan(make_context: ContextFactory) -> None:
    context = make_context()
    folder = context.settings.data_dir / "files" / "documents" / "cd"
    folder.mkdir(parents=True)
    (folder / ".tmp-k1ll3d").write_bytes(b"%PDF-1.4 half of a bi")

    [finding] = examine(context, orphan_grace=timedelta(0)).findings
    assert (finding.check, finding.subject) == (Check.ORPHAN_FILE, "documents/cd/.tmp-k1ll3d")
    assert "escrita interrompida" in finding.detail
    assert examine(context, orphan_grace=timedelta(minutes=60)).findings == []  # maybe a write in progress
    [done] = repair(context, examine(context, orphan_grace=timedelta(0)))
    assert done.done and not (folder / ".tmp-k1ll3d").exists()

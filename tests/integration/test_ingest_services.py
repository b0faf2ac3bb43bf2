"""The ingestion services against a real database: duplicates, conflicts, collective bills, failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from faturas.db.models import Client, Document, Invoice, Job, JobStatus
from faturas.errors import EmptyFile, NotAPdf, StorageUnavailable, UploadTooLarge
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext
from faturas.services.job_actions import replace_job, retry_job
from faturas.services.process_job import process_job
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf


def count(context: ServiceContext, model: type[object]) -> int:
    with context.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def job(context: ServiceContext, job_id: str) -> Job:
    with context.uow_factory() as uow:
        row = uow.jobs.get(job_id)
        assert row is not None
        return row


def ingest(context: ServiceContext, data: bytes, name: str = "bill.pdf") -> Job:
    [accepted] = accept_upload(context, [Upload(name, data)])
    process_job(context, accepted.job_id, fake_extract)
    return job(context, accepted.job_id)


def test_the_same_file_twice_creates_one_document_and_answers_with_the_existing_job(
    make_context: ContextFactory,
) -> None:
    context = make_context()
    first = accept_upload(context, [Upload("a.pdf", fake_pdf(month="2024-01"))])[0]
    second = accept_upload(context, [Upload("copy.pdf", fake_pdf(month="2024-01"))])[0]
    assert second.existing and not first.existing
    assert second.job_id == first.job_id
    assert count(context, Document) == 1
    assert count(context, Job) == 1


def test_a_bill_becomes_client_unit_invoice_and_items(make_context: ContextFactory) -> None:
    context = make_context()
    done = ingest(context, fake_pdf(client="7001", installation="3001", month="2024-02", total="150.10"))
    assert done.status == JobStatus.SUCCEEDED
    assert done.attempts == 1
    with context.uow_factory() as uow:
        invoice = uow.invoices.get(done.invoice_ids[0])
        assert invoice is not None
        assert (invoice.client_number, invoice.installation_number, invoice.reference_month) == (
            "7001",
            "3001",
            "2024-02",
        )
        assert str(invoice.total_amount) == "150.10"
        assert [item.description for item in invoice.items] == ["Energia Elétrica", "Energia compensada GD I"]
        assert invoice.unit.client.client_number == "7001"
        assert invoice.document.page_count == 1


def test_the_same_bill_in_other_bytes_ends_duplicate_pointing_to_the_stored_invoice(
    make_context: ContextFactory,
) -> None:
    context = make_context()
    original = ingest(context, fake_pdf(access_key="3124" * 11, month="2024-01"))
    variant = ingest(context, fake_pdf(access_key="3124" * 11, month="2024-01", padding="x" * 10))
    assert variant.status == JobStatus.DUPLICATE
    assert variant.duplicate_reason == "same_bill"
    assert variant.invoice_ids == original.invoice_ids
    assert count(context, Invoice) == 1
    assert count(context, Document) == 2


def test_same_unit_month_and_total_without_access_key_is_the_same_bill(make_context: ContextFactory) -> None:
    context = make_context()
    ingest(context, fake_pdf(month="2024-03", total="99.00"))
    again = ingest(context, fake_pdf(month="2024-03", total="99.00", producer="other"))
    assert again.status == JobStatus.DUPLICATE
    assert again.duplicate_reason == "same_bill"
    assert count(context, Invoice) == 1


def test_a_rebilling_is_a_conflict_until_replaced_and_the_old_invoice_is_kept(make_context: ContextFactory) -> None:
    context = make_context()
    first = ingest(context, fake_pdf(month="2024-04", total="80.00"))
    rebill = ingest(context, fake_pdf(month="2024-04", total="95.00"))
    assert rebill.status == JobStatus.DUPLICATE
    assert rebill.duplicate_reason == "conflict"
    assert rebill.error_message and "substituir" in rebill.error_message
    assert count(context, Document) == 2
    assert count(context, Invoice) == 1

    replace_job(context, rebill.id)
    process_job(context, rebill.id, fake_extract)
    replaced = job(context, rebill.id)
    assert replaced.status == JobStatus.SUCCEEDED
    with context.uow_factory() as uow:
        old = uow.invoices.get(first.invoice_ids[0])
        new = uow.invoices.get(replaced.invoice_ids[0])
        assert old is not None and new is not None
        assert old.superseded_at is not None and old.superseded_by_id == new.id
        assert new.superseded_at is None
        assert str(new.total_amount) == "95.00"


def test_a_collective_bill_stores_one_invoice_per_sub_invoice(make_context: ContextFactory) -> None:
    context = make_context()
    subs = [{"installation": f"70{n}", "client": f"60{n}", "total": f"{n}0.00"} for n in range(1, 4)]
    done = ingest(context, fake_pdf(subs=subs, month="2022-04"))
    assert done.status == JobStatus.SUCCEEDED
    assert len(done.invoice_ids) == 3
    with context.uow_factory() as uow:
        rows = uow.invoices.list_for_document(done.document_id)
        assert [row.sub_index for row in rows] == [1, 2, 3]
        assert {row.collective_account for row in rows} == {"999"}


def test_a_bill_that_cannot_be_read_fails_at_once_with_its_code(make_context: ContextFactory) -> None:
    context = make_context()
    failed = ingest(context, fake_pdf(reject="captura de tela"))
    assert failed.status == JobStatus.FAILED
    assert failed.error_code == "not_a_bill"
    assert failed.error_message and "captura de tela" in failed.error_message
    assert failed.attempts == 1


def test_transient_errors_are_retried_with_backoff_then_fail(make_context: ContextFactory) -> None:
    context = make_context(job_max_attempts=2, retry_base_seconds=60)
    [accepted] = accept_upload(context, [Upload("a.pdf", fake_pdf())])

    def store_down(key: str) -> bytes:
        raise StorageUnavailable("disco ausente")

    context.store.get = store_down  # type: ignore[method-assign]
    with pytest.raises(StorageUnavailable):
        process_job(context, accepted.job_id, fake_extract)
    waiting = job(context, accepted.job_id)
    assert waiting.status == JobStatus.QUEUED
    assert waiting.available_at > datetime.now(UTC)
    assert process_job(context, accepted.job_id, fake_extract) == JobStatus.FAILED
    assert job(context, accepted.job_id).error_code == "storage_unavailable"


def test_retry_runs_a_failed_job_again(make_context: ContextFactory) -> None:
    context = make_context()
    failed = ingest(context, fake_pdf(reject="ainda não"))
    retry_job(context, failed.id)
    assert job(context, failed.id).status == JobStatus.QUEUED
    assert job(context, failed.id).attempts == 0


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (Upload("empty.pdf", b""), EmptyFile),
        (Upload("animation.pdf", b"GIF89axxxx"), NotAPdf),
        (Upload("big.pdf", b"%PDF-1.4" + b"0" * 2048), UploadTooLarge),
    ],
)
def test_bad_uploads_are_refused_before_anything_is_stored(
    make_context: ContextFactory, upload: Upload, error: type[Exception]
) -> None:
    context = make_context(max_upload_bytes=1024)
    with pytest.raises(error):
        accept_upload(context, [upload])
    assert count(context, Document) == 0
    assert context.store.keys() == []


def test_clients_keep_several_units(make_context: ContextFactory) -> None:
    context = make_context()
    for installation in ("1", "2", "3"):
        ingest(context, fake_pdf(client="7100000002", installation=installation, month="2022-03"))
    assert count(context, Client) == 1
    assert count(context, Invoice) == 3

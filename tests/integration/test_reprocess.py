"""Reprocessing re-reads stored documents and updates their invoices in place, reporting what changed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.extract_document import Extraction
from faturas.services.process_job import process_job
from faturas.services.reprocess import documents_to_reprocess, reprocess_document
from tests.ingest_support import ContextFactory, fake_extract, fake_pdf


def improved_template(pdf: bytes, password: str | None, max_pages: int) -> Extraction:
    extraction = fake_extract(pdf, password, max_pages)
    return replace(extraction, invoice=replace(extraction.invoice, holder_name="JOSE DA SILVA"))


def test_reprocess_updates_the_invoice_in_place_and_reports_the_change(make_context: ContextFactory) -> None:
    context = make_context()
    [accepted] = accept_upload(context, [Upload("a.pdf", fake_pdf(month="2024-09", total="77.70"))])
    process_job(context, accepted.job_id, fake_extract)

    [document_id] = documents_to_reprocess(context, "cemig", None)
    result = reprocess_document(context, document_id, improved_template)

    assert result.error is None
    [(invoice_id, changes)] = result.changes.items()
    assert changes == {"holder_name": (None, "JOSE DA SILVA")}
    with context.uow_factory() as uow:
        invoice = uow.invoices.get(invoice_id)
        assert invoice is not None
        assert invoice.holder_name == "JOSE DA SILVA"
        assert invoice.total_amount == Decimal("77.70")
    assert reprocess_document(context, document_id, improved_template).changed is False
    assert documents_to_reprocess(context, "copel", None) == []

"""What the ingestion services record in the metrics, in their words: an upload refused, a job finished…"""

from __future__ import annotations

from collections.abc import Sequence

from faturas.domain.invoice import Invoice
from faturas.observability import metrics
from faturas.services.extract_document import Extraction
from faturas.services.save_invoice import SavedInvoice, SaveOutcome

#: Outcomes that leave a new current invoice in the database.
STORED = frozenset({SaveOutcome.CREATED, SaveOutcome.REPLACED})


def upload_refused(code: str) -> None:
    metrics.uploads_refused.labels(reason=code).inc()


def upload_accepted(*, existing: bool) -> None:
    metrics.uploads_accepted.labels(existing=str(existing).lower()).inc()


def job_finished(status: str, code: str | None) -> None:
    metrics.jobs_finished.labels(status=status, code=code or "").inc()


def invoices_saved(extraction: Extraction, saved: Sequence[tuple[Invoice, SavedInvoice]], save_seconds: float) -> None:
    """One bill's invoices saved (after the commit): outcomes, needs_review flags and the stage times."""
    distributor = extraction.invoice.distributor or metrics.UNKNOWN_DISTRIBUTOR
    for invoice, result in saved:
        metrics.invoices_saved.labels(outcome=result.outcome.value, distributor=distributor).inc()
        if result.outcome in STORED and invoice.needs_review:
            metrics.invoices_needs_review.labels(distributor=distributor).inc()
    if extraction.times is not None:
        metrics.stage_seconds.labels(stage="text", distributor=distributor).observe(extraction.times.text)
        metrics.stage_seconds.labels(stage="extract", distributor=distributor).observe(extraction.times.extract)
    metrics.stage_seconds.labels(stage="save", distributor=distributor).observe(save_seconds)

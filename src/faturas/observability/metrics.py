"""Every Prometheus metric faturas exposes, defined here and nowhere else.

Each metric has labels, so its values are created on first use: the multiprocess mode chosen by
``multiprocess.prepare_metrics_dir`` at start-up (before any value exists) applies to all of them.
Gauges that describe the queue are not here: they are computed at scrape time (see ``collectors``).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

#: Processing stages of one bill: reading the PDF text (OCR included), extracting fields, saving.
STAGES = ("text", "extract", "save")

#: From a few milliseconds (text layer of a one-page bill) to the job time limit (OCR of a long scan).
STAGE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

#: The distributor label of a bill that was not read (refused before a distributor was known).
UNKNOWN_DISTRIBUTOR = "unknown"

uploads_accepted = Counter(
    "faturas_uploads_accepted",
    "Files accepted by an upload; existing=true when the same file was already stored (no new job).",
    ["existing"],
)
uploads_refused = Counter(
    "faturas_uploads_refused",
    "Upload requests refused before anything was stored, by reason code (upload_too_large, not_a_pdf…).",
    ["reason"],
)
jobs_finished = Counter(
    "faturas_jobs_finished",
    "Jobs that reached a final status; code is the error code (failed) or duplicate reason (duplicate).",
    ["status", "code"],
)
invoices_saved = Counter(
    "faturas_invoices_saved",
    "Invoices saved by jobs, by outcome (created, replaced, same_bill, conflict) and distributor.",
    ["outcome", "distributor"],
)
invoices_needs_review = Counter(
    "faturas_invoices_needs_review",
    "Invoices stored (created or replaced) with needs_review: a check failed and a person should look.",
    ["distributor"],
)
stage_seconds = Histogram(
    "faturas_stage_seconds",
    "Time spent on one bill per processing stage (text, extract, save) and distributor.",
    ["stage", "distributor"],
    buckets=STAGE_BUCKETS,
)
#: Incremented by the webhook dispatcher, once per delivery attempt, by outcome.
webhook_deliveries = Counter(
    "faturas_webhook_deliveries",
    "Webhook delivery attempts by outcome.",
    ["outcome"],
)

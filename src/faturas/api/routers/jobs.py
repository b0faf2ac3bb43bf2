"""Jobs: list, show, retry a failed one, replace a stored invoice with a conflicting bill."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from faturas.api.access import Audit
from faturas.api.dependencies import Context, PagingParams
from faturas.db.models import JobStatus
from faturas.db.models_auth import AuditAction
from faturas.services.job_actions import replace_job, retry_job
from faturas.services.queries import get_job, list_jobs, queue_counts
from faturas.services.views import JobView, Page, QueueCounts

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("", response_model=Page[JobView])
def jobs(context: Context, paging: PagingParams, status: Annotated[JobStatus | None, Query()] = None) -> Page[JobView]:
    return list_jobs(context, status, paging.limit, paging.offset)


@router.get("/counts", response_model=QueueCounts)
def counts(context: Context) -> QueueCounts:
    """How many jobs are in each state."""
    return queue_counts(context)


@router.get("/{job_id}", response_model=JobView)
def job(context: Context, job_id: str) -> JobView:
    return get_job(context, job_id)


@router.post("/{job_id}/retry", status_code=202, response_model=JobView)
def retry(context: Context, audit: Audit, job_id: str) -> JobView:
    retry_job(context, job_id)
    audit.record(AuditAction.RETRY, "job", [job_id])
    return get_job(context, job_id)


@router.post("/{job_id}/replace", status_code=202, response_model=JobView)
def replace(context: Context, audit: Audit, job_id: str) -> JobView:
    replace_job(context, job_id)
    audit.record(AuditAction.REPLACE, "job", [job_id])
    return get_job(context, job_id)

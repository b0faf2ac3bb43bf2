"""POST /api/uploads: store the files, answer 202 with job ids; parsing happens in the workers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from faturas.api.access import actor_of
from faturas.errors import UploadTooLarge
from faturas.services.accept_upload import Upload, accept_upload
from faturas.services.context import ServiceContext

router = APIRouter(prefix="/api/uploads", tags=["uploads"])


class AcceptedFile(BaseModel):
    name: str
    job_id: str
    document_id: int
    status: str
    #: The same file was uploaded before: this is the existing job; nothing new was created.
    existing: bool


class UploadAnswer(BaseModel):
    jobs: list[AcceptedFile]


@router.post("", status_code=202, response_model=UploadAnswer)
async def upload_bills(
    request: Request,
    files: Annotated[list[UploadFile], File(description="Um ou mais PDFs de faturas.")] = [],  # noqa: B006
    passwords: Annotated[
        list[str], Form(description="Senhas dos PDFs protegidos, na ordem dos arquivos (vazio: sem senha).")
    ] = [],  # noqa: B006
) -> UploadAnswer:
    # The context and the caller from the request itself rather than as dependencies: FastAPI's
    # dependency solving is a good share of the CPU of an upload's request (issue #3).
    context: ServiceContext = request.app.state.context
    limit = context.settings.max_upload_bytes
    uploads = []
    for index, file in enumerate(files):
        name = file.filename or f"arquivo-{index + 1}.pdf"
        data = await file.read(limit + 1)  # never more than the limit in memory
        if len(data) > limit:
            raise UploadTooLarge(name, limit)
        password = passwords[index] if index < len(passwords) and passwords[index] else None
        uploads.append(Upload(name, data, password))
    # The audit entry is written in the upload's own transaction: one commit less per upload.
    # async route, one thread pool hop for the blocking work (a sync route costs two: the route, and
    # the validation of its answer).
    accepted = await run_in_threadpool(accept_upload, context, uploads, actor=actor_of(request))
    return UploadAnswer(
        jobs=[
            AcceptedFile(
                name=item.name,
                job_id=item.job_id,
                document_id=item.document_id,
                status=item.status,
                existing=item.existing,
            )
            for item in accepted
        ]
    )

"""One error handler: every FaturasError becomes JSON {code, message} with the status its type implies."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from faturas.errors import (
    BillRejected,
    EmptyFile,
    FaturasError,
    InvalidWebhook,
    JobStateConflict,
    NoFilesUploaded,
    NotAPdf,
    NotFound,
    RequestTooLarge,
    ServiceUnavailable,
    StorageFull,
    StoredFileMissing,
    TooManyFiles,
    UploadTooLarge,
    WebhookDisabled,
)

#: Most specific first: the first class the error is an instance of decides the status.
STATUS_BY_ERROR: tuple[tuple[type[FaturasError], int], ...] = (
    (NotFound, 404),
    (StoredFileMissing, 404),
    (JobStateConflict, 409),
    (WebhookDisabled, 409),
    (InvalidWebhook, 422),
    (UploadTooLarge, 413),
    (RequestTooLarge, 413),
    (TooManyFiles, 413),
    (NotAPdf, 415),
    (EmptyFile, 400),
    (NoFilesUploaded, 400),
    (BillRejected, 422),
    (StorageFull, 507),
    (ServiceUnavailable, 503),
)

#: A dependency that is down (503) or a full store (507): clients may send the same request again later.
RETRY_AFTER_SECONDS = 30


def status_for(error: FaturasError) -> int:
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), 500)


async def _faturas_error(_request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, FaturasError):  # registered for FaturasError only
        raise error
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(error, ServiceUnavailable) else None
    return JSONResponse(error.as_dict(), status_code=status_for(error), headers=headers)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, RequestValidationError):
        raise error
    problems = "; ".join(
        f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}" for problem in error.errors()
    )
    return JSONResponse({"code": "invalid_request", "message": f"Requisição inválida: {problems}"}, status_code=422)


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, HTTPException):
        raise error
    code = "not_found" if error.status_code == 404 else f"http_{error.status_code}"
    return JSONResponse({"code": code, "message": str(error.detail)}, status_code=error.status_code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(FaturasError, _faturas_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)

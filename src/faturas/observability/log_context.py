"""The log context: the request id of an API request, the job id and document of a job.

Kept in context variables, so every line logged while handling a request or a job carries them, in
the text and JSON formats alike (see ``logging_setup``): one bill is followed from its upload
(request id, job id, document) through its job (job id, document) to the invoices it stored.
Only identifiers go here, never a name, CPF/CNPJ or address read from a bill.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

#: Field names, in the order the text format shows them.
FIELDS = ("request_id", "job_id", "document")
#: Documents are named in logs by the start of their sha256: enough to find them, short to read.
SHA256_PREFIX = 12

_fields: ContextVar[dict[str, str]] = ContextVar("faturas_log_context", default={})  # noqa: B039 (never mutated)


def current() -> dict[str, str]:
    return dict(_fields.get())


def document_label(sha256: str) -> str:
    return sha256[:SHA256_PREFIX]


@contextmanager
def bound(**fields: str | None) -> Iterator[None]:
    """Add fields to the context of every line logged inside the block (None values are left out)."""
    token = _fields.set({**_fields.get(), **{key: value for key, value in fields.items() if value is not None}})
    try:
        yield
    finally:
        _fields.reset(token)


def bind(**fields: str | None) -> None:
    """Add fields for the rest of the current context (a job's, once its document is known)."""
    _fields.set({**_fields.get(), **{key: value for key, value in fields.items() if value is not None}})


def call_with_context(fields: dict[str, str], function: Callable[..., T], *args: Any) -> T:
    """Run ``function(*args)`` with ``fields`` bound: how a job's context reaches the extraction processes."""
    with bound(**fields):
        return function(*args)


class ContextFilter(logging.Filter):
    """Puts the context fields on each record (``record.context``: a dict; ``record.context_text``: "k=v …")."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _fields.get()
        record.context = fields
        record.context_text = " ".join(f"{key}={fields[key]}" for key in FIELDS if key in fields)
        return True

"""export_data(): the invoices (or their line items) a filter selects, in a file format, streamed.

The CLI writes the file; the API streams it: CSV and JSON Lines as they are made, XLSX and Parquet
(which need the whole file before the first byte makes sense) from a temporary file on disk. Either
way memory holds one batch of rows, whatever the number of invoices.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from faturas.services.context import ServiceContext
from faturas.services.export_formats import ExportFormat, csv_chunks, jsonl_chunks, write_export
from faturas.services.export_rows import ExportKind, export_batches, fields_of
from faturas.services.queries import InvoiceFilters, InvoiceSort

#: Bytes read from a finished XLSX/Parquet file per chunk sent.
CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class ExportRequest:
    format: ExportFormat
    kind: ExportKind = ExportKind.INVOICES
    filters: InvoiceFilters = field(default_factory=InvoiceFilters)
    sort: InvoiceSort | None = None

    @property
    def filename(self) -> str:
        stem = "faturas" if self.kind is ExportKind.INVOICES else "faturas-itens"
        return f"{stem}.{self.format.value}"


@dataclass(frozen=True)
class Export:
    media_type: str
    filename: str
    chunks: Iterator[bytes]


def write_export_file(context: ServiceContext, request: ExportRequest, out: IO[bytes]) -> None:
    fields = fields_of(request.kind)
    write_export(request.format, fields, export_batches(context, request.kind, request.filters, request.sort), out)


def stream_export(context: ServiceContext, request: ExportRequest) -> Export:
    """The export as chunks of bytes. The database is read before this returns, so an unreachable one is
    an error to answer, not a response cut short."""
    fields = fields_of(request.kind)
    if request.format.streams_as_text:
        batches = export_batches(context, request.kind, request.filters, request.sort)
        make = csv_chunks if request.format is ExportFormat.CSV else jsonl_chunks
        chunks = make(fields, batches)
        first = next(chunks)  # runs the query: errors are raised here
        return Export(request.format.media_type, request.filename, itertools.chain([first], chunks))
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _file_chunks when sent (or abandoned)
    try:
        write_export_file(context, request, spooled)
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    return Export(request.format.media_type, request.filename, _file_chunks(spooled))


def _file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk

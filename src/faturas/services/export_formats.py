"""Export file formats, each written batch by batch: CSV, XLSX, JSON Lines and Parquet.

- CSV: RFC 4180 (``,``), a header of field names, ISO dates, decimals with a point, exact as stored.
- JSON Lines: one object per row; money and quantities as decimal strings (exact, like the API).
- XLSX: xlsxwriter in constant-memory mode (rows go to disk as they are written); numbers are numbers
  with a display format, dates are dates. A sheet holds 1,048,576 rows: more continue on the next sheet.
- Parquet: typed columns (decimal128 for money and kWh, date32, bool), one row group per batch.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from faturas.services.export_rows import Field, FieldType

Batches = Iterable[Sequence[tuple[Any, ...]]]


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"
    PARQUET = "parquet"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]

    @property
    def streams_as_text(self) -> bool:
        """CSV and JSON Lines are sent as they are made; XLSX and Parquet need the whole file first."""
        return self in (ExportFormat.CSV, ExportFormat.JSONL)


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.JSONL: "application/x-ndjson",
    ExportFormat.PARQUET: "application/vnd.apache.parquet",
}

MONEY_STEP = Decimal("0.01")
QUANTITY_STEP = Decimal("0.00000001")
#: Rows per sheet after the header (the XLSX limit is 1,048,576 rows).
XLSX_SHEET_ROWS = 1_048_575


def _money_text(value: Any) -> str | None:
    return None if value is None else format(Decimal(value).quantize(MONEY_STEP), "f")


def _quantity_text(value: Any) -> str | None:
    return None if value is None else format(Decimal(value).quantize(QUANTITY_STEP).normalize(), "f")


def _date_text(value: Any) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, date) else str(value)


def _boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _as_is(value: Any) -> Any:
    return value


#: How each type is written where only text and JSON scalars exist (CSV, JSON Lines): exact decimals.
_TEXT: dict[FieldType, Callable[[Any], Any]] = {
    FieldType.MONEY: _money_text,
    FieldType.QUANTITY: _quantity_text,
    FieldType.DATE: _date_text,
    FieldType.BOOLEAN: _boolean,
    FieldType.TEXT: _as_is,
    FieldType.INTEGER: _as_is,
}


def _csv_text(kind: FieldType) -> Callable[[Any], Any]:
    text = _TEXT[kind]
    if kind is FieldType.BOOLEAN:
        return lambda value: "" if value is None else ("true" if value else "false")
    return lambda value: "" if value is None else text(value)


def csv_chunks(fields: Sequence[Field], batches: Batches) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([field.name for field in fields])
    converters = [_csv_text(field.type) for field in fields]
    for batch in batches:
        writer.writerows([convert(value) for convert, value in zip(converters, row, strict=True)] for row in batch)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_chunks(fields: Sequence[Field], batches: Batches) -> Iterator[bytes]:
    names = [field.name for field in fields]
    converters = [_TEXT[field.type] for field in fields]
    for batch in batches:
        lines = (
            json.dumps(
                {name: convert(value) for name, convert, value in zip(names, converters, row, strict=True)},
                ensure_ascii=False,
            )
            for row in batch
        )
        yield ("\n".join(lines) + "\n").encode() if batch else b""


def write_xlsx(fields: Sequence[Field], batches: Batches, out: IO[bytes]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    bold = workbook.add_format({"bold": True})
    styles: dict[FieldType, Any] = {
        FieldType.MONEY: workbook.add_format({"num_format": "#,##0.00"}),
        FieldType.QUANTITY: workbook.add_format({"num_format": "#,##0.########"}),
        FieldType.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    kinds = [field.type for field in fields]
    sheet: Any = None
    row_number = XLSX_SHEET_ROWS  # full: the first row opens the first sheet
    sheets = 0
    for batch in batches:
        for row in batch:
            if row_number >= XLSX_SHEET_ROWS:
                sheets += 1
                sheet = workbook.add_worksheet("faturas" if sheets == 1 else f"faturas {sheets}")
                sheet.write_row(0, 0, [field.name for field in fields], bold)
                row_number = 0
            row_number += 1
            for column, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                _write_cell(sheet, row_number, column, value, kind, styles)
    if sheets == 0:
        workbook.add_worksheet("faturas").write_row(0, 0, [field.name for field in fields], bold)
    workbook.close()


def _write_cell(sheet: Any, row: int, column: int, value: Any, kind: FieldType, styles: dict[FieldType, Any]) -> None:
    if value is None:
        return
    if kind in (FieldType.MONEY, FieldType.QUANTITY):
        # Spreadsheet cells hold doubles: exact to the cent and to the kWh digits bills print.
        sheet.write_number(row, column, float(value), styles[kind])
    elif kind is FieldType.DATE:
        sheet.write_datetime(row, column, value, styles[kind])
    elif kind is FieldType.BOOLEAN:
        sheet.write_boolean(row, column, bool(value))
    elif kind is FieldType.INTEGER:
        sheet.write_number(row, column, int(value))
    else:
        sheet.write_string(row, column, str(value))


def write_parquet(fields: Sequence[Field], batches: Batches, out: IO[bytes]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        FieldType.TEXT: pa.string(),
        FieldType.INTEGER: pa.int64(),
        FieldType.MONEY: pa.decimal128(14, 2),
        FieldType.QUANTITY: pa.decimal128(20, 8),
        FieldType.DATE: pa.date32(),
        FieldType.BOOLEAN: pa.bool_(),
    }
    schema = pa.schema([pa.field(field.name, types[field.type]) for field in fields])
    converters = [_parquet_value(field.type) for field in fields]
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in batches:
            if not batch:
                continue
            columns = [
                pa.array([convert(row[index]) for row in batch], type=schema.field(index).type)
                for index, convert in enumerate(converters)
            ]
            writer.write_batch(pa.record_batch(columns, schema=schema))


def _parquet_value(kind: FieldType) -> Callable[[Any], Any]:
    if kind is FieldType.MONEY:
        return lambda value: None if value is None else Decimal(value).quantize(MONEY_STEP)
    if kind is FieldType.QUANTITY:
        return lambda value: None if value is None else Decimal(value).quantize(QUANTITY_STEP)
    if kind is FieldType.BOOLEAN:
        return lambda value: None if value is None else bool(value)
    return lambda value: value


def write_export(export_format: ExportFormat, fields: Sequence[Field], batches: Batches, out: IO[bytes]) -> None:
    """Write the whole export to a binary file."""
    if export_format is ExportFormat.XLSX:
        write_xlsx(fields, batches, out)
    elif export_format is ExportFormat.PARQUET:
        write_parquet(fields, batches, out)
    else:
        chunks = csv_chunks if export_format is ExportFormat.CSV else jsonl_chunks
        for chunk in chunks(fields, batches):
            out.write(chunk)

"""The MATRÍCULA form's 13-month consumption history, read as a block of kWh then a block of months."""

from __future__ import annotations

import re

from faturas.domain.invoice import ConsumptionRecord
from faturas.extraction.numbers import parse_decimal, parse_reference_month

#: PDFium reads the chart's values, then its month labels in the same (not chronological) order.
_HISTORY_RE = re.compile(r"((?:^\d{1,3}(?:\.\d{3})*,\d{2}\n)+)((?:^[A-Z]{3}/\d{2}(?:\n|$))+)", re.MULTILINE)


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    for match in _HISTORY_RE.finditer(text):
        values = match.group(1).split()
        months = match.group(2).split()
        if len(values) == len(months):
            records = (
                ConsumptionRecord(parse_reference_month(month), parse_decimal(value))
                for month, value in zip(months, values, strict=True)
            )
            return tuple(sorted(records, key=lambda record: (record.month.year, record.month.month)))
    return ()

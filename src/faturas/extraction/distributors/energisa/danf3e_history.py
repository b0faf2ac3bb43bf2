"""The DANF3E's 13-month history: the current month's row, then the earlier months' values alone."""

from __future__ import annotations

import re

from faturas.domain.invoice import ConsumptionRecord
from faturas.extraction.numbers import parse_decimal, parse_reference_month

#: "MAR/25 1.000 30" (month, kWh, days), then "900 28"… for the months before it, latest first;
#: the chart's month labels are read elsewhere, in no useful order.
_HISTORY_RE = re.compile(r"^([A-Z]{3}/\d{2}) ([\d.]+) (\d+)\n((?:[\d.]+ \d+\n)*)", re.MULTILINE)


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    match = _HISTORY_RE.search(text)
    if match is None:
        return ()
    current = parse_reference_month(match.group(1))
    rows = [(match.group(2), match.group(3)), *(tuple(row.split()) for row in match.group(4).splitlines())]
    records = [
        ConsumptionRecord(current.shift(-back), parse_decimal(kwh), days=int(days))
        for back, (kwh, days) in enumerate(rows)
    ]
    return tuple(reversed(records))

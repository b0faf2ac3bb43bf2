"""The MATRÍCULA form's 13-month consumption chart: a block of kWh values and a block of month labels."""

from __future__ import annotations

import re
from dataclasses import replace

from faturas.domain.invoice import ConsumptionRecord
from faturas.extraction.numbers import parse_decimal, parse_reference_month

_VALUE = r"^\d{1,3}(?:\.\d{3})*,\d{2}(?:[\n\f]|\Z)"
_LABEL = r"^[A-Z]{3}/\d{2}(?:[\n\f]|\Z)"
#: Each block's first line opens with its first character's class and checks "at a line start" just
#: after it ((?<![^\n]X): no other character than a newline before): a pattern opening with a multi-line
#: "^" is tried at every position of the bill, one opening with a class skips ahead to that class.
_FIRST_VALUE = r"\d(?<![^\n]\d)\d{0,2}(?:\.\d{3})*,\d{2}(?:[\n\f]|\Z)"
_FIRST_LABEL = r"[A-Z](?<![^\n][A-Z])[A-Z]{2}/\d{2}(?:[\n\f]|\Z)"
_CHART_RES = (
    re.compile(rf"(?P<values>{_FIRST_VALUE}(?:{_VALUE})*)(?P<labels>(?:{_LABEL})+)", re.MULTILINE),
    re.compile(rf"(?P<labels>{_FIRST_LABEL}(?:{_LABEL})*)(?P<values>(?:{_VALUE})+)", re.MULTILINE),
)
#: "JAN/25 32": the billed days of each month, in the "CONSUMO FATURADO" column.
_DAYS_RE = re.compile(r"^([A-Z]{3}/\d{2}) (\d{1,2})$", re.MULTILINE)
_FULL_CHART = 13
#: Where each value of a full chart stands in time (0 = oldest, 12 = the bill's month): the writer
#: reads the 3rd to 11th months, then the 2nd, the 1st, the 12th and the bill's month.
_FULL_CHART_ORDER = (2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 0, 11, 12)


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    for chart_re in _CHART_RES:
        for match in chart_re.finditer(text):
            records = _records(match.group("labels").split(), match.group("values").split())
            if records:
                days = {parse_reference_month(month): int(count) for month, count in _DAYS_RE.findall(text)}
                return tuple(replace(record, days=days.get(record.month)) for record in records)
    return ()


def _records(labels: list[str], values: list[str]) -> tuple[ConsumptionRecord, ...]:
    months = sorted(parse_reference_month(label) for label in labels)
    if len(months) != _FULL_CHART:
        return ()
    if len(values) == _FULL_CHART:
        pairs = sorted(zip(_FULL_CHART_ORDER, values, strict=True))
        return tuple(ConsumptionRecord(months[position], parse_decimal(value)) for position, value in pairs)
    if len(values) == 1:
        # A new unit's chart prints only the bill's month.
        return (ConsumptionRecord(months[-1], parse_decimal(values[0])),)
    return ()

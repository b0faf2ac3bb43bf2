"""The MATRÍCULA form's 13-month consumption chart: a block of kWh values and a block of month labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from faturas.domain.invoice import ConsumptionRecord
from faturas.extraction.numbers import parse_decimal, parse_reference_month

_VALUE = r"^\d{1,3}(?:\.\d{3})*,\d{2}(?:[\n\f]|\Z)"
_LABEL = r"^[A-Z]{3}/\d{2}(?:[\n\f]|\Z)"
#: Matched over "\n" + text, each block's first line after its "\n": a pattern that opens with a literal
#: lets the regex engine skip ahead to the line starts, where one that opens with a class (or a multi-line
#: "^") is tried at every digit (or position) of the bill.
_CHART_RES = (
    re.compile(rf"\n(?P<values>{_VALUE[1:]}(?:{_VALUE})*)(?P<labels>(?:{_LABEL})+)", re.MULTILINE),
    re.compile(rf"\n(?P<labels>{_LABEL[1:]}(?:{_LABEL})*)(?P<values>(?:{_VALUE})+)", re.MULTILINE),
)
#: "JAN/25 32": the billed days of each month, in the "CONSUMO FATURADO" column.
_DAYS_RE = re.compile(r"\n([A-Z]{3}/\d{2}) (\d{1,2})$", re.MULTILINE)  # over "\n" + text, as _CHART_RES
_FULL_CHART = 13
#: Where each value of a full chart stands in time (0 = oldest, 12 = the bill's month): the writer
#: reads the 3rd to 11th months, then the 2nd, the 1st, the 12th and the bill's month.
_FULL_CHART_ORDER = (2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 0, 11, 12)


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    lined = "\n" + text
    for chart_re in _CHART_RES:
        for match in _line_matches(chart_re, lined):
            records = _records(match.group("labels").split(), match.group("values").split())
            if records:
                days = {parse_reference_month(month): int(count) for month, count in _DAYS_RE.findall(lined)}
                return tuple(replace(record, days=days.get(record.month)) for record in records)
    return ()


def _line_matches(chart_re: re.Pattern[str], lined: str) -> Iterator[re.Match[str]]:
    """``finditer`` over the text, for a pattern that opens with the "\n" before its first line: the next
    search starts at the newline the last match ended with, which may open the next block."""
    position = 0
    while (match := chart_re.search(lined, position)) is not None:
        yield match
        position = match.end() - 1


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

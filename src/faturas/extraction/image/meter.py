"""The metered consumption, from the meter table's row, when the billed items did not give it.

Forms print each meter as "… Energia Ativa Único 1.546,00 1.690,00 1,00000 144,00" or
"… kWh Total 35011 35067 56": previous reading, current reading, an optional meter constant and the
consumption. The row checks itself: consumption = (current - previous) x constant, to the unit. A
value is taken only when exactly one such row is found, and is always flagged (a bill may bill other
than it meters: minimum charge, compensated generation).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from faturas.errors import InvalidNumber
from faturas.extraction.numbers import parse_decimal

_READING = r"\d{1,3}(?:\.\d{3})+(?:,\d{2})?|\d+(?:,\d{2})?"
_ROW = re.compile(
    rf"(?<![\w.,/-])(?P<previous>{_READING})\s+(?P<current>{_READING})\s+"
    rf"(?:(?P<constant>\d{{1,3}},\d{{2,5}})\s+)?(?P<consumption>{_READING})(?![\w.,/-])"
)
#: Enel's "DADOS DE MEDIÇÃO" prints its readings with a decimal point ("33988.00 34122.00 1.00 134.00"):
#: a point before one or two digits is a decimal point (a thousands point has three after it).
_POINT_READING = r"\d+\.\d{1,2}"
_POINT_ROW = re.compile(
    rf"(?<![\w.,/-])(?P<previous>{_POINT_READING})\s+(?P<current>{_POINT_READING})\s+"
    rf"(?:(?P<constant>\d{{1,3}}\.\d{{1,5}})\s+)?(?P<consumption>{_POINT_READING})(?![\w.,/-])"
)
#: A meter row names active energy or its total; reactive energy (kvarh) is never the consumption.
_ACTIVE = re.compile(r"total|ativ|[uú]nico|kwh", re.IGNORECASE)
_REACTIVE = re.compile(r"reativ|kvar", re.IGNORECASE)


def metered_kwh(text: str) -> Decimal | None:
    """The consumption of the one meter row that adds up, or None (none, or several disagreeing)."""
    found = set()
    for line in text.splitlines():
        if not _ACTIVE.search(line) or _REACTIVE.search(line):
            continue
        for match in _ROW.finditer(line):
            value = _consumption(match, parse_decimal)
            if value is not None:
                found.add(value)
        for match in _POINT_ROW.finditer(line):
            value = _consumption(match, Decimal)
            if value is not None:
                found.add(value)
    return found.pop() if len(found) == 1 else None


def _consumption(match: re.Match[str], number: Callable[[str], Decimal]) -> Decimal | None:
    try:
        previous, current, consumption = (number(match.group(name)) for name in ("previous", "current", "consumption"))
        constant = number(match.group("constant")) if match.group("constant") else Decimal(1)
    except (InvalidNumber, InvalidOperation):
        return None
    if current <= previous or constant <= 0 or consumption <= 0 or consumption != consumption.to_integral_value():
        return None
    if (current - previous) * constant != consumption:
        return None
    return Decimal(int(consumption))

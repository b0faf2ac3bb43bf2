"""The metered consumption, from the meter table's row, when the billed items did not give it.

Forms print each meter as "… Energia Ativa Único 1.546,00 1.690,00 1,00000 144,00" or
"… kWh Total 35011 35067 56": previous reading, current reading, an optional meter constant and the
consumption. The row checks itself: consumption = (current - previous) x constant, to the unit. A
value is taken only when exactly one such row is found, and is always flagged (a bill may bill other
than it meters: minimum charge, compensated generation).
"""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.errors import InvalidNumber
from faturas.extraction.numbers import parse_decimal

_READING = r"\d{1,3}(?:\.\d{3})+(?:,\d{2})?|\d+(?:,\d{2})?"
_ROW = re.compile(
    rf"(?<![\w.,/-])(?P<previous>{_READING})\s+(?P<current>{_READING})\s+"
    rf"(?:(?P<constant>\d{{1,3}},\d{{2,5}})\s+)?(?P<consumption>{_READING})(?![\w.,/-])"
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
            value = _consumption(match)
            if value is not None:
                found.add(value)
    return found.pop() if len(found) == 1 else None


def _consumption(match: re.Match[str]) -> Decimal | None:
    try:
        previous, current, consumption = (
            parse_decimal(match.group(name)) for name in ("previous", "current", "consumption")
        )
        constant = parse_decimal(match.group("constant")) if match.group("constant") else Decimal(1)
    except InvalidNumber:
        return None
    if current <= previous or constant <= 0 or consumption <= 0 or consumption != consumption.to_integral_value():
        return None
    if (current - previous) * constant != consumption:
        return None
    return Decimal(int(consumption))

"""Small, typed regex helpers the distributor templates share."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TypeVar

from faturas.errors import FieldsMissing
from faturas.extraction.numbers import parse_decimal

Pattern = str | re.Pattern[str]
T = TypeVar("T")


def line_start(literal: str) -> str:
    """``literal`` at a line start: a multi-line "^" + literal, written to open with its first character.

    A pattern that opens with "^" is tried at every position of the bill; one that opens with a character
    lets the regex engine skip ahead to it, then checks "no other character than a newline before it".
    """
    first = re.escape(literal[0])
    return first + rf"(?<![^\n]{first})" + re.escape(literal[1:])


def find(pattern: Pattern, text: str, group: int | str = 1, flags: int = 0) -> str | None:
    """The first match's group, stripped, or None when the pattern does not occur."""
    match = re.search(pattern, text, flags) if isinstance(pattern, str) else pattern.search(text)
    if match is None:
        return None
    value = match.group(group)
    return value.strip() if value is not None else None


def find_decimal(pattern: Pattern, text: str, group: int | str = 1, flags: int = 0) -> Decimal | None:
    value = find(pattern, text, group, flags)
    return None if value is None else parse_decimal(value)


def require(template: str, **values: T | None) -> dict[str, T]:
    """Return the values when all are present; otherwise raise FieldsMissing naming the absent ones."""
    missing = [name for name, value in values.items() if value is None]
    if missing:
        raise FieldsMissing(missing, template)
    return {name: value for name, value in values.items() if value is not None}

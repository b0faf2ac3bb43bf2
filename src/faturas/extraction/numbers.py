"""pt-BR numbers, dates and months: the one place bill text becomes values."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from faturas.domain.reference_month import MONTH_ABBREVIATIONS, ReferenceMonth
from faturas.errors import InvalidDate, InvalidNumber

#: A pt-BR number as bills print it: "1.234,56", "-98,76", "543,21-", "0,81234567", "1500".
NUMBER = r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?-?|-?\d+(?:,\d+)?-?"

_NUMBER_RE = re.compile(rf"^\s*(?:R\$\s*)?({NUMBER})\s*$")
_DATE_RE = re.compile(r"\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\s*")
_DAY_MONTH_RE = re.compile(r"\s*(\d{1,2})/(\d{1,2})\s*")
_ISO_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_MONTH_YEAR_RE = re.compile(r"([^\W\d_]+|\d{1,2})\s*/\s*(\d{4}|\d{2})")

MONTH_NAMES = (
    "JANEIRO",
    "FEVEREIRO",
    "MARCO",
    "ABRIL",
    "MAIO",
    "JUNHO",
    "JULHO",
    "AGOSTO",
    "SETEMBRO",
    "OUTUBRO",
    "NOVEMBRO",
    "DEZEMBRO",
)


_MONTH_NUMBERS = {
    **{name: index + 1 for index, name in enumerate(MONTH_NAMES)},
    **{abbreviation: index + 1 for index, abbreviation in enumerate(MONTH_ABBREVIATIONS)},
}


def parse_decimal(text: str) -> Decimal:
    """Parse a pt-BR number. A trailing minus ("543,21-") is a negative number."""
    # Most numbers on a bill are ASCII digits with at most a decimal comma, thousands dots and a minus
    # ("1500", "123,45", "1.234,56", "-98,76"): string methods read those several times faster than
    # the pattern, which reads the rest. The commonest shape first, without a call.
    head, comma, tail = text.partition(",")
    if head.isdigit() and head.isascii() and (not comma or (tail.isdigit() and tail.isascii())):
        return Decimal(head + "." + tail if comma else head)
    if text[:1] == "-":
        value = _plain_decimal(text[1:])
        return _parse_decimal_pattern(text) if value is None else -value
    if text[-1:] == "-":
        value = _plain_decimal(text[:-1])
        return _parse_decimal_pattern(text) if value is None else -value
    value = _plain_decimal(text)
    return _parse_decimal_pattern(text) if value is None else value


def _plain_decimal(text: str) -> Decimal | None:
    """ASCII digits with an optional decimal comma and thousands dots, or None for the pattern to read."""
    head, comma, tail = text.partition(",")
    if comma and not (tail.isdigit() and tail.isascii()):
        return None
    if not (head.isdigit() and head.isascii()):
        groups = head.split(".")
        if len(groups) < 2 or not 0 < len(groups[0]) <= 3 or set(map(len, groups[1:])) != {3}:
            return None
        head = "".join(groups)
        if not (head.isdigit() and head.isascii()):
            return None
    return Decimal(head + "." + tail if comma else head)


def _parse_decimal_pattern(text: str) -> Decimal:
    match = _NUMBER_RE.match(text)
    if not match:
        raise InvalidNumber(text)
    token = match.group(1)
    negative = token.startswith("-") or token.endswith("-")
    digits = token.strip("-").replace(".", "").replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise InvalidNumber(text) from exc
    return -value if negative else value


def parse_optional_decimal(text: str | None) -> Decimal | None:
    return None if text is None or not text.strip() else parse_decimal(text)


def parse_date(text: str) -> date:
    """Parse ``DD/MM/YYYY`` (also ``DD.MM.YYYY`` and two-digit years)."""
    match = _DATE_RE.fullmatch(text)
    if not match:
        raise InvalidDate(text)
    day, month, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidDate(text) from exc


def parse_day_month(text: str, near: date) -> date:
    """Parse ``DD/MM`` choosing the year that puts the date closest to ``near``.

    Reading dates print no year; a reading on 28/12 for a bill issued on 05/01 is last December.
    """
    match = _DAY_MONTH_RE.fullmatch(text)
    if not match:
        raise InvalidDate(text)
    day, month = int(match.group(1)), int(match.group(2))
    candidates = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise InvalidDate(text)
    return min(candidates, key=lambda candidate: abs((candidate - near).days))


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def month_number(name: str) -> int:
    """Month number from a pt-BR name or abbreviation ("Janeiro", "MAR", "março")."""
    number = _MONTH_NUMBERS.get(strip_accents(name).strip().upper())
    if number is None:
        raise InvalidDate(name)
    return number


@lru_cache(maxsize=4096)
def parse_reference_month(text: str) -> ReferenceMonth:
    """Parse "JAN/2024", "JAN/24", "Janeiro/2024", "Agosto / 2025", "01/2024" or "2024-01".

    Cached: a bill prints a dozen months over and over (history, flags), bills of a period the same ones,
    and a ReferenceMonth is immutable. Text that is no month raises, uncached.
    """
    cleaned = text.strip()
    # The usual "JAN/2024" or "01/24" (ASCII, no spaces) by string methods; the pattern reads the rest.
    month_text, slash, year_text = cleaned.partition("/")
    if slash and year_text.isdigit() and year_text.isascii() and len(year_text) in (2, 4) and month_text.isascii():
        if month_text.isdigit() and len(month_text) <= 2:
            return _month_of(text, int(month_text), year_text)
        if month_text.isalpha() and (number := _MONTH_NUMBERS.get(month_text.upper())) is not None:
            return _month_of(text, number, year_text)
    match = _MONTH_YEAR_RE.fullmatch(cleaned)
    if not match:
        if iso := _ISO_MONTH_RE.fullmatch(cleaned):
            return ReferenceMonth(int(iso.group(1)), int(iso.group(2)))
        raise InvalidDate(text)
    month_text, year_text = match.groups()
    return _reference_month(text, month_text, year_text)


def _reference_month(text: str, month_text: str, year_text: str) -> ReferenceMonth:
    return _month_of(text, int(month_text) if month_text.isdigit() else month_number(month_text), year_text)


def _month_of(text: str, month: int, year_text: str) -> ReferenceMonth:
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        return _interned_month(year, month)
    except ValueError as exc:
        raise InvalidDate(text) from exc


@lru_cache(maxsize=4096)
def _interned_month(year: int, month: int) -> ReferenceMonth:
    """One (immutable) ReferenceMonth per month: a bill prints the same dozen months over and over,
    and building a frozen dataclass costs more than the rest of the parse. Invalid months raise, uncached."""
    return ReferenceMonth(year, month)


def fold_spaces(text: str) -> str:
    return " ".join(text.split())


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text)

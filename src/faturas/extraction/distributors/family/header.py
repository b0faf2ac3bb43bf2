"""The header fields of a bill read from OCR text: tolerant of lost separators, strict about shapes.

Most forms print "REF: MÊS/ANO  VENCIMENTO  TOTAL A PAGAR" over one row of values
("MAI/2025 13/06/2025 R$ 1.234,56"); OCR keeps that row together even when it garbles the labels, so
the three values are found as one row of a month, a date and an amount, in any order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faturas.domain.reference_month import MONTH_ABBREVIATIONS, ReferenceMonth
from faturas.errors import InvalidDate, InvalidNumber
from faturas.extraction.numbers import month_number, parse_date, parse_decimal

_MONTHS = "|".join(MONTH_ABBREVIATIONS)
_MONTH_NAMES = "JANEIRO|FEVEREIRO|MAR.O|ABRIL|MAIO|JUNHO|JULHO|AGOSTO|SETEMBRO|OUTUBRO|NOVEMBRO|DEZEMBRO"
#: "MAI/2025", "Set /2025", "MAI2025", "05/2025", "Novembro/2025"; the year must be this century's.
MONTH = rf"(?:(?i:{_MONTHS})\s?/?\s?20\d{{2}}|(?:0[1-9]|1[0-2])/20\d{{2}}|(?i:{_MONTH_NAMES})\s?/\s?20\d{{2}})"
DATE = r"(?:[0-3]\d/[01]\d/20\d{2})"
#: An amount as the header prints it: "R$ 1.234,56", "R$1234,56", "*****1.234,56", "123,45".
AMOUNT = r"(?:R\$\s?|\*+)?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{2}"

_MONTH_RE = re.compile(rf"(?<![\w/]){MONTH}(?![\w/])")
_DATE_RE = re.compile(rf"(?<![\d/]){DATE}(?![\d/])")
_AMOUNT_RE = re.compile(rf"(?<![\d.,]){AMOUNT}(?![\d.,%])")


@dataclass(frozen=True)
class Headline:
    """Month, due date and total, as one row prints them."""

    month: ReferenceMonth
    due_date: date
    total: Decimal


#: The three values of the headline stand within this many characters of each other.
HEADLINE_SPAN = 60


def find_headlines(text: str) -> list[Headline]:
    """Every row with one month, a date and an amount close together (in any order), in text order."""
    found = []
    for line in text.splitlines():
        months = list(_MONTH_RE.finditer(line))
        if len(months) != 1:
            continue
        near = line[max(0, months[0].start() - HEADLINE_SPAN) : months[0].end() + HEADLINE_SPAN]
        dates = _DATE_RE.findall(near)
        amounts = _AMOUNT_RE.findall(near)
        if not dates or not amounts:
            continue
        month = parse_month(months[0].group())
        due = _date_or_none(dates[0])
        total = parse_amount(amounts[0])
        if month is None or due is None or total is None:
            continue
        found.append(Headline(month, due, total))
    return found


def parse_month(token: str) -> ReferenceMonth | None:
    compact = re.sub(r"[\s/]", "", token)
    if len(compact) > 7:  # a month's full name: "Novembro2025"
        return ReferenceMonth(int(compact[-4:]), month_number(compact[:-4]))
    if compact[:3].isalpha():
        return ReferenceMonth(int(compact[3:]), MONTH_ABBREVIATIONS.index(compact[:3].upper()) + 1)
    return ReferenceMonth(int(compact[2:]), int(compact[:2]))


def parse_amount(token: str) -> Decimal | None:
    try:
        return parse_decimal(token.lstrip("*").removeprefix("R$").strip())
    except InvalidNumber:
        return None


def _date_or_none(token: str) -> date | None:
    try:
        return parse_date(token)
    except InvalidDate:
        return None


def labelled(text: str, label: str, value: str, reach: int = 120, overrun: int = 0) -> str | None:
    """The first ``value`` starting within ``reach`` characters after a ``label`` (on its line or the next).

    With an ``overrun``, the value is matched in that much text beyond the reach: a code the reach
    would cut ("303067844|9") is read whole, never as its first digits.
    """
    for match in re.finditer(label, text, re.IGNORECASE):
        found = re.search(value, text[match.end() : match.end() + reach + overrun])
        if found is not None and found.start() < reach:
            return found.group(1) if found.groups() else found.group(0)
    return None


def labelled_date(text: str, label: str, reach: int = 120) -> date | None:
    # A date followed by a time is a timestamp (the authorization protocol's), never a due date.
    token = labelled(text, label, rf"(?<![\d/]){DATE}(?![\d/])(?!\s+(?:às\s+)?\d{{2}}:\d{{2}})", reach)
    return None if token is None else _date_or_none(token)


def labelled_month(text: str, label: str, reach: int = 120) -> ReferenceMonth | None:
    token = labelled(text, label, rf"(?<![\w/]){MONTH}(?![\w/])", reach)
    return None if token is None else parse_month(token)


def labelled_amount(text: str, label: str, reach: int = 160) -> Decimal | None:
    token = labelled(text, label, rf"(?<![\d.,]){AMOUNT}(?![\d.,%])", reach)
    return None if token is None else parse_amount(token)

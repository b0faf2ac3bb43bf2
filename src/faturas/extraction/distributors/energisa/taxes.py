"""The taxes box (PIS, COFINS, ICMS) of both layouts, whose columns PDFium reads apart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from faturas.domain.invoice import Tax
from faturas.extraction.numbers import NUMBER, parse_decimal

TAX_NAMES = ("PIS", "COFINS", "ICMS")

#: Rounding on the bill: the printed amount may differ from base × rate by a cent or two.
_TOLERANCE = Decimal("0.02")

#: DANF3E: the PIS, COFINS and ICMS rates, then amounts and bases, then the labels.
_DANF3E_RE = re.compile(
    rf"^(\d+,\d{{4}})\n(\d+,\d{{4}})\n(\d+,\d{{2}})\n((?:(?:{NUMBER})(?: |\n))+)PIS/PASEP\n",
    re.MULTILINE,
)
#: MATRÍCULA: the PIS, COFINS and ICMS amounts, the PIS and COFINS rates, "ICMS <rate>", then the
#: bases with ICMS's between the other two.
_MATRICULA_RE = re.compile(
    rf"^({NUMBER})\n({NUMBER})\n({NUMBER})\n(\d+,\d{{4}})\n(\d+,\d{{4}})\nICMS ({NUMBER})\nCOFINS\nPIS\n"
    rf"({NUMBER})\n({NUMBER})\n({NUMBER})\n",
    re.MULTILINE,
)
_TWO_DECIMALS_RE = re.compile(r"^-?\d{1,3}(?:\.\d{3})*,\d{2}$")


def danf3e_taxes(page: str) -> tuple[Tax, ...]:
    match = _DANF3E_RE.search(page)
    if match is None:
        return ()
    rates = [parse_decimal(rate) for rate in match.groups()[:3]]
    values = [parse_decimal(value) for value in match.group(4).split()]
    if len(values) == 6:
        return _taxes(rates, values[:3], values[3:])
    # Some bills print part of the amounts at the very end of the page instead: pair them by
    # arithmetic (base × rate ≈ amount).
    tail = [parse_decimal(line) for line in page.splitlines()[-2:] if _TWO_DECIMALS_RE.match(line.strip())]
    return _search(rates, values + tail)


def matricula_taxes(text: str) -> tuple[Tax, ...]:
    match = _MATRICULA_RE.search(text)
    if match is None:
        return ()
    values = [parse_decimal(value) for value in match.groups()]
    pis_base, icms_base, cofins_base = values[6:]
    return _taxes(values[3:6], values[:3], (pis_base, cofins_base, icms_base))


def _taxes(rates: Sequence[Decimal], amounts: Sequence[Decimal], bases: Sequence[Decimal]) -> tuple[Tax, ...]:
    return tuple(Tax(*fields) for fields in zip(TAX_NAMES, bases, rates, amounts, strict=True))


def _search(rates: Sequence[Decimal], values: Sequence[Decimal]) -> tuple[Tax, ...]:
    taxes = []
    for name, rate in zip(TAX_NAMES, rates, strict=True):
        pair = next(
            (
                (base, amount)
                for base in values
                for amount in values
                if base > amount and abs(base * rate / 100 - amount) <= _TOLERANCE
            ),
            None,
        )
        taxes.append(Tax(name, pair[0] if pair else None, rate, pair[1] if pair else None))
    return tuple(taxes)

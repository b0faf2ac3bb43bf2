"""The smaller tables of COPEL's "SÉRIE B" bill: readings, consumption history, taxes and tariff flags."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ConsumptionRecord, MeterReading, ReadingDates, TariffFlag, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.distributors.copel.serie_b_items import IcmsColumns
from faturas.extraction.numbers import NUMBER, parse_date, parse_decimal, parse_reference_month, strip_accents
from faturas.extraction.text_search import find_decimal, line_start

_N = rf"({NUMBER})"
_DATE = r"(\d{2}/\d{2}/\d{4})"
#: "28/12/2023 29/01/2024 32 dias" then previous and current reading, measured kWh, multiplier, billed kWh,
#: daily average, issue date and next reading.
_READINGS_RE = re.compile(
    rf"^{_DATE}[ \t]+{_DATE}[ \t]+(\d+)[ \t]+dias[ \t]*\n"
    rf"{_N}[ \t]+{_N}[ \t]+{_N}[ \t]+kWh[ \t]+{_N}[ \t]+{_N}[ \t]+kWh[ \t]+{_N}[ \t]+kWh"
    rf"[ \t]+{_DATE}[ \t]+{_DATE}[ \t]*$",
    re.MULTILINE,
)
_HISTORY_HEADER_RE = re.compile(line_start("M") + r".s kWh Dt\.Pgto\. Valor[ \t]*$", re.MULTILINE)
_HISTORY_MONTH_RE = re.compile(r"^\d{2}/\d{4}$")
_KWH_RE = re.compile(r"^\d[\d.]*$")
_ICMS_BASE_RE = re.compile(line_start("Base de C") + rf".lculo do ICMS[ \t]*\n{_N}[ \t]*$", re.MULTILINE)
_ICMS_AMOUNT_RE = re.compile(line_start("Valor ICMS") + rf"[ \t]*\n{_N}[ \t]*$", re.MULTILINE)
#: "INCLUSO NA FATURA PIS R$1,10 E COFINS R$5,05 CONFORME RES. ANEEL 130/2005."
_PIS_COFINS_RE = re.compile(rf"INCLUSO NA FATURA PIS R\$[ \t]*{_N} E COFINS R\$[ \t]*{_N}")
#: "A PARTIR DE 01/01/2024 - PIS/PASEP 0,90% e COFINS 4,10%.": the rates in force since that day.
_PIS_COFINS_RATES_RE = re.compile(rf"A PARTIR DE {_DATE} - PIS/PASEP {_N}% e COFINS {_N}%")
_FLAG_PERIODS_RE = re.compile(line_start("Periodos Band") + r"\.Tarif\.:(.*)$", re.MULTILINE)
_FLAG_RE = re.compile(r"([^\W\d][\w. ]*?)[ \t]*:[ \t]*\d{2}/\d{2}[ \t]*-[ \t]*\d{2}/\d{2}")
_FLAG_NAMES = (
    (re.compile(r"^ESCAS"), "Escassez Hídrica"),
    (re.compile(r"^VERDE"), "Verde"),
    (re.compile(r"^AMAREL"), "Amarela"),
    (re.compile(r"^VERM.*2"), "Vermelha P2"),
    (re.compile(r"^VERM.*1"), "Vermelha P1"),
)


def parse_reading_dates(text: str) -> ReadingDates | None:
    match = _READINGS_RE.search(text)
    if match is None:
        return None
    return ReadingDates(
        previous=parse_date(match.group(1)),
        current=parse_date(match.group(2)),
        days=int(match.group(3)),
        next=parse_date(match.group(11)),
    )


def parse_meter_readings(text: str, meter: str | None) -> tuple[MeterReading, ...]:
    match = _READINGS_RE.search(text)
    if match is None:
        return ()
    previous, current, measured, constant = (parse_decimal(value) for value in match.group(4, 5, 6, 7))
    return (MeterReading(meter, "Energia kWh", previous, current, constant, measured),)


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    """Months, then their kWh, one run of lines each (payment dates and amounts follow, unused)."""
    header = _HISTORY_HEADER_RE.search(text)
    if header is None:
        return ()
    lines = [line.strip() for line in text[header.end() :].splitlines() if line.strip()]
    months = []
    while lines and _HISTORY_MONTH_RE.match(lines[0]):
        months.append(lines.pop(0))
    kwh = lines[: len(months)]
    if len(kwh) < len(months) or not all(_KWH_RE.match(value) for value in kwh):
        return ()
    return tuple(
        ConsumptionRecord(parse_reference_month(month), parse_decimal(value))
        for month, value in zip(months, kwh, strict=True)
    )


def parse_taxes(text: str, icms: tuple[IcmsColumns, ...], issued: date | None) -> tuple[Tax, ...]:
    taxes = []
    base, amount = find_decimal(_ICMS_BASE_RE, text), find_decimal(_ICMS_AMOUNT_RE, text)
    if base is not None or amount is not None:
        taxes.append(Tax("ICMS", base, _icms_rate(icms), amount))
    contributions = _PIS_COFINS_RE.search(text)
    if contributions is not None:
        pis_rate, cofins_rate = _contribution_rates(text, issued)
        taxes.append(Tax("PIS/PASEP", None, pis_rate, parse_decimal(contributions.group(1))))
        taxes.append(Tax("COFINS", None, cofins_rate, parse_decimal(contributions.group(2))))
    return tuple(taxes)


def _icms_rate(icms: tuple[IcmsColumns, ...]) -> Decimal | None:
    """The rate of the taxed rows, when they share one (exempt rows print 0,00%)."""
    rates = {column.rate for column in icms if column.base}
    return rates.pop() if len(rates) == 1 else None


def _contribution_rates(text: str, issued: date | None) -> tuple[Decimal | None, Decimal | None]:
    match = _PIS_COFINS_RATES_RE.search(text)
    if match is None or issued is None or parse_date(match.group(1)) > issued:
        return None, None
    return parse_decimal(match.group(2)), parse_decimal(match.group(3))


def parse_tariff_flags(text: str, month: ReferenceMonth) -> tuple[TariffFlag, ...]:
    """The flags over the billed days: "Periodos Band.Tarif.: Verde:29/12-15/01 Amarela:16/01-29/01"."""
    periods = _FLAG_PERIODS_RE.search(text)
    if periods is None:
        return ()
    return tuple(TariffFlag(month, _flag_name(name)) for name in _FLAG_RE.findall(periods.group(1)))


def _flag_name(printed: str) -> str:
    key = strip_accents(printed).strip().upper()
    for pattern, name in _FLAG_NAMES:
        if pattern.search(key):
            return name
    return printed.strip()

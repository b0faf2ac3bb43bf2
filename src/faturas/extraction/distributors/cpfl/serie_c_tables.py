"""The tables of CPFL's "Série C" bill: operations (items), taxes, readings, flags and history."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ConsumptionRecord, ItemKind, LineItem, MeterReading, TariffFlag, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_date, parse_decimal, parse_reference_month
from faturas.extraction.text_search import line_start

_N = rf"({NUMBER})"
_S = r"[ \t]+"
_DATE = r"(\d{2}/\d{2}/\d{4})"

_TABLE_RE = re.compile(
    line_start("Descri") + r"..o da Opera..o[ \t]*$(.*?)^[ \t]*Total Consolidado\b", re.MULTILINE | re.DOTALL
)
#: "0605 Energ Atv Inj. oUC mPT - TUSD SET/23 1.000,000 kWh 0,40000000 400,00- 400,00- 3,20- 14,60-":
#: operation code, description, month, quantity, unit, tariff, amount, then the tax columns.
#: Lines without a code ("Total Distribuidora", "CDE Escassez Hídrica - TE 8,88") are not billed.
_ITEM_RE = re.compile(
    rf"^\d{{4}}{_S}(?P<description>\S.*?)(?:{_S}[A-Z]{{3}}/\d{{2}})?"
    rf"(?:{_S}(?P<quantity>{NUMBER}){_S}(?P<unit>kWh|kVArh|kW){_S}(?P<price>{NUMBER}))?"
    rf"{_S}(?P<amount>{NUMBER})(?P<taxes>(?:{_S}(?:{NUMBER}))*)[ \t]*$",
    re.MULTILINE,
)
#: The tax columns of an item that pays ICMS: ICMS base, rate, ICMS, PIS/COFINS base, PIS, COFINS.
_TAXED_COLUMNS = 6
_CONSOLIDATED_RE = re.compile(rf"^[ \t]*Total Consolidado{_S}{_N}{_S}{_N}{_S}{_N}{_S}{_N}{_S}{_N}{_S}{_N}[ \t]*$", re.M)
_CONTRIBUTION_RATES_RE = re.compile(
    line_start("PIS") + rf"[ \t]*\n{_N}%[ \t]*\nCOFINS[ \t]*\n{_N}%[ \t]*$", re.MULTILINE
)
_READINGS_HEADER_RE = re.compile(rf"^[ \t]*{_DATE}{_S}{_DATE}{_S}Multipl\..*$", re.MULTILINE)
#: "Ativa 21500 20000 1,00 1.500 01/02/2024": current and previous reading, factor, kWh, [loss %], next reading.
_READING_RE = re.compile(
    rf"^([^\d\n]+?){_S}{_N}{_S}{_N}{_S}{_N}{_S}{_N}(?:{_S}(?:{NUMBER}))?{_S}\d{{2}}/\d{{2}}/\d{{4}}[ \t]*$"
)
_FLAGS_HEADER_RE = re.compile(line_start("Bandeiras") + r"[ \t]*\nTarif.rias[ \t]*\n\(Dias\)[ \t]*$", re.MULTILINE)
_FLAG_RE = re.compile(r"^[ \t]*([^\d\s][^\n]*?)[ \t]*\n[ \t]*\d+ Dias[ \t]*$", re.MULTILINE)
#: "2023 DEZ llll 1500 31", " NOV llll 1320 30": the year only where it changes, a bar, kWh and days.
_HISTORY_RE = re.compile(
    r"^[ \t]*(?:(\d{4})[ \t]+)?(JAN|FEV|MAR|ABR|MAI|JUN|JUL|AGO|SET|OUT|NOV|DEZ)"
    r"[ \t]+(?:l+[ \t]+)?(\d[\d.]*)[ \t]+(\d+)[ \t]*$",
    re.MULTILINE,
)

#: Printed beside the items for information only, never billed.
_INFORMATIONAL_RE = re.compile(r"^CDE Escassez", re.IGNORECASE)
_COMPENSATED_RE = re.compile(r"\bInj|injetad|compensad", re.IGNORECASE)
_LIGHTING_RE = re.compile(r"\bCIP\b|\bCOSIP\b|ilum", re.IGNORECASE)
_ENERGY_RE = re.compile(r"^Energia Ativa Fornecida|\bConsumo\b|\bBandeira", re.IGNORECASE)


@dataclass(frozen=True)
class OperationsTable:
    items: tuple[LineItem, ...]
    icms_rates: frozenset[Decimal]


def item_kind(description: str) -> ItemKind:
    if _COMPENSATED_RE.search(description):
        return ItemKind.COMPENSATED
    if _LIGHTING_RE.search(description):
        return ItemKind.PUBLIC_LIGHTING
    if _ENERGY_RE.search(description):
        return ItemKind.ENERGY
    return ItemKind.OTHER


def parse_items(text: str) -> OperationsTable:
    table = _TABLE_RE.search(text)
    if table is None:
        return OperationsTable((), frozenset())
    items, rates = [], set()
    for match in _ITEM_RE.finditer(table.group(1)):
        description = fold_spaces(match["description"])
        if _INFORMATIONAL_RE.match(description):
            continue
        quantity = match["quantity"]
        items.append(
            LineItem(
                description=description,
                amount=parse_decimal(match["amount"]),
                unit=match["unit"],
                quantity=parse_decimal(quantity) if quantity else None,
                unit_price=parse_decimal(match["price"]) if match["price"] else None,
                kind=item_kind(description),
            )
        )
        columns = match["taxes"].split()
        if len(columns) == _TAXED_COLUMNS:
            rates.add(parse_decimal(columns[1]))
    return OperationsTable(tuple(items), frozenset(rates))


def first_component_kwh(items: Iterable[LineItem], kind: ItemKind) -> Decimal | None:
    """The kWh of the first description of a kind, summed over the source months it is split into.

    TUSD and TE bill the same energy on two descriptions, so only the one printed first counts.
    """
    chosen = [(item.description, item.quantity) for item in items if item.kind is kind and item.quantity is not None]
    if not chosen:
        return None
    first = chosen[0][0]
    return sum((abs(quantity) for description, quantity in chosen if description == first), Decimal(0))


def parse_taxes(text: str, icms_rates: frozenset[Decimal]) -> tuple[Tax, ...]:
    """Totals from the "Total Consolidado" row, rates from the header (PIS, COFINS) and the items (ICMS)."""
    totals = _CONSOLIDATED_RE.search(text)
    if totals is None:
        return ()
    _total, icms_base, icms, contribution_base, pis, cofins = (parse_decimal(value) for value in totals.groups())
    rates = _CONTRIBUTION_RATES_RE.search(text)
    pis_rate, cofins_rate = (parse_decimal(rate) for rate in rates.groups()) if rates else (None, None)
    icms_rate = next(iter(icms_rates)) if len(icms_rates) == 1 else None
    return (
        Tax("ICMS", icms_base, icms_rate, icms),
        Tax("PIS", contribution_base, pis_rate, pis),
        Tax("COFINS", contribution_base, cofins_rate, cofins),
    )


@dataclass(frozen=True)
class Readings:
    current: date
    previous: date
    meters: tuple[MeterReading, ...]


def parse_readings(text: str, meter: str | None) -> Readings | None:
    header = _READINGS_HEADER_RE.search(text)
    if header is None:
        return None
    meters = []
    for line in text[header.end() :].lstrip("\n").splitlines():
        match = _READING_RE.match(line)
        if match is None:
            break
        quantity, current, previous, factor, consumption = match.groups()
        meters.append(
            MeterReading(
                meter=meter,
                quantity=f"Energia {fold_spaces(quantity)}",
                previous=parse_decimal(previous),
                current=parse_decimal(current),
                constant=parse_decimal(factor),
                consumption=parse_decimal(consumption),
            )
        )
    return Readings(parse_date(header.group(1)), parse_date(header.group(2)), tuple(meters))


def parse_tariff_flags(text: str, month: ReferenceMonth) -> tuple[TariffFlag, ...]:
    """The flags over the billed days, each above its day count ("Verde" / "10 Dias")."""
    header = _FLAGS_HEADER_RE.search(text)
    if header is None:
        return ()
    flags = []
    position = header.end() + 1
    while (match := _FLAG_RE.match(text, position)) is not None:
        flags.append(TariffFlag(month, fold_spaces(match.group(1))))
        position = match.end() + 1
    return tuple(flags)


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    records = []
    year: int | None = None
    for printed_year, month, kwh, days in _HISTORY_RE.findall(text):
        year = int(printed_year) if printed_year else year
        if year is None:
            continue
        records.append(ConsumptionRecord(parse_reference_month(f"{month}/{year}"), parse_decimal(kwh), days=int(days)))
    return tuple(records)

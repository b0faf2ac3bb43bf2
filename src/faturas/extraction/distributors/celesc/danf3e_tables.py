"""The tables of CELESC's DANF3E: items, taxes, meter readings, tariff flags and consumption history."""

from __future__ import annotations

import re

from faturas.domain.invoice import ConsumptionRecord, LineItem, MeterReading, TariffFlag, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.distributors.celesc.common import energy_unit, item_kind
from faturas.extraction.numbers import NUMBER, fold_spaces, parse_decimal, parse_reference_month
from faturas.extraction.text_search import line_start

_N = rf"({NUMBER})"
#: White space inside one line: PDFium ends every printed row with a newline.
_S = r"[ \t]+"

#: description, unit, quantity, tariff with taxes, amount, PIS/COFINS, ICMS base, ICMS rate, ICMS amount,
#: tariff without taxes: every row prints all ten columns, the COSIP row with zeros.
_ITEM_RE = re.compile(
    rf"\n(?P<description>\S.*?){_S}(?:(?P<unit>KWH|KVARH|kWh|kVArh){_S})?(?P<quantity>{NUMBER}){_S}"
    rf"(?P<price>{NUMBER}){_S}(?P<amount>{NUMBER})(?:{_S}(?:{NUMBER})){{5}}[ \t]*$",
    re.MULTILINE,
)
_NOT_ITEM_RE = re.compile(r"^(?:SUB)?TOTAL\b", re.IGNORECASE)
_TAX_RE = re.compile(rf"^(ICMS|PIS(?:/PASEP)?|COFINS){_S}{_N}{_S}{_N}{_S}{_N}[ \t]*$", re.MULTILINE)
#: meter, quantity, time slot, previous, current, constant, adjustment, consumption.
_READING_RE = re.compile(
    rf"^(\d+){_S}([^\d\n]+?){_S}(\S+){_S}{_N}{_S}{_N}{_S}{_N}{_S}{_N}{_S}{_N}[ \t]*$", re.MULTILINE
)
_FLAG_RE = re.compile(
    rf"^(Verde|Amarela|Vermelha\b.*?|Escassez H.drica)(?:{_S}R\$[ \t]*(?:{NUMBER}))?{_S}\d+[ \t]*$", re.M
)
_HISTORY_HEADER_RE = re.compile(line_start("Consumo Faturado") + r"\s+Dias Faturados\s*$", re.MULTILINE)
_MONTH_RE = re.compile(r"^[^\W\d_]{3}/\d{2}$")
_INLINE_MONTH_RE = re.compile(r"^([^\W\d_]{3}/\d{2})\s+(\d[\d.]*)\s+(\d+)$")


def parse_items(text: str) -> tuple[LineItem, ...]:
    items = []
    for match in _ITEM_RE.finditer("\n" + text):  # rows end before their "\n": all are found
        description = fold_spaces(match["description"])
        if _NOT_ITEM_RE.match(description):
            continue
        items.append(item_from_row(description, match))
    return tuple(items)


def item_from_row(description: str, match: re.Match[str]) -> LineItem:
    """An item from a row matched with the groups unit, quantity, price and amount."""
    return LineItem(
        description=description,
        amount=parse_decimal(match["amount"]),
        unit=energy_unit(match["unit"]),
        quantity=parse_decimal(match["quantity"]),
        unit_price=parse_decimal(match["price"]),
        kind=item_kind(description),
    )


def parse_taxes(text: str) -> tuple[Tax, ...]:
    return tuple(
        Tax(name, parse_decimal(base), parse_decimal(rate), parse_decimal(amount))
        for name, base, rate, amount in _TAX_RE.findall(text)
    )


def parse_meter_readings(text: str) -> tuple[MeterReading, ...]:
    readings = []
    for meter, quantity, slot, previous, current, constant, _adjustment, consumption in _READING_RE.findall(text):
        readings.append(
            MeterReading(
                meter=meter,
                quantity=f"{fold_spaces(quantity)} ({slot})",
                previous=parse_decimal(previous),
                current=parse_decimal(current),
                constant=parse_decimal(constant),
                consumption=parse_decimal(consumption),
            )
        )
    return tuple(readings)


def parse_tariff_flags(text: str, month: ReferenceMonth) -> tuple[TariffFlag, ...]:
    """The flags in force over the billed days ("Vermelha - Patamar 2 R$ 0,07500 30", "Verde 29")."""
    return tuple(TariffFlag(month, fold_spaces(flag)) for flag in _FLAG_RE.findall(text))


def parse_history(text: str) -> tuple[ConsumptionRecord, ...]:
    """Months, then their kWh, then their days, one run of lines each; the oldest month on one line."""
    header = _HISTORY_HEADER_RE.search(text)
    if header is None:
        return ()
    lines = [line.strip() for line in text[header.end() :].splitlines() if line.strip()]
    months = []
    while lines and _MONTH_RE.match(lines[0]):
        months.append(lines.pop(0))
    count = len(months)
    columns = lines[: 2 * count]
    if len(columns) < 2 * count or not all(re.fullmatch(r"\d[\d.]*", value) for value in columns[:count]):
        return ()
    if not all(re.fullmatch(r"[0-9]{1,3}", value) for value in columns[count:]):  # days: a plain count
        return ()
    records = [
        ConsumptionRecord(parse_reference_month(month), parse_decimal(kwh), days=int(days))
        for month, kwh, days in zip(months, columns[:count], columns[count:], strict=True)
    ]
    for line in lines[2 * count :]:
        inline = _INLINE_MONTH_RE.match(line)
        if inline is None:
            break
        month, kwh, days = inline.groups()
        records.append(ConsumptionRecord(parse_reference_month(month), parse_decimal(kwh), days=int(days)))
    return tuple(records)

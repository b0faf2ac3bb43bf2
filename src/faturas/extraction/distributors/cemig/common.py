"""What every CEMIG layout prints alike: identifiers, items, taxes, history, flags, readings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import (
    ConsumptionRecord,
    ItemKind,
    LineItem,
    MeterReading,
    ReadingDates,
    TariffFlag,
    Tax,
)
from faturas.extraction.common_fields import barcode_from_payment_line, find_payment_line
from faturas.extraction.numbers import (
    NUMBER,
    fold_spaces,
    parse_day_month,
    parse_decimal,
    parse_reference_month,
    strip_accents,
)
from faturas.extraction.text_search import find, find_decimal

DISTRIBUTOR_NAME = "CEMIG"

N = rf"(?:{NUMBER})"
DATE = r"\d{2}/\d{2}/\d{4}"
DAY_MONTH = r"\d{2}/\d{2}"

#: "Referente a Vencimento Valor a pagar (R$)" values: " JAN/2024 12/02/2024 107,38".
HEADLINE_RE = re.compile(rf"^[ \t]*([A-Z]{{3}}/\d{{4}})[ \t]+({DATE})[ \t]+({N})[ \t]*$", re.MULTILINE)
_CLIENT_LABELLED_RE = re.compile(
    r"N. DO CLIENTE[ \t]+N. DA INSTALA..O[ \t]*\n[ \t]*(\d{6,12})[ \t]+(\d{6,12})[ \t]*$", re.M
)
#: Without labels (2019 form, edited copies): the two numbers alone on a line.
_CLIENT_BARE_RE = re.compile(r"^[ \t]?(\d{6,12})[ \t]+(\d{6,12})[ \t]*$", re.MULTILINE)
_AUTOMATIC_DEBIT_RE = re.compile(rf"^[ \t]*(\d{{8,}})[ \t]+\d+[ \t]+{DATE}[ \t]+R\$", re.MULTILINE)
_CITY_LINE_RE = re.compile(r"^[ \t]*\d{5}-\d{3}[ \t]+\S.*,[ \t]*[A-Z]{2}[ \t]*$", re.MULTILINE)
_SUPPLY_RE = r"(?:Monof|Bif|Trif)[áa]sico"
#: The classification box: "Comercial Outros serviços Convencional B3 Anterior Atual Nº de dias Próxima
#: [issue date]" over "Trifásico e outras atividades 13/12 12/01 [30] 09/02" (days and issue date vary by form).
CLASS_ROWS_RE = re.compile(
    rf"^Classe Subclasse Modalidade.*\n(?P<first>.+?)[ \t]+Anterior\b[^\n]*?(?P<issue>{DATE})?[ \t]*\n"
    rf"(?P<second>.*?)[ \t]*(?P<previous>{DAY_MONTH})[ \t]+(?P<current>{DAY_MONTH})[ \t]+(?:(?P<days>\d+)[ \t]+)?"
    rf"(?P<next>{DAY_MONTH})[ \t]*$",
    re.MULTILINE,
)
_MODALITY_RE = re.compile(r"\b((?:Convencional|Branca|Hor.ria|Verde|Azul)\b.*)$")
_CLASSES = ("Poder Público", "Serviço Público", "Iluminação Pública", "Consumo Próprio")
_TAX_RE = re.compile(rf"^[ \t]*(ICMS|PASEP|PIS|COFINS)[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]*$", re.MULTILINE)
_HISTORY_RE = re.compile(rf"^[ \t]*([A-Z]{{3}}/\d{{2}})[ \t]+({N})[ \t]+({N})[ \t]+(\d+)[ \t]*$", re.MULTILINE)
_METER_RE = re.compile(
    rf"^[ \t]*([^\d\n]+?\b(?:kWh|kVArh|kW))(?:[ \t]+([A-Z]+\d+))?[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]*$",
    re.MULTILINE,
)
_FLAG_NAMES = r"Verde|Amarela|Verm(?:elha|\.)(?: ?P ?[12])?|Esc(?:assez|\.) H.drica|[^\W\d_]+"
_FLAG_RE = re.compile(rf"\b([A-Z]{{3}}/\d{{2}}(?:\d{{2}})?) Band\. ({_FLAG_NAMES})")
_GD_BALANCE_RE = re.compile(rf"SALDO ATUAL DE GERA..O: ({N}) kWh")

_SCEE_RE = re.compile(r"^(?:Energia SCEE|En comp\.)", re.IGNORECASE)
_COMPENSATED_RE = re.compile(r"compensada|injetada|\bcomp\.", re.IGNORECASE)
_COMPENSATED_KWH_RE = re.compile(r"compensada|injetada", re.IGNORECASE)
_ENERGY_RE = re.compile(r"^Energia El.trica(?: kWh)?$", re.IGNORECASE)
_LIGHTING_RE = re.compile(r"Ilum", re.IGNORECASE)


def item_kind(description: str) -> ItemKind:
    if _SCEE_RE.search(description):
        return ItemKind.SCEE
    if _COMPENSATED_RE.search(description):
        return ItemKind.COMPENSATED
    if _ENERGY_RE.search(description):
        return ItemKind.ENERGY
    if _LIGHTING_RE.search(description):
        return ItemKind.PUBLIC_LIGHTING
    return ItemKind.OTHER


def make_item(
    description: str,
    amount: str,
    unit: str | None = None,
    quantity: str | None = None,
    unit_price: str | None = None,
) -> LineItem:
    text = fold_spaces(description)
    return LineItem(
        description=text,
        amount=parse_decimal(amount),
        unit=unit,
        quantity=parse_decimal(quantity) if quantity is not None else None,
        unit_price=parse_decimal(unit_price) if unit_price is not None else None,
        kind=item_kind(text),
    )


def unit_in(description: str) -> str | None:
    """The unit older forms print inside the description ("Energia Elétrica kWh")."""
    if re.search(r"\bkVArh\b", description, re.IGNORECASE):
        return "kVArh"
    if re.search(r"\bkWh\b", description, re.IGNORECASE):
        return "kWh"
    return None


@dataclass(frozen=True)
class KwhFigures:
    energy: Decimal | None
    scee: Decimal | None
    compensated: Decimal | None
    public_lighting: Decimal | None


def kwh_figures(items: Iterable[LineItem]) -> KwhFigures:
    items = tuple(items)

    def total(selected: list[Decimal | None]) -> Decimal | None:
        values = [value for value in selected if value is not None]
        return sum(values, Decimal(0)) if values else None

    return KwhFigures(
        energy=total([item.quantity for item in items if item.kind is ItemKind.ENERGY]),
        scee=total([item.quantity for item in items if item.kind is ItemKind.SCEE]),
        compensated=total(
            [
                abs(item.quantity) if item.quantity is not None else None
                for item in items
                if item.kind is ItemKind.COMPENSATED and _COMPENSATED_KWH_RE.search(item.description)
            ]
        ),
        public_lighting=total([item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]),
    )


def client_and_installation(text: str) -> tuple[str | None, str | None]:
    match = _CLIENT_LABELLED_RE.search(text) or _CLIENT_BARE_RE.search(text)
    return (match.group(1), match.group(2)) if match else (None, None)


def holder_name(text: str) -> str | None:
    """The addressee, above the street and the (optional) district over the "CEP CITY, UF" line."""
    match = _CITY_LINE_RE.search(text)
    if match is None:
        return None
    lines = [line.strip() for line in text[: match.start()].rstrip("\n").split("\n")]
    # The street carries the house number; a district line without digits may sit below it.
    offset = 2 if lines and re.search(r"\d", lines[-1]) else 3
    if len(lines) < offset:
        return None
    # DANF3E bills print a routing code after the name.
    name = fold_spaces(re.sub(r"[ \t]+\d+[ \t]*$", "", lines[-offset]))
    return name if re.search(r"[^\W\d_]{2}", name) and not name.endswith(":") else None


def payment_fields(text: str) -> tuple[str | None, str | None]:
    line = find_payment_line(text)
    return line, barcode_from_payment_line(line) if line else None


def automatic_debit_code(text: str) -> str | None:
    return find(_AUTOMATIC_DEBIT_RE, text)


@dataclass(frozen=True)
class Classification:
    customer_class: str | None
    subclass: str | None
    tariff_modality: str | None
    supply_type: str | None


def classification(first: str, second: str = "") -> Classification:
    """Split "Comercial Outros serviços Convencional B3" + "Trifásico e outras atividades".

    The subclass wraps: its tail is printed after the supply type on the line below.
    """
    first = fold_spaces(first)
    modality_match = _MODALITY_RE.search(first)
    modality = modality_match.group(1) if modality_match else None
    head = first[: modality_match.start()].strip() if modality_match else first
    customer_class = next((name for name in _CLASSES if head.startswith(name)), head.split(" ")[0] if head else "")
    subclass = head[len(customer_class) :].strip()
    supply = re.match(rf"({_SUPPLY_RE})(.*)$", fold_spaces(second))
    if supply and supply.group(2).strip():
        subclass = f"{subclass} {supply.group(2).strip()}".strip()
    return Classification(
        customer_class=customer_class or None,
        subclass=subclass or None,
        tariff_modality=modality,
        supply_type=supply_type(supply.group(1)) if supply else None,
    )


def reading_dates(rows: re.Match[str] | None, near: date | None) -> ReadingDates | None:
    """The reading dates of a CLASS_ROWS_RE match, each in the year that puts it closest to ``near``."""
    if rows is None or near is None:
        return None
    return ReadingDates(
        previous=parse_day_month(rows["previous"], near),
        current=parse_day_month(rows["current"], near),
        days=int(rows["days"]) if rows["days"] else None,
        next=parse_day_month(rows["next"], near),
    )


def supply_type(printed: str) -> str:
    key = strip_accents(printed).lower()
    return {"monofasico": "Monofásico", "bifasico": "Bifásico", "trifasico": "Trifásico"}[key]


def taxes(text: str) -> tuple[Tax, ...]:
    return tuple(
        Tax(name, parse_decimal(base), parse_decimal(rate), parse_decimal(amount))
        for name, base, rate, amount in _TAX_RE.findall(text)
    )


def consumption_history(text: str) -> tuple[ConsumptionRecord, ...]:
    records = [
        ConsumptionRecord(parse_reference_month(month), parse_decimal(kwh), parse_decimal(average), int(days))
        for month, kwh, average, days in _HISTORY_RE.findall(text)
    ]
    return tuple(records[:13])


def history_end(text: str) -> int | None:
    """Where the last history row ends (the 2019 form prints its items right after it)."""
    ends = [match.end() for match in _HISTORY_RE.finditer(text)]
    return ends[-1] if ends else None


def meter_readings(text: str) -> tuple[MeterReading, ...]:
    """Rows of the "Informações Técnicas" table; item rows above it have as many numbers."""
    start = text.find("Tipo de Medi")
    if start < 0:
        return ()
    return tuple(
        MeterReading(
            meter=meter or None,
            quantity=fold_spaces(quantity),
            previous=parse_decimal(previous),
            current=parse_decimal(current),
            constant=parse_decimal(constant),
            consumption=parse_decimal(consumption),
        )
        for quantity, meter, previous, current, constant, consumption in _METER_RE.findall(text, start)
    )


def tariff_flags(text: str) -> tuple[TariffFlag, ...]:
    """The flags as printed ("DEZ/23 Band. Verde - JAN/24 Band. Verm. P1"), possibly wrapped over lines."""
    return tuple(TariffFlag(parse_reference_month(month), flag) for month, flag in _FLAG_RE.findall(fold_spaces(text)))


def gd_balance_kwh(text: str) -> Decimal | None:
    return find_decimal(_GD_BALANCE_RE, fold_spaces(text))

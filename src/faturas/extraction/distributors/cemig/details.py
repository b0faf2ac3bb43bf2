"""The boxes around the items every CEMIG form prints: classification, readings, taxes, history, flags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ConsumptionRecord, MeterReading, ReadingDates, TariffFlag, Tax
from faturas.extraction.distributors.cemig.common import DATE, DAY_MONTH, N
from faturas.extraction.numbers import fold_spaces, parse_day_month, parse_decimal, parse_reference_month, strip_accents
from faturas.extraction.text_search import find_decimal

_SUPPLY_RE = r"(?:Monof|Bif|Trif)[áa]sico"
#: The classification box: "Comercial Outros serviços Convencional B3 Anterior Atual Nº de dias Próxima
#: [issue date]" over "Trifásico e outras atividades 13/12 12/01 [30] 09/02" (days and issue date vary by form).
#: Matched over "\n" + text (see _TAX_RE).
CLASS_ROWS_RE = re.compile(
    rf"\nClasse Subclasse Modalidade.*\n(?P<first>.+?)[ \t]+Anterior\b[^\n]*?(?P<issue>{DATE})?[ \t]*\n"
    rf"(?P<second>.*?)[ \t]*(?P<previous>{DAY_MONTH})[ \t]+(?P<current>{DAY_MONTH})[ \t]+(?:(?P<days>\d+)[ \t]+)?"
    rf"(?P<next>{DAY_MONTH})[ \t]*$",
    re.MULTILINE,
)
_SUPPLY_ROW_RE = re.compile(rf"({_SUPPLY_RE})(.*)$")
_MODALITY_RE = re.compile(r"\b((?:Convencional|Branca|Hor.ria|Verde|Azul)\b.*)$")
_CLASSES = ("Poder Público", "Serviço Público", "Iluminação Pública", "Consumo Próprio")
#: Table rows are matched as "\n" + row over "\n" + text: a pattern that opens with a literal lets the
#: regex engine skip ahead, one that opens with a multi-line "^" is tried at every position.
_TAX_RE = re.compile(rf"\n[ \t]*(ICMS|PASEP|PIS|COFINS)[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]*$", re.MULTILINE)
_HISTORY_RE = re.compile(rf"\n[ \t]*([A-Z]{{3}}/\d{{2}})[ \t]+({N})[ \t]+({N})[ \t]+(\d+)[ \t]*$", re.MULTILINE)
#: A meter row names its quantity in kWh, kVArh or kW before the line's first digit: the lookahead finds
#: the line's first "k" (or a digit, or its end) in one fast scan, where the lazy description tried the
#: units after every character of each line of legal text below the table.
_METER_RE = re.compile(
    rf"\n(?=[^\d\nk]*k)[ \t]*([^\d\n]+?\b(?:kWh|kVArh|kW))(?:[ \t]+([A-Z]+\d+))?"
    rf"[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]+({N})[ \t]*$",
    re.MULTILINE,
)
#: Flags and the GD balance may wrap over lines: any run of whitespace stands for one space.
_FLAG_NAMES = r"Verde|Amarela|Verm(?:elha|\.)(?:\s*P\s*[12])?|Esc(?:assez|\.)\s+H.drica|[^\W\d_]+"
#: A flag is "MON/YY Band. Name": found from each "Band." (a substring search), its month read just
#: before it (a word-start capital: "[A-Z](?<![^\W\d_][A-Z])") and its name just after.
_FLAG_MONTH_RE = re.compile(r"[A-Z](?<![^\W\d_][A-Z])[A-Z]{2}/\d{2}(?:\d{2})?")
_FLAG_NAME_RE = re.compile(rf"Band\.\s+({_FLAG_NAMES})")
_LONGEST_FLAG_MONTH = len("JAN/2024")
_GD_BALANCE_RE = re.compile(rf"SALDO\s+ATUAL\s+DE\s+GERA..O:\s+({N})\s+kWh")


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
    supply = _SUPPLY_ROW_RE.match(fold_spaces(second))
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
        for name, base, rate, amount in _TAX_RE.findall("\n" + text)
    )


def consumption_history(text: str) -> tuple[ConsumptionRecord, ...]:
    records = [
        ConsumptionRecord(parse_reference_month(month), parse_decimal(kwh), parse_decimal(average), int(days))
        for month, kwh, average, days in _HISTORY_RE.findall("\n" + text)
    ]
    return tuple(records[:13])


def history_end(text: str) -> int | None:
    """Where the last history row ends (the 2019 form prints its items right after it)."""
    ends = [match.end() - 1 for match in _HISTORY_RE.finditer("\n" + text)]
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
        for quantity, meter, previous, current, constant, consumption in _METER_RE.findall(text, start - 1)
    )


def tariff_flags(text: str) -> tuple[TariffFlag, ...]:
    """The flags as printed ("DEZ/23 Band. Verde - JAN/24 Band. Verm. P1"), possibly wrapped over lines."""
    flags = []
    consumed = 0  # a flag's name may run into the next month ("Band. JUN/23 Band."): that month is taken
    at = text.find("Band.")
    while at >= 0:
        month_end = at
        while month_end > 0 and text[month_end - 1].isspace():
            month_end -= 1
        name = _FLAG_NAME_RE.match(text, at)
        if name is not None and month_end < at:
            month = next(
                (
                    match
                    for start in range(max(consumed, month_end - _LONGEST_FLAG_MONTH), month_end)
                    if (match := _FLAG_MONTH_RE.fullmatch(text, start, month_end)) is not None
                ),
                None,
            )
            if month is not None:
                flags.append(TariffFlag(parse_reference_month(month.group()), fold_spaces(name.group(1))))
                consumed = name.end()
        at = text.find("Band.", at + 1)
    return tuple(flags)


def gd_balance_kwh(text: str) -> Decimal | None:
    return find_decimal(_GD_BALANCE_RE, text)

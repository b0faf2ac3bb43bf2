"""What both Energisa layouts share: item kinds, print order, derived figures, small fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from itertools import permutations
from typing import TypeVar

from faturas.domain.invoice import ItemKind, LineItem, MeterReading
from faturas.extraction.numbers import parse_decimal, strip_accents

DISTRIBUTOR_NAME = "ENERGISA"

#: The items table's section header: a row of the table, never an item.
SECTION_HEADER = "LANÇAMENTOS E SERVIÇOS"

_SUPPLY_TYPES = {"MONOFASICO": "Monofásico", "BIFASICO": "Bifásico", "TRIFASICO": "Trifásico"}

T = TypeVar("T")


def item_kind(description: str) -> ItemKind:
    key = strip_accents(description).upper()
    if "INJETADA" in key:
        return ItemKind.COMPENSATED
    if key.startswith("CONSUMO"):
        return ItemKind.ENERGY
    if "ILUM" in key or "CIP" in key:
        return ItemKind.PUBLIC_LIGHTING
    return ItemKind.OTHER


def swapped_first_rows(rows: Sequence[T]) -> list[T]:
    """Print order of the DANF3E's items table, whose writer emits its second row before its first."""
    if len(rows) < 2:
        return list(rows)
    return [rows[1], rows[0], *rows[2:]]


def matricula_print_order(rows: Sequence[T]) -> list[T]:
    """Print order of the MATRÍCULA form's items table.

    Its writer emits the second row, then the rows from the last up to the third, then the first.
    """
    if len(rows) < 2:
        return list(rows)
    return [rows[-1], rows[0], *reversed(rows[1:-1])]


def energy_kwh(items: Sequence[LineItem]) -> Decimal | None:
    return _quantity_sum(items, ItemKind.ENERGY)


def compensated_kwh(items: Sequence[LineItem]) -> Decimal | None:
    return _quantity_sum(items, ItemKind.COMPENSATED)


def _quantity_sum(items: Sequence[LineItem], kind: ItemKind) -> Decimal | None:
    quantities = [item.quantity for item in items if item.kind is kind and item.quantity is not None]
    return sum(quantities, Decimal(0)) if quantities else None


def public_lighting_amount(items: Sequence[LineItem]) -> Decimal | None:
    amounts = [item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]
    return sum(amounts, Decimal(0)) if amounts else None


def supply_type(text: str) -> str | None:
    match = re.search(r"\b(MONOF.SICO|BIF.SICO|TRIF.SICO)\b", strip_accents(text).upper())
    return _SUPPLY_TYPES.get(match.group(1)) if match else None


def class_and_subclass(text: str) -> tuple[str | None, str | None]:
    """The "RESIDENCIAL/RESIDENCIAL" row: class and subclass."""
    match = re.search(r"^([A-ZÀ-Ú ]+?)\s*/\s*([A-ZÀ-Ú ]+?)\s*$", text, re.MULTILINE)
    return (match.group(1), match.group(2)) if match else (None, None)


def tariff_modality(text: str) -> str | None:
    """ "MTC-CONVENCIONAL BAIXA TENSÃO / B1": the modality is what follows the tariff code."""
    match = re.search(r"MTC-([A-ZÀ-Ú ]+?)\s*/\s*(B\d)", text)
    return f"{match.group(1)} / {match.group(2)}" if match else None


def meter_reading(meter: str | None, quantity: str, numbers: Sequence[str]) -> MeterReading:
    """A meter row: previous, current, [constant,] consumption."""
    values = [parse_decimal(number) for number in numbers]
    if len(values) == 3:
        return MeterReading(meter, quantity, values[0], values[1], None, values[2])
    consumption = values[3]
    # The DANF3E writer does not always print the first three in the same order: keep the
    # reading whose arithmetic holds, or the printed order when none does.
    for previous, current, constant in permutations(values[:3]):
        if current >= previous and (current - previous) * constant == consumption:
            return MeterReading(meter, quantity, previous, current, constant, consumption)
    return MeterReading(meter, quantity, values[0], values[1], values[2], consumption)

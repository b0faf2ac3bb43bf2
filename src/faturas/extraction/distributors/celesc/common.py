"""What both CELESC layouts share: item kinds, the kWh figures drawn from items, the bank slip line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from faturas.domain.invoice import ItemKind, LineItem
from faturas.extraction.check_digits import mod10_digit
from faturas.extraction.numbers import digits_only, strip_accents

DISTRIBUTOR_NAME = "CELESC"

_COMPENSATED_RE = re.compile(r"injetad|compensad", re.IGNORECASE)
#: Surplus reactive energy is a power-factor charge, not energy consumed.
_REACTIVE_RE = re.compile(r"reativ|kvarh", re.IGNORECASE)
_ENERGY_RE = re.compile(r"\bconsumo\b", re.IGNORECASE)
#: Flag surcharges are part of what the consumption costs: CEMIG folds them into the energy price,
#: CELESC bills them on lines of their own, so both count as energy for the totals users compare.
_FLAG_RE = re.compile(r"\bband(?:\.|eira)", re.IGNORECASE)
_LIGHTING_RE = re.compile(r"\bcosip\b|ilum", re.IGNORECASE)

#: A bank slip line (boleto, 47 digits): three fields with their check digits, the general check digit,
#: then the due-date factor and the value ("23790.12340 90001.234567 89012.345678 1 98760000012345").
#: "No digit or dot before it" is checked just after its first digit: a pattern opening with a lookbehind
#: is tried at every position of the bill, one opening with a digit skips ahead to the digits.
_BANK_SLIP_RE = re.compile(r"(\d(?<![\d.]\d)\d{4}\.?\d{5}\s*\d{5}\.?\d{6}\s*\d{5}\.?\d{6}\s*\d\s*\d{14})(?!\d)")

_SUPPLY_TYPES = {"MONOFASICO": "Monofásico", "BIFASICO": "Bifásico", "TRIFASICO": "Trifásico"}


def item_kind(description: str) -> ItemKind:
    if _COMPENSATED_RE.search(description):
        return ItemKind.COMPENSATED
    if _REACTIVE_RE.search(description):
        return ItemKind.OTHER
    if _LIGHTING_RE.search(description):
        return ItemKind.PUBLIC_LIGHTING
    if _ENERGY_RE.search(description) or _FLAG_RE.search(description):
        return ItemKind.ENERGY
    return ItemKind.OTHER


def energy_unit(printed: str | None) -> str | None:
    """The unit as the truth format spells it ("KWH" → "kWh")."""
    if printed is None:
        return None
    return "kVArh" if "VAR" in printed.upper() else "kWh"


def first_component_kwh(items: Iterable[LineItem], pattern: re.Pattern[str]) -> Decimal | None:
    """The kWh of the lines matching ``pattern``, counted once although TE and TUSD bill them twice.

    Each component ("Consumo TE", "Consumo TUSD") is split into tariff blocks; the blocks of one
    component add up to the energy, so only the description printed first is summed.
    """
    chosen = [
        (item.description, item.quantity)
        for item in items
        if pattern.search(item.description) and item.quantity is not None
    ]
    if not chosen:
        return None
    first = chosen[0][0]
    return sum((abs(quantity) for description, quantity in chosen if description == first), Decimal(0))


def consumption_kwh(items: Iterable[LineItem]) -> Decimal | None:
    return first_component_kwh(
        (item for item in items if item.kind is ItemKind.ENERGY and not _FLAG_RE.search(item.description)),
        _ENERGY_RE,
    )


def compensated_kwh(items: Iterable[LineItem]) -> Decimal | None:
    return first_component_kwh(items, _COMPENSATED_RE)


def public_lighting_amount(items: Iterable[LineItem]) -> Decimal | None:
    amounts = [item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]
    return sum(amounts, Decimal(0)) if amounts else None


def supply_type(printed: str | None) -> str | None:
    if printed is None:
        return None
    return _SUPPLY_TYPES.get(strip_accents(printed).strip().upper())


def bank_slip_barcode(text: str) -> str | None:
    """The 44-digit barcode a bank slip line encodes, when its three field check digits hold."""
    for match in _BANK_SLIP_RE.finditer(text):
        line = digits_only(match.group(1))
        fields = ((0, 9), (10, 20), (21, 31))
        if all(mod10_digit(line[start:end]) == int(line[end]) for start, end in fields):
            return line[0:4] + line[32] + line[33:47] + line[4:9] + line[10:20] + line[21:31]
    return None

"""Values as people in Brazil read them: "R$ 1.234,56", "1.327,2 kWh", "12/02/2024"."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal


def format_number(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    sign = "-" if value < 0 else ""
    integer, _, fraction = f"{abs(value):f}".partition(".")
    grouped = f"{int(integer):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_money(value: Decimal | None) -> str:
    return "—" if value is None else f"R$ {format_number(value, 2)}"


def format_kwh(value: Decimal | None) -> str:
    return (
        "—" if value is None else f"{format_number(value.normalize() if value == value.to_integral() else value)} kWh"
    )


def format_date(value: date | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y")

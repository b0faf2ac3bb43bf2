from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.formatting import format_date, format_kwh, format_money, format_number


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1091.38"), 2, "1.091,38"),
        (Decimal("-1044.37"), 2, "-1.044,37"),
        (Decimal("0.95543124"), 8, "0,95543124"),
        (Decimal("1860"), 0, "1.860"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("0.125"), 2, "0,12"),  # banker's rounding
        (Decimal("0.135"), 2, "0,14"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("12.5"), None, "12,5"),
    ],
)
def test_numbers_print_with_dot_thousands_and_comma_decimals(value: Decimal, places: int | None, expected: str) -> None:
    assert format_number(value, places) == expected


def test_money_always_has_two_places_and_a_dash_when_absent() -> None:
    assert format_money(Decimal("107.5")) == "R$ 107,50"
    assert format_money(Decimal("-3.08")) == "R$ -3,08"
    assert format_money(None) == "—"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1327.20"), "1.327,20 kWh"),
        (Decimal("2323.00"), "2.323 kWh"),
        (Decimal("1000"), "1.000 kWh"),
        (Decimal("0"), "0 kWh"),
    ],
)
def test_kwh_drops_decimals_only_when_they_are_zero(value: Decimal, expected: str) -> None:
    assert format_kwh(value) == expected


def test_absent_kwh_and_dates_print_a_dash() -> None:
    assert format_kwh(None) == "—"
    assert format_date(None) == "—"


def test_dates_print_day_first() -> None:
    assert format_date(date(2024, 2, 12)) == "12/02/2024"

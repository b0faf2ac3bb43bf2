from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faturas.domain.formatting import format_number
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import InvalidDate, InvalidNumber
from faturas.extraction.numbers import parse_date, parse_day_month, parse_decimal, parse_reference_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.091,38", "1091.38"),
        ("-222,22", "-222.22"),
        ("453,10-", "-453.10"),
        ("0,95543124", "0.95543124"),
        ("2323", "2323"),
        ("95.813", "95813"),
        ("R$ 1.234.567,89", "1234567.89"),
        ("0,00", "0.00"),
    ],
)
def test_pt_br_numbers_are_parsed_with_comma_decimals_and_dot_thousands(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2", "12.34,5,6", "--1"])
def test_malformed_numbers_raise_a_typed_error(text: str) -> None:
    with pytest.raises(InvalidNumber):
        parse_decimal(text)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_formatting_then_parsing_gives_the_same_value(value: Decimal) -> None:
    assert parse_decimal(format_number(value, 2)) == value


def test_dates_in_brazilian_order() -> None:
    assert parse_date("12/02/2024") == date(2024, 2, 12)
    assert parse_date("31.01.2024") == date(2024, 1, 31)
    with pytest.raises(InvalidDate):
        parse_date("31/02/2024")


def test_reading_date_without_year_crosses_december_into_january() -> None:
    assert parse_day_month("28/12", near=date(2024, 1, 5)) == date(2023, 12, 28)
    assert parse_day_month("03/01", near=date(2023, 12, 30)) == date(2024, 1, 3)
    assert parse_day_month("11/01", near=date(2024, 1, 30)) == date(2024, 1, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JAN/2024", ReferenceMonth(2024, 1)),
        ("DEZ/23", ReferenceMonth(2023, 12)),
        ("Janeiro/2024", ReferenceMonth(2024, 1)),
        ("Março/2022", ReferenceMonth(2022, 3)),
        ("Agosto / 2025", ReferenceMonth(2025, 8)),
        ("08/2023", ReferenceMonth(2023, 8)),
        ("2024-01", ReferenceMonth(2024, 1)),
    ],
)
def test_reference_months_in_every_printed_form(text: str, expected: ReferenceMonth) -> None:
    assert parse_reference_month(text) == expected


def test_reference_month_rejects_a_thirteenth_month() -> None:
    with pytest.raises(InvalidDate):
        parse_reference_month("13/2024")

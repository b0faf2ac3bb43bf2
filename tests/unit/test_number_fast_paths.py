"""parse_decimal and parse_reference_month read common shapes by string methods: same results as the patterns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import InvalidDate, InvalidNumber
from faturas.extraction import numbers
from faturas.extraction.numbers import MONTH_NAMES, parse_decimal, parse_reference_month

#: Characters numbers and months are made of, and those that must send a text to the patterns.
_NUMBER_ALPHABET = st.sampled_from([*"0123456789,.- R$\t", "٣", "²", "١"])
_MONTH_ALPHABET = st.sampled_from([*"0123456789/ -JANFEVMARBRIOUTSDZjanç", "٣", "²"])


def _outcome(function: object, text: str) -> object:
    try:
        return function(text)  # type: ignore[operator]
    except (InvalidNumber, InvalidDate) as error:
        return type(error)


@given(st.text(_NUMBER_ALPHABET, max_size=14))
def test_parse_decimal_agrees_with_its_pattern(text: str) -> None:
    fast = _outcome(parse_decimal, text)
    slow = _outcome(numbers._parse_decimal_pattern, text)
    assert fast == slow
    if isinstance(fast, Decimal):
        assert str(fast) == str(slow)  # same exponent too ("107,30" keeps its two places)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2323", "2323"), ("107,38", "107.38"), ("0,95543124", "0.95543124"), ("107,30", "107.30"), ("007", "7")],
)
def test_plain_numbers_keep_their_places(text: str, expected: str) -> None:
    assert str(parse_decimal(text)) == expected


def _month_by_pattern(text: str) -> ReferenceMonth:
    """parse_reference_month as it was before its string-method path: the pattern alone."""
    cleaned = text.strip()
    match = numbers._MONTH_YEAR_RE.fullmatch(cleaned)
    if not match:
        if iso := numbers._ISO_MONTH_RE.fullmatch(cleaned):
            return ReferenceMonth(int(iso.group(1)), int(iso.group(2)))
        raise InvalidDate(text)
    return numbers._reference_month(text, *match.groups())


@given(
    st.one_of(
        st.text(_MONTH_ALPHABET, max_size=12),
        st.tuples(
            st.sampled_from([*MONTH_NAMES, "JAN", "Fev", "mar", "Março", "13", "0", "1", "12", "X"]),
            st.sampled_from(["/", " / ", "/ ", "-"]),
            st.sampled_from(["2024", "24", "0", "199", "1899", "٢٠٢٤"]),
        ).map("".join),
    )
)
def test_parse_reference_month_agrees_with_its_pattern(text: str) -> None:
    assert _outcome(parse_reference_month, text) == _outcome(_month_by_pattern, text)

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faturas.extraction.check_digits import (
    access_key_is_valid,
    febraban_mod11_digit,
    mod10_digit,
    mod11_digit,
    payment_line_blocks_are_valid,
)

#: Invented NF3e keys (MG, CEMIG's CNPJ, model 66), check digits worked out by hand.
VALID_KEYS = (
    "31250306981180000116660000001234561123456785",
    "31241206981180000116660009876543212000000012",
    "31230706981180000116660000000000421555555557",
)

#: Invented utility payment lines (value in R$, mod 10 blocks): R$ 107,50, R$ 0,00 and R$ 12.345,67.
VALID_PAYMENT_LINES = (
    "836700000018075001380007000000000018123456789015",
    "836200000005000001380005000000000000000000000000",
    "836300001234456701389870654321098760012345678903",
)


@pytest.mark.parametrize("key", VALID_KEYS)
def test_a_well_formed_nf3e_key_passes(key: str) -> None:
    assert access_key_is_valid(key)


@pytest.mark.parametrize("key", VALID_KEYS)
def test_changing_the_key_check_digit_is_caught(key: str) -> None:
    for digit in "0123456789":
        if digit != key[-1]:
            assert not access_key_is_valid(key[:-1] + digit)


@pytest.mark.parametrize("key", ["", "3125030698118000011666000000123456112345678", VALID_KEYS[0] + "0", "x" * 44])
def test_keys_of_the_wrong_length_or_with_letters_fail(key: str) -> None:
    assert not access_key_is_valid(key)


def test_nf3e_mod11_maps_remainders_zero_and_one_to_zero() -> None:
    assert mod11_digit("0") == 0  # remainder 0
    assert mod11_digit("00000000000000000000000000000000000000000006") == 0  # 6 x 2 = 12, remainder 1
    assert mod11_digit("1") == 9  # 1 x 2 = 2, 11 - 2


def test_febraban_mod10_doubles_from_the_right_and_sums_the_digits_of_products() -> None:
    assert mod10_digit("83670000001") == 8
    assert mod10_digit("0") == 0
    assert mod10_digit("9") == 1  # 9 x 2 = 18 -> 1 + 8 = 9 -> 10 - 9


def test_febraban_mod11_for_utility_blocks() -> None:
    assert febraban_mod11_digit("83800000001") == 7  # 2 + 16 + 9 + 32 = 59, remainder 4
    assert febraban_mod11_digit("00000000000") == 0  # remainder 0
    assert febraban_mod11_digit("00000000005") == 1  # 5 x 2 = 10, remainder 10 -> 11 - 10


@pytest.mark.parametrize("line", VALID_PAYMENT_LINES)
def test_a_well_formed_payment_line_passes(line: str) -> None:
    assert payment_line_blocks_are_valid(line)


@pytest.mark.parametrize("line", VALID_PAYMENT_LINES)
@pytest.mark.parametrize("position", range(48))
def test_any_single_wrong_digit_of_a_mod10_payment_line_is_caught(line: str, position: int) -> None:
    wrong = str((int(line[position]) + 3) % 10)
    assert not payment_line_blocks_are_valid(line[:position] + wrong + line[position + 1 :])


def test_a_mod11_payment_line_uses_mod11_digits() -> None:
    blocks = ("83800000001", "00000000005", "00000000000", "01380000000")
    line = "".join(block + str(febraban_mod11_digit(block)) for block in blocks)
    assert line[:12] == "838000000017"
    assert payment_line_blocks_are_valid(line)
    assert not payment_line_blocks_are_valid(line[:11] + "8" + line[12:])


@pytest.mark.parametrize("line", ["", VALID_PAYMENT_LINES[0][:-1], VALID_PAYMENT_LINES[0] + "1", "8" * 47 + "a"])
def test_payment_lines_of_the_wrong_shape_fail(line: str) -> None:
    assert not payment_line_blocks_are_valid(line)


@given(st.text(alphabet="0123456789", min_size=43, max_size=43))
def test_appending_the_computed_digit_always_gives_a_valid_key(body: str) -> None:
    assert access_key_is_valid(body + str(mod11_digit(body)))

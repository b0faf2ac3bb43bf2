from __future__ import annotations

import pytest

from faturas.extraction.common_fields import barcode_from_payment_line, find_access_key, find_payment_line

KEY = "31250306981180000116660000001234561123456785"
LINE = "836700000018075001380007000000000018123456789015"


@pytest.mark.parametrize(
    "text",
    [
        f"chave de acesso:\n{KEY}\nProtocolo de autorização: 1312500000000001",
        "Chave de Acesso " + " ".join(KEY[index : index + 4] for index in range(0, 44, 4)),
        "CHAVE: " + ".".join(KEY[index : index + 4] for index in range(0, 44, 4)) + " fim",
    ],
)
def test_the_access_key_is_found_plain_or_in_groups(text: str) -> None:
    assert find_access_key(text) == KEY


def test_a_44_digit_run_of_another_model_is_not_an_access_key() -> None:
    not_a_key = KEY[:20] + "99" + KEY[22:]
    assert find_access_key(f"código {not_a_key}") is None


def test_a_longer_digit_run_is_not_read_as_a_key() -> None:
    assert find_access_key(f"9{KEY}") is None
    assert find_access_key("sem chave nesta página") is None


@pytest.mark.parametrize("before", ["", "Chave ", "1.2 3 ", " . . 12 ", "código\u2003"])
@pytest.mark.parametrize("after", ["", " fim", " 9", " 4 5.6 ", "\u2014"])
def test_the_access_key_is_found_after_and_before_other_runs_in_latin1_and_other_text(before: str, after: str) -> None:
    # Latin-1 text is searched through a byte mask, other text (an em space, a dash) by the run pattern.
    grouped = " ".join(KEY[index : index + 4] for index in range(0, 44, 4))
    assert find_access_key(f"{before}{grouped}{after}") == KEY


def test_the_first_well_formed_key_wins_and_a_run_too_short_from_its_first_digit_holds_none() -> None:
    other = KEY[:20] + "06" + KEY[22:]
    assert find_access_key(f"{KEY[:20]}99{KEY[22:]} x {other} x {KEY}") == other
    assert find_access_key("   ...   " + KEY[:40] + " 12") is None


@pytest.mark.parametrize(
    "text",
    [
        "Março/2025 83670000001-8 07500138000-7 00000000001-8 12345678901-5",
        "83670000001 8 07500138000 7 00000000001 8 12345678901 5",
        "836700000018\n075001380007\n000000000018\n123456789015",
    ],
)
def test_the_payment_line_is_found_with_any_block_separator(text: str) -> None:
    assert find_payment_line(text) == LINE


def test_no_payment_line_in_a_text_without_one() -> None:
    assert find_payment_line("Total a pagar R$107,50 vencimento 10/04/2025") is None


def test_the_barcode_drops_each_block_check_digit() -> None:
    assert barcode_from_payment_line(LINE) == "83670000001075001380000000000000112345678901"

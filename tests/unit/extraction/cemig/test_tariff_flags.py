from __future__ import annotations

import pytest

from faturas.domain.invoice import TariffFlag
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.distributors.cemig.details import tariff_flags


def test_flags_are_read_with_their_months_across_wrapped_lines() -> None:
    text = "no local. NOV/23 Band. Verde - DEZ/23\nBand. Verm.\nP1 - JAN/2024 Band. Esc. Hídrica.\n"
    assert tariff_flags(text) == (
        TariffFlag(ReferenceMonth(2023, 11), "Verde"),
        TariffFlag(ReferenceMonth(2023, 12), "Verm. P1"),
        TariffFlag(ReferenceMonth(2024, 1), "Esc. Hídrica"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Band. Verde",  # no month
        "XNOV/23 Band. Verde",  # the month is not a word of its own
        "NOV/23Band. Verde",  # no space before "Band."
        "NOV/2 Band. Verde",  # not a month
    ],
)
def test_what_is_not_a_flag_with_its_month_is_not_read(text: str) -> None:
    assert tariff_flags(text) == ()


def test_a_month_taken_as_the_previous_flags_name_is_not_read_again() -> None:
    # A flag printed without its name takes the next word as one; that month is not a flag's month too.
    assert tariff_flags("NOV/23 Band. DEZ/23 Band. Verde") == (TariffFlag(ReferenceMonth(2023, 11), "DEZ"),)

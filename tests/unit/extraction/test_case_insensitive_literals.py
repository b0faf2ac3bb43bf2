"""Lower-cased literals that keep case-insensitive patterns off lines and pages: every character such a
pattern matches in the literal's place lower-cases to the literal's character, so the literal is in the
lower-cased text wherever the pattern matches (a test that skips, never one that misses)."""

from __future__ import annotations

import re

import pytest

from faturas.extraction.distributors.coelba import collective
from faturas.extraction.distributors.energisa import matricula_items


@pytest.mark.parametrize(
    ("literal", "pattern"),
    [
        (collective._SUMMARY_LITERAL, collective._SUMMARY_RE),
        (matricula_items._FIRST_QUANTITY_LITERAL, matricula_items._FIRST_QUANTITY_AFTER_RE),
        (matricula_items._OTHER_QUANTITIES_LITERAL, matricula_items._OTHER_QUANTITIES_AFTER_RE),
    ],
)
def test_what_the_pattern_matches_lower_cases_to_the_literal(literal: str, pattern: re.Pattern[str]) -> None:
    assert pattern.flags & re.IGNORECASE
    assert literal == literal.lower()
    assert literal in pattern.pattern.lower()
    for character in set(literal):
        same = re.compile(re.escape(character), re.IGNORECASE)
        for code in range(0x10000):
            if same.fullmatch(chr(code)):
                assert chr(code).lower() == character, (character, hex(code))

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import Invoice, ItemKind, LineItem
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.ocr.signs import restore_lost_minus


def _invoice(*amounts: str, total: str) -> Invoice:
    return Invoice(
        distributor="COPEL",
        layout="test.layout",
        installation_number="12345678",
        client_number=None,
        reference_month=ReferenceMonth(2025, 3),
        due_date=date(2025, 4, 10),
        total_amount=Decimal(total),
        items=tuple(LineItem(f"ITEM {n}", Decimal(a), kind=ItemKind.OTHER) for n, a in enumerate(amounts)),
    )


def test_the_one_item_whose_lost_minus_explains_the_difference_gets_it_back() -> None:
    read = _invoice("100.00", "40.37", "12.00", total="71.63")
    restored = restore_lost_minus(read, "")
    assert [item.amount for item in restored.items] == [Decimal("100.00"), Decimal("-40.37"), Decimal("12.00")]
    assert not any(warning.check == "items_sum" for warning in restored.warnings)


def test_a_difference_two_items_could_explain_is_left_for_review() -> None:
    read = _invoice("100.00", "20.00", "20.00", total="80.00")
    assert restore_lost_minus(read, "") == read


def test_a_difference_no_sign_explains_is_left_alone() -> None:
    read = _invoice("100.00", "40.37", total="140.00")
    assert restore_lost_minus(read, "") == read


def test_items_that_add_up_are_never_touched() -> None:
    read = dataclasses.replace(_invoice("100.00", "-40.37", total="59.63"))
    assert restore_lost_minus(read, "") == read

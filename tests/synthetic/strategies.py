"""Hypothesis strategies for synthetic bills: a seeded base bill, then drawn values a template must read."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

from hypothesis import strategies as st

from faturas.domain.invoice import ItemKind
from faturas.synthetic import BillItem, SyntheticBill, random_bill

#: Lines CEMIG prints among the items, and invented ones a template has never seen.
EXTRA_DESCRIPTIONS = (
    "Restituição de Pagamento",
    "Ressarcimento de Danos",
    "Multa 2% sobre conta de 01/2024",
    "Juros de mora sobre conta de 12/2023",
    "Bônus Itaipu art 21 Lei 10438",
    "Doação Hospital São Vicente",
    "Parcelamento de débito 03/12",
)

amounts = st.decimals(min_value=Decimal("-999.99"), max_value=Decimal("9999.99"), places=2)


@st.composite
def bills(draw: st.DrawFn) -> SyntheticBill:
    bill = random_bill(random.Random(draw(st.integers(min_value=0, max_value=2**32))))
    lighting = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1999.99"), places=2))
    extras = draw(st.lists(st.tuples(st.sampled_from(EXTRA_DESCRIPTIONS), amounts), max_size=3))
    items = [
        dataclasses.replace(item, amount=lighting) if item.kind is ItemKind.PUBLIC_LIGHTING else item
        for item in bill.items
        if item.kind is not ItemKind.OTHER
    ]
    items += [BillItem(description, amount) for description, amount in extras]
    if sum(item.amount for item in items) < 0:  # a payment line cannot carry a negative value
        items.append(BillItem("Acerto de saldo", -sum((item.amount for item in items), Decimal(0))))
    return dataclasses.replace(bill, items=tuple(items))

"""Minus signs OCR loses: a credit printed "-40,37" in small type often comes back as "40,37"."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from faturas.domain.invoice import Invoice
from faturas.extraction.validation import validate


def restore_lost_minus(invoice: Invoice, text: str) -> Invoice:
    """The invoice with one item's sign restored, when that and nothing else makes the items add up.

    A lost sign leaves the items 2 × amount over the total, to the cent. Only a single item that
    explains the difference exactly is changed, and validation runs again on the result; a
    difference two items could explain, or none, is left for review.
    """
    if not invoice.items or invoice.sub_invoices:
        return invoice
    excess = sum((item.amount for item in invoice.items), Decimal(0)) - invoice.total_amount
    if excess <= 0:
        return invoice
    candidates = [index for index, item in enumerate(invoice.items) if item.amount > 0 and 2 * item.amount == excess]
    if len(candidates) != 1:
        return invoice
    [index] = candidates
    item = invoice.items[index]
    items = (*invoice.items[:index], dataclasses.replace(item, amount=-item.amount), *invoice.items[index + 1 :])
    return validate(dataclasses.replace(invoice, items=items), text)

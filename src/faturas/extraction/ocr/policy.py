"""The stricter acceptance policy for OCR reads.

A text-layer read is trusted when validation passes. An OCR read can be wrong where no sum
looks (a client number, a unit price, an accent in a description), so it must also be confirmed:
by a second, independent read that agrees field by field, by a payment line whose value is the
total, and by item lines whose quantity times unit price is their amount. Whatever is not
confirmed is flagged, so a doubtful read is stored as ``needs_review``, never as clean data.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from faturas.domain.field_labels import field_list
from faturas.domain.invoice import Invoice, LineItem, ValidationWarning
from faturas.domain.serialization import invoice_to_dict

#: Fields that are bookkeeping, not read from the bill.
_NOT_READ = frozenset({"layout", "warnings", "text_source", "needs_review"})

#: What a bill prints beside its figures: when the two reads disagree on one of these, it is dropped
#: (left unread) rather than the whole bill sent to review. The figures and identifiers never are.
EXTRAS = (
    "holder_name",
    "nota_fiscal_number",
    "nota_fiscal_series",
    "issue_date",
    "automatic_debit_code",
    "customer_class",
    "subclass",
    "tariff_modality",
    "supply_type",
    "reading_dates",
    "meter_readings",
    "gd_balance_kwh",
    "tariff_flags",
    "taxes",
    "consumption_history",
)

#: What each extra holds when unread: None, or no entries for the lists.
_UNREAD: dict[str, Any] = {
    field.name: () if field.default == () else None for field in dataclasses.fields(Invoice) if field.name in EXTRAS
}

#: Fields a wrong total or item list makes doubtful.
MONEY_FIELDS = ("total_amount", "items", "public_lighting_amount", "sub_invoices")

#: quantity × unit price may differ from the amount by rounding and taxes; the corpus stays within 0.5 %.
ITEM_ARITHMETIC_TOLERANCE = Decimal("0.01")
ITEM_ARITHMETIC_MIN = Decimal("0.05")

#: Below this mean word confidence (0-100) the page is too poor to trust any field.
MIN_MEAN_CONFIDENCE = 60.0


def read_fields(invoice: Invoice) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(invoice) if field.name not in _NOT_READ)


def drop_disputed_extras(invoice: Invoice, confirmation: Invoice | None) -> tuple[Invoice, Invoice | None]:
    """Both reads without the extras they disagree on: an extra OCR could not confirm is not stored."""
    if confirmation is None:
        return invoice, None
    first, second = invoice_to_dict(invoice), invoice_to_dict(confirmation)
    disputed: dict[str, Any] = {name: _UNREAD[name] for name in EXTRAS if first.get(name) != second.get(name)}
    return dataclasses.replace(invoice, **disputed), dataclasses.replace(confirmation, **disputed)


def ocr_warnings(
    invoice: Invoice, confirmation: Invoice | None, mean_confidence: float, text: str | None = None
) -> list[ValidationWarning]:
    """The warnings an OCR read adds to validation's; ``confirmation`` is the second read, if it succeeded.

    With the read's ``text``, the installation number and the due date must also be seen twice on the
    bill (the header and the payment stub print them both): two reads of one image can agree on a
    misread digit, two printings of the value misread alike are far less likely.
    """
    warnings = [*_cross_check(invoice, confirmation), *_totals_confirmed(invoice), *_item_arithmetic(invoice)]
    if text is not None:
        warnings += _seen_twice(invoice, text)
    if mean_confidence < MIN_MEAN_CONFIDENCE:
        warnings.append(
            ValidationWarning(
                "ocr_low_confidence",
                f"Leitura por OCR de baixa qualidade (confiança média {mean_confidence:.0f}%).",
                read_fields(invoice),
            )
        )
    return warnings


def _seen_twice(invoice: Invoice, text: str) -> list[ValidationWarning]:
    printed = {
        "installation_number": invoice.installation_number,
        "due_date": invoice.due_date.strftime("%d/%m/%Y") if invoice.due_date else None,
    }
    once = tuple(
        name
        for name, value in printed.items()
        if value is not None and len(re.findall(rf"(?<![\w/]){re.escape(value)}(?![\w/])", text)) < 2
    )
    if not once:
        return []
    return [
        ValidationWarning(
            "ocr_seen_once",
            "Leitura por OCR não confirmada em outro ponto da fatura: " + field_list(once) + ".",
            once,
        )
    ]


def _cross_check(invoice: Invoice, confirmation: Invoice | None) -> list[ValidationWarning]:
    if confirmation is None:
        return [
            ValidationWarning(
                "ocr_unconfirmed",
                "Leitura por OCR sem confirmação: a segunda leitura da imagem falhou.",
                read_fields(invoice),
            )
        ]
    first, second = invoice_to_dict(invoice), invoice_to_dict(confirmation)
    differing = tuple(name for name in read_fields(invoice) if first.get(name) != second.get(name))
    if not differing:
        return []
    return [
        ValidationWarning(
            "ocr_disagreement",
            "Duas leituras por OCR divergem em: " + field_list(differing) + ".",
            differing,
        )
    ]


def _totals_confirmed(invoice: Invoice) -> list[ValidationWarning]:
    # Validation adds the items up against the total (and compares the payment line when printed:
    # bills paid by automatic debit print none); without items, nothing confirms the total.
    if invoice.items or invoice.sub_invoices:
        return []
    return [
        ValidationWarning(
            "ocr_total_unconfirmed",
            "Leitura por OCR sem itens: o total não pôde ser conferido.",
            MONEY_FIELDS,
        )
    ]


def _item_arithmetic(invoice: Invoice) -> list[ValidationWarning]:
    items = [*invoice.items, *(item for sub in invoice.sub_invoices for item in sub.items)]
    wrong = [item.description for item in items if not _adds_up(item)]
    if not wrong:
        return []
    return [
        ValidationWarning(
            "ocr_item_arithmetic",
            "Quantidade × preço unitário não confere com o valor em: " + "; ".join(wrong) + ".",
            ("items", *MONEY_FIELDS[:1]),
        )
    ]


def _adds_up(item: LineItem) -> bool:
    if not item.quantity or not item.unit_price:
        return True
    expected = abs(item.quantity * item.unit_price)
    return abs(expected - abs(item.amount)) <= max(ITEM_ARITHMETIC_TOLERANCE * abs(item.amount), ITEM_ARITHMETIC_MIN)

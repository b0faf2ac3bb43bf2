"""Invoices as JSON-ready dicts, in the field names of the corpus truth format plus the extras."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from faturas.domain.invoice import Invoice
from faturas.domain.reference_month import ReferenceMonth


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation: "0.0000000", not "0E-7"
    if isinstance(value, date | ReferenceMonth):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Invoice):
        return invoice_to_dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_jsonable(item) for item in value]
    return value


def invoice_to_dict(invoice: Invoice) -> dict[str, Any]:
    data = {field.name: to_jsonable(getattr(invoice, field.name)) for field in dataclasses.fields(invoice)}
    data["needs_review"] = invoice.needs_review
    data["consumption_kwh"] = to_jsonable(invoice.consumption_kwh)
    data["total_without_gd"] = to_jsonable(invoice.total_without_gd)
    data["gd_savings"] = to_jsonable(invoice.gd_savings)
    return data

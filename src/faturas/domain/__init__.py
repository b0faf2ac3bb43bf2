"""Pure values of the billing domain: no I/O here."""

from faturas.domain.invoice import (
    ConsumptionRecord,
    Invoice,
    ItemKind,
    LineItem,
    MeterReading,
    ReadingDates,
    TariffFlag,
    Tax,
    ValidationWarning,
)
from faturas.domain.reference_month import ReferenceMonth

__all__ = [
    "ConsumptionRecord",
    "Invoice",
    "ItemKind",
    "LineItem",
    "MeterReading",
    "ReadingDates",
    "ReferenceMonth",
    "TariffFlag",
    "Tax",
    "ValidationWarning",
]

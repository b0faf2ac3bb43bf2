"""An electricity bill as validated, typed data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from faturas.domain.reference_month import ReferenceMonth


class ItemKind(StrEnum):
    """What a billed line is, for the derived figures users compare over time."""

    ENERGY = "energy"  # the main consumption line(s): CEMIG "Energia Elétrica", Copel "ENERGIA ELET CONSUMO"
    SCEE = "scee"  # energy billed under the compensation system: "Energia SCEE s/ ICMS"
    COMPENSATED = "compensated"  # credits: "Energia compensada GD I", "Energia injetada HFP"
    PUBLIC_LIGHTING = "public_lighting"  # "Contrib Ilum Publica Municipal"
    OTHER = "other"


@dataclass(frozen=True)
class LineItem:
    description: str
    amount: Decimal
    unit: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    kind: ItemKind = ItemKind.OTHER


@dataclass(frozen=True)
class MeterReading:
    meter: str | None
    quantity: str  # what is measured: "Energia kWh", "Energia Injetada kWh" …
    previous: Decimal | None
    current: Decimal | None
    constant: Decimal | None
    consumption: Decimal | None


@dataclass(frozen=True)
class ReadingDates:
    previous: date | None
    current: date | None
    days: int | None = None
    next: date | None = None


@dataclass(frozen=True)
class Tax:
    name: str  # ICMS, PIS, COFINS (PIS/PASEP where printed so)
    base: Decimal | None
    rate: Decimal | None  # percent, as printed: 18,00 means 18 %
    amount: Decimal | None


@dataclass(frozen=True)
class ConsumptionRecord:
    """One month of the 13-month consumption history."""

    month: ReferenceMonth
    kwh: Decimal
    daily_average: Decimal | None = None
    days: int | None = None


@dataclass(frozen=True)
class TariffFlag:
    month: ReferenceMonth | None
    flag: str  # Verde, Amarela, Vermelha P1 …


@dataclass(frozen=True)
class ValidationWarning:
    check: str  # stable code: items_sum, payment_line_total, access_key …
    message: str  # pt-BR, for people
    fields: tuple[str, ...] = ()  # the fields the warning casts doubt on


@dataclass(frozen=True)
class Invoice:
    distributor: str
    layout: str
    installation_number: str | None
    client_number: str | None
    reference_month: ReferenceMonth | None
    due_date: date | None
    total_amount: Decimal
    items: tuple[LineItem, ...] = ()
    energy_kwh: Decimal | None = None
    scee_kwh: Decimal | None = None
    compensated_kwh: Decimal | None = None
    public_lighting_amount: Decimal | None = None
    holder_name: str | None = None
    access_key: str | None = None
    nota_fiscal_number: str | None = None
    nota_fiscal_series: str | None = None
    issue_date: date | None = None
    payment_line: str | None = None
    barcode: str | None = None
    automatic_debit_code: str | None = None
    customer_class: str | None = None
    subclass: str | None = None
    tariff_modality: str | None = None
    supply_type: str | None = None
    reading_dates: ReadingDates | None = None
    meter_readings: tuple[MeterReading, ...] = ()
    gd_balance_kwh: Decimal | None = None
    tariff_flags: tuple[TariffFlag, ...] = ()
    taxes: tuple[Tax, ...] = ()
    consumption_history: tuple[ConsumptionRecord, ...] = ()
    collective_account: str | None = None
    sub_invoices: tuple[Invoice, ...] = ()
    warnings: tuple[ValidationWarning, ...] = field(default=())
    text_source: str = "text_layer"  # "text_layer" | "ocr" | "mixed" (some pages OCR'd): how far to trust it

    @property
    def needs_review(self) -> bool:
        return bool(self.warnings) or any(sub.needs_review for sub in self.sub_invoices)

    def _amount_of(self, *kinds: ItemKind) -> Decimal:
        return sum((item.amount for item in self.items if item.kind in kinds), Decimal(0))

    @property
    def consumption_kwh(self) -> Decimal | None:
        """Energy consumed: the main consumption plus the energy billed under SCEE."""
        if self.energy_kwh is None and self.scee_kwh is None:
            return None
        return (self.energy_kwh or Decimal(0)) + (self.scee_kwh or Decimal(0))

    @property
    def total_without_gd(self) -> Decimal:
        """What the consumption would have cost without distributed generation credits."""
        return self._amount_of(ItemKind.ENERGY, ItemKind.SCEE, ItemKind.PUBLIC_LIGHTING)

    @property
    def gd_savings(self) -> Decimal:
        """The compensated amount, as a positive R$ value (bills print it negative)."""
        return abs(self._amount_of(ItemKind.COMPENSATED))

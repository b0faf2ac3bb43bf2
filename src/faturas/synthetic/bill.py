"""The values of a synthetic bill: what gets printed, and what a correct read must give back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from faturas.domain.invoice import (
    ConsumptionRecord,
    Invoice,
    ItemKind,
    LineItem,
    MeterReading,
    ReadingDates,
    TariffFlag,
    Tax,
)
from faturas.domain.reference_month import ReferenceMonth
from faturas.synthetic.identifiers import nf3e_access_key, payment_line_of, utility_barcode

#: Layout name the CEMIG DANF3E template records.
CEMIG_DANF3E_LAYOUT = "cemig.danf3e"


@dataclass(frozen=True)
class ItemTaxes:
    """The tax columns of one item row (PIS/COFINS, ICMS base, rate and amount)."""

    pis_cofins: Decimal
    icms_base: Decimal
    icms_rate: Decimal
    icms: Decimal


@dataclass(frozen=True)
class BillItem:
    description: str
    amount: Decimal
    kind: ItemKind = ItemKind.OTHER
    unit: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    tariff: Decimal | None = None  # "Tarifa Unit.": the price before taxes
    taxes: ItemTaxes | None = None

    def as_line_item(self) -> LineItem:
        return LineItem(self.description, self.amount, self.unit, self.quantity, self.unit_price, self.kind)


@dataclass(frozen=True)
class OverdueDebt:
    """An unpaid earlier bill the page notifies (it is not an item of this one)."""

    month: ReferenceMonth
    amount: Decimal
    cut_off: date


@dataclass(frozen=True)
class Holder:
    name: str
    street: str
    district: str
    city_line: str  # "35500-000 CIDADE, MG"
    document: str  # "CPF 123.4**.***-**" or "CNPJ 12.345.6**/****-**"
    state_registration: str | None = None


@dataclass(frozen=True)
class SyntheticBill:
    holder: Holder
    client_number: str
    installation_number: str
    reference_month: ReferenceMonth
    issue_date: date
    due_date: date
    items: tuple[BillItem, ...]
    reading_dates: ReadingDates
    meter_reading: MeterReading
    history: tuple[ConsumptionRecord, ...]
    customer_class: str
    subclass: str
    tariff_modality: str
    supply_type: str
    nota_fiscal_number: str  # nine digits, as printed
    key_code: str  # the eight random digits of the access key
    protocol: str
    authorized_at: datetime
    barcode_free_field: str  # 14 digits between CEMIG's code and the debit code
    automatic_debit_code: str  # twelve digits, "00…"
    tariff_flags: tuple[TariffFlag, TariffFlag]
    flag_surcharge: Decimal | None = None  # "Bandeira … - Já Incluído no valor a pagar", not an item
    gd_balance_kwh: Decimal | None = None
    taxes: tuple[Tax, ...] = ()  # printed in the fiscal box; empty means "SEM VALOR FISCAL"
    contingency: bool = False
    copy_label: str = "SEGUNDA VIA"
    nota_fiscal_series: str = "000"
    debt_receipt: bool = False  # the annual "RECIBO DE QUITAÇÃO DE DÉBITOS" paragraph
    debit_notice: bool = False  # "ATENÇÃO: DÉBITO AUTOMÁTICO" under the payment line
    overdue: OverdueDebt | None = None  # the "NOTIFICAÇÃO DE DÉBITO(S)" box
    # Deliberate inconsistencies, so tests can check that a read catches them:
    printed_total: Decimal | None = None  # TOTAL and "Valor a pagar" show this instead of the items' sum
    payment_line_value: Decimal | None = None  # the payment line encodes this instead of the total
    access_key_check_digit: str | None = None  # printed instead of the key's computed check digit

    @property
    def total(self) -> Decimal:
        if self.printed_total is not None:
            return self.printed_total
        return sum((item.amount for item in self.items), Decimal(0))

    @property
    def access_key(self) -> str:
        key = nf3e_access_key(
            self.issue_date, self.nota_fiscal_series, self.nota_fiscal_number, self.key_code, self.contingency
        )
        return key if self.access_key_check_digit is None else key[:43] + self.access_key_check_digit

    @property
    def barcode(self) -> str:
        value = self.total if self.payment_line_value is None else self.payment_line_value
        return utility_barcode(value, self.barcode_free_field + self.automatic_debit_code[1:])

    @property
    def payment_line(self) -> str:
        return payment_line_of(self.barcode)

    def _quantity_of(self, *kinds: ItemKind) -> Decimal | None:
        quantities = [item.quantity for item in self.items if item.kind in kinds and item.quantity is not None]
        return sum(quantities, Decimal(0)) if quantities else None

    def expected_invoice(self) -> Invoice:
        """The invoice a faithful read of the rendered bill produces (before validation)."""
        lighting = [item.amount for item in self.items if item.kind is ItemKind.PUBLIC_LIGHTING]
        return Invoice(
            distributor="CEMIG",
            layout=CEMIG_DANF3E_LAYOUT,
            installation_number=self.installation_number,
            client_number=self.client_number,
            reference_month=self.reference_month,
            due_date=self.due_date,
            total_amount=self.total,
            items=tuple(item.as_line_item() for item in self.items),
            energy_kwh=self._quantity_of(ItemKind.ENERGY),
            scee_kwh=self._quantity_of(ItemKind.SCEE),
            compensated_kwh=self._quantity_of(ItemKind.COMPENSATED),
            public_lighting_amount=sum(lighting, Decimal(0)) if lighting else None,
            holder_name=self.holder.name,
            access_key=self.access_key,
            nota_fiscal_number=self.nota_fiscal_number,
            nota_fiscal_series=self.nota_fiscal_series,
            issue_date=self.issue_date,
            payment_line=self.payment_line,
            barcode=self.barcode,
            automatic_debit_code=self.automatic_debit_code,
            customer_class=self.customer_class,
            subclass=self.subclass,
            tariff_modality=self.tariff_modality,
            supply_type=self.supply_type,
            reading_dates=self.reading_dates,
            meter_readings=(self.meter_reading,),
            gd_balance_kwh=self.gd_balance_kwh,
            tariff_flags=self.tariff_flags,
            taxes=self.taxes,
            consumption_history=self.history,
        )

"""Read models returned by the query services: what the API, the pages and the CLI show."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer

from faturas.db.models import Client, ConsumerUnit, Invoice, InvoiceItem, Job

T = TypeVar("T")


def _plain(value: Decimal) -> str:
    # Quantities are stored with 8 decimals; show them as printed on bills ("1023", "0.3638").
    return format(value.normalize(), "f")


#: kWh and unit prices: a decimal string without the storage's trailing zeros.
Quantity = Annotated[Decimal, PlainSerializer(_plain, return_type=str, when_used="json")]


class _View(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class DocumentView(_View):
    id: int
    sha256: str
    original_name: str
    size_bytes: int
    page_count: int | None
    created_at: datetime


class JobError(_View):
    code: str
    message: str


class JobView(_View):
    id: str
    status: str
    attempts: int
    document: DocumentView
    error: JobError | None
    duplicate_reason: str | None
    #: For duplicates: why, and which stored invoice it matches.
    message: str | None
    invoice_ids: list[int]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobView:
        error = JobError(code=job.error_code, message=job.error_message or "") if job.error_code else None
        return cls(
            id=job.id,
            status=job.status,
            attempts=job.attempts,
            document=DocumentView.model_validate(job.document),
            error=error,
            duplicate_reason=job.duplicate_reason,
            message=job.error_message,
            invoice_ids=list(job.invoice_ids),
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class UnitView(_View):
    id: int
    client_id: int
    distributor: str
    installation_number: str

    @classmethod
    def of(cls, unit: ConsumerUnit) -> UnitView:
        return cls.model_validate(unit)


class ClientView(_View):
    id: int
    distributor: str
    client_number: str
    holder_name: str | None
    units: list[UnitView]

    @classmethod
    def of(cls, client: Client) -> ClientView:
        return cls(
            id=client.id,
            distributor=client.distributor,
            client_number=client.client_number,
            holder_name=client.holder_name,
            units=[UnitView.of(unit) for unit in client.units],
        )


class InvoiceSummary(_View):
    id: int
    consumer_unit_id: int
    document_id: int
    distributor: str
    client_number: str | None
    installation_number: str
    reference_month: str
    due_date: date | None
    total_amount: Decimal
    consumption_kwh: Quantity | None
    compensated_kwh: Quantity | None
    total_without_gd: Decimal
    gd_savings: Decimal
    needs_review: bool
    superseded: bool

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceSummary:
        # Only the summary's own columns: lists never load the wide JSON ones (extracted, warnings).
        columns = {name: getattr(invoice, name) for name in cls.model_fields if name != "superseded"}
        return cls.model_validate({**columns, "superseded": invoice.superseded_at is not None})


class ItemView(_View):
    position: int
    description: str
    kind: str
    unit: str | None
    quantity: Quantity | None
    unit_price: Quantity | None
    amount: Decimal

    @classmethod
    def of(cls, item: InvoiceItem) -> ItemView:
        return cls.model_validate(item)


class InvoiceDetail(InvoiceSummary):
    layout: str
    holder_name: str | None
    access_key: str | None
    nota_fiscal_number: str | None
    issue_date: date | None
    energy_kwh: Quantity | None
    scee_kwh: Quantity | None
    public_lighting_amount: Decimal | None
    sub_index: int
    collective_account: str | None
    superseded_at: datetime | None
    superseded_by_id: int | None
    warnings: list[Any]
    items: list[ItemView]
    #: Every extracted field, as the extraction engine serialises it.
    extracted: dict[str, Any]
    document: DocumentView

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceDetail:
        return cls.model_validate(
            {
                **_columns(invoice),
                "superseded": invoice.superseded_at is not None,
                "items": [ItemView.of(item) for item in invoice.items],
                "document": DocumentView.model_validate(invoice.document),
            }
        )


def _columns(invoice: Invoice) -> dict[str, Any]:
    return {column.key: getattr(invoice, column.key) for column in Invoice.__table__.columns}


class Page(_View, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class MonthFigures(_View):
    month: str
    invoices: int
    consumption_kwh: Quantity
    compensated_kwh: Quantity
    total_without_gd: Decimal
    gd_savings: Decimal
    #: The GD credit balance the month's bills print, summed over units (None: no bill prints one).
    gd_balance_kwh: Quantity | None = None


class ClientOverview(ClientView):
    """A client with its figures: how many current invoices, the latest month, the amounts summed."""

    invoices: int
    last_month: str | None
    total_amount: Decimal
    gd_savings: Decimal


class QueueCounts(_View):
    """Jobs per state: what the processing page and ``GET /api/jobs/counts`` show."""

    queued: int
    running: int
    succeeded: int
    failed: int
    duplicate: int


class DashboardTotals(_View):
    """The period's figures summed; the GD balance is the latest month's (a balance is not summed over time)."""

    invoices: int
    consumption_kwh: Quantity
    compensated_kwh: Quantity
    total_without_gd: Decimal
    gd_savings: Decimal
    gd_balance_kwh: Quantity | None

    @classmethod
    def of(cls, series: list[MonthFigures]) -> DashboardTotals:
        balances = [month.gd_balance_kwh for month in series if month.gd_balance_kwh is not None]
        return cls(
            invoices=sum(month.invoices for month in series),
            consumption_kwh=sum((month.consumption_kwh for month in series), Decimal(0)),
            compensated_kwh=sum((month.compensated_kwh for month in series), Decimal(0)),
            total_without_gd=sum((month.total_without_gd for month in series), Decimal(0)),
            gd_savings=sum((month.gd_savings for month in series), Decimal(0)),
            gd_balance_kwh=balances[-1] if balances else None,
        )


class Dashboard(_View):
    client: ClientView | None
    series: list[MonthFigures]
    totals: DashboardTotals

"""The dashboard: per month, the four derived figures, for one client or overall."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from faturas.db.models import Invoice
from faturas.db.unit_of_work import database_errors
from faturas.services.context import ServiceContext
from faturas.services.queries import InvoiceFilters, get_client
from faturas.services.views import Dashboard, MonthFigures

_CENT = Decimal("0.01")
_KWH = Decimal("0.001")


def dashboard(
    context: ServiceContext, client_id: int | None = None, month_from: str | None = None, month_to: str | None = None
) -> Dashboard:
    client = get_client(context, client_id) if client_id is not None else None
    filters = InvoiceFilters(client_id=client_id, month_from=month_from, month_to=month_to)
    query = (
        select(
            Invoice.reference_month,
            func.count(Invoice.id),
            func.coalesce(func.sum(Invoice.consumption_kwh), 0),
            func.coalesce(func.sum(Invoice.compensated_kwh), 0),
            func.coalesce(func.sum(Invoice.total_without_gd), 0),
            func.coalesce(func.sum(Invoice.gd_savings), 0),
        )
        .where(*filters.conditions())
        .group_by(Invoice.reference_month)
        .order_by(Invoice.reference_month)
    )
    with database_errors(), context.uow_factory(read_only=True) as uow:
        rows = uow.session.execute(query).all()
    series = [
        MonthFigures(
            month=month,
            invoices=count,
            consumption_kwh=_number(consumption, _KWH),
            compensated_kwh=_number(compensated, _KWH),
            total_without_gd=_number(without_gd, _CENT),
            gd_savings=_number(savings, _CENT),
        )
        for month, count, consumption, compensated, without_gd, savings in rows
    ]
    return Dashboard(client=client, series=series)


def _number(value: object, places: Decimal) -> Decimal:
    # SQLite sums numerics as floats: round to the figure's precision so 0.1 + 0.2 shows as 0.3.
    number = Decimal(str(value)).quantize(places)
    return number.quantize(Decimal(1)) if places == _KWH and number == number.to_integral_value() else number

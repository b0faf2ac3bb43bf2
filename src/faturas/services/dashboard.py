"""The dashboard: per month, the derived figures, for one client (by id or number) or overall."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from faturas.db.models import Client, Invoice
from faturas.db.unit_of_work import database_errors
from faturas.errors import NotFound
from faturas.services.context import ServiceContext
from faturas.services.queries import InvoiceFilters, get_client
from faturas.services.views import ClientView, Dashboard, DashboardTotals, MonthFigures

_CENT = Decimal("0.01")
_KWH = Decimal("0.001")


def dashboard(
    context: ServiceContext,
    client_id: int | None = None,
    month_from: str | None = None,
    month_to: str | None = None,
    client_number: str | None = None,
) -> Dashboard:
    """``client_number`` as the bills print it; a number several distributors share sums their clients."""
    client: ClientView | None = None
    if client_id is not None:
        client = get_client(context, client_id)
    numbered = _clients_numbered(context, client_number) if client_number else []
    if len(numbered) == 1 and client_id is None:
        client, client_id = get_client(context, numbered[0]), numbered[0]
    filters = InvoiceFilters(
        client_id=client_id,
        client_number=client_number if len(numbered) > 1 else None,
        month_from=month_from,
        month_to=month_to,
    )
    query = (
        select(
            Invoice.reference_month,
            func.count(Invoice.id),
            func.coalesce(func.sum(Invoice.consumption_kwh), 0),
            func.coalesce(func.sum(Invoice.compensated_kwh), 0),
            func.coalesce(func.sum(Invoice.total_without_gd), 0),
            func.coalesce(func.sum(Invoice.gd_savings), 0),
            func.sum(Invoice.gd_balance_kwh),
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
            gd_balance_kwh=None if balance_kwh is None else _number(balance_kwh, _KWH),
        )
        for month, count, consumption, compensated, without_gd, savings, balance_kwh in rows
    ]
    return Dashboard(client=client, series=series, totals=DashboardTotals.of(series))


def _clients_numbered(context: ServiceContext, client_number: str) -> list[int]:
    with database_errors(), context.uow_factory(read_only=True) as uow:
        ids = list(uow.session.scalars(select(Client.id).where(Client.client_number == client_number)))
    if not ids:
        raise NotFound("Cliente", client_number)
    return ids


def _number(value: object, places: Decimal) -> Decimal:
    # SQLite sums numerics as floats: round to the figure's precision so 0.1 + 0.2 shows as 0.3.
    number = Decimal(str(value)).quantize(places)
    return number.quantize(Decimal(1)) if places == _KWH and number == number.to_integral_value() else number

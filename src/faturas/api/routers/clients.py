"""Clients and their consumer units (installations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from faturas.api.dependencies import Context, PagingParams
from faturas.services.queries import get_client, list_client_overviews, list_clients, list_units
from faturas.services.views import ClientOverview, ClientView, Page, UnitView

router = APIRouter(prefix="/api", tags=["clients"])


@router.get("/clients", response_model=Page[ClientView])
def clients(context: Context, paging: PagingParams) -> Page[ClientView]:
    return list_clients(context, paging.limit, paging.offset)


@router.get("/clients/overview", response_model=Page[ClientOverview])
def client_overviews(context: Context, paging: PagingParams, client_number: str | None = None) -> Page[ClientOverview]:
    """Clients with their units, number of current invoices, last month and totals."""
    return list_client_overviews(context, client_number, paging.limit, paging.offset)


@router.get("/clients/{client_id}", response_model=ClientView)
def client(context: Context, client_id: int) -> ClientView:
    return get_client(context, client_id)


@router.get("/units", response_model=Page[UnitView])
def units(context: Context, paging: PagingParams, client_id: Annotated[int | None, Query()] = None) -> Page[UnitView]:
    return list_units(context, client_id, paging.limit, paging.offset)

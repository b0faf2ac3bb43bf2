"""The dashboard and the health check."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from faturas.api.dependencies import Context
from faturas.api.routers.invoices import Month
from faturas.services.dashboard import dashboard
from faturas.services.health import Health, health
from faturas.services.views import Dashboard

router = APIRouter(tags=["dashboard"])


@router.get("/api/dashboard", response_model=Dashboard)
def monthly_figures(
    context: Context,
    client_id: int | None = None,
    client_number: str | None = None,
    month_from: Month = None,
    month_to: Month = None,
) -> Dashboard:
    """Per month: consumption kWh, compensated kWh, total without GD, GD savings (R$), GD credit balance."""
    return dashboard(context, client_id, month_from, month_to, client_number=client_number)


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health_check(context: Context) -> JSONResponse:
    report = health(context)
    return JSONResponse(report.model_dump(mode="json"), status_code=200 if report.status == "ok" else 503)

"""The pages. Thin like the API's routers: read the query, call the same services, render a template."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from faturas.api.access import Audit
from faturas.api.dependencies import Context
from faturas.api.errors import status_for
from faturas.db.models import JobStatus
from faturas.db.models_auth import AuditAction
from faturas.errors import FaturasError, InvalidDate, NotFound
from faturas.extraction.numbers import parse_reference_month
from faturas.services.dashboard import dashboard
from faturas.services.job_actions import replace_job, retry_job
from faturas.services.queries import (
    InvoiceFilters,
    InvoiceSort,
    get_client,
    get_invoice,
    list_client_overviews,
    list_invoices,
    list_jobs,
    queue_counts,
)
from faturas.services.webhook_subscriptions import disabled_subscriptions
from faturas.web.templating import month_label, templates

router = APIRouter(include_in_schema=False)

#: Rows per page in the tables: every page reads at most this many rows.
PAGE_SIZE = 50


def _render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _error(request: Request, error: FaturasError) -> HTMLResponse:
    return _render(request, "error.html", status_for(error), error=error, title="Algo deu errado")


def _text(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


def _page_number(request: Request) -> int:
    value = request.query_params.get("pagina", "1")
    return max(int(value), 1) if value.isdigit() else 1


def _months(request: Request) -> tuple[str | None, str | None, list[str]]:
    """The period filter; a month typed by hand in another shape is reported, not silently dropped."""
    problems = []
    months: list[str | None] = []
    for name, label in (("month_from", "Mês inicial"), ("month_to", "Mês final")):
        value = _text(request, name)
        if value is not None:
            # Browsers without a month picker send what was typed: "JAN/2024" and "01/2024" are fine too.
            try:
                value = str(parse_reference_month(value))
            except InvalidDate:
                problems.append(f"{label} inválido ({value}): use, por exemplo, 2024-01, 01/2024 ou JAN/2024.")
                value = None
        months.append(value)
    return months[0], months[1], problems


def _query(request: Request, **changes: Any) -> str:
    """This page's query string with some parameters changed (for sort links and paging)."""
    params = {key: value for key, value in request.query_params.items() if value}
    params.update({key: str(value) for key, value in changes.items() if value is not None})
    for key in [key for key, value in changes.items() if value is None]:
        params.pop(key, None)
    return urlencode(params)


def _identifier(kind: str, text: str) -> int:
    if not text.isdigit():
        raise NotFound(kind, text)
    return int(text)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/enviar", response_class=HTMLResponse)
def upload_page(request: Request, context: Context) -> HTMLResponse:
    limit_mb = context.settings.max_upload_bytes // (1024 * 1024)
    return _render(request, "upload.html", title="Enviar faturas", nav="enviar", limit_mb=limit_mb)


@router.get("/faturas", response_class=HTMLResponse)
def invoices_page(request: Request, context: Context) -> HTMLResponse:
    month_from, month_to, problems = _months(request)
    review = request.query_params.get("needs_review", "")
    filters = InvoiceFilters(
        client_number=_text(request, "client_number"),
        installation_number=_text(request, "installation"),
        distributor=_text(request, "distributor"),
        month_from=month_from,
        month_to=month_to,
        needs_review={"sim": True, "nao": False}.get(review),
    )
    sort_value = request.query_params.get("sort", InvoiceSort.MONTH_DESC.value)
    sort = InvoiceSort(sort_value) if sort_value in InvoiceSort._value2member_map_ else InvoiceSort.MONTH_DESC
    page = _page_number(request)
    try:
        invoices = list_invoices(context, filters, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    except FaturasError as error:
        return _error(request, error)
    export = _query(request, sort=sort.value, pagina=None)
    return _render(
        request,
        "invoices.html",
        title="Faturas",
        nav="faturas",
        invoices=invoices,
        filters=filters,
        review=review,
        sort=sort.value,
        page=page,
        pages=max((invoices.total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        problems=problems,
        query=lambda **changes: _query(request, **changes),
        export_query=export,
    )


@router.get("/faturas/{invoice_id}", response_class=HTMLResponse)
def invoice_page(request: Request, context: Context, invoice_id: str) -> HTMLResponse:
    # A mistyped address gets the page's "not found", not the API's validation error.
    try:
        invoice = get_invoice(context, _identifier("Fatura", invoice_id))
    except FaturasError as error:
        return _error(request, error)
    title = f"Fatura {invoice.installation_number} · {month_label(invoice.reference_month)}"
    return _render(request, "invoice.html", title=title, nav="faturas", invoice=invoice)


@router.get("/clientes", response_class=HTMLResponse)
def clients_page(request: Request, context: Context) -> HTMLResponse:
    page = _page_number(request)
    number = _text(request, "client_number")
    try:
        clients = list_client_overviews(context, number, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    except FaturasError as error:
        return _error(request, error)
    return _render(
        request,
        "clients.html",
        title="Clientes",
        nav="clientes",
        clients=clients,
        client_number=number or "",
        page=page,
        pages=max((clients.total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        query=lambda **changes: _query(request, **changes),
    )


@router.get("/clientes/{client_id}", response_class=HTMLResponse)
def client_page(request: Request, context: Context, client_id: str) -> HTMLResponse:
    month_from, month_to, problems = _months(request)
    try:
        client = get_client(context, _identifier("Cliente", client_id))
        figures = dashboard(context, client.id, month_from, month_to)
    except FaturasError as error:
        return _error(request, error)
    return _render(
        request,
        "client.html",
        title=f"Cliente {client.client_number}",
        nav="clientes",
        client=client,
        dashboard=figures,
        month_from=month_from or "",
        month_to=month_to or "",
        problems=problems,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, context: Context) -> HTMLResponse:
    month_from, month_to, problems = _months(request)
    number = _text(request, "client_number")
    status_code, figures = 200, None
    try:
        figures = dashboard(context, None, month_from, month_to, client_number=number)
    except FaturasError as error:
        status_code = status_for(error)
        problems.append(error.message)
    return _render(
        request,
        "dashboard.html",
        status_code,
        title="Dashboard",
        nav="dashboard",
        dashboard=figures,
        client_number=number or "",
        month_from=month_from or "",
        month_to=month_to or "",
        problems=problems,
    )


@router.get("/processamento", response_class=HTMLResponse)
def jobs_page(request: Request, context: Context) -> HTMLResponse:
    page = _page_number(request)
    try:
        counts = queue_counts(context)
        failed = list_jobs(context, JobStatus.FAILED, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        duplicates = list_jobs(context, JobStatus.DUPLICATE, PAGE_SIZE, 0)
        active = list_jobs(context, JobStatus.RUNNING, PAGE_SIZE, 0)
        webhooks = disabled_subscriptions(context)
    except FaturasError as error:
        return _error(request, error)
    return _render(
        request,
        "jobs.html",
        title="Processamento",
        nav="processamento",
        counts=counts,
        failed=failed,
        duplicates=duplicates,
        active=active,
        webhooks=[(subscription, _url_host(subscription.url)) for subscription in webhooks],
        page=page,
        pages=max((failed.total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        done=request.query_params.get("feito"),
        problem=request.query_params.get("erro"),
        query=lambda **changes: _query(request, **changes),
    )


def _url_host(url: str) -> str:
    """Where a webhook goes, without its path or query (they may carry the receiver's own secrets)."""
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


@router.post("/processamento/{job_id}/tentar-de-novo")
def retry_from_page(context: Context, audit: Audit, job_id: str) -> Response:
    def retry() -> None:
        retry_job(context, job_id)
        audit.record(AuditAction.RETRY, "job", [job_id])

    return _job_action(retry, "Job enviado de novo para a fila.")


@router.post("/processamento/{job_id}/substituir")
def replace_from_page(context: Context, audit: Audit, job_id: str) -> Response:
    def replace() -> None:
        replace_job(context, job_id)
        audit.record(AuditAction.REPLACE, "job", [job_id])

    return _job_action(replace, "A nova fatura vai substituir a armazenada.")


def _job_action(action: Any, done: str) -> Response:
    # Post/redirect/get: reloading the page after the action does not send it again.
    try:
        action()
    except FaturasError as error:
        return RedirectResponse(f"/processamento?{urlencode({'erro': error.message})}", status_code=303)
    return RedirectResponse(f"/processamento?{urlencode({'feito': done})}", status_code=303)

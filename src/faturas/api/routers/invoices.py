"""Invoices: filtered, paginated, sorted lists; one invoice with all fields and items; its original PDF."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from faturas.api.access import Audit
from faturas.api.dependencies import Context, PagingParams
from faturas.db.models_auth import AuditAction
from faturas.extraction.image.formats import detect_image_format
from faturas.services.export_formats import MEDIA_TYPES, ExportFormat
from faturas.services.export_rows import ExportKind
from faturas.services.export_stream import ExportRequest, stream_export
from faturas.services.queries import InvoiceFilters, InvoiceSort, get_invoice, invoice_pdf, list_invoices
from faturas.services.views import InvoiceDetail, InvoiceSummary, Page

router = APIRouter(prefix="/api/invoices", tags=["invoices"])

Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


def invoice_filters(
    client_number: str | None = None,
    installation: str | None = None,
    distributor: str | None = None,
    client_id: int | None = None,
    month_from: Month = None,
    month_to: Month = None,
    needs_review: bool | None = None,
    include_superseded: bool = False,
) -> InvoiceFilters:
    return InvoiceFilters(
        client_number=client_number,
        installation_number=installation,
        distributor=distributor,
        client_id=client_id,
        month_from=month_from,
        month_to=month_to,
        needs_review=needs_review,
        include_superseded=include_superseded,
    )


Filters = Annotated[InvoiceFilters, Depends(invoice_filters)]


@router.get("", response_model=Page[InvoiceSummary])
def invoices(
    context: Context, paging: PagingParams, filters: Filters, sort: InvoiceSort = InvoiceSort.MONTH_DESC
) -> Page[InvoiceSummary]:
    return list_invoices(context, filters, sort, paging.limit, paging.offset)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {media_type: {} for media_type in MEDIA_TYPES.values()}}},
)
def export(
    context: Context,
    audit: Audit,
    filters: Filters,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    kind: ExportKind = ExportKind.INVOICES,
    sort: InvoiceSort = InvoiceSort.MONTH_DESC,
) -> StreamingResponse:
    """Every invoice the filters select (no paging), or their line items (``kind=items``), streamed as
    CSV, XLSX, JSON Lines or Parquet: one row per invoice with the derived figures, or per item."""
    exported = stream_export(context, ExportRequest(export_format, kind, filters, sort))
    # What was exported, not which rows: the filters may name clients.
    audit.record(AuditAction.DOWNLOAD, "export", [f"{kind.value}.{export_format.value}"])
    disposition = f"attachment; filename={exported.filename}"
    return StreamingResponse(
        exported.chunks, media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/{invoice_id}", response_model=InvoiceDetail)
def invoice(context: Context, invoice_id: int) -> InvoiceDetail:
    return get_invoice(context, invoice_id)


@router.get(
    "/{invoice_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
def invoice_file(context: Context, audit: Audit, invoice_id: int) -> Response:
    name, data = invoice_pdf(context, invoice_id)
    audit.record(AuditAction.DOWNLOAD, "invoice", [invoice_id])
    disposition = f"inline; filename*=UTF-8''{quote(name)}"
    image = detect_image_format(data)  # a bill sent as a photo is served as the image it is
    media_type = image.content_type if image is not None else "application/pdf"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})

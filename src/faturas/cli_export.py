"""``faturas export``: the stored invoices (or their line items) as CSV, XLSX, JSON Lines or Parquet."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated

import typer

from faturas.config import get_settings
from faturas.errors import FaturasError
from faturas.services.context import build_context
from faturas.services.export_formats import ExportFormat
from faturas.services.export_rows import ExportKind
from faturas.services.export_stream import ExportRequest, write_export_file
from faturas.services.queries import InvoiceFilters

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str | None) -> str | None:
    if value is not None and not MONTH.match(value):
        raise typer.BadParameter(f"mês inválido: {value!r} (use AAAA-MM, por exemplo 2024-03)")
    return value


def export(
    export_format: Annotated[ExportFormat, typer.Option("--format", help="Formato do arquivo.")] = ExportFormat.CSV,
    items: Annotated[bool, typer.Option("--items", help="Uma linha por item da fatura, não por fatura.")] = False,
    client: Annotated[str | None, typer.Option("--client", help="Só este número de cliente.")] = None,
    month_from: Annotated[
        str | None, typer.Option("--from", help="Do mês (AAAA-MM, inclusive).", callback=_month)
    ] = None,
    month_to: Annotated[
        str | None, typer.Option("--to", help="Até o mês (AAAA-MM, inclusive).", callback=_month)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Arquivo de saída (padrão: a saída padrão).")
    ] = None,
) -> None:
    """Exporta as faturas armazenadas (com os valores derivados) ou os seus itens."""
    if month_from and month_to and month_from > month_to:
        raise typer.BadParameter(f"--from {month_from} é depois de --to {month_to}")
    if output is None and not export_format.streams_as_text and sys.stdout.isatty():
        raise typer.BadParameter(f"{export_format.value} é binário: use --output ARQUIVO", param_hint="--output")
    request = ExportRequest(
        format=export_format,
        kind=ExportKind.ITEMS if items else ExportKind.INVOICES,
        filters=InvoiceFilters(client_number=client, month_from=month_from, month_to=month_to),
    )
    context = build_context(get_settings())
    try:
        if output is None:
            write_export_file(context, request, sys.stdout.buffer)
            sys.stdout.flush()
        else:
            _write_atomically(output, lambda file: write_export_file(context, request, file))
    except FaturasError as error:
        typer.echo(f"Erro: {error.message}", err=True)
        raise typer.Exit(1) from error
    finally:
        context.close()
    if output is not None:
        typer.echo(f"Exportado para {output}.", err=True)


def _write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write next to ``path`` and rename: an interrupted export never leaves a partial file behind."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def register(app: typer.Typer) -> None:
    app.command("export")(export)

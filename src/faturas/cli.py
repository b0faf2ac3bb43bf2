"""The ``faturas`` command line: thin, it parses input, calls the core and shapes output."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from faturas import cli_doctor, cli_export, cli_jobs, cli_server, cli_users
from faturas.cli_webhooks import register as register_webhooks
from faturas.domain.formatting import format_date, format_kwh, format_money
from faturas.domain.invoice import Invoice
from faturas.domain.serialization import invoice_to_dict
from faturas.errors import FaturasError
from faturas.extraction.extract import extract_invoice
from faturas.extraction.image.formats import IMAGE_EXTENSIONS

app = typer.Typer(help="faturas: leitura de faturas de energia elétrica.", no_args_is_help=True)
stderr = Console(stderr=True, soft_wrap=True)

#: What folders are searched for: PDFs and bill images (the content decides how each is read).
BILL_EXTENSIONS = frozenset({".pdf", *IMAGE_EXTENSIONS})

#: Show a progress bar when parsing more files than this.
PROGRESS_THRESHOLD = 3


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def collect_pdfs(paths: list[Path]) -> list[Path]:
    """Bills in the given files and folders: PDFs and images (JPG, PNG, WebP) from folders, any file named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in BILL_EXTENSIONS))
        elif path.is_file():
            files.append(path)
        else:
            raise typer.BadParameter(f"caminho não encontrado: {path}", param_hint="PATH")
    return files


def parse_file(path: Path, password: str | None) -> dict[str, Any]:
    try:
        invoice = extract_invoice(path.read_bytes(), password=password)
    except FaturasError as error:
        return {"file": str(path), "error": error.as_dict()}
    except OSError as error:
        return {
            "file": str(path),
            "error": {"code": "unreadable_file", "message": f"Não foi possível ler: {error}"},
        }
    return {"file": str(path), "invoice": invoice_to_dict(invoice), "_invoice": invoice}


def summary_line(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"[red]✘[/red] {result['file']}: {result['error']['message']}"
    invoice: Invoice = result["_invoice"]
    month = invoice.reference_month.label if invoice.reference_month else "—"
    review = (
        " [yellow](revisar: " + "; ".join(w.message for w in invoice.warnings) + ")[/yellow]"
        if (invoice.needs_review)
        else ""
    )
    return (
        f"[green]✔[/green] {result['file']}: {invoice.distributor} {month} "
        f"cliente {invoice.client_number or '—'} instalação {invoice.installation_number or '—'} "
        f"vencimento {format_date(invoice.due_date)} total {format_money(invoice.total_amount)} "
        f"consumo {format_kwh(invoice.consumption_kwh)} compensado {format_kwh(invoice.compensated_kwh)}"
        f"{review}"
    )


@app.callback()
def faturas() -> None:
    """faturas: faturas de energia elétrica em dados limpos e validados."""


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Arquivos PDF ou imagens, ou pastas.", show_default=False)],
    output: Annotated[OutputFormat, typer.Option("--format", help="Formato de saída.")] = OutputFormat.text,
    password: Annotated[str | None, typer.Option(help="Senha dos PDFs protegidos.")] = None,
) -> None:
    """Lê faturas e mostra os dados extraídos."""
    files = collect_pdfs(paths)
    if not files:
        raise typer.BadParameter("nenhum arquivo PDF ou imagem encontrado", param_hint="PATH")
    results = []
    with Progress(console=stderr, transient=True, disable=len(files) <= PROGRESS_THRESHOLD) as progress:
        task = progress.add_task("Lendo faturas", total=len(files))
        for path in files:
            result = parse_file(path, password)
            results.append(result)
            if output is OutputFormat.jsonl:
                sys.stdout.write(json.dumps(_public(result), ensure_ascii=False) + "\n")
            progress.advance(task)
    if output is OutputFormat.json:
        json.dump([_public(r) for r in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif output is OutputFormat.text:
        console = Console(highlight=False, soft_wrap=True)
        for result in results:
            console.print(summary_line(result))
    refused = sum(1 for r in results if "error" in r)
    if output is OutputFormat.text or refused:
        stderr.print(f"{len(results) - refused} lida(s), {refused} recusada(s).")
    raise typer.Exit(1 if refused else 0)


def _public(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if not key.startswith("_")}


cli_server.register(app)
cli_jobs.register(app)
register_webhooks(app)
cli_users.register(app)
cli_doctor.register(app)
cli_export.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

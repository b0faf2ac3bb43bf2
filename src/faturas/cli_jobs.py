"""CLI commands over the job pipeline: ingest, jobs, retry, reprocess."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from faturas.config import get_settings
from faturas.db.models import FINISHED_STATUSES, JobStatus
from faturas.db.models_auth import AuditAction
from faturas.errors import FaturasError
from faturas.services.accept_upload import AcceptedUpload, Upload, accept_upload
from faturas.services.audit import CLI, record
from faturas.services.context import ServiceContext, build_context
from faturas.services.job_actions import retry_all_failed, retry_job
from faturas.services.queries import get_job, list_jobs
from faturas.services.reprocess import documents_to_reprocess, reprocess_document
from faturas.services.views import JobView

stderr = Console(stderr=True, soft_wrap=True, highlight=False)
console = Console(soft_wrap=True, highlight=False)

STATUS_LABELS = {
    JobStatus.QUEUED: "na fila",
    JobStatus.RUNNING: "processando",
    JobStatus.SUCCEEDED: "armazenada(s)",
    JobStatus.DUPLICATE: "duplicada(s)",
    JobStatus.FAILED: "com falha",
}


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Arquivos PDF ou imagens, ou pastas.", show_default=False)],
    wait: Annotated[bool, typer.Option("--wait", help="Espera o processamento e mostra o resumo.")] = False,
    password: Annotated[str | None, typer.Option(help="Senha dos PDFs protegidos.")] = None,
) -> None:
    """Envia faturas para processamento (o mesmo caminho da API)."""
    from faturas.cli import collect_pdfs

    files = collect_pdfs(paths)
    if not files:
        raise typer.BadParameter("nenhum arquivo PDF ou imagem encontrado", param_hint="PATH")
    context = build_context(get_settings())
    try:
        accepted, refused = _upload(context, files, password)
        record(context.uow_factory, CLI, AuditAction.UPLOAD, "document", [item.document_id for item in accepted])
        if wait and accepted:
            _wait(context, accepted)
        _summary(context, accepted, refused)
    finally:
        context.close()
    raise typer.Exit(1 if refused else 0)


def _upload(
    context: ServiceContext, files: list[Path], password: str | None
) -> tuple[list[AcceptedUpload], list[tuple[Path, str]]]:
    accepted: list[AcceptedUpload] = []
    refused: list[tuple[Path, str]] = []
    with Progress(console=stderr, transient=True) as progress:
        task = progress.add_task("Enviando", total=len(files))
        for path in files:
            try:
                accepted.extend(accept_upload(context, [Upload(path.name, path.read_bytes(), password)]))
            except FaturasError as error:
                refused.append((path, error.message))
            except OSError as error:
                refused.append((path, f"não foi possível ler: {error}"))
            progress.advance(task)
    return accepted, refused


def _wait(context: ServiceContext, accepted: list[AcceptedUpload]) -> None:
    """Poll until every job finishes; in embedded mode, process them here meanwhile."""
    from faturas.worker.runtime import start_embedded_runtime

    settings = context.settings
    runtime = start_embedded_runtime(context, settings.workers) if settings.embedded_queue else None
    pending = {item.job_id for item in accepted}
    try:
        with Progress(console=stderr, transient=True) as progress:
            task = progress.add_task("Processando", total=len(pending))
            while pending:
                pending = {job_id for job_id in pending if get_job(context, job_id).status not in FINISHED_STATUSES}
                progress.update(task, completed=len(accepted) - len(pending))
                if pending:
                    time.sleep(0.2)
    finally:
        if runtime is not None:
            runtime.stop()


def _summary(context: ServiceContext, accepted: list[AcceptedUpload], refused: list[tuple[Path, str]]) -> None:
    jobs = [get_job(context, item.job_id) for item in accepted]
    counts = Counter(JobStatus(job.status) for job in jobs)
    for job in jobs:
        if job.status in (JobStatus.FAILED, JobStatus.DUPLICATE):
            stderr.print(f"{_mark(job)} {escape(job.document.original_name)}: {escape(_explain(job))}")
    for path, message in refused:
        stderr.print(f"[red]✘[/red] {escape(str(path))}: {escape(message)}")
    parts = [f"{counts[status]} {label}" for status, label in STATUS_LABELS.items() if counts[status]]
    if refused:
        parts.append(f"{len(refused)} recusada(s) no envio")
    stderr.print(", ".join(parts) + ".")


def _mark(job: JobView) -> str:
    return "[yellow]=[/yellow]" if job.status == JobStatus.DUPLICATE else "[red]✘[/red]"


def _explain(job: JobView) -> str:
    if job.error is not None:
        return f"{job.error.message} [{job.error.code}]"
    return job.message or job.status


def jobs(
    status: Annotated[JobStatus | None, typer.Option(help="Só jobs neste estado.")] = None,
    limit: Annotated[int, typer.Option(help="Quantos mostrar.", min=1)] = 50,
) -> None:
    """Lista os jobs de processamento."""
    context = build_context(get_settings())
    try:
        page = list_jobs(context, status, limit, 0)
    finally:
        context.close()
    table = Table("job", "estado", "arquivo", "tentativas", "faturas", "detalhe")
    for job in page.items:
        table.add_row(
            job.id,
            job.status,
            job.document.original_name,
            str(job.attempts),
            ",".join(map(str, job.invoice_ids)),
            _explain(job) if job.status in (JobStatus.FAILED, JobStatus.DUPLICATE) else "",
        )
    console.print(table)
    stderr.print(f"{len(page.items)} de {page.total} job(s).")


def retry(
    job_id: Annotated[str | None, typer.Argument(help="O job a tentar de novo.")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="Todos os jobs com falha.")] = False,
) -> None:
    """Põe jobs com falha de volta na fila."""
    if (job_id is None) == (not all_failed):
        raise typer.BadParameter("informe JOB_ID ou --all-failed (um dos dois)")
    context = build_context(get_settings())
    try:
        retried = retry_all_failed(context) if all_failed else [retry_job(context, job_id or "")]
        record(context.uow_factory, CLI, AuditAction.RETRY, "job", retried)
    except FaturasError as error:
        stderr.print(f"[red]✘[/red] {escape(error.message)}")
        raise typer.Exit(1) from error
    finally:
        context.close()
    stderr.print(f"{len(retried)} job(s) de volta na fila.")


def reprocess(
    distributor: Annotated[str | None, typer.Option(help="Só faturas desta distribuidora.")] = None,
    since: Annotated[datetime | None, typer.Option(help="Só documentos enviados desde (AAAA-MM-DD).")] = None,
) -> None:
    """Relê os documentos armazenados e atualiza as faturas, mostrando o que mudou."""
    context = build_context(get_settings())
    day: date | None = since.date() if since else None
    changed = failed = 0
    try:
        document_ids = documents_to_reprocess(context, distributor, day)
        record(context.uow_factory, CLI, AuditAction.REPROCESS, "document", document_ids)
        with Progress(console=stderr, transient=True) as progress:
            task = progress.add_task("Relendo", total=len(document_ids))
            for document_id in document_ids:
                result = reprocess_document(context, document_id)
                progress.advance(task)
                if result.error:
                    failed += 1
                    progress.console.print(f"[red]✘[/red] {escape(result.name)}: {escape(result.error)}")
                for invoice_id, fields in result.changes.items():
                    if fields:
                        changed += 1
                        names = ", ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in fields.items())
                        line = f"{result.name} (fatura {invoice_id}): {names}"
                        progress.console.print(f"[green]↻[/green] {escape(line)}")
    finally:
        context.close()
    stderr.print(f"{len(document_ids)} documento(s) relido(s), {changed} fatura(s) alterada(s), {failed} com erro.")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(jobs)
    app.command()(retry)
    app.command()(reprocess)

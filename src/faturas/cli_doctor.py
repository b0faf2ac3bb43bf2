"""``faturas doctor [--repair]``: check (and fix) the invariants that say no upload was lost or stored twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import inspect

from faturas.config import get_settings
from faturas.db.unit_of_work import database_errors
from faturas.errors import FaturasError
from faturas.services.context import ServiceContext, build_context
from faturas.services.doctor import CHECK_TITLES, Check, Examination, Repair, examine, repair

console = Console(soft_wrap=True, highlight=False)
stderr = Console(stderr=True, soft_wrap=True, highlight=False)

#: At most this many findings are listed per check (the count is always complete).
LISTED_PER_CHECK = 20


def doctor(
    fix: Annotated[bool, typer.Option("--repair", help="Corrige o que é seguro corrigir e diz o que fez.")] = False,
    grace_minutes: Annotated[
        float,
        typer.Option(
            "--grace-minutes",
            min=0,
            help="Arquivos sem documento mais novos que isto podem ser envios em andamento: não são tocados.",
        ),
    ] = 60,
) -> None:
    """Verifica o banco e o armazenamento: arquivos órfãos, jobs presos, documentos sem job, duplicatas.

    Sai com 0 quando está tudo certo (ou, com --repair, tudo foi corrigido) e 1 quando restam problemas.
    """
    try:
        context = build_context(get_settings(), migrate=False)
    except FaturasError as error:
        stderr.print(f"[red]Erro:[/red] {escape(error.message)}")
        raise typer.Exit(2) from None
    try:
        if not _has_schema(context):
            stderr.print("[red]Erro:[/red] o banco de dados não tem as tabelas do faturas; rode `faturas db upgrade`.")
            raise typer.Exit(2)
        examination = examine(context, timedelta(minutes=grace_minutes))
        _print_examination(examination, embedded=context.settings.embedded_queue)
        repairs = repair(context, examination) if fix else []
    except FaturasError as error:
        stderr.print(f"[red]Erro:[/red] {escape(error.message)}")
        raise typer.Exit(2) from None
    finally:
        context.close()
    if fix:
        _print_repairs(repairs)
        remaining = sum(1 for item in repairs if not item.done)
    else:
        remaining = len(examination.findings)
    raise typer.Exit(1 if remaining else 0)


def _has_schema(context: ServiceContext) -> bool:
    with database_errors():
        return inspect(context.engine).has_table("jobs")


def _print_examination(examination: Examination, *, embedded: bool) -> None:
    for check, title in CHECK_TITLES.items():
        if embedded and check is Check.UNQUEUED_JOB:
            console.print(f"[dim]–[/dim] {title}: não se aplica (a fila é a tabela de jobs)")
            continue
        findings = examination.of(check)
        if not findings:
            console.print(f"[green]✔[/green] {title}: nenhum")
            continue
        console.print(f"[red]✘[/red] {title}: {len(findings)}")
        for finding in findings[:LISTED_PER_CHECK]:
            console.print(f"    {escape(finding.subject)}: {escape(finding.detail)}")
        if len(findings) > LISTED_PER_CHECK:
            console.print(f"    … e mais {len(findings) - LISTED_PER_CHECK}")
    if examination.young_orphans:
        console.print(
            f"  ({examination.young_orphans} arquivo(s) recente(s) sem documento: "
            "provavelmente envios em andamento; não contam como problema)"
        )
    total = len(examination.findings)
    console.print("Tudo certo: nenhum problema encontrado." if not total else f"{total} problema(s) encontrado(s).")


def _print_repairs(repairs: list[Repair]) -> None:
    if not repairs:
        return
    console.print("Correções:")
    for item in repairs:
        mark = "[green]✔[/green]" if item.done else "[yellow]–[/yellow]"
        console.print(f"  {mark} {escape(item.finding.subject)}: {escape(item.detail)}")
    done = sum(1 for item in repairs if item.done)
    console.print(f"{done} problema(s) corrigido(s); {len(repairs) - done} restante(s).")


def register(app: typer.Typer) -> None:
    app.command()(doctor)

"""``faturas webhooks``: subscriptions, deliveries and redelivery from the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from faturas.config import get_settings
from faturas.db.models_webhooks import DeliveryStatus
from faturas.domain.formatting import format_date
from faturas.errors import FaturasError
from faturas.services.context import ServiceContext, build_context
from faturas.services.webhook_subscriptions import (
    create_subscription,
    delete_subscription,
    enable_subscription,
    list_deliveries,
    list_subscriptions,
    redeliver,
)

stderr = Console(stderr=True, soft_wrap=True, highlight=False)
console = Console(soft_wrap=True, highlight=False)

webhooks = typer.Typer(help="Webhooks: avisos assinados a outros sistemas.", no_args_is_help=True)

T = TypeVar("T")


@contextmanager
def _context() -> Iterator[ServiceContext]:
    context = build_context(get_settings())
    try:
        yield context
    except FaturasError as error:
        stderr.print(f"[red]✘[/red] {escape(error.message)}")
        raise typer.Exit(1) from error
    finally:
        context.close()


def _run(action: Callable[[ServiceContext], T]) -> T:
    with _context() as context:
        return action(context)


@webhooks.command("add")
def add(
    url: Annotated[str, typer.Argument(help="Endereço http(s) que recebe os eventos.", show_default=False)],
    events: Annotated[
        str, typer.Option(help="Eventos separados por vírgula (invoice.stored,job.failed…); vazio: todos.")
    ] = "",
) -> None:
    """Cria uma assinatura e mostra o segredo (uma única vez)."""
    created = _run(lambda context: create_subscription(context, url, events.split(",")))
    console.print(f"assinatura {created.id}: {escape(created.url)}")
    console.print(f"eventos: {', '.join(created.events)}")
    console.print(f"segredo: {created.secret}")
    stderr.print("Guarde o segredo: ele assina cada entrega e não será mostrado de novo.")


@webhooks.command("list")
def list_() -> None:
    """Lista as assinaturas, com as desativadas e o motivo."""
    subscriptions = _run(list_subscriptions)
    table = Table("id")
    table.add_column("url", overflow="fold")  # a URL is copied whole, never cut short
    for header in ("eventos", "estado", "pendentes", "falhas seguidas", "última falha"):
        table.add_column(header)
    for item in subscriptions:
        state = "ativa" if item.enabled else f"desativada: {item.disabled_reason or ''}"
        last = f"{format_date(item.last_failure_at.date())} {item.last_failure}" if item.last_failure_at else ""
        table.add_row(
            str(item.id),
            escape(item.url),
            ", ".join(item.events),
            escape(state),
            str(item.pending_deliveries),
            str(item.consecutive_failures),
            escape(last),
        )
    console.print(table)
    stderr.print(f"{len(subscriptions)} assinatura(s).")


@webhooks.command("remove")
def remove(subscription_id: Annotated[int, typer.Argument(help="A assinatura.", show_default=False)]) -> None:
    """Remove a assinatura e as suas entregas."""
    _run(lambda context: delete_subscription(context, subscription_id))
    stderr.print(f"Assinatura {subscription_id} removida.")


@webhooks.command("enable")
def enable(subscription_id: Annotated[int, typer.Argument(help="A assinatura.", show_default=False)]) -> None:
    """Reativa uma assinatura desativada; as entregas que esperavam saem em seguida."""
    subscription = _run(lambda context: enable_subscription(context, subscription_id))
    stderr.print(f"Assinatura {subscription.id} ativa ({subscription.pending_deliveries} entrega(s) pendente(s)).")


@webhooks.command("deliveries")
def deliveries(
    subscription: Annotated[int | None, typer.Option(help="Só desta assinatura.")] = None,
    status: Annotated[DeliveryStatus | None, typer.Option(help="Só neste estado.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Quantas mostrar.")] = 50,
) -> None:
    """Lista as entregas mais recentes, com as tentativas."""
    page = _run(lambda context: list_deliveries(context, subscription_id=subscription, status=status, limit=limit))
    table = Table()
    table.add_column("entrega", overflow="fold", min_width=32)  # the id is what redeliver takes
    for header in ("evento", "assinatura", "estado", "tentativas", "último erro"):
        table.add_column(header)
    for item in page.items:
        attempts = " ".join(str(a.status_code or a.error) for a in item.attempt_log)
        table.add_row(
            item.id,
            item.event_type,
            str(item.subscription_id),
            item.status,
            escape(attempts),
            escape(item.last_error or ""),
        )
    console.print(table)
    stderr.print(f"{len(page.items)} de {page.total} entrega(s).")


@webhooks.command("redeliver")
def send_again(delivery_id: Annotated[str, typer.Argument(help="A entrega.", show_default=False)]) -> None:
    """Agenda a entrega para ser enviada de novo (pelo worker)."""
    _run(lambda context: redeliver(context, delivery_id))
    stderr.print(f"Entrega {delivery_id} agendada para reenvio.")


def register(app: typer.Typer) -> None:
    app.add_typer(webhooks, name="webhooks")

"""CLI for access control: ``faturas users …`` and ``faturas tokens …`` (straight to the database)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from faturas.config import Settings, get_settings
from faturas.db.models_auth import Role
from faturas.db.unit_of_work import UnitOfWorkFactory, unit_of_work_factory
from faturas.errors import AuthNotConfigured, FaturasError
from faturas.services.access_mode import check_exposure, is_loopback
from faturas.services.api_tokens import create_token, list_tokens, revoke_token
from faturas.services.audit import CLI
from faturas.services.auth import change_user, create_user, find_user_id, has_active_users, list_users

users_app = typer.Typer(help="Usuários que entram na web e na API.", no_args_is_help=True)
tokens_app = typer.Typer(help="Tokens de API (Authorization: Bearer) para programas.", no_args_is_help=True)
stderr = Console(stderr=True, soft_wrap=True, highlight=False)
console = Console(soft_wrap=True, highlight=False)

T = TypeVar("T")

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Lê a senha da entrada padrão (primeira linha) em vez de perguntar.")
]


@contextmanager
def _database() -> Iterator[UnitOfWorkFactory]:
    from faturas.db.engine import engine_from_settings, upgrade_database

    engine = engine_from_settings(get_settings())
    try:
        upgrade_database(engine)
        yield unit_of_work_factory(engine)
    finally:
        engine.dispose()


def _run(action: Callable[[UnitOfWorkFactory], T]) -> T:
    """Run against the database; a FaturasError becomes its message and exit code 1."""
    try:
        with _database() as uow_factory:
            return action(uow_factory)
    except FaturasError as error:
        stderr.print(f"[red]Erro:[/red] {error.message}")
        raise typer.Exit(1) from None


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Senha", hide_input=True, confirmation_prompt="Repita a senha")
    return password


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="E-mail (é o login).")],
    role: Annotated[Role, typer.Option(help="admin: tudo; operator: enviar, ver, baixar, reenviar.")] = Role.OPERATOR,
    password_stdin: PasswordStdin = False,
) -> None:
    """Cria um usuário (a senha é pedida, ou lida com --password-stdin)."""
    password = _read_password(password_stdin)
    user = _run(lambda uow_factory: create_user(uow_factory, email, password, role, CLI))
    stderr.print(f"Usuário {user.email} criado (id {user.id}, papel {user.role}).")


@users_app.command("list")
def users_list() -> None:
    """Lista os usuários."""
    table = Table("id", "e-mail", "papel", "ativo", "criado", "último login")
    for user in _run(list_users):
        table.add_row(
            str(user.id),
            user.email,
            user.role,
            "sim" if user.active else "não",
            _when(user.created_at),
            _when(user.last_login_at),
        )
    console.print(table)


def _set_active(email: str, active: bool) -> None:
    user = _run(lambda uow_factory: change_user(uow_factory, find_user_id(uow_factory, email), CLI, active=active))
    state = "ativado" if active else "desativado (sessões encerradas; seus tokens deixam de valer)"
    stderr.print(f"Usuário {user.email} {state}.")


@users_app.command("disable")
def users_disable(email: Annotated[str, typer.Argument(help="E-mail do usuário.")]) -> None:
    """Desativa um usuário: encerra suas sessões e invalida seus tokens."""
    _set_active(email, False)


@users_app.command("enable")
def users_enable(email: Annotated[str, typer.Argument(help="E-mail do usuário.")]) -> None:
    """Reativa um usuário."""
    _set_active(email, True)


@users_app.command("password")
def users_password(
    email: Annotated[str, typer.Argument(help="E-mail do usuário.")], password_stdin: PasswordStdin = False
) -> None:
    """Troca a senha de um usuário (e encerra suas sessões)."""
    password = _read_password(password_stdin)
    _run(lambda uow_factory: change_user(uow_factory, find_user_id(uow_factory, email), CLI, password=password))
    stderr.print(f"Senha de {email} trocada.")


@tokens_app.command("create")
def tokens_create(
    user: Annotated[str, typer.Option("--user", help="E-mail do usuário dono do token (o token tem o papel dele).")],
    name: Annotated[str, typer.Option("--name", help="Para que serve (ex.: integração ERP).")],
) -> None:
    """Cria um token de API e o mostra uma única vez."""
    token, secret = _run(lambda uow_factory: create_token(uow_factory, find_user_id(uow_factory, user), name, CLI))
    stderr.print(f"Token {token.id} ({token.name}) criado. Guarde-o agora: ele não será mostrado de novo.")
    typer.echo(secret)


@tokens_app.command("list")
def tokens_list(user: Annotated[str | None, typer.Option("--user", help="Só os tokens deste usuário.")] = None) -> None:
    """Lista os tokens (nunca o segredo: só o começo dele)."""

    def tokens(uow_factory: UnitOfWorkFactory) -> list[tuple[str, ...]]:
        emails = {item.id: item.email for item in list_users(uow_factory)}
        user_id = find_user_id(uow_factory, user) if user is not None else None
        return [
            (
                str(t.id),
                emails.get(t.user_id, "?"),
                t.name,
                t.prefix + "…",
                _when(t.created_at),
                _when(t.last_used_at),
                "revogado" if t.revoked_at else "ativo",
            )
            for t in list_tokens(uow_factory, user_id)
        ]

    table = Table("id", "usuário", "nome", "começa com", "criado", "último uso", "estado")
    for row in _run(tokens):
        table.add_row(*row)
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="Id do token (veja faturas tokens list).")]) -> None:
    """Revoga um token: ele deixa de valer na hora."""
    token = _run(lambda uow_factory: revoke_token(uow_factory, token_id, CLI))
    stderr.print(f"Token {token.id} ({token.name}) revogado.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")


def refuse_unsafe_exposure(settings: Settings) -> None:
    """``faturas serve`` on an address other machines can reach needs someone to be able to log in."""
    if is_loopback(settings.host) and settings.auth != "on":
        return
    from faturas.db.engine import engine_from_settings, upgrade_database

    engine = engine_from_settings(settings)
    try:
        upgrade_database(engine)
        uow_factory = unit_of_work_factory(engine)
        check_exposure(settings, uow_factory)
        if not has_active_users(uow_factory):
            hint = "Login ligado e nenhum usuário ativo: crie um com `faturas users create EMAIL`."
            stderr.print(f"[yellow]{hint}[/yellow]")
    except AuthNotConfigured as error:
        stderr.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()

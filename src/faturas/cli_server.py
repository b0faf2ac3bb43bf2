"""CLI commands that run faturas: serve (API + embedded workers), worker, db upgrade."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from faturas.config import Settings, get_settings

db_app = typer.Typer(help="Banco de dados.", no_args_is_help=True)


def serve(
    host: Annotated[str | None, typer.Option(help="Endereço (padrão: FATURAS_HOST ou 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Porta (padrão: FATURAS_PORT ou 8000).")] = None,
    workers: Annotated[int | None, typer.Option(help="Faturas lidas ao mesmo tempo (processos).", min=1)] = None,
) -> None:
    """Serve a API (e, no modo embutido, processa as faturas no mesmo comando)."""
    import uvicorn

    from faturas.api.app import create_app
    from faturas.cli_users import refuse_unsafe_exposure
    from faturas.logging_setup import configure_logging
    from faturas.observability.multiprocess import prepare_metrics_dir

    overrides = {key: value for key, value in {"host": host, "port": port, "workers": workers}.items() if value}
    settings = get_settings().model_copy(update=overrides)
    refuse_unsafe_exposure(settings)  # beyond loopback only with someone able to log in
    prepare_metrics_dir(settings)  # before any metric is used: the extraction processes report too
    configure_logging(settings)
    typer.echo(f"faturas em http://{settings.host}:{settings.port} (dados: {_where(settings)})", err=True)
    # Our middleware writes the access lines, with the request id; uvicorn's would lack it.
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None, access_log=False)


def worker(
    concurrency: Annotated[int | None, typer.Option(help="Faturas lidas ao mesmo tempo (processos).", min=1)] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(help="Serve as métricas deste worker (Prometheus) em http://FATURAS_HOST:PORTA/metrics."),
    ] = None,
) -> None:
    """Processa a fila de faturas até receber SIGTERM/SIGINT."""
    from faturas.logging_setup import configure_logging
    from faturas.observability.multiprocess import prepare_metrics_dir
    from faturas.worker import run_worker

    settings = get_settings()
    prepare_metrics_dir(settings)
    configure_logging(settings)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        from faturas.observability.exposition import metrics_registry

        start_http_server(metrics_port, addr=settings.host, registry=metrics_registry(None))
    run_worker(settings, concurrency or settings.workers)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Aplica as migrações pendentes."""
    from faturas.db.engine import engine_from_settings, upgrade_database

    settings = get_settings()
    engine = engine_from_settings(settings)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    typer.echo(f"Banco de dados atualizado ({_where(settings)}).", err=True)


def _where(settings: Settings) -> str:
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
    app.add_typer(db_app, name="db")

"""The ``hubdeck`` command: parses arguments and settings, then hands over to the app."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Annotated, NoReturn

import typer

from hubdeck import __version__
from hubdeck.config import Settings, SettingsError, load_settings

# Exit code for bad configuration, as for a command-line usage error: retrying will not help.
EXIT_CONFIG = 2

app = typer.Typer(
    name="hubdeck",
    help="HubDeck: self-hosted, real-time dashboards of a team's GitHub work.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


# Where a process without the web UI (a worker, a dispatcher) serves /metrics and /healthz.
MetricsHost = Annotated[
    str, typer.Option(envvar="HUBDECK_METRICS_HOST", help="Interface of /metrics.")
]
MetricsPort = Annotated[
    int | None,
    typer.Option(envvar="HUBDECK_METRICS_PORT", help="Port of /metrics and /healthz."),
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"hubdeck: {message}", err=True)
    raise typer.Exit(EXIT_CONFIG)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        _fail(str(error))


@app.command()
def version() -> None:
    """Print the HubDeck version."""
    typer.echo(__version__)


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HUBDECK_HOST", help="Interface to bind.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(envvar="HUBDECK_PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="uvicorn worker processes. More than one needs HUBDECK_REDIS_URL, so that "
            "the workers share channels, history and presence.",
        ),
    ] = 1,
    background: Annotated[
        bool,
        typer.Option(
            "--background/--no-background",
            help="Run the background work here (sync, webhook delivery, event relay). "
            "--no-background: a web-only node of a cluster whose `hubdeck worker`s do it.",
        ),
    ] = True,
) -> None:
    """Serve the HTTP API, the real-time endpoint and the web UI."""
    import os

    import uvicorn

    from hubdeck.logs import configure_logging

    if not background:
        # uvicorn's factory builds the app from the environment in each worker process.
        os.environ["HUBDECK_BACKGROUND_JOBS"] = "false"
    settings = _settings()
    if workers > 1 and settings.redis_url is None:
        _fail("--workers above 1 needs HUBDECK_REDIS_URL (in-memory state is per process)")
    configure_logging(settings.log_level.value, settings.log_json)
    _check_schema(settings)
    uvicorn.run(
        "hubdeck.cli:_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        # Compression doubles memory per connection and costs a fifth of throughput; the
        # frames are small JSON.
        ws_per_message_deflate=False,
        # HubDeck pings every connection itself (Centrifuge's ping/pong, which the SDKs
        # answer); uvicorn's protocol-level pings on top cost a tenth of a busy node's CPU.
        ws_ping_interval=None,
        ws="hubdeck.web.realtime.direct:HubDeckWebSocketProtocol",
        proxy_headers=True,
        lifespan="on",
    )


def _app_from_environment() -> object:
    """uvicorn's factory (each worker process builds its app from the same environment)."""
    from hubdeck.app import create_app
    from hubdeck.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level.value, settings.log_json)
    return create_app(settings, background=settings.background_jobs)


def _check_schema(settings: Settings) -> None:
    """Stop with one line instead of a traceback when the database is unusable."""
    from hubdeck.adapters.db import migrate

    url = settings.resolved_database_url
    try:
        if settings.is_sqlite:
            asyncio.run(migrate.upgrade(url))
            return
        current = asyncio.run(migrate.current_revision(url))
    except Exception as error:
        _fail(f"cannot open the database ({type(error).__name__}: {_first_line(error)})")
    head = migrate.head_revision()
    if current != head:
        _fail(
            f"the database schema is at {current or 'nothing'}, this HubDeck needs {head}: "
            "run `hubdeck db upgrade`"
        )


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0]


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from hubdeck.adapters.db import migrate

    settings = _settings()
    try:
        asyncio.run(migrate.upgrade(settings.resolved_database_url, revision))
        current = asyncio.run(migrate.current_revision(settings.resolved_database_url))
    except Exception as error:
        _fail(f"upgrade failed ({type(error).__name__}: {_first_line(error)})")
    typer.echo(f"database at revision {current}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or -N steps.")] = "-1",
) -> None:
    """Revert migrations down to REVISION (default: one step)."""
    from hubdeck.adapters.db import migrate

    settings = _settings()
    try:
        asyncio.run(migrate.downgrade(settings.resolved_database_url, revision))
        current = asyncio.run(migrate.current_revision(settings.resolved_database_url))
    except Exception as error:
        _fail(f"downgrade failed ({type(error).__name__}: {_first_line(error)})")
    typer.echo(f"database at revision {current or 'base (empty)'}")


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HubDeck's port.")] = 8000,
    simulator_port: Annotated[int, typer.Option(help="The GitHub simulator's port.")] = 8765,
    activity_rate: Annotated[
        float, typer.Option(min=0, help="Simulated GitHub events per second.")
    ] = 0.5,
) -> None:
    """Run HubDeck wired to the built-in GitHub simulator: sign in, see live data."""
    from hubdeck.demo import run_demo
    from hubdeck.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level.value, settings.log_json)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            run_demo(
                settings,
                host=host,
                port=port,
                simulator_port=simulator_port,
                activity_rate=activity_rate,
            )
        )


@app.command()
def simulator(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the generated data.")] = 1,
    repos: Annotated[int, typer.Option(min=1, help="Repositories of the organization.")] = 5,
    issues: Annotated[int, typer.Option(min=0, help="Issues per repository.")] = 20,
    pulls: Annotated[int, typer.Option(min=0, help="Pull requests per repository.")] = 15,
    activity_rate: Annotated[
        float, typer.Option(min=0, help="Activity events per second (0: none).")
    ] = 0.0,
    webhook_url: Annotated[
        str | None, typer.Option(help="Where to send webhooks of the activity.")
    ] = None,
    webhook_secret: Annotated[
        str | None,
        typer.Option(help="Secret signing the webhooks.", envvar="SIMULATOR_WEBHOOK_SECRET"),
    ] = None,
    rate_limit: Annotated[int, typer.Option(min=1, help="Requests per token per hour.")] = 5000,
) -> None:
    """Run the GitHub simulator: seeded data, OAuth, REST, rate limits and webhooks."""
    from hubdeck.simulator import SimulatorConfig, serve

    config = SimulatorConfig(
        seed=seed,
        repos=repos,
        issues_per_repo=issues,
        pulls_per_repo=pulls,
        activity_rate=activity_rate,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        rate_limit_per_hour=rate_limit,
    )
    serve(config, host=host, port=port)


webhooks_app = typer.Typer(help="Outgoing webhooks.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("dispatch")
def webhooks_dispatch(
    metrics_host: MetricsHost = "127.0.0.1",
    metrics_port: MetricsPort = None,
) -> None:
    """Deliver outgoing webhooks (alongside the servers' own dispatchers) until stopped."""
    from hubdeck.background import run_dispatcher
    from hubdeck.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level.value, settings.log_json)
    _check_schema(settings)
    asyncio.run(run_dispatcher(settings, metrics_host=metrics_host, metrics_port=metrics_port))


@app.command()
def worker(
    metrics_host: MetricsHost = "127.0.0.1",
    metrics_port: MetricsPort = None,
) -> None:
    """Run the background work (sync, webhook delivery, event relay) without serving the UI."""
    from hubdeck.background import run_worker
    from hubdeck.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level.value, settings.log_json)
    _check_schema(settings)
    asyncio.run(run_worker(settings, metrics_host=metrics_host, metrics_port=metrics_port))


@app.command()
def cluster(
    nodes: Annotated[int, typer.Option(min=1, max=16, help="Web nodes.")] = 2,
    workers: Annotated[int, typer.Option(min=0, max=16, help="Worker processes.")] = 1,
    host: Annotated[str, typer.Option(help="Interface of the balancer and the nodes.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="The balancer's port (what browsers open).")] = 8080,
    node_port: Annotated[int, typer.Option(help="The first web node's port.")] = 8001,
    metrics_port: Annotated[int, typer.Option(help="The first worker's /metrics port.")] = 9101,
) -> None:
    """Run a local cluster on PostgreSQL and Redis: web nodes, workers and a balancer."""
    from hubdeck.cluster import ClusterPlan, run_cluster
    from hubdeck.logs import configure_logging

    settings = _settings()
    if settings.redis_url is None or settings.is_sqlite:
        _fail("a cluster needs HUBDECK_DATABASE_URL (PostgreSQL) and HUBDECK_REDIS_URL")
    configure_logging(settings.log_level.value, settings.log_json)
    _check_schema(settings)
    plan = ClusterPlan(
        nodes=nodes,
        workers=workers,
        host=host,
        port=port,
        node_port=node_port,
        metrics_port=metrics_port,
    )
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(asyncio.run(run_cluster(plan, settings)))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)

"""``hubdeck demo``: HubDeck and the GitHub simulator in one process, wired together.

The simulator plays github.com (OAuth, REST, webhooks) with a seeded organization ``acme``; a
team adopted for that organization already follows its repositories, so whoever signs in as one
of its members lands on repositories with data. The simulator's activity generator keeps
sending signed webhooks, so pages change while you watch.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
from pathlib import Path

import structlog
import uvicorn

from hubdeck.app import create_app
from hubdeck.config import Settings
from hubdeck.runtime import Runtime
from hubdeck.simulator import SimulatorConfig
from hubdeck.simulator.app import Simulator
from hubdeck.simulator.config import DEFAULT_OAUTH_APP
from hubdeck.web.realtime.direct import HubDeckWebSocketProtocol

log = structlog.get_logger(__name__)

DEMO_OWNER = "alice"


def demo_settings(base: Settings, *, public_url: str, simulator_url: str) -> Settings:
    data_dir = base.data_dir / "demo"
    # A fresh start every time: the simulator seeds a new world on each run, and yesterday's
    # demo data would not match it.
    shutil.rmtree(data_dir, ignore_errors=True)
    # Validated anew (model_copy would not), from the given settings plus the demo's own.
    return Settings(
        **{
            **base.model_dump(),
            "data_dir": data_dir,
            "database_url": None,
            "redis_url": None,
            "public_url": public_url,
            "github_api_url": simulator_url,
            "github_web_url": simulator_url,
            "github_client_id": DEFAULT_OAUTH_APP.client_id,
            "github_client_secret": DEFAULT_OAUTH_APP.client_secret,
        }
    )


async def bootstrap(runtime: Runtime, simulator: Simulator, hubdeck_url: str) -> int:
    """The demo team: adopted for ``acme`` by its first member, following every repository,
    receiving the simulator's webhooks. Returns the team id."""
    token = "ghp_demo_" + secrets.token_hex(16)
    simulator.store.issue_token(
        DEMO_OWNER, ("repo", "read:org", "user"), now=simulator.clock.now(), value=token
    )
    account = (await runtime.login.github_account(token)).value
    user = await runtime.users.upsert_github(account.id, account.login, None, account.avatar_url)
    await runtime.login.remember_token(user.id, token)
    team = await runtime.teams.create(user.id, "Acme Corp", simulator.config.org_login)
    for repository in sorted(simulator.store.repos.values(), key=lambda r: r.id):
        if repository.owner == simulator.config.org_login:
            await runtime.repositories.follow(
                team.id, user.id, f"{repository.owner}/{repository.name}"
            )
    secret = await runtime.github_webhooks.rotate_secret(team.id, user.id)
    simulator.sender.configure(f"{hubdeck_url}/webhooks/github?team={team.id}", secret)
    return team.id


async def run_demo(
    settings: Settings,
    *,
    host: str,
    port: int,
    simulator_port: int,
    activity_rate: float,
    static_dir: Path | None = None,
) -> None:
    # Links and redirects need an address a browser can open, which 0.0.0.0 is not.
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    simulator_url = f"http://{reachable}:{simulator_port}"
    hubdeck_url = f"http://{reachable}:{port}"
    settings = demo_settings(settings, public_url=hubdeck_url, simulator_url=simulator_url)
    simulator = Simulator(
        SimulatorConfig(
            base_url=simulator_url,
            activity_rate=activity_rate,
            send_ping_on_start=False,
            # Enough history that every chart has something to say on the first screen.
            issues_per_repo=40,
            pulls_per_repo=40,
        )
    )
    app = (
        create_app(settings) if static_dir is None else create_app(settings, static_dir=static_dir)
    )
    servers = [
        uvicorn.Server(
            uvicorn.Config(
                simulator.app, host=host, port=simulator_port, log_config=None, ws="none"
            )
        ),
        uvicorn.Server(
            uvicorn.Config(
                app,
                host=host,
                port=port,
                log_config=None,
                ws_per_message_deflate=False,
                ws_ping_interval=None,  # HubDeck pings itself, as under `hubdeck serve`
                ws=HubDeckWebSocketProtocol,
            )
        ),
    ]
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    try:
        while not all(server.started for server in servers):
            for task in tasks:
                if task.done():
                    task.result()  # a port in use: fail with uvicorn's reason
            await asyncio.sleep(0.05)
        runtime: Runtime = app.state.runtime
        await bootstrap(runtime, simulator, hubdeck_url)
        print(
            f"\nHubDeck demo: open {hubdeck_url} and sign in as alice, bob or carol "
            f"(GitHub simulator at {simulator_url}). Ctrl+C stops it.\n",
            flush=True,
        )
        await asyncio.gather(*tasks)
    finally:
        for server in servers:
            server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)

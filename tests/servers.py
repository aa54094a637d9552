"""Run HubDeck for a test: in-process on a real socket, or as a real `hubdeck serve` process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from hubdeck.app import create_app
from hubdeck.config import Settings
from hubdeck.core.clock import Clock
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE
from hubdeck.runtime import Runtime
from hubdeck.simulator import SimulatorConfig
from hubdeck.simulator.app import Simulator
from hubdeck.simulator.config import DEFAULT_OAUTH_APP
from hubdeck.web.realtime.direct import HubDeckWebSocketProtocol

# The app behind each running in-process server, for tests that reach into its runtime.
APPS: dict[str, FastAPI] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def cookie_client(runtime: Runtime, url: str, user_id: int) -> httpx.AsyncClient:
    """A client signed in as the page is: the session cookie, and on writes the Origin and the
    CSRF token that cookie-authenticated writes need."""
    auth = runtime.authenticator
    session = await auth.sign_in(user_id)
    return httpx.AsyncClient(
        base_url=url,
        cookies={INSECURE_SESSION_COOKIE: session},
        headers={"Origin": url, "X-CSRF-Token": auth.csrf_token(session)},
        timeout=15,
    )


def stack_settings(
    tmp_path: Path, database_url: str, redis: tuple[str, str] | None, **overrides: object
) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "secret_key": "test-secret-key-of-enough-length-for-hs256",
        "log_json": False,
        # Many apps in one test process: frozen objects would never be freed.
        "gc_tuning": False,
    }
    if redis is not None:
        values["redis_url"], values["redis_prefix"] = redis
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def running_app(
    settings: Settings,
    static_dir: Path | None = None,
    *,
    ws: str = "hubdeck",
    clock: Clock | None = None,
) -> AsyncIterator[str]:
    """Serve ``create_app(settings)`` with uvicorn on a free port; yield its base URL.
    ``ws``: "hubdeck" for the WebSocket protocol `hubdeck serve` uses, "auto" for uvicorn's
    stock one (publications then go through ASGI). ``clock``: the services' clock."""
    port = free_port()
    app = (
        create_app(settings, clock=clock)
        if static_dir is None
        else create_app(settings, static_dir=static_dir, clock=clock)
    )
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        ws_per_message_deflate=False,
        ws_ping_interval=None,  # as `hubdeck serve`: HubDeck pings itself
        ws=HubDeckWebSocketProtocol if ws == "hubdeck" else ws,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # start-up failed: raise its error here
            await asyncio.sleep(0.02)
        url = f"http://127.0.0.1:{port}"
        APPS[url] = app
        yield url
    finally:
        APPS.pop(f"http://127.0.0.1:{port}", None)
        server.should_exit = True
        await _stopped(server, task)


async def _stopped(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    """Wait for a server to stop. A shutdown that takes longer than any should is reported with
    the stack of every task still running (to find what holds it), then forced."""
    done, _ = await asyncio.wait({task}, timeout=30)
    if done:
        task.result()
        return
    for other in asyncio.all_tasks():
        if other is not asyncio.current_task():
            print(f"--- still running at shutdown: {other.get_name()}", file=sys.stderr)
            other.print_stack(file=sys.stderr)
    server.force_exit = True
    done, _ = await asyncio.wait({task}, timeout=10)
    if not done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def running_simulator(**options: object) -> AsyncIterator[tuple[str, Simulator]]:
    """The GitHub simulator on a real socket; yields (base URL, simulator)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    simulator = Simulator(SimulatorConfig(base_url=url, **options))  # type: ignore[arg-type]
    config = uvicorn.Config(
        simulator.app, host="127.0.0.1", port=port, log_config=None, lifespan="on", ws="none"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        yield url, simulator
    finally:
        server.should_exit = True
        await task


def simulator_settings(simulator_url: str) -> dict[str, object]:
    """HubDeck settings that point it at a simulator."""
    return {
        "github_api_url": simulator_url,
        "github_web_url": simulator_url,
        "github_client_id": DEFAULT_OAUTH_APP.client_id,
        "github_client_secret": DEFAULT_OAUTH_APP.client_secret,
    }


class ServerProcess:
    """A real `hubdeck serve` process, which a test can stop and start again on the same port."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        # Logs go to a file: an unread pipe would block the server once its buffer is full.
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hubdeck", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hubdeck serve exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise TimeoutError("hubdeck serve did not become ready")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def server_process(env: dict[str, str], log_path: Path) -> Iterator[ServerProcess]:
    # Only the given HUBDECK_* settings: the developer's own environment must not leak in.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("HUBDECK_")}
    port = free_port()
    own = {"HUBDECK_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    server = ServerProcess({**inherited, **own, **env}, port, log_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()

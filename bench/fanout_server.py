"""One server under test for bench/fanout.py, in its own process (uvicorn, one worker).

    python bench/fanout_server.py --kind hubdeck --port 8101 [--gc tuned]

Kinds:
  hubdeck     HubDeck's own app (create_app) on SQLite in a temporary directory; in memory, or on
              Redis when HUBDECK_REDIS_URL (and a unique HUBDECK_REDIS_PREFIX) are set. The
              nodes of a cluster share Redis and ``--data-dir``; all but one run ``--no-seed``.
  socketio    stock python-socketio: AsyncServer(async_mode="asgi"), a "join" event enters room
              "r", a publish is ``await sio.emit("event", payload, room="r")``.
  starlette   a minimal Starlette WebSocket loop: a set of accepted sockets, and a publish is
              ``for ws in sockets: await ws.send_text(text)``.

Every kind gets the same bench routes, so the three are driven identically:
  GET  /_bench/info     {"token", "channel", "pid"}; token and channel are HubDeck's, else ""
  GET  /_bench/stats    {"connections"}
  POST /_bench/publish?rate=&duration=&size=   runs the publishing loop here, in the server
       process, as HubDeck's ingest → event bus → stream path does; answers when it is done.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import ASGIApp
from starlette.websockets import WebSocket, WebSocketDisconnect

from fanout_common import apply_gc, payload, publish_loop, raise_open_files_limit
from hubdeck.web.realtime.direct import HubDeckWebSocketProtocol

Publish = Callable[[int, int], Awaitable[None]]  # (seq, size)
ROOM = "r"


def bench_routes(
    publish: Publish, info: Callable[[], dict[str, Any]], connections: Callable[[], int]
) -> list[BaseRoute]:
    async def info_route(request: Request) -> JSONResponse:
        return JSONResponse({**info(), "pid": os.getpid()})

    async def stats_route(request: Request) -> JSONResponse:
        return JSONResponse({"connections": connections()})

    async def publish_route(request: Request) -> JSONResponse:
        query = request.query_params
        size = int(query.get("size", "300"))

        async def one(seq: int) -> None:
            await publish(seq, size)

        result = await publish_loop(
            one, rate=float(query.get("rate", "0")), duration=float(query.get("duration", "1"))
        )
        return JSONResponse(result)

    return [
        Route("/_bench/info", info_route),
        Route("/_bench/stats", stats_route),
        Route("/_bench/publish", publish_route, methods=["POST"]),
    ]


# --- HubDeck -----------------------------------------------------------------------------------


def hubdeck_app(data_dir: str | None = None, seed_data: bool = True) -> ASGIApp:
    from hubdeck.adapters.db.engine import create_engine
    from hubdeck.adapters.db.teams import DbTeamStore
    from hubdeck.adapters.db.users import DbUserStore
    from hubdeck.app import create_app
    from hubdeck.config import load_settings
    from hubdeck.logs import configure_logging
    from hubdeck.runtime import Runtime

    # A cluster's nodes share one directory (database, secret key), which the caller owns.
    owned = data_dir is None
    data_dir = data_dir or tempfile.mkdtemp(prefix="hubdeck-fanout-")
    # Explicit SQLite: a HUBDECK_DATABASE_URL in the caller's environment must not be used.
    settings = load_settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir}/hubdeck.db",
        log_level="warning",
        log_json=False,
    )
    configure_logging("warning", json=False)
    app = create_app(settings, background=False)
    seeded: dict[str, Any] = {}

    def runtime() -> Runtime:
        value: Runtime = app.state.runtime
        return value

    async def seed(rt: Runtime) -> None:
        """A user who owns a team, so the user may subscribe ``team:{id}``."""
        engine = create_engine(settings.resolved_database_url)
        try:
            user = await DbUserStore(engine).add("fanout-bench")
            team = await DbTeamStore(engine).create("fanout", "Fan-out", None, owner_id=user.id)
        finally:
            await engine.dispose()
        seeded["channel"] = f"team:{team.id}"
        seeded["token"] = rt.authenticator.issue_connect_token(user.id, ttl=timedelta(hours=2))

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(asgi: Any) -> AsyncIterator[Any]:
        async with inner(asgi) as state:
            if seed_data:
                await seed(runtime())
            yield state
        if owned:
            shutil.rmtree(data_dir, ignore_errors=True)

    app.router.lifespan_context = lifespan

    async def publish(seq: int, size: int) -> None:
        # The stream appends to history and fans out, exactly as LivePublisher does.
        await runtime().infra.stream.publish(seeded["channel"], orjson.dumps(payload(seq, size)))

    routes = bench_routes(
        publish,
        lambda: {"token": seeded.get("token", ""), "channel": seeded.get("channel", "")},
        lambda: runtime().realtime.connection_count,
    )
    # In front: the front end's catch-all GET route would otherwise answer /_bench/info.
    app.router.routes[0:0] = routes
    return app


# --- python-socketio ---------------------------------------------------------------------------


def socketio_app() -> ASGIApp:
    import socketio

    sio = socketio.AsyncServer(async_mode="asgi")
    sids: set[str] = set()

    @sio.event
    async def connect(sid: str, environ: dict[str, Any]) -> None:
        sids.add(sid)

    @sio.event
    async def disconnect(sid: str, *args: Any) -> None:
        sids.discard(sid)

    @sio.on("join")
    async def join(sid: str, room: str) -> str:
        await sio.enter_room(sid, room)
        return "ok"  # the acknowledgement tells the client it is in the room

    async def publish(seq: int, size: int) -> None:
        await sio.emit("event", payload(seq, size), room=ROOM)

    routes = bench_routes(publish, lambda: {"token": "", "channel": ROOM}, lambda: len(sids))
    app: ASGIApp = socketio.ASGIApp(sio, other_asgi_app=Starlette(routes=routes))
    return app


# --- minimal Starlette loop --------------------------------------------------------------------


def starlette_app() -> ASGIApp:
    sockets: set[WebSocket] = set()

    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        sockets.add(websocket)
        await websocket.send_text("ready")
        try:
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass
        except WebSocketDisconnect:
            pass
        finally:
            sockets.discard(websocket)

    async def publish(seq: int, size: int) -> None:
        text = orjson.dumps(payload(seq, size)).decode()
        for websocket in tuple(sockets):  # a snapshot: sockets leave while we await
            try:
                await websocket.send_text(text)
            except (WebSocketDisconnect, RuntimeError, OSError):
                sockets.discard(websocket)

    routes = [
        WebSocketRoute("/ws", endpoint),
        *bench_routes(publish, lambda: {"token": "", "channel": ""}, lambda: len(sockets)),
    ]
    return Starlette(routes=routes)


APPS: dict[str, Callable[[], ASGIApp]] = {
    "hubdeck": hubdeck_app,
    "socketio": socketio_app,
    "starlette": starlette_app,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", choices=sorted(APPS), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--gc", choices=("default", "tuned"), default="default")
    parser.add_argument("--data-dir", help="hubdeck: a directory that other nodes share")
    parser.add_argument("--no-seed", action="store_true", help="hubdeck: another node seeds")
    args = parser.parse_args()
    raise_open_files_limit()
    apply_gc(args.gc)
    app = (
        hubdeck_app(args.data_dir, seed_data=not args.no_seed)
        if args.kind == "hubdeck"
        else APPS[args.kind]()
    )
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        # The same for all three: no compression (ARCHITECTURE §4), a backlog that takes a
        # batch of connects at once, uvicorn's default loop (uvloop) and WebSocket stack.
        ws_per_message_deflate=False,
        # HubDeck as `hubdeck serve` runs it: its own subclass of that stack, which lets a
        # publication's frame be encoded once for all recipients (web/realtime/direct.py).
        ws=HubDeckWebSocketProtocol if args.kind == "hubdeck" else "auto",
        # `hubdeck serve` leaves liveness to HubDeck's own pings (the others keep uvicorn's).
        ws_ping_interval=None if args.kind == "hubdeck" else 20.0,
        backlog=4096,
        lifespan="on",
    )


if __name__ == "__main__":
    main()

"""A client that cannot keep up is disconnected with a reconnect code; the others are not slowed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import websockets
from websockets.asyncio.client import connect as ws_connect

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.runtime import Runtime
from tests.servers import APPS, running_app, stack_settings
from tests.web.realtime_clients import ws_url

pytestmark = pytest.mark.stack


# "hubdeck": publications written straight to the socket, the backlog read off the transport;
# "auto": uvicorn's stock protocol, publications through ASGI and the connection's own queue.
@pytest.mark.parametrize("ws", ["hubdeck", "auto"])
async def test_slow_consumer_is_cut_and_others_get_everything(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None, ws: str
) -> None:
    await migrate.upgrade(stack_database)
    engine = create_engine(stack_database)
    alice = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("t", "T", None, alice.id)
    await engine.dispose()
    settings = stack_settings(
        tmp_path, stack_database, stack_redis, ws_max_queued_bytes=64 * 1024, history_size=5000
    )
    async with running_app(settings, ws=ws) as url:
        runtime: Runtime = APPS[url].state.runtime
        token = runtime.authenticator.issue_connect_token(alice.id)
        channel = f"team:{team.id}"

        async def joined(socket: websockets.ClientConnection) -> None:
            await socket.send(json.dumps({"id": 1, "connect": {"token": token}}))
            await socket.send(json.dumps({"id": 2, "subscribe": {"channel": channel}}))
            replies = 0
            while replies < 2:
                replies += sum(1 for line in str(await socket.recv()).split("\n") if '"id"' in line)

        # max_queue=1: the slow client's library stops reading after one frame, so TCP fills.
        async with ws_connect(ws_url(url), max_queue=1) as slow, ws_connect(ws_url(url)) as fast:
            await joined(slow)
            await joined(fast)
            received = 0

            async def read_fast() -> None:
                nonlocal received
                while received < 2000:
                    frame = str(await fast.recv())
                    received += frame.count('"pub"')

            reader = asyncio.create_task(read_fast())
            payload = json.dumps({"type": "x", "pad": "p" * 4000}).encode()
            for _ in range(2000):
                await runtime.infra.stream.publish(channel, payload)
            await asyncio.wait_for(reader, 30)
            assert received == 2000

            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(slow.recv(), 10)
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (3008, "slow")
        async with __import__("httpx").AsyncClient(base_url=url) as http:
            assert "hubdeck_slow_disconnects_total 1.0" in (await http.get("/metrics")).text

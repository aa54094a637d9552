"""The real-time endpoint with real clients: connect, authentication, ping/pong, disconnects."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
import websockets
from websockets.asyncio.client import connect as ws_connect

from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.config import Settings
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE
from hubdeck.services.auth import Authenticator
from hubdeck.web.realtime.node import RealtimeNode
from tests.servers import APPS
from tests.web.realtime_clients import RecordingHandler, sdk_client, ws_url

pytestmark = pytest.mark.stack


async def wait(event: asyncio.Event, timeout: float = 5.0) -> None:
    await asyncio.wait_for(event.wait(), timeout)


@pytest.fixture
async def auth(settings: Settings, server: str) -> Authenticator:
    # The server's own: its session store (the database, or Redis when configured) and key.
    authenticator: Authenticator = APPS[server].state.runtime.authenticator
    return authenticator


async def new_user_id(settings: Settings, login: str) -> int:
    engine = create_engine(settings.resolved_database_url)
    try:
        return (await DbUserStore(engine).add(login)).id
    finally:
        await engine.dispose()


async def test_anonymous_sdk_client_connects(server: str) -> None:
    handler = RecordingHandler()
    client = sdk_client(server, handler)
    await client.connect()
    await wait(handler.connected)
    (_, ctx), *_ = [e for e in handler.events if e[0] == "connected"]
    assert ctx.client
    await client.disconnect()


async def test_connect_token_identifies_the_user(
    server: str, settings: Settings, auth: Authenticator
) -> None:
    user_id = await new_user_id(settings, "tokenuser")
    handler = RecordingHandler()
    client = sdk_client(server, handler, token=auth.issue_connect_token(user_id))
    await client.connect()
    await wait(handler.connected)
    ctx = next(ctx for name, ctx in handler.events if name == "connected")
    assert ctx.data == {"user": user_id}
    await client.disconnect()


@pytest.mark.parametrize("token", ["garbage", "expired"])
async def test_bad_token_is_a_terminal_disconnect(
    server: str, settings: Settings, auth: Authenticator, token: str
) -> None:
    if token == "expired":
        token = auth.issue_connect_token(1, ttl=timedelta(seconds=-1))
    handler = RecordingHandler()
    client = sdk_client(server, handler, token=token)
    await client.connect()
    await wait(handler.disconnected)
    assert handler.codes("disconnected") == [3500]
    await asyncio.sleep(0.5)
    assert not handler.connected.is_set()  # terminal: the SDK did not retry
    await client.disconnect()


async def test_session_cookie_authenticates_and_revoked_one_is_refused(
    server: str, settings: Settings, auth: Authenticator
) -> None:
    user_id = await new_user_id(settings, "cookieuser")
    session_id = await auth.sign_in(user_id, user_agent="pytest")
    cookie = {"Cookie": f"{INSECURE_SESSION_COOKIE}={session_id}"}

    handler = RecordingHandler()
    client = sdk_client(server, handler, headers=cookie)
    await client.connect()
    await wait(handler.connected)
    assert next(ctx for n, ctx in handler.events if n == "connected").data == {"user": user_id}
    await client.disconnect()

    await auth.sign_out(session_id)
    refused = RecordingHandler()
    client = sdk_client(server, refused, headers=cookie)
    await client.connect()
    await wait(refused.disconnected)
    assert refused.codes("disconnected") == [3500]
    await client.disconnect()


async def test_server_pings_keep_an_idle_client_connected(server: str) -> None:
    # ping interval 1 s: without the server's pings the SDK would give up after 1 + 0.5 s.
    handler = RecordingHandler()
    client = sdk_client(server, handler, max_server_ping_delay=0.5)
    await client.connect()
    await wait(handler.connected)
    await asyncio.sleep(3.5)
    assert handler.codes("connecting") == [0]  # only the initial "connect called"
    await client.disconnect()


async def test_a_client_that_never_pongs_is_closed_with_no_pong(server: str) -> None:
    async with ws_connect(ws_url(server)) as socket:
        await socket.send(json.dumps({"id": 1, "connect": {}}))
        reply = json.loads(await socket.recv())
        assert reply["connect"]["ping"] == 1 and reply["connect"]["pong"] is True
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(socket.recv(), 5)  # pings arrive; never answered
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (3012, "no pong")


async def test_a_client_that_pongs_stays(server: str) -> None:
    async with ws_connect(ws_url(server)) as socket:
        await socket.send(json.dumps({"id": 1, "connect": {}}))
        await socket.recv()
        pings = 0
        while pings < 3:
            message = await asyncio.wait_for(socket.recv(), 5)
            assert message == "{}"
            pings += 1
            await socket.send("{}")
        assert socket.close_code is None


async def test_batched_frame_is_answered_in_order(server: str) -> None:
    async with ws_connect(ws_url(server)) as socket:
        frame = '{"connect":{"name":"js"},"id":1}\n{"frobnicate":{},"id":2}\n{"send":{"data":1}}'
        await socket.send(frame)
        lines = [json.loads(line) for line in str(await socket.recv()).split("\n")]
        assert [line.get("id") for line in lines] == [1, 2]
        assert "client" in lines[0]["connect"]
        assert lines[1]["error"]["code"] == 104


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ('{"id":1,"presence":{"channel":"x"}}', "connect first"),
        ("this is not json", "bad request"),
        ('{"id":1,"connect":{}}\n{"id":2,"connect":{}}', "already connected"),
    ],
)
async def test_protocol_violations_close_with_bad_request(
    server: str, frame: str, reason: str
) -> None:
    async with ws_connect(ws_url(server)) as socket:
        await socket.send(frame)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (3501, reason)


async def test_binary_frames_are_refused(server: str) -> None:
    async with ws_connect(ws_url(server)) as socket:
        await socket.send(b'{"id":1,"connect":{}}')
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 3501


async def test_revoking_a_session_closes_its_sockets_terminally(
    server: str, settings: Settings, auth: Authenticator
) -> None:
    from hubdeck.core.sessions import hash_session_id
    from hubdeck.web.realtime.protocol import DisconnectCode

    user_id = await new_user_id(settings, "revokeme")
    session_id = await auth.sign_in(user_id)
    handler = RecordingHandler()
    client = sdk_client(
        server, handler, headers={"Cookie": f"{INSECURE_SESSION_COOKIE}={session_id}"}
    )
    await client.connect()
    await wait(handler.connected)
    node = _node_of(server)
    assert (
        node.disconnect_session(
            hash_session_id(session_id), DisconnectCode.FORCE_DISCONNECT, "session revoked"
        )
        == 1
    )
    await wait(handler.disconnected)
    assert handler.codes("disconnected") == [3503]
    await client.disconnect()


def _node_of(server: str) -> RealtimeNode:
    node: RealtimeNode = APPS[server].state.runtime.realtime
    return node

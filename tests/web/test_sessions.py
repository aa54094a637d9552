"""Sessions as devices through the real app: timeouts on the services' clock, rotation,
listing, revocation (401 and the socket dropped), CSRF, rate limits, preferences across devices."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hubdeck.adapters.db import migrate
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE
from tests.servers import running_app, running_simulator, simulator_settings, stack_settings
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client
from tests.web.test_github_flow import runtime_of, sign_in

pytestmark = pytest.mark.stack

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
IDLE = 3600.0
ABSOLUTE = 4 * 3600.0


@dataclass
class ShiftedClock:
    """The services' clock, moved forward by the test instead of sleeping."""

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def limits() -> dict[str, object]:
    return {}


@pytest.fixture
async def hubdeck(
    tmp_path: Path,
    stack_database: str,
    stack_redis: tuple[str, str] | None,
    clock: ShiftedClock,
    limits: dict[str, object],
) -> AsyncIterator[str]:
    await migrate.upgrade(stack_database)
    async with running_simulator(repos=2, issues_per_repo=3, pulls_per_repo=3) as (github, _):
        settings = stack_settings(
            tmp_path,
            stack_database,
            stack_redis,
            sync_interval=3600,
            session_idle_timeout=IDLE,
            session_absolute_timeout=ABSOLUTE,
            **limits,
            **simulator_settings(github),
        )
        async with running_app(settings, clock=clock) as url:
            yield url


async def test_devices_are_listed_with_this_one_marked(hubdeck: str) -> None:
    laptop = await sign_in(hubdeck, "alice", device=FIREFOX)
    phone = await sign_in(hubdeck, "alice", device=IPHONE)
    listed = (await laptop.get("/api/sessions")).json()["sessions"]
    assert len(listed) == 2
    assert listed[0]["current"] is True
    assert (listed[0]["browser"], listed[0]["os"], listed[0]["device_type"]) == (
        "Firefox 128",
        "Linux",
        "desktop",
    )
    other = listed[1]
    assert other["current"] is False
    assert (other["browser"], other["os"], other["device_type"]) == (
        "Mobile Safari 17",
        "iOS",
        "mobile",
    )
    assert other["ip"] == "127.0.0.1"
    # The API names sessions by a public id, never by the cookie or its stored hash.
    cookie = phone.cookies[INSECURE_SESSION_COOKIE]
    assert cookie not in str(listed)
    await laptop.aclose()
    await phone.aclose()


async def test_revoking_a_device_refuses_its_next_request_and_drops_its_socket(
    hubdeck: str,
) -> None:
    laptop = await sign_in(hubdeck, "alice", device=FIREFOX)
    phone = await sign_in(hubdeck, "alice", device=IPHONE)
    me = (await phone.get("/api/me")).json()["user"]["id"]
    cookie = phone.cookies[INSECURE_SESSION_COOKIE]
    handler = RecordingHandler()
    socket = sdk_client(hubdeck, handler, headers={"Cookie": f"{INSECURE_SESSION_COOKIE}={cookie}"})
    await socket.connect()
    await asyncio.wait_for(handler.connected.wait(), 10)
    own = RecordingSubscription()
    await socket.new_subscription(f"user:{me}", events=own).subscribe()
    await own.wait_for(lambda: bool(own.subscribed))

    listed = (await laptop.get("/api/sessions")).json()["sessions"]
    target = next(s for s in listed if not s["current"])
    assert target["connections"] == 1  # the socket is recorded with its session
    revoked = await laptop.delete(f"/api/sessions/{target['id']}")
    assert revoked.status_code == 204

    await asyncio.wait_for(handler.disconnected.wait(), 5)
    assert handler.codes("disconnected") == [3503]
    pushed = [data for _, data in own.publications if data.get("type") == "session:revoked"]
    assert pushed and pushed[0]["data"]["sessions"] == [target["id"]]
    refused = await phone.get("/api/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
    assert (await laptop.get("/api/me")).status_code == 200
    assert [s["current"] for s in (await laptop.get("/api/sessions")).json()["sessions"]] == [True]
    await socket.disconnect()
    await laptop.aclose()
    await phone.aclose()


async def test_sign_out_all_other_devices_keeps_this_one(hubdeck: str) -> None:
    devices = [await sign_in(hubdeck, "alice", device=f"device {n}") for n in range(3)]
    answer = await devices[0].post("/api/sessions/revoke-others")
    assert answer.status_code == 200
    assert answer.json() == {"revoked": 2}
    assert [(await d.get("/api/me")).status_code for d in devices] == [200, 401, 401]
    for device in devices:
        await device.aclose()


async def test_an_idle_session_is_refused_and_background_requests_do_not_keep_it(
    hubdeck: str, clock: ShiftedClock
) -> None:
    alice = await sign_in(hubdeck, "alice")
    background = {"X-HubDeck-Background": "1"}
    # A wall screen refreshing by itself all day: no action of the user's, so it idles out.
    for _ in range(3):
        clock.advance(IDLE / 3 - 60)
        assert (await alice.get("/api/me", headers=background)).status_code == 200
    clock.advance(240)
    refused = await alice.get("/api/me", headers=background)
    assert refused.status_code == 401


async def test_user_actions_slide_the_idle_timeout(hubdeck: str, clock: ShiftedClock) -> None:
    alice = await sign_in(hubdeck, "alice")
    for _ in range(3):
        clock.advance(IDLE - 120)
        assert (await alice.get("/api/me")).status_code == 200
    clock.advance(IDLE + 1)
    assert (await alice.get("/api/me")).status_code == 401
    await alice.aclose()


async def test_a_session_past_the_absolute_timeout_is_refused_even_if_active(
    hubdeck: str, clock: ShiftedClock
) -> None:
    alice = await sign_in(hubdeck, "alice")
    while clock.offset < timedelta(seconds=ABSOLUTE - IDLE / 2):
        clock.advance(IDLE / 2)
        assert (await alice.get("/api/me")).status_code == 200
    clock.advance(IDLE / 2)
    assert (await alice.get("/api/me")).status_code == 401
    await alice.aclose()


async def test_signing_in_again_rotates_the_session(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    before = alice.cookies[INSECURE_SESSION_COOKIE]
    # The same browser signs in again: the cookie it had is replaced and no longer works.
    start = await alice.get("/auth/github/login")
    async with httpx.AsyncClient(timeout=20) as browser:
        chosen = await browser.get(start.headers["location"] + "&login=alice")
    callback = httpx.URL(chosen.headers["location"])
    done = await alice.get(f"{callback.path}?{callback.query.decode()}")
    assert done.status_code == 302
    after = alice.cookies[INSECURE_SESSION_COOKIE]
    assert after != before
    async with httpx.AsyncClient(
        base_url=hubdeck, cookies={INSECURE_SESSION_COOKIE: before}
    ) as old:
        assert (await old.get("/api/me")).status_code == 401
    assert (await alice.get("/api/me")).status_code == 200
    await alice.aclose()


async def test_a_cross_site_write_with_the_cookie_but_no_csrf_token_is_refused(
    hubdeck: str,
) -> None:
    alice = await sign_in(hubdeck, "alice")
    cookie = alice.cookies[INSECURE_SESSION_COOKIE]
    token = alice.headers["X-CSRF-Token"]
    async with httpx.AsyncClient(
        base_url=hubdeck, cookies={INSECURE_SESSION_COOKIE: cookie}
    ) as forged:
        # What a form on another site can send: the cookie, a foreign Origin, no token.
        cross_site = await forged.post(
            "/api/teams", json={"name": "Evil"}, headers={"Origin": "https://evil.example"}
        )
        assert cross_site.status_code == 403
        no_token = await forged.post(
            "/api/teams", json={"name": "Evil"}, headers={"Origin": hubdeck}
        )
        assert no_token.status_code == 403
        assert "CSRF" in no_token.json()["error"]["message"]
        wrong = await forged.post(
            "/api/teams",
            json={"name": "Evil"},
            headers={"Origin": hubdeck, "X-CSRF-Token": "x" * 64},
        )
        assert wrong.status_code == 403
        no_origin = await forged.post(
            "/api/teams", json={"name": "Evil"}, headers={"X-CSRF-Token": token}
        )
        assert no_origin.status_code == 403
        good = await forged.post(
            "/api/teams", json={"name": "Good"}, headers={"Origin": hubdeck, "X-CSRF-Token": token}
        )
        assert good.status_code == 201
        # Reading the token is a same-origin GET; the answer also sets the cookie.
        again = await forged.get("/api/auth/csrf")
        assert again.json() == {"token": token}
    await alice.aclose()


@pytest.mark.parametrize(
    "limits",
    [
        {
            "rate_limit_api_per_session": "5/minute",
            "rate_limit_signin_per_ip": "20/minute",
            "rate_limit_webhooks_per_ip": "3/minute",
        }
    ],
)
async def test_too_many_requests_get_429_with_retry_after(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    statuses = [(await alice.get("/api/me")).status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    limited = await alice.get("/api/me")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    # Per session: another session from the same address is not held back.
    bob = await sign_in(hubdeck, "bob")
    assert (await bob.get("/api/me")).status_code == 200
    # Sign-in per address.
    async with httpx.AsyncClient(base_url=hubdeck) as anonymous:
        codes = [(await anonymous.get("/auth/github/login")).status_code for _ in range(20)]
        # Webhook receivers per sending address (refused deliveries count too).
        hooks = [
            (await anonymous.post("/webhooks/github?team=1", content=b"{}")).status_code
            for _ in range(4)
        ]
    assert 429 in codes
    assert hooks[3] == 429 and 429 not in hooks[:3]
    await alice.aclose()
    await bob.aclose()


async def test_preferences_follow_the_user_to_their_other_devices(hubdeck: str) -> None:
    laptop = await sign_in(hubdeck, "alice", device=FIREFOX)
    me = (await laptop.get("/api/me")).json()["user"]["id"]
    runtime = runtime_of(hubdeck)
    phone_socket = sdk_client(
        hubdeck, RecordingHandler(), token=runtime.authenticator.issue_connect_token(me)
    )
    await phone_socket.connect()
    own = RecordingSubscription()
    await phone_socket.new_subscription(f"user:{me}", events=own).subscribe()
    await own.wait_for(lambda: bool(own.subscribed))

    assert (await laptop.get("/api/preferences")).json() == {"theme": None, "last_dashboard": None}
    changed = await laptop.patch("/api/preferences", json={"theme": "dark"})
    assert changed.json() == {"theme": "dark", "last_dashboard": None}
    await own.wait_for(
        lambda: any(d.get("type") == "preferences:updated" for _, d in own.publications)
    )
    pushed = next(d for _, d in own.publications if d.get("type") == "preferences:updated")
    assert pushed["data"]["theme"] == "dark"
    bad = await laptop.patch("/api/preferences", json={"last_dashboard": "https://evil.example"})
    assert bad.status_code == 422
    await phone_socket.disconnect()
    await laptop.aclose()


async def test_github_withdrawing_authorization_ends_every_session(hubdeck: str) -> None:
    laptop = await sign_in(hubdeck, "alice", device=FIREFOX)
    phone = await sign_in(hubdeck, "alice", device=IPHONE)
    me = (await laptop.get("/api/me")).json()["user"]["id"]
    runtime = runtime_of(hubdeck)
    # As a sync or a sign-in check does when GitHub answers 401 for the user's token.
    await runtime.login.token_revoked(me)
    assert (await laptop.get("/api/me")).status_code == 401
    assert (await phone.get("/api/me")).status_code == 401
    await laptop.aclose()
    await phone.aclose()


async def test_joining_a_team_rotates_the_session(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    bob = await sign_in(hubdeck, "bob")
    team = (await alice.post("/api/teams", json={"name": "Rotation"})).json()
    invited = await alice.post(f"/api/teams/{team['id']}/invitations", json={"role": "member"})
    assert invited.status_code == 201, invited.text
    before = bob.cookies[INSECURE_SESSION_COOKIE]
    joined = await bob.post(f"/api/invitations/{invited.json()['token']}/accept")
    assert joined.status_code == 200, joined.text
    after = joined.cookies[INSECURE_SESSION_COOKIE]
    assert after != before
    for cookie, status in ((before, 401), (after, 200)):
        async with httpx.AsyncClient(
            base_url=hubdeck, cookies={INSECURE_SESSION_COOKIE: cookie}
        ) as client:
            answer = await client.get("/api/me")
            assert answer.status_code == status
    assert [t["name"] for t in answer.json()["teams"]] == ["Rotation"]
    await alice.aclose()
    await bob.aclose()


async def test_a_socket_opened_by_another_site_does_not_ride_on_the_cookie(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    cookie = f"{INSECURE_SESSION_COOKIE}={alice.cookies[INSECURE_SESSION_COOKIE]}"
    seen = []
    for origin in ("https://evil.example", hubdeck):
        handler = RecordingHandler()
        socket = sdk_client(hubdeck, handler, headers={"Cookie": cookie, "Origin": origin})
        await socket.connect()
        await asyncio.wait_for(handler.connected.wait(), 10)
        seen.append(next(ctx for n, ctx in handler.events if n == "connected").data)
        await socket.disconnect()
    me = (await alice.get("/api/me")).json()["user"]["id"]
    assert seen == [None, {"user": me}]  # anonymous from elsewhere; alice from HubDeck's page
    await alice.aclose()


async def test_signing_out_closes_this_device_s_sockets_as_signed_out(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    cookie = f"{INSECURE_SESSION_COOKIE}={alice.cookies[INSECURE_SESSION_COOKIE]}"
    handler = RecordingHandler()
    socket = sdk_client(hubdeck, handler, headers={"Cookie": cookie})
    await socket.connect()
    await asyncio.wait_for(handler.connected.wait(), 10)
    assert (await alice.post("/api/auth/logout")).status_code == 204
    await asyncio.wait_for(handler.disconnected.wait(), 5)
    (closed,) = [ctx for name, ctx in handler.events if name == "disconnected"]
    # Not "session revoked": the page that signed out is not told another device did it.
    assert (closed.code, closed.reason) == (3503, "signed out")
    await socket.disconnect()
    await alice.aclose()


async def test_last_seen_is_written_at_most_once_a_minute(
    hubdeck: str, clock: ShiftedClock
) -> None:
    alice = await sign_in(hubdeck, "alice")

    async def last_seen() -> str:
        sessions = (await alice.get("/api/sessions")).json()["sessions"]
        return str(sessions[0]["last_seen_at"])

    first = await last_seen()
    clock.advance(30)
    assert await last_seen() == first  # within the minute: not written again
    clock.advance(31)
    assert await last_seen() > first
    await alice.aclose()

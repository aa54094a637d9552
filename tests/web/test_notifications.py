"""Notifications through the real app: created from events, pushed to every device, kept in
step by reads and archives, collapsed in storms, filtered by preferences, private."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from centrifuge import Client

from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.config import Settings
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import Repository
from hubdeck.core.sessions import INSECURE_SESSION_COOKIE
from hubdeck.core.users import Role
from hubdeck.runtime import Runtime
from tests.servers import APPS
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client

pytestmark = pytest.mark.stack


@dataclass
class World:
    server: str
    runtime: Runtime
    users: dict[str, int]
    team: int
    repo: int

    async def http(self, login: str) -> httpx.AsyncClient:
        session = await self.runtime.authenticator.sign_in(self.users[login])
        # A browser's writes carry its Origin and the session's CSRF token.
        return httpx.AsyncClient(
            base_url=self.server,
            cookies={INSECURE_SESSION_COOKIE: session},
            headers={
                "Origin": self.server,
                "X-CSRF-Token": self.runtime.authenticator.csrf_token(session),
            },
            timeout=10,
        )

    async def device(self, login: str) -> tuple[Client, RecordingSubscription]:
        """One of the user's devices, subscribed to their user channel."""
        token = self.runtime.authenticator.issue_connect_token(self.users[login])
        client = sdk_client(self.server, RecordingHandler(), token=token)
        await client.connect()
        events = RecordingSubscription()
        await client.new_subscription(f"user:{self.users[login]}", events=events).subscribe()
        await events.wait_for(lambda: bool(events.subscribed))
        return client, events

    async def emit(self, type_: str, **data: object) -> None:
        await self.runtime.bus.publish(
            [
                DomainEvent(
                    type=type_,
                    occurred_at=datetime.now(UTC),
                    repository_id=self.repo,
                    subject="acme/api#7",
                    actor=str(data.pop("actor", "carol")),
                    data={"repository": "acme/api", **data},
                )
            ]
        )


@pytest.fixture
async def world(settings: Settings, server: str) -> World:
    engine = create_engine(settings.resolved_database_url)
    users = DbUserStore(engine)
    ids = {login: (await users.add(login)).id for login in ("alice", "bob", "eve")}
    teams = DbTeamStore(engine)
    team = await teams.create("acme", "Acme", None, ids["alice"])
    await teams.add_member(team.id, ids["bob"], Role.member)
    await teams.create("other", "Other", None, ids["eve"])
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(99, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, ids["alice"])
    await engine.dispose()
    return World(server, APPS[server].state.runtime, ids, team.id, repo.id)


def live(events: RecordingSubscription) -> list[tuple[str, dict[str, object]]]:
    return [(data["type"], data["data"]) for _, data in events.publications]


async def test_a_review_request_reaches_every_device_and_a_read_syncs_them(world: World) -> None:
    phone, on_phone = await world.device("bob")
    laptop, on_laptop = await world.device("bob")
    await world.emit(
        "pull_request.review_requested",
        number=7,
        title="Add cache",
        author="alice",
        reviewers=["bob"],
        actor="alice",
    )
    for events in (on_phone, on_laptop):
        await events.wait_for(lambda events=events: len(events.publications) == 1)
        kind, data = live(events)[0]
        assert kind == "notification.created"
        assert data["unread_count"] == 1
        assert data["browser"] is True  # review requests raise a browser notification by default
        notification = data["notification"]
        assert isinstance(notification, dict)
        assert notification["kind"] == "review_requested"
        assert notification["link"] == f"/teams/{world.team}/repositories/{world.repo}?pull=7"

    bob = await world.http("bob")
    page = (await bob.get("/api/notifications")).json()
    assert page["unread_count"] == 1
    assert [n["title"] for n in page["items"]] == [notification["title"]]
    # Read on one device: every device hears of it and agrees on the count.
    read = await bob.post("/api/notifications/read", json={"ids": [page["items"][0]["id"]]})
    assert read.json() == {"unread_count": 0}
    for events in (on_phone, on_laptop):
        await events.wait_for(lambda events=events: len(events.publications) == 2)
        assert live(events)[1] == (
            "notification.read",
            {"ids": [page["items"][0]["id"]], "unread_count": 0},
        )
    assert (await bob.get("/api/notifications/unread-count")).json() == {"unread_count": 0}
    archived = await bob.post("/api/notifications/archive", json={"ids": [page["items"][0]["id"]]})
    assert archived.status_code == 200
    assert (await bob.get("/api/notifications")).json()["items"] == []
    assert len((await bob.get("/api/notifications?archived=true")).json()["items"]) == 1
    for client in (phone, laptop):
        await client.disconnect()
    await bob.aclose()


async def test_nobody_is_notified_of_their_own_action_nor_of_others_notifications(
    world: World,
) -> None:
    await world.emit(
        "pull_request.review_requested",
        number=8,
        title="x",
        author="alice",
        reviewers=["bob"],
        actor="alice",
    )
    alice, eve, bob = await world.http("alice"), await world.http("eve"), await world.http("bob")
    assert (await alice.get("/api/notifications")).json()["items"] == []
    assert (await eve.get("/api/notifications")).json()["items"] == []
    bobs = (await bob.get("/api/notifications")).json()["items"]
    assert len(bobs) == 1
    # Eve can neither read nor archive bob's notification.
    await eve.post("/api/notifications/read", json={"ids": [bobs[0]["id"]]})
    await eve.post("/api/notifications/archive", json={"ids": [bobs[0]["id"]]})
    again = (await bob.get("/api/notifications")).json()["items"][0]
    assert (again["read_at"], again["archived_at"]) == (None, None)
    for client in (alice, eve, bob):
        await client.aclose()


async def test_fifty_similar_failures_make_at_most_two_notifications(world: World) -> None:
    for n in range(50):
        await world.emit(
            "workflow_run.failed",
            run_id=1000 + n,
            name="CI",
            branch="main",
            event="push",
            status="completed",
            conclusion="failure",
            pull_numbers=[],
        )
    bob = await world.http("bob")
    items = (await bob.get("/api/notifications")).json()["items"]
    assert 1 <= len(items) <= 2
    assert sum(n["count"] for n in items) == 50
    assert items[0]["title"] == "50 workflow runs failed in acme/api" or len(items) == 2
    await bob.aclose()


async def test_preferences_turn_a_kind_off_and_are_validated(world: World) -> None:
    bob = await world.http("bob")
    prefs = (await bob.get("/api/notifications/preferences")).json()
    assert prefs["channels"]["review_requested"] == "browser"
    assert prefs["defaults"]["review_requested"] == "browser"
    prefs["channels"]["review_requested"] = "off"
    saved = await bob.put(
        "/api/notifications/preferences",
        json={"channels": prefs["channels"], "muted_teams": []},
    )
    assert saved.json()["channels"]["review_requested"] == "off"
    await world.emit(
        "pull_request.review_requested",
        number=9,
        title="x",
        author="alice",
        reviewers=["bob"],
        actor="alice",
    )
    assert (await bob.get("/api/notifications")).json()["items"] == []
    bad = await bob.put("/api/notifications/preferences", json={"channels": {"nonsense": "off"}})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"
    await bob.aclose()


async def test_cursor_pagination(world: World, settings: Settings) -> None:
    from hubdeck.adapters.db.notifications import DbNotificationStore
    from hubdeck.core.notifications import Level, NotificationDraft, NotificationKind

    engine = create_engine(settings.resolved_database_url)
    store = DbNotificationStore(engine)
    now = datetime.now(UTC)
    for n in range(5):  # five groups, so nothing collapses; all created at the same instant
        draft = NotificationDraft(
            recipient_id=world.users["bob"],
            kind=NotificationKind.pull_merged,
            level=Level.info,
            title=f"PR {n} merged",
            link="/",
            group_key=f"g{n}",
            group_title="merged",
            group_link="/",
            occurred_at=now,
            event_id=f"e{n}",
        )
        await store.insert(draft, now)
    await engine.dispose()
    bob = await world.http("bob")
    seen: list[int] = []
    cursor = None
    for _ in range(3):
        params: dict[str, object] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await bob.get("/api/notifications", params=params)).json()
        seen.extend(n["id"] for n in page["items"])
        cursor = page["next_cursor"]
    assert len(seen) == 5
    assert len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)  # same time: newest id first
    assert cursor is None
    assert (await bob.get("/api/notifications?cursor=garbage")).status_code == 422
    await bob.aclose()


async def test_an_offline_device_catches_up_on_reconnect(world: World) -> None:
    client, events = await world.device("bob")
    await client.disconnect()
    await world.emit(
        "pull_request.review_requested",
        number=11,
        title="while away",
        author="alice",
        reviewers=["bob"],
        actor="alice",
    )
    await client.connect()
    await events.wait_for(lambda: len(events.publications) == 1)
    assert live(events)[0][0] == "notification.created"
    assert events.subscribed[-1].recovered is True
    await asyncio.sleep(0)
    await client.disconnect()


async def test_a_mention_in_a_github_comment_notifies_the_person(world: World) -> None:
    await world.emit(
        "comment.created", issue_number=7, comment_id=1, mentions=["bob"], actor="alice"
    )
    bob = await world.http("bob")
    (item,) = (await bob.get("/api/notifications")).json()["items"]
    assert item["kind"] == "mentioned"
    assert item["link"] == f"/teams/{world.team}/repositories/{world.repo}?issue=7"
    await bob.aclose()


async def test_an_invitation_by_name_notifies_the_invitee_with_its_link(world: World) -> None:
    alice, eve = await world.http("alice"), await world.http("eve")
    invited = await alice.post(
        f"/api/teams/{world.team}/invitations", json={"role": "viewer", "login": "eve"}
    )
    assert invited.status_code == 201, invited.text
    (item,) = (await eve.get("/api/notifications")).json()["items"]
    assert item["kind"] == "team_invitation"
    assert item["link"] == f"/join/{invited.json()['token']}"
    joined = await eve.post(f"/api/invitations/{invited.json()['token']}/accept")
    assert joined.json()["role"] == "viewer"
    nobody = await alice.post(f"/api/teams/{world.team}/invitations", json={"login": "ghost"})
    assert nobody.status_code == 404
    again = await alice.post(f"/api/teams/{world.team}/invitations", json={"login": "bob"})
    assert again.status_code == 409  # bob is a member already
    for client in (alice, eve):
        await client.aclose()


async def test_the_digest_schedule_is_a_preference(world: World) -> None:
    bob = await world.http("bob")
    initial = (await bob.get("/api/notifications/preferences")).json()
    assert initial["digest"] == {"frequency": "off", "hour": 8, "weekday": 0, "time_zone": None}
    assert initial["defaults"]["digest"] == "browser"

    device, events = await world.device("bob")
    weekly = {"frequency": "weekly", "hour": 18, "weekday": 4, "time_zone": "Europe/Paris"}
    saved = await bob.put(
        "/api/notifications/preferences",
        json={"channels": {"digest": "in_app"}, "muted_teams": [], "digest": weekly},
    )
    assert saved.status_code == 200
    assert saved.json()["digest"] == weekly
    assert saved.json()["channels"]["digest"] == "in_app"
    # The other devices hear of it.
    await events.wait_for(
        lambda: any(d["type"] == "notification_preferences:updated" for _, d in events.publications)
    )
    await device.disconnect()

    # A client that knows nothing of digests leaves the schedule alone.
    again = await bob.put(
        "/api/notifications/preferences", json={"channels": {}, "muted_teams": []}
    )
    assert again.json()["digest"] == weekly
    assert (await bob.get("/api/notifications/preferences")).json()["digest"] == weekly

    for wrong in (
        {"frequency": "hourly"},
        {"frequency": "daily", "hour": 24},
        {"frequency": "weekly", "weekday": 7},
        {"frequency": "daily", "time_zone": "Nowhere/Land"},
        {"frequency": "daily", "minute": 5},
    ):
        bad = await bob.put(
            "/api/notifications/preferences", json={"channels": {}, "digest": wrong}
        )
        assert bad.status_code == 422, wrong
        error = bad.json()["error"]
        assert error["code"] == "invalid_input"
        assert isinstance(error["message"], str)
        assert error["message"] != ""
    assert (await bob.get("/api/notifications/preferences")).json()["digest"] == weekly
    await bob.aclose()

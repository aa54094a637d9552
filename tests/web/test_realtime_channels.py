"""Channels with real centrifuge-python clients: authorization per kind, live publications,
recovery across cut connections, history, presence."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from centrifuge import Client

from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.config import Settings
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import Repository
from hubdeck.runtime import Runtime
from hubdeck.web.realtime.protocol import DisconnectCode
from tests.servers import APPS
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client

pytestmark = pytest.mark.stack


@dataclass
class World:
    server: str
    runtime: Runtime
    alice: int  # member of team, which follows repo
    eve: int  # member of another team only
    team: int
    other_team: int
    repo: int

    def token(self, user_id: int) -> str:
        return self.runtime.authenticator.issue_connect_token(user_id)

    async def publish(self, team_id: int, n: int) -> None:
        await self.runtime.bus.publish(
            [
                DomainEvent(
                    type="repository.updated",
                    occurred_at=datetime.now(UTC),
                    team_id=team_id,
                    subject="test",
                    data={"n": n},
                )
            ]
        )


@pytest.fixture
async def world(settings: Settings, server: str) -> World:
    engine = create_engine(settings.resolved_database_url)
    users, teams = DbUserStore(engine), DbTeamStore(engine)
    alice, eve = await users.add("alice"), await users.add("eve")
    team = await teams.create("platform", "Platform", None, alice.id)
    other = await teams.create("elsewhere", "Elsewhere", None, eve.id)
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(77, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, alice.id)
    await engine.dispose()
    return World(server, APPS[server].state.runtime, alice.id, eve.id, team.id, other.id, repo.id)


async def connected(world: World, user_id: int, **options: object) -> Client:
    handler = RecordingHandler()
    client = sdk_client(world.server, handler, token=world.token(user_id), **options)
    await client.connect()
    await asyncio.wait_for(handler.connected.wait(), 5)
    return client


async def subscribe(client: Client, channel: str, **options: object) -> RecordingSubscription:
    events = RecordingSubscription()
    subscription = client.new_subscription(channel, events=events, **options)
    await subscription.subscribe()
    await events.wait_for(lambda: bool(events.subscribed or events.unsubscribed))
    return events


@pytest.mark.parametrize(
    ("kind", "allowed_for_alice", "allowed_for_eve"),
    [
        ("user", True, False),
        ("team", True, False),
        ("repo", True, False),
        ("pool", True, False),
        ("dashboard", False, False),
    ],
)
async def test_subscribe_is_authorized_per_channel_kind(
    world: World, kind: str, allowed_for_alice: bool, allowed_for_eve: bool
) -> None:
    ids = {
        "user": world.alice,
        "team": world.team,
        "repo": world.repo,
        "pool": world.team,
        "dashboard": 1,
    }
    channel = f"{kind}:{ids[kind]}"
    for user_id, allowed in ((world.alice, allowed_for_alice), (world.eve, allowed_for_eve)):
        client = await connected(world, user_id)
        events = await subscribe(client, channel)
        if allowed:
            assert events.subscribed and not events.unsubscribed, (channel, user_id)
        else:
            assert [ctx.code for ctx in events.unsubscribed] == [103], (channel, user_id)
        await client.disconnect()


async def test_anonymous_and_malformed_channels_are_refused(world: World) -> None:
    anonymous = sdk_client(world.server, RecordingHandler())
    await anonymous.connect()
    assert [c.code for c in (await subscribe(anonymous, f"team:{world.team}")).unsubscribed] == [
        103
    ]
    await anonymous.disconnect()
    client = await connected(world, world.alice)
    assert [c.code for c in (await subscribe(client, "nonsense")).unsubscribed] == [102]
    assert [c.code for c in (await subscribe(client, "team:01")).unsubscribed] == [102]
    await client.disconnect()


async def test_domain_events_reach_their_channels_with_offsets(world: World) -> None:
    client = await connected(world, world.alice)
    team = await subscribe(client, f"team:{world.team}")
    repo = await subscribe(client, f"repo:{world.repo}")
    await world.publish(world.team, 1)
    # A repository event goes to the repository and to every team following it.
    await world.runtime.bus.publish(
        [
            DomainEvent(
                type="pull_request.merged",
                occurred_at=datetime.now(UTC),
                repository_id=world.repo,
                subject="acme/api#1",
                data={"repository": "acme/api", "number": 1},
            )
        ]
    )
    await team.wait_for(lambda: len(team.publications) == 2)
    await repo.wait_for(lambda: len(repo.publications) == 1)
    assert [o for o, _ in team.publications] == [1, 2]
    assert [d["type"] for _, d in team.publications] == [
        "repository.updated",
        "pull_request.merged",
    ]
    offset, merged = repo.publications[0]
    assert offset == 1
    assert merged["data"]["subject"] == "acme/api#1"
    assert merged["data"]["repository_id"] == world.repo
    assert isinstance(merged["ts"], int)
    await client.disconnect()


async def test_a_thousand_events_across_two_cuts_arrive_all_in_order_once(world: World) -> None:
    # A delay long enough that publications happen while the client is away.
    client = await connected(world, world.alice, min_reconnect_delay=0.3, max_reconnect_delay=0.5)
    events = await subscribe(client, f"team:{world.team}")
    node = world.runtime.realtime
    for n in range(1000):
        if n in (300, 650):
            # Cut only once the previous cut has healed, so that there are two.
            await events.wait_for(lambda n=n: len(events.subscribed) == (1 if n == 300 else 2))
            for connection in node.connections():
                connection.close(DisconnectCode.FORCE_RECONNECT)
        await world.publish(world.team, n)
        if n % 50 == 0:
            await asyncio.sleep(0.01)  # let deliveries and reconnects happen meanwhile
    try:
        await events.wait_for(lambda: len(events.publications) >= 1000, timeout=30)
    except TimeoutError:
        raise AssertionError(
            f"{len(events.publications)} arrived; last offsets "
            f"{[o for o, _ in events.publications[-3:]]}; subscribed "
            f"{[(c.was_recovering, c.recovered) for c in events.subscribed]}"
        ) from None
    await asyncio.sleep(0.2)
    numbers = [data["data"]["data"]["n"] for _, data in events.publications]
    assert numbers == list(range(1000))
    assert [o for o, _ in events.publications] == list(range(1, 1001))
    recoveries = [ctx for ctx in events.subscribed if ctx.was_recovering]
    assert len(recoveries) == 2
    assert all(ctx.recovered for ctx in recoveries)
    await client.disconnect()


async def test_a_gap_beyond_history_is_not_recovered(world: World, settings: Settings) -> None:
    client = await connected(world, world.alice)
    events = await subscribe(client, f"team:{world.team}")
    await world.publish(world.team, 0)
    await events.wait_for(lambda: len(events.publications) == 1)
    # Away (the SDK keeps its position across disconnect and connect) while more is published
    # than the history keeps.
    await client.disconnect()
    for n in range(settings.history_size + 5):
        await world.publish(world.team, n)
    await client.connect()
    await events.wait_for(lambda: len(events.subscribed) == 2, timeout=10)
    last = events.subscribed[-1]
    assert last.was_recovering is True
    assert last.recovered is False
    assert len(events.publications) == 1  # nothing half-recovered
    await client.disconnect()


async def test_history_command(world: World) -> None:
    client = await connected(world, world.alice)
    for n in range(5):
        await world.publish(world.team, n)
    result = await client.history(f"team:{world.team}", limit=3)
    assert [p.offset for p in result.publications] == [1, 2, 3]
    assert result.offset == 5
    await client.disconnect()


async def test_presence_and_join_leave_on_repository_channels(world: World) -> None:
    alice = await connected(world, world.alice)
    watching = await subscribe(alice, f"repo:{world.repo}", join_leave=True)
    assert watching.subscribed
    second = await connected(world, world.alice)
    await subscribe(second, f"repo:{world.repo}")
    await watching.wait_for(lambda: len(watching.joins) >= 1)
    assert watching.joins[-1].user == str(world.alice)
    assert watching.joins[-1].conn_info["login"] == "alice"  # who, not just an id
    presence = await alice.presence(f"repo:{world.repo}")
    assert len(presence.clients) == 2
    assert {c.conn_info["login"] for c in presence.clients.values()} == {"alice"}
    stats = await alice.presence_stats(f"repo:{world.repo}")
    assert (stats.num_clients, stats.num_users) == (2, 1)
    await second.disconnect()
    await watching.wait_for(lambda: len(watching.leaves) >= 1)
    assert (await alice.presence_stats(f"repo:{world.repo}")).num_clients == 1
    await alice.disconnect()


async def test_ping_rpc_and_metrics(world: World) -> None:
    import httpx

    client = await connected(world, world.alice)
    await subscribe(client, f"team:{world.team}")
    assert (await client.rpc("ping", {})).data == {}
    await world.publish(world.team, 1)
    await asyncio.sleep(0.2)
    async with httpx.AsyncClient(base_url=world.server) as http:
        text = (await http.get("/metrics")).text
    assert "hubdeck_ws_connections 1.0" in text
    assert "hubdeck_ws_subscriptions 1.0" in text
    assert "hubdeck_publications_total 1.0" in text
    assert "hubdeck_deliveries_total 1.0" in text
    await client.disconnect()

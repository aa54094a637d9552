"""A team with people in every role, for the dashboards' web and socket tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
from centrifuge import Client

from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.config import Settings
from hubdeck.core.github.models import Repository
from hubdeck.core.users import Role
from hubdeck.runtime import Runtime
from tests.servers import APPS, cookie_client
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client

# alice owns the team, bob is a member, vera a viewer of it; carol is in no team; eve leads
# another team.
PEOPLE = ("alice", "bob", "vera", "carol", "eve")


@dataclass
class World:
    server: str
    runtime: Runtime
    users: dict[str, int]
    team: int
    other_team: int
    repo: int
    _clients: list[httpx.AsyncClient] = field(default_factory=list)
    _sockets: list[Client] = field(default_factory=list)

    async def http(self, login: str) -> httpx.AsyncClient:
        client = await cookie_client(self.runtime, self.server, self.users[login])
        self._clients.append(client)
        return client

    def anonymous(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=self.server, timeout=10)
        self._clients.append(client)
        return client

    async def socket(self, login: str) -> Client:
        token = self.runtime.authenticator.issue_connect_token(self.users[login])
        handler = RecordingHandler()
        client = sdk_client(self.server, handler, token=token)
        await client.connect()
        await asyncio.wait_for(handler.connected.wait(), 5)
        self._sockets.append(client)
        return client

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()
        for socket in self._sockets:
            await socket.disconnect()


async def make_world(settings: Settings, server: str) -> World:
    engine = create_engine(settings.resolved_database_url)
    users = DbUserStore(engine)
    ids = {
        login: (
            await users.add(
                login,
                name=login.capitalize(),
                avatar_url=f"https://avatars.example/{login}.png",
            )
        ).id
        for login in PEOPLE
    }
    teams = DbTeamStore(engine)
    team = await teams.create("acme", "Acme", None, ids["alice"])
    await teams.add_member(team.id, ids["bob"], Role.member)
    await teams.add_member(team.id, ids["vera"], Role.viewer)
    other = await teams.create("other", "Other", None, ids["eve"])
    repo, _ = await DbGitHubStore(engine).upsert_repository(
        Repository(99, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, ids["alice"])
    await engine.dispose()
    return World(server, APPS[server].state.runtime, ids, team.id, other.id, repo.id)


def number_widget(
    widget_id: str, x: int = 0, y: int = 0, metric: str = "pulls_merged"
) -> dict[str, Any]:
    return {
        "id": widget_id,
        "type": "number",
        "title": widget_id.upper(),
        "config": {"repositories": [], "metric": metric, "range": "28d"},
        "layout": {"x": x, "y": y, "w": 3, "h": 2},
    }


async def new_dashboard(
    client: httpx.AsyncClient, team: int, title: str = "Board", widgets: int = 2
) -> dict[str, Any]:
    created = await client.post("/api/dashboards", json={"team_id": team, "title": title})
    assert created.status_code == 201, created.text
    board: dict[str, Any] = created.json()
    if widgets:
        added = await client.post(
            f"/api/dashboards/{board['id']}/ops",
            json={
                "base_version": board["version"],
                "client_op_id": "setup",
                "ops": [
                    {"op": "add_widget", "widget": number_widget(f"w{i}", x=3 * i)}
                    for i in range(1, widgets + 1)
                ],
            },
        )
        assert added.status_code == 200, added.text
        board = (await client.get(f"/api/dashboards/{board['id']}")).json()
    return board


async def subscribe(client: Client, channel: str, **options: Any) -> RecordingSubscription:
    events = RecordingSubscription()
    subscription = client.new_subscription(channel, events=events, **options)
    await subscription.subscribe()
    await events.wait_for(lambda: bool(events.subscribed or events.unsubscribed))
    return events


def payloads(events: RecordingSubscription, kind: str) -> list[dict[str, Any]]:
    """The payloads of one kind of publication, in order."""
    found = []
    for _, data in events.publications:
        if data["type"] == kind:
            found.append(data["data"]["data"])
    return found

"""Team roles over HTTP: each role may do exactly what the permission table says; role changes
and removals take effect at once, open sockets included; the audit log records them."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from hubdeck.core.teams import Permission, allows
from hubdeck.core.users import Role
from hubdeck.web.realtime.broker import UNSUBSCRIBED_BY_SERVER
from tests.web.realtime_clients import RecordingHandler, RecordingSubscription, sdk_client
from tests.web.test_github_flow import github, hubdeck, sign_in

pytestmark = pytest.mark.stack

__all__ = ["github", "hubdeck"]  # fixtures, used by name

ROLES = [Role.owner, Role.admin, Role.member, Role.viewer]
LOGINS = {Role.owner: "alice", Role.admin: "carol", Role.member: "bob", Role.viewer: "erin"}


@dataclass
class Team:
    id: int
    repository_id: int
    clients: dict[Role, httpx.AsyncClient]
    ids: dict[str, int]
    target: httpx.AsyncClient  # dave, a member whose role the others try to change


async def _join(hubdeck: str, owner: httpx.AsyncClient, team_id: int, login: str, role: Role):
    invitation = await owner.post(f"/api/teams/{team_id}/invitations", json={"role": role})
    assert invitation.status_code == 201, invitation.text
    client = await sign_in(hubdeck, login)
    accepted = await client.post(f"/api/invitations/{invitation.json()['token']}/accept")
    assert accepted.status_code == 200, accepted.text
    # Joining a team is a change of privilege: the session was rotated, with a new CSRF token.
    client.headers["X-CSRF-Token"] = client.cookies["hubdeck_csrf"]
    return client


@pytest.fixture
async def team(hubdeck: str) -> AsyncIterator[Team]:
    alice = await sign_in(hubdeck, "alice")
    created = (await alice.post("/api/teams", json={"name": "Roles"})).json()
    followed = await alice.post(
        f"/api/teams/{created['id']}/repositories", json={"full_name": "acme/api"}
    )
    assert followed.status_code == 201, followed.text
    clients = {Role.owner: alice}
    for role in ROLES[1:]:
        clients[role] = await _join(hubdeck, alice, created["id"], LOGINS[role], role)
    dave = await _join(hubdeck, alice, created["id"], "dave", Role.member)
    members = (await alice.get(f"/api/teams/{created['id']}/members")).json()
    ids = {m["login"]: m["user_id"] for m in members}
    yield Team(created["id"], followed.json()["id"], clients, ids, dave)
    for client in [*clients.values(), dave]:
        await client.aclose()


async def _attempt(team: Team, client: httpx.AsyncClient, permission: Permission) -> int:
    """Something only ``permission`` allows; the response's status."""
    t = team.id
    match permission:
        case Permission.view:
            return (await client.get(f"/api/teams/{t}/members")).status_code
        case Permission.follow:
            path = f"/api/teams/{t}/repositories/{team.repository_id}/sync"
            return (await client.post(path)).status_code
        case Permission.invite:
            response = await client.post(f"/api/teams/{t}/invitations", json={"role": "viewer"})
            return response.status_code
        case Permission.manage:
            dave = team.ids["dave"]
            current = (await client.get(f"/api/teams/{t}/members")).json()
            role = next(m["role"] for m in current if m["user_id"] == dave)
            new = "viewer" if role == "member" else "member"
            response = await client.patch(f"/api/teams/{t}/members/{dave}", json={"role": new})
            audit = await client.get(f"/api/teams/{t}/audit")
            assert audit.status_code == response.status_code
            return response.status_code


@pytest.mark.parametrize("permission", list(Permission))
async def test_each_role_may_do_exactly_what_the_table_says(
    team: Team, permission: Permission
) -> None:
    outcomes = {role: await _attempt(team, team.clients[role], permission) for role in ROLES}
    expected = {role: allows(role, permission) for role in ROLES}
    assert {role: status < 300 for role, status in outcomes.items()} == expected
    for role, status in outcomes.items():
        assert status < 300 or status == 403, (role, status)


async def test_owners_are_protected_and_a_team_keeps_one(team: Team) -> None:
    t, alice = team.id, team.ids["alice"]
    admin = team.clients[Role.admin]
    refused = await admin.patch(f"/api/teams/{t}/members/{alice}", json={"role": "member"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    owner = team.clients[Role.owner]
    last = await owner.patch(f"/api/teams/{t}/members/{alice}", json={"role": "admin"})
    assert last.status_code == 409
    assert "at least one owner" in last.json()["error"]["message"]
    leaving = await owner.delete(f"/api/teams/{t}/members/{alice}")
    assert leaving.status_code == 409
    bad = await owner.patch(f"/api/teams/{t}/members/{alice}", json={"role": "emperor"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"


async def test_a_removed_member_loses_the_team_at_once_sockets_included(
    hubdeck: str, team: Team
) -> None:
    bob = team.clients[Role.member]
    cookie = "; ".join(f"{name}={value}" for name, value in bob.cookies.items())
    handler = RecordingHandler()
    client = sdk_client(hubdeck, handler, headers={"Cookie": cookie})
    await client.connect()
    await asyncio.wait_for(handler.connected.wait(), 5)
    events = RecordingSubscription()
    subscription = client.new_subscription(f"team:{team.id}", events=events)
    await subscription.subscribe()
    await events.wait_for(lambda: bool(events.subscribed))

    removed = await team.clients[Role.owner].delete(
        f"/api/teams/{team.id}/members/{team.ids['bob']}"
    )
    assert removed.status_code == 204
    await events.wait_for(lambda: bool(events.unsubscribed))
    assert events.unsubscribed[0].code == UNSUBSCRIBED_BY_SERVER
    assert (await bob.get(f"/api/teams/{team.id}/repositories")).status_code == 404
    # Resubscribing is refused too: the check is the subscribe's own.
    await subscription.subscribe()
    await events.wait_for(lambda: len(events.unsubscribed) == 2)
    assert len(events.subscribed) == 1
    assert events.unsubscribed[1].code == 103  # permission denied
    await client.disconnect()

    others = (await team.clients[Role.owner].get(f"/api/teams/{team.id}/members")).json()
    assert "bob" not in {m["login"] for m in others}


async def test_the_audit_log_records_role_changes_and_exports_csv(hubdeck: str, team: Team) -> None:
    owner = team.clients[Role.owner]
    dave = team.ids["dave"]
    changed = await owner.patch(f"/api/teams/{team.id}/members/{dave}", json={"role": "admin"})
    assert changed.status_code == 200
    assert changed.json()["role"] == "admin"
    await owner.delete(f"/api/teams/{team.id}/members/{team.ids['erin']}")

    entries = (await owner.get(f"/api/teams/{team.id}/audit")).json()["items"]
    kinds = [(e["type"], e["subject"], e["actor"]) for e in entries]
    assert ("team.role_changed", "dave", "alice") in kinds
    assert ("team.member_removed", "erin", "alice") in kinds
    role_change = next(e for e in entries if e["type"] == "team.role_changed")
    assert role_change["data"] == {"user_id": dave, "from": "member", "to": "admin"}
    # Invitations are in it, without the link that would let a reader join in the invitee's place.
    joined = [e for e in entries if e["type"] == "team.member_joined"]
    assert len(joined) == 4

    # Signing one's other devices out is in the audit log of each of one's teams.
    laptop = await sign_in(hubdeck, "dave", device="laptop")
    signed_out = await laptop.post("/api/sessions/revoke-others")
    assert signed_out.status_code == 200, signed_out.text
    assert signed_out.json()["revoked"] == 1  # the other device: team.target
    assert (await team.target.get("/api/me")).status_code == 401
    entries = (await owner.get(f"/api/teams/{team.id}/audit")).json()["items"]
    assert (entries[0]["type"], entries[0]["subject"], entries[0]["actor"]) == (
        "session.revoked",
        "dave",
        "dave",
    )
    await laptop.aclose()

    exported = await owner.get(f"/api/teams/{team.id}/audit", params={"format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["type"], r["subject"]) for r in rows] == [(e["type"], e["subject"]) for e in entries]

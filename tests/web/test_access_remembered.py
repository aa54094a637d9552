"""Sessions and memberships are remembered for a few seconds (services/recent.py), yet a
revocation, a rotation, a removal or a role change takes effect on the very next request,
even one that follows requests answered from memory."""

from __future__ import annotations

import httpx
import pytest

from hubdeck.core.users import Role
from tests.web.test_github_flow import github, hubdeck, sign_in
from tests.web.test_team_members import Team, team

pytestmark = pytest.mark.stack

__all__ = ["github", "hubdeck", "team"]  # fixtures, used by name


async def _warm(client: httpx.AsyncClient, path: str, times: int = 3) -> None:
    for _ in range(times):
        answer = await client.get(path)
        assert answer.status_code == 200, answer.text


async def test_a_removed_member_is_refused_at_once(team: Team) -> None:
    bob, owner = team.clients[Role.member], team.clients[Role.owner]
    repositories = f"/api/teams/{team.id}/repositories"
    await _warm(bob, repositories)
    await _warm(bob, f"{repositories}/{team.repository_id}")
    removed = await owner.delete(f"/api/teams/{team.id}/members/{team.ids['bob']}")
    assert removed.status_code == 204
    assert (await bob.get(repositories)).status_code == 404
    assert (await bob.get(f"{repositories}/{team.repository_id}")).status_code == 404
    assert (await bob.get(f"/api/teams/{team.id}/activity")).status_code == 404


async def test_a_role_change_takes_effect_at_once_both_ways(team: Team) -> None:
    owner, dave = team.clients[Role.owner], team.target
    sync = f"/api/teams/{team.id}/repositories/{team.repository_id}/sync"
    member = f"/api/teams/{team.id}/members/{team.ids['dave']}"
    assert (await dave.post(sync)).status_code == 202
    await _warm(dave, f"/api/teams/{team.id}/repositories")
    assert (await owner.patch(member, json={"role": "viewer"})).status_code == 200
    assert (await dave.post(sync)).status_code == 403
    # A refusal is never taken from memory: the promotion counts at once too.
    assert (await owner.patch(member, json={"role": "member"})).status_code == 200
    assert (await dave.post(sync)).status_code == 202


async def test_a_revoked_session_is_refused_at_once(hubdeck: str) -> None:
    laptop = await sign_in(hubdeck, "alice", device="laptop")
    phone = await sign_in(hubdeck, "alice", device="phone")
    await _warm(phone, "/api/me")
    listed = (await laptop.get("/api/sessions")).json()["sessions"]
    target = next(s for s in listed if not s["current"])
    assert (await laptop.delete(f"/api/sessions/{target['id']}")).status_code == 204
    assert (await phone.get("/api/me")).status_code == 401
    assert (await laptop.get("/api/me")).status_code == 200
    await laptop.aclose()
    await phone.aclose()


async def test_a_signed_out_or_rotated_session_id_is_refused_at_once(hubdeck: str) -> None:
    alice = await sign_in(hubdeck, "alice")
    team = (await alice.post("/api/teams", json={"name": "Rotation"})).json()
    invitation = (await alice.post(f"/api/teams/{team['id']}/invitations", json={})).json()

    bob = await sign_in(hubdeck, "bob")
    before = dict(bob.cookies.items())
    await _warm(bob, "/api/me")
    accepted = await bob.post(f"/api/invitations/{invitation['token']}/accept")
    assert accepted.status_code == 200, accepted.text
    # Joining rotated the session: the id seen before it is worth nothing at once.
    async with httpx.AsyncClient(base_url=hubdeck, cookies=before) as stale:
        assert (await stale.get("/api/me")).status_code == 401
    bob.headers["X-CSRF-Token"] = bob.cookies["hubdeck_csrf"]
    await _warm(bob, f"/api/teams/{team['id']}/repositories")

    cookies = dict(bob.cookies.items())
    assert (await bob.post("/api/auth/logout")).status_code == 204
    async with httpx.AsyncClient(base_url=hubdeck, cookies=cookies) as signed_out:
        assert (await signed_out.get("/api/me")).status_code == 401
    await alice.aclose()
    await bob.aclose()

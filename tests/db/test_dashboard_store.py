"""The dashboards store on SQLite and PostgreSQL: versions by compare-and-set, grants, links,
visits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from hubdeck.adapters.db.dashboards import DbDashboardStore
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.ports import GrantRecord, RevisionRecord

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def revision(version: int, title: str, dashboard_id: int = 0, **changes: object) -> RevisionRecord:
    values: dict[str, object] = {
        "dashboard_id": dashboard_id,
        "version": version,
        "actor_id": None,
        "client": "",
        "client_op_id": f"op-{version}",
        "ops": [],
        "document": {"title": title, "description": "", "widgets": []},
        "summary": title,
        "restored_from": None,
        "result": {},
        "created_at": NOW + timedelta(minutes=version),
    }
    values.update(changes)
    return RevisionRecord(**values)  # type: ignore[arg-type]


async def test_versions_move_by_compare_and_set(engine: AsyncEngine) -> None:
    alice = await DbUserStore(engine).add("alice")
    team = await DbTeamStore(engine).create("t", "T", None, alice.id)
    store = DbDashboardStore(engine)
    created = await store.create(team.id, alice.id, revision(1, "One", actor_id=alice.id))
    assert (created.version, created.document["title"]) == (1, "One")
    assert await store.commit(revision(2, "Two", created.id, actor_id=alice.id))
    # A second writer that read version 1 loses.
    assert not await store.commit(revision(2, "Other two", created.id))
    assert not await store.commit(revision(5, "Skip", created.id))
    current = await store.get(created.id)
    assert current is not None and (current.version, current.document["title"]) == (2, "Two")
    assert [r.version for r in await store.revisions_after(created.id, 0)] == [1, 2]
    assert [r.version for r in await store.revisions(created.id, before=None, limit=1)] == [2]
    assert [r.version for r in await store.revisions(created.id, before=2, limit=5)] == [1]
    found = await store.find_client_op(created.id, alice.id, "op-2")
    assert found is not None and found.version == 2
    assert await store.delete(created.id)
    assert await store.get(created.id) is None and await store.revision(created.id, 1) is None


async def test_grants_links_visits_and_who_sees_what(engine: AsyncEngine) -> None:
    users = DbUserStore(engine)
    alice, bob, carol = [await users.add(n) for n in ("alice", "bob", "carol")]
    teams = DbTeamStore(engine)
    team = await teams.create("t", "T", None, alice.id)
    other = await teams.create("o", "O", None, carol.id)
    store = DbDashboardStore(engine)
    board = await store.create(team.id, alice.id, revision(1, "Board"))
    grant = GrantRecord(board.id, bob.id, None, "viewer", alice.id, NOW)
    await store.put_grant(grant)
    changed = await store.put_grant(replace(grant, role="editor"))
    assert changed.role == "editor"
    await store.put_grant(GrantRecord(board.id, None, other.id, "viewer", alice.id, NOW))
    # In the order they were first given.
    assert [(g.user_id, g.team_id, g.role) for g in await store.grants([board.id])] == [
        (bob.id, None, "editor"),
        (None, other.id, "viewer"),
    ]
    assert [d.id for d in await store.visible_to(bob.id, [])] == [board.id]
    assert [d.id for d in await store.visible_to(carol.id, [other.id])] == [board.id]
    assert await store.delete_grant(board.id, user_id=bob.id, team_id=None)
    assert await store.visible_to(bob.id, []) == []

    link = await store.create_link(board.id, "h" * 64, alice.id, NOW, None)
    assert (await store.link_by_hash("h" * 64)) == link
    assert await store.revoke_link(board.id, link.id, NOW)
    assert not await store.revoke_link(board.id, link.id, NOW)
    assert await store.links(board.id) == []

    assert await store.last_seen(board.id, bob.id) is None
    await store.mark_seen(board.id, bob.id, 3, NOW)
    await store.mark_seen(board.id, bob.id, 2, NOW)  # an older tab closing late
    assert await store.last_seen(board.id, bob.id) == 3

"""A process that dies between storing a change and handing out its events loses no outgoing
webhook: the events were journalled in the change's own transaction, and the next process's
relay hands them to the outbox."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.activity import DbActivityLog
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.github import DbGitHubStore
from hubdeck.adapters.db.journal import DbEventJournal
from hubdeck.adapters.db.teams import DbTeamStore
from hubdeck.adapters.db.users import DbUserStore
from hubdeck.app import build_runtime
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.models import Repository
from hubdeck.ports import StoredObject
from hubdeck.services.events import MAX_ATTEMPTS
from tests.servers import stack_settings
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.stack

EVENTS = 40


async def test_events_committed_by_a_process_that_died_are_still_delivered(
    tmp_path: Path, stack_database: str, stack_redis: tuple[str, str] | None
) -> None:
    await migrate.upgrade(stack_database)
    settings = stack_settings(
        tmp_path, stack_database, stack_redis, webhook_allowed_hosts="127.0.0.1"
    )
    engine = create_engine(stack_database)
    alice = await DbUserStore(engine).add("alice")
    teams = DbTeamStore(engine)
    team = await teams.create("acme", "Acme", None, alice.id)
    store = DbGitHubStore(engine)
    repo, _ = await store.upsert_repository(
        Repository(99, "acme", "api", False, "main", "https://github.com/acme/api"), {}
    )
    await teams.follow(team.id, repo.id, alice.id)
    now = datetime.now(UTC)
    events = [
        DomainEvent(
            type="issue.opened",
            occurred_at=now,
            repository_id=repo.id,
            subject=f"acme/api#{n}",
            data={"repository": "acme/api", "number": n, "title": f"issue {n}"},
        )
        for n in range(EVENTS)
    ]
    async with running_receiver() as receiver, AsyncExitStack() as stack:
        # The first process: an endpoint, then a sync's commit, then it dies (its hold on the
        # journal entries ends at once, as if it had died long ago).
        first = await build_runtime(settings, stack, background=False)
        created = await first.webhooks.create(team.id, alice.id, url=receiver.url + "/in")
        receiver.secrets.append(created.secret)
        await store.commit(
            repo.id,
            [StoredObject("issue", str(n), {"number": n}, now) for n in range(EVENTS)],
            events=events,
            now=now,
            hold_until=now,
        )
        assert receiver.deliveries == []

        # The next process with background work: its relay hands the events out.
        second = await build_runtime(settings, stack, background=True)
        await receiver.wait_for(lambda: len(receiver.ids) >= EVENTS, timeout=30)
        delivered = {d.payload["data"]["event_id"] for d in receiver.deliveries}
        assert delivered == {e.id for e in events}
        assert all(d.verified for d in receiver.deliveries)
        feed = await DbActivityLog(engine).for_team(team.id, limit=100)
        assert {e.id for e in feed} >= {e.id for e in events}
        assert (await DbEventJournal(engine).backlog(MAX_ATTEMPTS)).pending == 0
        assert second.bus.journalled
    await engine.dispose()

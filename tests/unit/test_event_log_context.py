"""The log context the event bus binds while its consumers run."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from hubdeck.core.events import DomainEvent
from hubdeck.services.events import EventBus, log_context


def event(type_: str) -> DomainEvent:
    return DomainEvent(type=type_, occurred_at=datetime.now(UTC), team_id=1, subject="x")


def test_one_event_is_named_a_batch_lists_its_ids() -> None:
    one = event("issue.opened")
    assert log_context([one]) == {"event_id": one.id, "event_type": "issue.opened"}
    batch = [event("issue.opened") for _ in range(150)] + [event("issue.closed")]
    context = log_context(batch)
    assert context["event_ids"] == [e.id for e in batch[:100]]
    assert context["event_types"] == ["issue.closed", "issue.opened"]


async def test_consumers_see_the_ids_and_failures_are_counted() -> None:
    bus = EventBus()
    seen: list[dict[str, object]] = []

    async def consumer(events: object) -> None:
        seen.append(structlog.contextvars.get_contextvars())

    async def broken(events: object) -> None:
        raise RuntimeError("boom")

    bus.subscribe("consumer", consumer)
    bus.subscribe("broken", broken)
    structlog.contextvars.bind_contextvars(request_id="r-1")
    try:
        first = event("issue.opened")
        await bus.publish([first])
        await bus.publish([event("issue.closed"), event("issue.closed")])
        assert seen[0] == {"request_id": "r-1", "event_id": first.id, "event_type": "issue.opened"}
        assert "event_id" not in seen[1] and len(seen[1]["event_ids"]) == 2  # type: ignore[arg-type]
        # Unbound once the consumers are done.
        assert structlog.contextvars.get_contextvars() == {"request_id": "r-1"}
    finally:
        structlog.contextvars.clear_contextvars()
    assert bus.published == {"issue.opened": 1, "issue.closed": 2}
    assert bus.failures == {"broken": 2}

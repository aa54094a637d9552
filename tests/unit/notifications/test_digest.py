"""Digests, pure: when each one is due, and what it says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from pydantic import ValidationError

from hubdeck.core.notifications import (
    DigestFrequency,
    DigestSchedule,
    Level,
    Notification,
    NotificationKind,
    compose_digest,
    due_period,
    window_start,
)

DAILY = DigestSchedule(frequency=DigestFrequency.daily, hour=9)
# Thursday 26 November 2026, 10:30 UTC.
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
_ids = count(1)


def row(
    kind: NotificationKind = NotificationKind.pull_merged,
    *,
    level: Level = Level.info,
    title: str = "acme/api#1 merged",
    subject: str = "acme/api#1",
    repository_id: int | None = 7,
    created: datetime = NOW - timedelta(hours=3),
    read: bool = False,
    archived: bool = False,
) -> Notification:
    n = next(_ids)
    return Notification(
        id=n,
        recipient_id=1,
        kind=kind,
        level=level,
        title=title,
        link="/",
        subject=subject,
        repository_id=repository_id,
        group_key=f"g{n}",
        group_title="things",
        group_link="/",
        occurred_at=created,
        event_id=f"e{n}",
        created_at=created,
        updated_at=created,
        read_at=created if read else None,
        archived_at=created if archived else None,
    )


# --- when -----------------------------------------------------------------------------------


def test_off_is_never_due() -> None:
    assert due_period(DigestSchedule(), NOW) is None


def test_daily_is_due_from_its_hour_until_the_next_day() -> None:
    today = datetime(2026, 11, 26, 9, tzinfo=UTC)
    assert due_period(DAILY, NOW) == today
    assert due_period(DAILY, today) == today
    assert due_period(DAILY, today - timedelta(seconds=1)) == today - timedelta(days=1)


def test_the_hour_is_in_the_users_time_zone() -> None:
    paris = DigestSchedule(frequency=DigestFrequency.daily, hour=9, time_zone="Europe/Paris")
    # 09:00 in Paris in November is 08:00 UTC; in July (summer time) 07:00 UTC.
    assert due_period(paris, NOW) == datetime(2026, 11, 26, 8, tzinfo=UTC)
    july = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert due_period(paris, july) == datetime(2026, 7, 1, 7, tzinfo=UTC)


def test_weekly_is_due_on_its_weekday() -> None:
    mondays = DigestSchedule(frequency=DigestFrequency.weekly, hour=9, weekday=0)
    assert due_period(mondays, NOW) == datetime(2026, 11, 23, 9, tzinfo=UTC)
    thursdays = mondays.model_copy(update={"weekday": 3})
    assert due_period(thursdays, NOW) == datetime(2026, 11, 26, 9, tzinfo=UTC)
    fridays = mondays.model_copy(update={"weekday": 4})
    assert due_period(fridays, NOW) == datetime(2026, 11, 20, 9, tzinfo=UTC)


def test_the_window_starts_at_the_previous_period_or_one_cadence_back() -> None:
    period = datetime(2026, 11, 26, 9, tzinfo=UTC)
    earlier = period - timedelta(days=3)
    assert window_start(DAILY, period, earlier) == earlier
    assert window_start(DAILY, period, None) == period - timedelta(days=1)
    weekly = DAILY.model_copy(update={"frequency": DigestFrequency.weekly})
    assert window_start(weekly, period, None) == period - timedelta(days=7)


@pytest.mark.parametrize(
    "fields",
    [{"hour": 24}, {"hour": -1}, {"weekday": 7}, {"time_zone": "Mars/Olympus"}, {"x": 1}],
)
def test_a_schedule_refuses_what_cannot_be(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DigestSchedule.model_validate({"frequency": "daily", **fields})


# --- what -----------------------------------------------------------------------------------


def compose(rows: list[Notification]) -> tuple[str, str]:
    period = due_period(DAILY, NOW)
    assert period is not None
    draft = compose_digest(1, DAILY, rows, since=period - timedelta(days=1), period=period)
    assert draft is not None
    assert draft.kind is NotificationKind.digest
    assert draft.level is Level.info
    return draft.title, draft.body


def test_nothing_unread_means_no_digest() -> None:
    period = datetime(2026, 11, 26, 9, tzinfo=UTC)
    since = period - timedelta(days=1)
    rows = [
        row(read=True),
        row(archived=True),
        row(created=since - timedelta(minutes=1)),  # before the window: the last digest had it
        row(created=period + timedelta(minutes=1)),  # after: the next one will have it
        row(NotificationKind.digest),  # digests never sum up digests
    ]
    assert compose_digest(1, DAILY, rows, since=since, period=period) is None
    assert compose_digest(1, DAILY, [], since=since, period=period) is None


def test_counts_by_level_kind_and_repository() -> None:
    rows = [
        row(NotificationKind.workflow_failed, level=Level.error, title="CI failed on main"),
        row(NotificationKind.workflow_failed, level=Level.error, title="Lint failed on main"),
        row(NotificationKind.changes_requested, level=Level.warning, title="Changes on #3"),
        row(subject="acme/web#8", repository_id=8),
        row(NotificationKind.team_invitation, subject="", repository_id=None),
        row(read=True),
    ]
    title, body = compose(rows)
    assert title == "Daily digest: 5 unread notifications"
    lines = body.splitlines()
    assert lines[0] == "2 errors, 1 warning, 2 info"
    assert lines[1] == (
        "By kind: workflow failed 2, changes requested 1, pull request merged 1, team invitation 1"
    )
    assert lines[2] == "By repository: acme/api 3, acme/web 1"


def test_names_the_most_severe_then_latest_few() -> None:
    rows = [
        row(title="old info", created=NOW - timedelta(hours=20)),
        row(title="new info", created=NOW - timedelta(hours=2)),
        row(level=Level.error, title="an error", created=NOW - timedelta(hours=10)),
        row(level=Level.warning, title="a warning", created=NOW - timedelta(hours=12)),
        row(title="middle info", created=NOW - timedelta(hours=5)),
    ]
    _, body = compose(rows)
    assert body.splitlines()[-4:] == [
        "• an error",
        "• a warning",
        "• new info",
        "…and 2 more",
    ]


def test_one_notification_reads_in_the_singular_and_each_digest_is_a_group_of_its_own() -> None:
    period = datetime(2026, 11, 26, 9, tzinfo=UTC)
    weekly = DAILY.model_copy(update={"frequency": DigestFrequency.weekly})
    since = period - timedelta(days=7)
    first = compose_digest(1, weekly, [row()], since=since, period=period)
    later = compose_digest(1, weekly, [row()], since=period, period=period + timedelta(days=7))
    assert first is not None
    assert first.title == "Weekly digest: 1 unread notification"
    assert "…and" not in first.body
    # Created just now, rows are outside the later window: nothing to say.
    assert later is None
    again = compose_digest(
        1,
        weekly,
        [row(created=period + timedelta(days=1))],
        since=period,
        period=period + timedelta(days=7),
    )
    assert again is not None
    assert again.group_key != first.group_key
    assert again.event_id != first.event_id

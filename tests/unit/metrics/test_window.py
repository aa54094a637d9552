from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hubdeck.core.metrics import Window, weeks_covering
from hubdeck.core.metrics.window import iso_week_label

from .factory import T0, d


def test_window_is_half_open() -> None:
    window = Window(d(0), d(7))
    assert d(0) in window
    assert d(7) - timedelta(microseconds=1) in window
    assert d(7) not in window
    assert None not in window
    assert window.weeks == 1.0


def test_window_needs_aware_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        Window(datetime(2024, 1, 1), datetime(2024, 1, 2))


def test_window_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="end after"):
        Window(d(1), d(1))


def test_last_days_ends_at_now() -> None:
    assert Window.last(28, now=d(28)) == Window(d(0), d(28))


def test_weeks_cover_the_window_with_partial_ends() -> None:
    weeks = weeks_covering(Window(d(2), d(16)))  # Wednesday 3 Jan to Wednesday 17 Jan
    assert [(w.label, w.partial) for w in weeks] == [
        ("2024-W01", True),
        ("2024-W02", False),
        ("2024-W03", True),
    ]
    assert weeks[0].start == T0
    assert weeks[-1].end == d(21)


def test_a_window_of_exactly_one_week_is_one_full_week() -> None:
    (week,) = weeks_covering(Window(d(7), d(14)))
    assert (week.label, week.partial, week.start, week.end) == ("2024-W02", False, d(7), d(14))


def test_iso_week_53_at_a_year_boundary() -> None:
    # 2020 has 53 ISO weeks; Monday 4 January 2021 starts 2021-W01 and is excluded.
    window = Window(datetime(2020, 12, 31, tzinfo=UTC), datetime(2021, 1, 4, tzinfo=UTC))
    assert [w.label for w in weeks_covering(window)] == ["2020-W53"]
    assert iso_week_label(datetime(2021, 1, 3, 23, 59, tzinfo=UTC)) == "2020-W53"
    assert iso_week_label(datetime(2021, 1, 4, tzinfo=UTC)) == "2021-W01"


def test_weeks_follow_the_time_zone() -> None:
    # Sunday 7 January 23:30 UTC to Monday 00:10 UTC: two weeks in UTC, one in Paris (UTC+1).
    window = Window(d(7) - timedelta(minutes=30), d(7) + timedelta(minutes=10))
    assert [w.label for w in weeks_covering(window)] == ["2024-W01", "2024-W02"]
    paris = ZoneInfo("Europe/Paris")
    (week,) = weeks_covering(window, paris)
    assert week.label == "2024-W02"
    assert week.start == datetime(2024, 1, 8, tzinfo=paris)

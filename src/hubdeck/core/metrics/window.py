"""Time windows and the calendar weeks that cover them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def require_aware(moment: datetime, name: str = "now") -> datetime:
    """``moment`` itself, if it is time-zone aware; naive datetimes would compare wrongly."""
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone aware datetime")
    return moment


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open interval of time ``[start, end)``: ``start`` is in it, ``end`` is not.

    Both ends must be time-zone aware, so a comparison never mixes naive and aware datetimes.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "a window's start")
        require_aware(self.end, "a window's end")
        if self.end <= self.start:
            raise ValueError("a metrics window must end after it starts")

    @classmethod
    def last(cls, days: float, *, now: datetime) -> Window:
        """The ``days`` days that end at ``now`` (``now`` itself excluded)."""
        return cls(now - timedelta(days=days), now)

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, datetime):
            return False
        return self.start <= moment < self.end

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def weeks(self) -> float:
        """The window's length in weeks, fractional: the divisor of per-week averages."""
        return self.seconds / timedelta(weeks=1).total_seconds()


@dataclass(frozen=True, slots=True)
class Week:
    """One ISO week (Monday 00:00 to the next Monday 00:00, in a given time zone)."""

    label: str  # "2024-W05"
    start: datetime
    end: datetime
    partial: bool  # the week begins before the window or ends after it


def iso_week_label(moment: datetime, tz: tzinfo = UTC) -> str:
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year:04d}-W{week:02d}"


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def weeks_covering(window: Window, tz: tzinfo = UTC) -> tuple[Week, ...]:
    """Every ISO week that overlaps ``window``, in order, none skipped."""
    first_day = window.start.astimezone(tz).date()
    # ``end`` is excluded, so the last week is the one holding the instant just before it.
    last_day = (window.end - timedelta(microseconds=1)).astimezone(tz).date()
    monday = first_day - timedelta(days=first_day.weekday())
    weeks: list[Week] = []
    while monday <= last_day:
        start = _local_midnight(monday, tz)
        end = _local_midnight(monday + timedelta(days=7), tz)
        year, number, _ = monday.isocalendar()
        weeks.append(
            Week(
                label=f"{year:04d}-W{number:02d}",
                start=start,
                end=end,
                partial=start < window.start or end > window.end,
            )
        )
        monday += timedelta(days=7)
    return tuple(weeks)

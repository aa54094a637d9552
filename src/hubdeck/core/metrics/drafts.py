"""Time a pull request spent as a draft, and the time left when it is taken out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hubdeck.core.github.models import DraftPeriod


def _merged(periods: Iterable[DraftPeriod], until: datetime) -> list[tuple[datetime, datetime]]:
    """Draft periods as closed intervals, open ones ending at ``until``, overlaps merged."""
    spans = sorted(
        (period.start, period.end if period.end is not None else until) for period in periods
    )
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def draft_seconds(start: datetime, end: datetime, periods: Iterable[DraftPeriod]) -> float:
    """Seconds of ``[start, end]`` that the pull request spent as a draft (0 if ``end <= start``).

    A period still open (``end`` None) lasts past ``end``; overlapping periods count once.
    """
    if end <= start:
        return 0.0
    total = 0.0
    for draft_start, draft_end in _merged(periods, until=end):
        low, high = max(start, draft_start), min(end, draft_end)
        if high > low:
            total += (high - low).total_seconds()
    return total


def active_seconds(start: datetime, end: datetime, periods: Iterable[DraftPeriod]) -> float:
    """Seconds from ``start`` to ``end`` outside draft periods; never negative."""
    if end <= start:
        return 0.0
    elapsed = (end - start).total_seconds()
    return max(0.0, elapsed - draft_seconds(start, end, periods))


def ready_at(opened: datetime, periods: Iterable[DraftPeriod]) -> datetime | None:
    """The first moment at or after ``opened`` when the pull request was not a draft.

    ``opened`` itself unless it was opened as a draft; ``None`` while it is still a draft
    and has never been ready.
    """
    moment = opened
    for period in sorted(periods, key=lambda period: period.start):
        if period.start > moment:
            break
        if period.end is None:
            return None
        moment = max(moment, period.end)
    return moment

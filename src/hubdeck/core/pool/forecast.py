"""When the pool runs dry at the current rate."""

from __future__ import annotations

from collections.abc import Sequence


def dry_at(remaining: int, per_minute: float, resets: Sequence[float], now: float) -> float | None:
    """The epoch second at which ``remaining`` is spent at ``per_minute`` requests a minute;
    None when nothing is being spent or a reset comes first (the pool refills before)."""
    if per_minute <= 0:
        return None
    when = now + remaining / per_minute * 60.0
    upcoming = [r for r in resets if r > now]
    if upcoming and min(upcoming) <= when:
        return None
    return when

"""The arithmetic of one credential's quota: what it may still spend, reservations, and
corrections from GitHub's ``x-ratelimit-*`` headers.

The estimate never counts on quota it has not seen: ``available`` subtracts both what GitHub
reported used (``used_seen``, the highest ``x-ratelimit-used`` of the window) or what HubDeck
itself paid for (``answered``), whichever is more, and every reservation still in flight. A
response's ``used`` may already include requests still counted as in flight, which makes the
estimate cautious for a moment, never generous; it cannot drift, because each request leaves
the in-flight count once and is then counted by ``max``, not twice.

``adapters.memory.pool`` applies these functions; ``adapters.redis.pool`` runs the same steps in
Lua (``scripts.py``), and the contract suite holds both to the same behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hubdeck.core.pool.model import PoolLimits

MINUTE = 60.0


@dataclass(slots=True)
class QuotaRecord:
    """One credential: per-bucket quota, reservations in flight, recent points, cooldown."""

    limits: dict[str, int] = field(default_factory=dict)  # bucket -> limit (absent: unknown)
    resets: dict[str, float] = field(default_factory=dict)  # bucket -> epoch seconds
    used_seen: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)
    fresh: dict[str, bool] = field(default_factory=dict)  # rolled over, real reset unknown yet
    in_flight: dict[str, float] = field(default_factory=dict)  # reservation -> lease deadline
    points: list[tuple[float, int]] = field(default_factory=list)  # (when, points)
    cooldown_until: float = 0.0
    removed: bool = False

    def expire(self, now: float) -> None:
        for reservation, deadline in list(self.in_flight.items()):
            if deadline <= now:
                del self.in_flight[reservation]
        self.points = [(t, p) for t, p in self.points if t > now - MINUTE]

    def roll(self, bucket: str, now: float, limits: PoolLimits) -> None:
        """A window whose reset passed starts afresh (GitHub refills it whole)."""
        reset = self.resets.get(bucket)
        if reset is not None and now >= reset + limits.reset_margin:
            self.used_seen[bucket] = 0
            self.answered[bucket] = 0
            self.resets[bucket] = now + limits.window
            self.fresh[bucket] = True

    def available(self, bucket: str) -> int:
        limit = self.limits.get(bucket)
        if limit is None:
            return 0
        spent = max(self.used_seen.get(bucket, 0), self.answered.get(bucket, 0))
        return limit - spent - len(self.in_flight)

    def points_used(self) -> int:
        return sum(p for _, p in self.points)


def usable(
    record: QuotaRecord, bucket: str, points: int, limits: PoolLimits, now: float
) -> int | None:
    """The quota this credential could spend now, or None when it may not be used now."""
    if record.removed or record.cooldown_until > now:
        return None
    record.expire(now)
    record.roll(bucket, now, limits)
    if len(record.in_flight) >= limits.max_concurrent:
        return None
    if record.points_used() + points > limits.points_per_minute:
        return None
    left = record.available(bucket)
    return left if left > 0 else None


def choose(
    records: Mapping[str, QuotaRecord],
    candidates: Sequence[str],
    bucket: str,
    points: int,
    prefer: str | None,
    limits: PoolLimits,
    now: float,
) -> str | None:
    """The credential to reserve: ``prefer`` (token affinity: it holds the ETag) while it has
    quota, else the one with the most quota left (the first of equals, in candidate order)."""
    best: str | None = None
    best_left = 0
    for credential in candidates:
        record = records.get(credential)
        if record is None:
            continue
        left = usable(record, bucket, points, limits, now)
        if left is None:
            continue
        if credential == prefer:
            return credential
        if left > best_left:
            best, best_left = credential, left
    return best


def reserve(
    record: QuotaRecord, reservation: str, points: int, limits: PoolLimits, now: float
) -> None:
    record.in_flight[reservation] = now + limits.lease
    record.points.append((now, points))


def wait_hint(
    records: Mapping[str, QuotaRecord],
    candidates: Sequence[str],
    bucket: str,
    now: float,
    margin: float = 0.0,
) -> float:
    """When some candidate might be usable again: the earliest cooldown end, reset, lease end
    or point expiry; ``now + 1`` when nothing tells (a candidate of unknown quota)."""
    times: list[float] = []
    for credential in candidates:
        record = records.get(credential)
        if record is None or record.removed:
            continue
        if record.cooldown_until > now:
            times.append(record.cooldown_until)
            continue
        if bucket not in record.limits:
            times.append(now + 1.0)
            continue
        reset = record.resets.get(bucket)
        if reset is not None and record.available(bucket) <= 0:
            times.append(reset + margin)
        times.extend(record.in_flight.values())
        if record.points:
            times.append(record.points[0][0] + MINUTE)
    future = [t for t in times if t > now]
    return min(future) if future else now + 1.0


def observe(
    record: QuotaRecord,
    bucket: str,
    *,
    limit: int,
    used: int,
    reset: float,
    paid: bool,
) -> None:
    """Correct the estimate from a response's headers (or a free ``/rate_limit`` probe, with
    ``paid`` False). A response of a newer window replaces the window; one of the current window
    raises ``used_seen``; a late one of an older window is ignored."""
    current = record.resets.get(bucket)
    if current is None or record.fresh.get(bucket, False) or reset > current + 1:
        record.resets[bucket] = reset
        record.used_seen[bucket] = used
        record.answered[bucket] = 1 if paid else 0
        record.fresh[bucket] = False
        record.limits[bucket] = limit
    elif abs(reset - current) <= 1:
        record.used_seen[bucket] = max(record.used_seen.get(bucket, 0), used)
        if paid:
            record.answered[bucket] = record.answered.get(bucket, 0) + 1
        record.limits[bucket] = limit

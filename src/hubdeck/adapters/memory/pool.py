"""The rate-limit pool's state in this process (the embedded default: one process)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping, Sequence

from hubdeck.core.github.ratelimit import RateLimit
from hubdeck.core.pool.model import PoolLimits
from hubdeck.core.pool.quota import QuotaRecord, choose, observe, reserve, wait_hint
from hubdeck.ports import Grant, QuotaView, UsageRow

USAGE_SLOT = 300.0
USAGE_KEEP = 7 * 3600.0


def usage_slot(at: float) -> float:
    return at // USAGE_SLOT * USAGE_SLOT


class MemoryRatePool:
    def __init__(self) -> None:
        self._records: dict[str, QuotaRecord] = {}
        # (team, slot) -> (dimension, value) -> [requests, paid]
        self._usage: dict[tuple[int, float], Counter[tuple[str, str, str]]] = {}

    def _record(self, credential: str) -> QuotaRecord:
        return self._records.setdefault(credential, QuotaRecord())

    async def reserve(
        self,
        candidates: Sequence[str],
        bucket: str,
        *,
        points: int,
        prefer: str | None,
        limits: PoolLimits,
        now: float,
    ) -> Grant:
        chosen = choose(self._records, candidates, bucket, points, prefer, limits, now)
        if chosen is None:
            hint = wait_hint(self._records, candidates, bucket, now, limits.reset_margin)
            return Grant(None, None, hint)
        reservation = secrets.token_hex(8)
        reserve(self._records[chosen], reservation, points, limits, now)
        return Grant(chosen, reservation)

    async def settle(
        self,
        credential: str,
        reservation: str,
        bucket: str,
        *,
        paid: bool,
        rate: RateLimit | None,
    ) -> None:
        record = self._record(credential)
        record.in_flight.pop(reservation, None)
        if rate is not None:
            observe(record, bucket, limit=rate.limit, used=rate.used, reset=rate.reset, paid=paid)
        elif paid:
            record.answered[bucket] = record.answered.get(bucket, 0) + 1

    async def observe(self, credential: str, rate: RateLimit) -> None:
        record = self._record(credential)
        observe(
            record,
            rate.resource,
            limit=rate.limit,
            used=rate.used,
            reset=rate.reset,
            paid=False,
        )

    async def cool_down(self, credential: str, until: float) -> None:
        record = self._record(credential)
        record.cooldown_until = max(record.cooldown_until, until)

    async def remove(self, credential: str) -> None:
        self._record(credential).removed = True

    async def restore(self, credential: str) -> None:
        self._record(credential).removed = False

    async def views(
        self, credentials: Sequence[str], bucket: str, *, limits: PoolLimits, now: float
    ) -> list[QuotaView]:
        views = []
        for credential in credentials:
            record = self._records.get(credential)
            if record is None:
                views.append(QuotaView(credential, bucket, None, None, None, 0, 0.0, False))
                continue
            record.expire(now)
            record.roll(bucket, now, limits)
            limit = record.limits.get(bucket)
            views.append(
                QuotaView(
                    credential,
                    bucket,
                    limit,
                    None if limit is None else max(record.available(bucket), 0),
                    record.resets.get(bucket),
                    len(record.in_flight),
                    record.cooldown_until,
                    record.removed,
                )
            )
        return views

    async def record_usage(
        self, team_id: int, at: float, dimensions: Mapping[str, str], *, paid: bool
    ) -> None:
        slot = usage_slot(at)
        counts = self._usage.setdefault((team_id, slot), Counter())
        for dimension, value in dimensions.items():
            counts[dimension, value, "n"] += 1
            if paid:
                counts[dimension, value, "paid"] += 1
        for key in [k for k in self._usage if k[1] < slot - USAGE_KEEP]:
            del self._usage[key]

    async def usage(self, team_id: int, since: float, now: float) -> list[UsageRow]:
        rows: list[UsageRow] = []
        for (team, slot), counts in sorted(self._usage.items()):
            if team != team_id or slot < usage_slot(since) or slot > now:
                continue
            pairs = {(d, v) for d, v, _ in counts}
            for dimension, value in sorted(pairs):
                rows.append(
                    UsageRow(
                        slot,
                        dimension,
                        value,
                        counts[dimension, value, "n"],
                        counts[dimension, value, "paid"],
                    )
                )
        return rows

"""The rate-limit pool's state in Redis, shared by every process (scripts in pool_scripts.py).

Keys: ``{prefix}pool:c:{credential}`` (hash), ``…:f:{credential}`` (reservations in flight),
``…:p:{credential}`` (recent points), ``…:u:{team}:{slot}`` (usage counters, kept seven hours).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

from redis.asyncio import Redis

from hubdeck.adapters.memory.pool import USAGE_KEEP, USAGE_SLOT, usage_slot
from hubdeck.adapters.redis import pool_scripts
from hubdeck.core.github.ratelimit import RateLimit
from hubdeck.core.pool.model import PoolLimits
from hubdeck.ports import Grant, QuotaView, UsageRow


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _float(value: bytes | str) -> float | None:
    text = _text(value)
    return float(text) if text else None


class RedisRatePool:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}pool:"
        self._reserve = client.register_script(pool_scripts.RESERVE)
        self._settle = client.register_script(pool_scripts.SETTLE)
        self._cool = client.register_script(pool_scripts.COOL_DOWN)
        self._view = client.register_script(pool_scripts.VIEW)

    def _keys(self, credential: str) -> list[str]:
        return [self._prefix + kind + credential for kind in ("c:", "f:", "p:")]

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
        if not candidates:
            return Grant(None, None, now + 1.0)
        keys = [key for credential in candidates for key in self._keys(credential)]
        reservation = secrets.token_hex(8)
        args: list[str | int | float] = [
            bucket,
            points,
            prefer or "",
            limits.max_concurrent,
            limits.points_per_minute,
            repr(limits.lease),
            repr(limits.window),
            repr(now),
            reservation,
            repr(limits.reset_margin),
            *candidates,
        ]
        index, wait = await self._reserve(keys=keys, args=args)
        if int(index) == 0:
            return Grant(None, None, _float(wait) or now + 1.0)
        return Grant(candidates[int(index) - 1], reservation)

    async def _apply(
        self, credential: str, reservation: str, bucket: str, paid: bool, rate: RateLimit | None
    ) -> None:
        keys = self._keys(credential)[:2]
        args: list[str | int] = [reservation, bucket, int(paid), int(rate is not None)]
        if rate is not None:
            args += [rate.limit, rate.used, rate.reset]
        else:
            args += [0, 0, 0]
        await self._settle(keys=keys, args=args)

    async def settle(
        self,
        credential: str,
        reservation: str,
        bucket: str,
        *,
        paid: bool,
        rate: RateLimit | None,
    ) -> None:
        await self._apply(credential, reservation, bucket, paid, rate)

    async def observe(self, credential: str, rate: RateLimit) -> None:
        await self._apply(credential, "", rate.resource, False, rate)

    async def cool_down(self, credential: str, until: float) -> None:
        await self._cool(keys=self._keys(credential)[:1], args=[repr(until)])

    async def remove(self, credential: str) -> None:
        await self._client.hset(self._keys(credential)[0], "rm", "1")

    async def restore(self, credential: str) -> None:
        await self._client.hdel(self._keys(credential)[0], "rm")

    async def views(
        self, credentials: Sequence[str], bucket: str, *, limits: PoolLimits, now: float
    ) -> list[QuotaView]:
        views = []
        for credential in credentials:
            raw = await self._view(
                keys=self._keys(credential)[:2],
                args=[bucket, repr(now), repr(limits.window), repr(limits.reset_margin)],
            )
            limit, left, reset, in_flight, cool, removed = (_text(v) for v in raw)
            views.append(
                QuotaView(
                    credential,
                    bucket,
                    int(limit) if limit else None,
                    int(float(left)) if left else None,
                    float(reset) if reset else None,
                    int(in_flight),
                    float(cool or 0),
                    removed == "1",
                )
            )
        return views

    async def record_usage(
        self, team_id: int, at: float, dimensions: Mapping[str, str], *, paid: bool
    ) -> None:
        key = f"{self._prefix}u:{team_id}:{int(usage_slot(at))}"
        pipe = self._client.pipeline(transaction=False)
        for dimension, value in dimensions.items():
            pipe.hincrby(key, f"{dimension}\0{value}\0n", 1)
            if paid:
                pipe.hincrby(key, f"{dimension}\0{value}\0paid", 1)
        pipe.expire(key, int(USAGE_KEEP + USAGE_SLOT))
        await pipe.execute()

    async def usage(self, team_id: int, since: float, now: float) -> list[UsageRow]:
        slots = []
        slot = usage_slot(since)
        while slot <= now:
            slots.append(slot)
            slot += USAGE_SLOT
        pipe = self._client.pipeline(transaction=False)
        for slot in slots:
            pipe.hgetall(f"{self._prefix}u:{team_id}:{int(slot)}")
        rows: list[UsageRow] = []
        for slot, found in zip(slots, await pipe.execute(), strict=True):
            counts: dict[tuple[str, str], list[int]] = {}
            for field, count in found.items():
                dimension, value, kind = _text(field).split("\0")
                pair = counts.setdefault((dimension, value), [0, 0])
                pair[0 if kind == "n" else 1] = int(count)
            for (dimension, value), (requests, paid) in sorted(counts.items()):
                rows.append(UsageRow(slot, dimension, value, requests, paid))
        return rows

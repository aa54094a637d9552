"""The simulator's clock: real time from a start instant, or frozen and moved by hand."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


def utc_now_seconds() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Clock:
    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        start = start or utc_now_seconds()
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self._start = start.astimezone(UTC)
        self._frozen = frozen
        self._offset = 0.0
        self._mono0 = time.monotonic()

    @property
    def start(self) -> datetime:
        return self._start

    @property
    def frozen(self) -> bool:
        return self._frozen

    def now(self) -> datetime:
        elapsed = self._offset if self._frozen else self._offset + time.monotonic() - self._mono0
        return (self._start + timedelta(seconds=elapsed)).replace(microsecond=0)

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance(self, seconds: float) -> datetime:
        self._offset += seconds
        return self.now()

    def set(self, when: datetime) -> datetime:
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        self._offset += (when - self.now()).total_seconds()
        return self.now()

"""When a failed delivery is tried again, and when a failing endpoint is given up on.

The schedule is Svix's (about a day and a half from the first try to the last): immediately,
then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure. Every delay is spread by
up to ±10 % so that endpoints coming back from an outage are not hit by a synchronised wave.
``scale`` compresses the whole clock (tests and demos); production uses 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
# The first attempt plus one per delay.
MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)
JITTER = 0.1
# An endpoint that has not answered one delivery successfully for this long is disabled (and
# its team's admins notified). A day: shorter than the whole schedule, so a message that fails
# every try disables its endpoint at the latest on its last try.
DISABLE_AFTER = timedelta(hours=24)


def retry_delay(attempts: int, *, scale: float = 1.0, jitter: float = 0.0) -> timedelta | None:
    """The wait after the ``attempts``-th failed try (1-based), or None when none is left.

    ``jitter`` in [-1, 1] (a random draw by the caller) spreads the delay by ±``JITTER``.
    """
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    spread = 1.0 + JITTER * max(-1.0, min(1.0, jitter))
    return RETRY_DELAYS[attempts - 1] * (scale * spread)


def should_disable(failing_since: datetime | None, now: datetime, *, scale: float = 1.0) -> bool:
    """Failing continuously for ``DISABLE_AFTER`` (scaled): give up on the endpoint."""
    return failing_since is not None and now - failing_since >= DISABLE_AFTER * scale


def schedule_rows() -> list[tuple[int, timedelta]]:
    """(attempt number, time since the first attempt) for every attempt: for docs and pages."""
    rows = [(1, timedelta(0))]
    total = timedelta(0)
    for number, delay in enumerate(RETRY_DELAYS, start=2):
        total += delay
        rows.append((number, total))
    return rows

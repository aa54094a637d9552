from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubdeck.core.webhooks.outcome import AttemptResult, Verdict
from hubdeck.core.webhooks.schedule import (
    DISABLE_AFTER,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    retry_delay,
    schedule_rows,
    should_disable,
)

T0 = datetime(2026, 11, 26, tzinfo=UTC)


def test_the_schedule_spans_about_a_day_and_a_half_in_eight_attempts() -> None:
    rows = schedule_rows()
    assert len(rows) == MAX_ATTEMPTS == 8
    assert rows[-1][1] == timedelta(hours=27, minutes=35, seconds=5)
    assert retry_delay(MAX_ATTEMPTS) is None
    assert retry_delay(0) is None


@given(attempt=st.integers(1, len(RETRY_DELAYS)), jitter=st.floats(-1, 1))
def test_jitter_spreads_a_delay_by_at_most_a_tenth(attempt: int, jitter: float) -> None:
    delay = retry_delay(attempt, jitter=jitter)
    assert delay is not None
    base = RETRY_DELAYS[attempt - 1]
    assert base * 0.9 - timedelta(microseconds=1) <= delay <= base * 1.1 + timedelta(microseconds=1)


def test_the_scale_compresses_the_clock() -> None:
    assert retry_delay(1, scale=0.001) == timedelta(milliseconds=5)


def test_an_endpoint_is_disabled_at_the_last_attempt_of_a_message_that_always_fails() -> None:
    """The failing period (a day) ends between the 7th and the 8th attempt, even with the
    largest jitter on every delay."""
    for jitter in (-1.0, 1.0):
        at = T0
        disabled_at = None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if should_disable(T0, at):
                disabled_at = attempt
                break
            delay = retry_delay(attempt, jitter=jitter)
            if delay is None:
                break
            at += delay
        assert disabled_at == MAX_ATTEMPTS or (disabled_at is None and jitter < 0)
    assert schedule_rows()[-1][1] * 0.9 > DISABLE_AFTER


def test_a_success_resets_the_failing_period() -> None:
    assert not should_disable(None, T0 + timedelta(days=30))


@pytest.mark.parametrize(
    ("result", "verdict"),
    [
        (AttemptResult(200, 5), Verdict.delivered),
        (AttemptResult(204, 5), Verdict.delivered),
        (AttemptResult(410, 5), Verdict.gone),
        (AttemptResult(500, 5), Verdict.retry),
        (AttemptResult(302, 5, error="redirect to x not followed"), Verdict.retry),
        (AttemptResult(None, 5, error="timed out after 10 s"), Verdict.retry),
    ],
)
def test_verdicts(result: AttemptResult, verdict: Verdict) -> None:
    assert result.verdict is verdict

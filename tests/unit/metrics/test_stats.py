from __future__ import annotations

import math

import pytest

from hubdeck.core.metrics import Distribution, distribution, percentiles, ratio


def test_percentiles_interpolate_linearly_between_ranks() -> None:
    # n=4, ranks (n-1)*p/100: p50 → 1.5, p75 → 2.25, p90 → 2.7
    assert percentiles([4, 1, 3, 2], [50, 75, 90]) == pytest.approx((2.5, 3.25, 3.7))


def test_percentiles_ends_are_min_and_max() -> None:
    assert percentiles([7, 3, 9], [0, 100]) == (3.0, 9.0)


def test_percentiles_odd_count_median_is_middle_value() -> None:
    assert percentiles([5, 1, 100], [50]) == (5.0,)


def test_a_single_value_is_every_percentile() -> None:
    assert percentiles([42], [0, 50, 90, 100]) == (42.0, 42.0, 42.0, 42.0)


def test_no_values_no_percentiles() -> None:
    assert percentiles([], [50]) is None


@pytest.mark.parametrize("p", [-1, 100.5])
def test_percentile_outside_range_is_refused(p: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        percentiles([1, 2], [p])


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_values_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        percentiles([1, bad], [50])


def test_distribution_of_a_skewed_sample() -> None:
    result = distribution([100, 10, 40, 30, 20])
    # sorted 10 20 30 40 100; p75 at rank 3 → 40; p90 at rank 3.6 → 40 + 0.6 × 60
    assert result == Distribution(
        count=5, mean=40.0, min=10.0, p50=30.0, p75=40.0, p90=result.p90, max=100.0
    )
    assert result.p90 == pytest.approx(76.0)


def test_empty_distribution_has_a_count_and_nothing_else() -> None:
    assert distribution([]) == Distribution(0, None, None, None, None, None, None)


def test_ratio_of_nothing_is_none_not_zero() -> None:
    assert ratio(3, 4) == 0.75
    assert ratio(0, 0) is None

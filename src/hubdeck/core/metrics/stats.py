"""Summary statistics: percentiles by linear interpolation, distributions, safe ratios."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_PERCENTILES = (50.0, 75.0, 90.0)


def percentiles(
    values: Iterable[float], ps: Sequence[float] = DEFAULT_PERCENTILES
) -> tuple[float, ...] | None:
    """The ``ps`` percentiles of ``values`` by linear interpolation between closest ranks.

    This is Hyndman & Fan's definition 7, the default of NumPy, R and Excel's PERCENTILE.INC:
    sort the n values; the p-th percentile sits at the 0-based rank ``h = (n - 1) * p / 100``,
    and is ``x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])``. So p=0 is the
    minimum, p=100 the maximum, p=50 the usual median, and a single value is every percentile.

    Returns ``None`` when there are no values. Raises ``ValueError`` for a percentile outside
    0–100 or a value that is not finite.
    """
    data = sorted(float(v) for v in values)
    for p in ps:
        if not 0.0 <= p <= 100.0:
            raise ValueError(f"percentile {p} is outside 0–100")
    if any(not math.isfinite(v) for v in data):
        raise ValueError("percentiles of non-finite values are undefined")
    if not data:
        return None
    last = len(data) - 1
    result: list[float] = []
    for p in ps:
        rank = last * p / 100.0
        low = math.floor(rank)
        high = min(low + 1, last)
        fraction = rank - low
        value = data[low] + fraction * (data[high] - data[low])
        # Interpolation can drift an ulp beyond the data; clamp so a percentile stays in range.
        result.append(min(max(value, data[low]), data[high]))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class Distribution:
    """How a set of numbers (durations in seconds, sizes in lines) is spread.

    ``count`` is how many values there are; with ``count == 0`` every other field is ``None``.
    """

    count: int
    mean: float | None
    min: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    max: float | None

    @classmethod
    def empty(cls) -> Distribution:
        return cls(0, None, None, None, None, None, None)


def distribution(values: Iterable[float]) -> Distribution:
    data = sorted(float(v) for v in values)
    marks = percentiles(data, DEFAULT_PERCENTILES)
    if marks is None:
        return Distribution.empty()
    p50, p75, p90 = marks
    return Distribution(
        count=len(data),
        mean=math.fsum(data) / len(data),
        min=data[0],
        p50=p50,
        p75=p75,
        p90=p90,
        max=data[-1],
    )


def ratio(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, or ``None`` when there is nothing to divide by."""
    return numerator / denominator if denominator else None

"""Whose GitHub request this is: services declare it around their GitHub calls, the pooled
client reads it. A context variable, so concurrent tasks each keep their own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from hubdeck.core.pool.model import Need

_current: ContextVar[Need | None] = ContextVar("hubdeck_pool_need", default=None)


def current_need() -> Need | None:
    return _current.get()


@contextmanager
def acting(need: Need) -> Iterator[Need]:
    """GitHub requests made inside go through the pool as ``need``."""
    token = _current.set(need)
    try:
        yield need
    finally:
        _current.reset(token)

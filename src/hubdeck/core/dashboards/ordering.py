"""The server's ordering rule (docs/dashboards.md, "Ordering and conflict rules").

A batch based on version ``v`` arrives when the dashboard is at version ``current``. It is
applied on top of ``current``, and checked against the batches ``v+1 … current`` it did not
know about: an edit of a widget one of them removed is dropped (and the remover named); a
property one of them set and this batch sets again is reported as overwritten (and its author
named). Different properties need nothing: applying on top keeps both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hubdeck.core.dashboards.apply import WIDGET_MISSING, WIDGET_REMOVED, apply_ops
from hubdeck.core.dashboards.model import Document
from hubdeck.core.dashboards.ops import Op, RemoveWidget, properties_of, target_of


@dataclass(frozen=True, slots=True)
class Batch:
    """An accepted batch: the operations applied to make ``version``."""

    version: int
    author_id: int
    client: str
    ops: tuple[Op, ...]


@dataclass(frozen=True, slots=True)
class Dropped:
    index: int
    op: Op
    reason: str
    by: int | None  # who removed the widget, for ``widget_removed``
    version: int | None


@dataclass(frozen=True, slots=True)
class Overwritten:
    index: int
    target: str
    path: str
    user_id: int  # whose change is replaced
    version: int  # the version that change made


@dataclass(frozen=True, slots=True)
class Outcome:
    document: Document
    applied: tuple[Op, ...]
    dropped: tuple[Dropped, ...]
    overwritten: tuple[Overwritten, ...]


def order(
    document: Document,
    ops: Sequence[Op],
    *,
    author_id: int,
    client: str,
    unseen: Sequence[Batch],
) -> Outcome:
    """``document`` is the current one; ``unseen`` the batches after the base version, oldest
    first."""
    result, applied, skipped = apply_ops(document, ops)
    removals: dict[str, Batch] = {}
    touched: dict[tuple[str, str], Batch] = {}
    for batch in unseen:
        for op in batch.ops:
            target = target_of(op)
            if isinstance(op, RemoveWidget):
                removals[target] = batch
            else:
                removals.pop(target, None)  # put back since: not "removed meanwhile"
            if (batch.author_id, batch.client) != (author_id, client):
                for path in properties_of(op):
                    touched[(target, path)] = batch

    dropped: list[Dropped] = []
    for skip in skipped:
        remover = removals.get(target_of(skip.op))
        if skip.reason == WIDGET_MISSING and remover is not None:
            dropped.append(
                Dropped(skip.index, skip.op, WIDGET_REMOVED, remover.author_id, remover.version)
            )
        else:
            dropped.append(Dropped(skip.index, skip.op, skip.reason, None, None))

    overwritten: dict[tuple[str, str, int], Overwritten] = {}
    skipped_indexes = {s.index for s in skipped}
    for index, op in enumerate(ops):
        if index in skipped_indexes:
            continue
        target = target_of(op)
        for path in properties_of(op):
            earlier = touched.get((target, path))
            if earlier is not None:
                key = (target, path, earlier.author_id)
                overwritten.setdefault(
                    key, Overwritten(index, target, path, earlier.author_id, earlier.version)
                )
    return Outcome(result, tuple(applied), tuple(dropped), tuple(overwritten.values()))

"""The server's side of co-editing, in memory: checks a batch's base version, orders it with
``order`` and keeps the log. The service does the same against the database; tests and the
property test use this one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hubdeck.core.dashboards.model import Document
from hubdeck.core.dashboards.ops import Op
from hubdeck.core.dashboards.ordering import Batch, Outcome, order
from hubdeck.core.dashboards.rebase import Published
from hubdeck.core.errors import Conflict

# A client further behind than this reloads the snapshot instead of being rebased: the check
# reads every batch since its base.
MAX_BEHIND = 1000


def check_base(base_version: int, current: int) -> None:
    if base_version > current:
        raise Conflict(f"base_version {base_version} is ahead of the dashboard ({current})")
    if base_version < 1 or current - base_version > MAX_BEHIND:
        raise Conflict(f"base_version {base_version} is too old: reload the dashboard")


@dataclass(frozen=True, slots=True)
class Submitted:
    version: int
    outcome: Outcome
    published: Published | None  # None: nothing applied, nothing published


@dataclass
class Sequencer:
    document: Document
    version: int = 1
    batches: list[Batch] = field(default_factory=list)
    _answers: dict[tuple[int, str], Submitted] = field(default_factory=dict)

    def unseen(self, base_version: int) -> list[Batch]:
        return [b for b in self.batches if b.version > base_version]

    def submit(
        self,
        *,
        author_id: int,
        client: str,
        base_version: int,
        client_op_id: str,
        ops: Sequence[Op],
    ) -> Submitted:
        earlier = self._answers.get((author_id, client_op_id))
        if earlier is not None:
            return earlier  # a retry: the first answer again
        check_base(base_version, self.version)
        outcome = order(
            self.document,
            ops,
            author_id=author_id,
            client=client,
            unseen=self.unseen(base_version),
        )
        published = None
        if outcome.applied:
            self.version += 1
            self.document = outcome.document
            self.batches.append(Batch(self.version, author_id, client, outcome.applied))
            published = Published(self.version, outcome.applied, client_op_id, client)
        answer = Submitted(self.version, outcome, published)
        self._answers[(author_id, client_op_id)] = answer
        return answer

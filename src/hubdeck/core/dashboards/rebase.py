"""What a page does with its own edits: apply them at once, then rebase them on the server's
order (docs/dashboards.md, "Client rebase"). The front end mirrors this module in TypeScript;
the property test drives this one against the server's rule to show that everyone converges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hubdeck.core.dashboards.apply import apply_ops
from hubdeck.core.dashboards.model import Document
from hubdeck.core.dashboards.ops import Op


@dataclass(frozen=True, slots=True)
class Pending:
    client_op_id: str
    ops: tuple[Op, ...]


@dataclass(frozen=True, slots=True)
class Published:
    """A ``dashboard.ops`` publication, or the answer to one's own batch (the same content)."""

    version: int
    ops: tuple[Op, ...]
    client_op_id: str
    client: str


@dataclass
class Replica:
    """One page's copy of a dashboard."""

    client: str
    confirmed: Document
    version: int
    pending: list[Pending] = field(default_factory=list)
    needs_snapshot: bool = False
    _counter: int = 0

    @property
    def visible(self) -> Document:
        document = self.confirmed
        for batch in self.pending:
            document, _, _ = apply_ops(document, batch.ops)
        return document

    def edit(self, ops: Sequence[Op]) -> Pending:
        """A local edit: shown at once, sent with ``base_version = self.version``."""
        self._counter += 1
        batch = Pending(f"{self.client}-{self._counter}", tuple(ops))
        self.pending.append(batch)
        return batch

    def receive(self, publication: Published) -> None:
        if publication.version <= self.version:
            return  # already in (the answer came first, or a replay)
        if publication.version > self.version + 1:
            self.needs_snapshot = True  # a gap: only a snapshot can fill it
            return
        self.confirmed, _, _ = apply_ops(self.confirmed, publication.ops)
        self.version = publication.version
        if publication.client == self.client:
            self._settle(publication.client_op_id)

    def answered(self, client_op_id: str, published: Published | None) -> None:
        """The server's answer to one of this page's batches. ``None``: nothing applied (every
        operation was dropped), so nothing will be published for it."""
        if published is None:
            self._settle(client_op_id)
        elif published.version == self.version + 1:
            self.receive(published)
        # Otherwise the publications before it are still on their way; it follows them.

    def reset(self, document: Document, version: int) -> None:
        """A fresh snapshot (after a gap); pending batches stay, to be sent again."""
        self.confirmed, self.version, self.needs_snapshot = document, version, False

    def _settle(self, client_op_id: str) -> None:
        self.pending = [b for b in self.pending if b.client_op_id != client_op_id]

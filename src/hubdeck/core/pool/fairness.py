"""The order in which waiting requests get quota: interactive before background, and within a
priority round-robin between users, and for each user between repositories.

A deficit round-robin with a quantum of one request: every user with something waiting gets
one request in turn, however much one of them has queued, so a bulk sync of fifty repositories
cannot starve a colleague's one; the same holds between a user's repositories. Pure: the
service keeps one ``FairQueue`` per process and asks it whom to try next.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Slot:
    priority: int
    user: str
    repository: str


class FairQueue(Generic[T]):
    def __init__(self) -> None:
        # priority -> user -> repository -> items (FIFO)
        self._lanes: dict[int, OrderedDict[str, OrderedDict[str, deque[T]]]] = {}
        self._where: dict[T, Slot] = {}

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, item: object) -> bool:
        return item in self._where

    def waiting(self, priority: int) -> bool:
        """Whether an item of ``priority`` or a more urgent one waits."""
        return any(p <= priority for p in self._lanes)

    def push(self, item: T, *, priority: int, user: str, repository: str) -> None:
        users = self._lanes.setdefault(priority, OrderedDict())
        repos = users.setdefault(user, OrderedDict())
        repos.setdefault(repository, deque()).append(item)
        self._where[item] = Slot(priority, user, repository)

    def candidates(self) -> Iterator[T]:
        """Waiting items in the order they should be served: by priority; within one, the head
        of each user's next repository in turn, then the next items, and so on."""
        for priority in sorted(self._lanes):
            users = self._lanes[priority]
            rounds = [list(self._user_order(repos)) for repos in users.values()]
            depth = max((len(r) for r in rounds), default=0)
            for index in range(depth):
                for items in rounds:
                    if index < len(items):
                        yield items[index]

    @staticmethod
    def _user_order(repos: OrderedDict[str, deque[T]]) -> Iterator[T]:
        lanes = [list(items) for items in repos.values()]
        depth = max((len(lane) for lane in lanes), default=0)
        for index in range(depth):
            for lane in lanes:
                if index < len(lane):
                    yield lane[index]

    def served(self, item: T) -> None:
        """``item`` got its quota: remove it, and send its user and repository to the back of
        their rounds."""
        slot = self._where.pop(item, None)
        if slot is None:
            return
        users = self._lanes[slot.priority]
        repos = users[slot.user]
        lane = repos[slot.repository]
        lane.remove(item)
        if lane:
            repos.move_to_end(slot.repository)
        else:
            del repos[slot.repository]
        if repos:
            users.move_to_end(slot.user)
        else:
            del users[slot.user]
        if not users:
            del self._lanes[slot.priority]

    def discard(self, item: T) -> None:
        """Forget ``item`` without touching the rounds (a cancelled request)."""
        slot = self._where.pop(item, None)
        if slot is None:
            return
        users = self._lanes[slot.priority]
        repos = users[slot.user]
        repos[slot.repository].remove(item)
        if not repos[slot.repository]:
            del repos[slot.repository]
        if not repos:
            del users[slot.user]
        if not users:
            del self._lanes[slot.priority]

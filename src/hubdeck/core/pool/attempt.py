"""One try of a request with a credential the pool chose: what the GitHub client hands back
to the scheduler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from hubdeck.core.github.errors import GitHubError
from hubdeck.core.github.ratelimit import RateLimit


@dataclass(frozen=True, slots=True)
class Lease:
    """A credential reserved for one request: its stable id and its current token."""

    credential: str
    token: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The answer (``response``: the client's own value) or the error, with the answer's
    rate-limit headers; ``not_modified``: a 304, which cost no quota."""

    response: object | None
    error: GitHubError | None
    rate: RateLimit | None
    status: int | None
    not_modified: bool = False
    etag: str | None = None


Attempt = Callable[[Lease], Awaitable[Outcome]]

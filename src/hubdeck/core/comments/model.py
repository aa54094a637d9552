"""Comments: threads anchored to a dashboard or one of its widgets, and who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hubdeck.core.errors import InvalidInput, PermissionDenied
from hubdeck.core.github.parse import mentioned_logins

MAX_BODY = 10_000
EXCERPT = 140


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    dashboard_id: int
    team_id: int
    # The thread's first comment; a reply carries its thread's id, a first comment its own.
    thread_id: int
    widget_id: str | None
    author_id: int
    body: str
    created_at: datetime
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    # On a thread's first comment: the thread is resolved since then, by whom.
    resolved_at: datetime | None = None
    resolved_by: int | None = None

    @property
    def is_thread(self) -> bool:
        return self.thread_id == self.id


def clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise InvalidInput("a comment needs some text")
    if len(text) > MAX_BODY:
        raise InvalidInput(f"a comment has at most {MAX_BODY} characters")
    return text


def mentions(body: str, members: dict[str, int]) -> dict[str, int]:
    """The team members a comment @mentions (login → user id), case as the member spells it;
    mentions of anyone else are left as text."""
    by_lower = {login.lower(): (login, user_id) for login, user_id in members.items()}
    found: dict[str, int] = {}
    for login in mentioned_logins(body):
        hit = by_lower.get(login.lower())
        if hit is not None:
            found[hit[0]] = hit[1]
    return found


def excerpt(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def check_author(comment: Comment, user_id: int) -> None:
    """Editing and deleting are the author's own: nobody edits words in someone's mouth."""
    if comment.author_id != user_id:
        raise PermissionDenied("only its author may change or delete a comment")
    if comment.deleted_at is not None:
        raise InvalidInput("this comment was deleted")

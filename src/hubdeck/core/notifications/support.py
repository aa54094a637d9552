"""What every rule uses: reading event data without raising, comparing logins, building drafts.

A malformed or missing field reads as missing, and a rule missing what it needs produces
nothing: one odd event must not fail the batch it came in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications.model import LEVELS, NotificationDraft, NotificationKind


def is_bot(login: str) -> bool:
    # GitHub Apps' logins end in "[bot]"; such accounts never get a HubDeck notification.
    return login.casefold().endswith("[bot]")


def same_login(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def str_field(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def int_field(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def str_list(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list | tuple):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str) and v))


def int_list(data: Mapping[str, Any], key: str) -> list[int]:
    value = data.get(key)
    if not isinstance(value, list | tuple):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, int) and not isinstance(v, bool)))


_SUBJECT_REPOSITORY = re.compile(r"^([^\s#]+/[^\s#]+)")


def repository_name(event: DomainEvent) -> str | None:
    """``owner/name`` of a GitHub event: ingest's ``data["repository"]``, else the subject's."""
    name = str_field(event.data, "repository")
    if name is not None:
        return name
    match = _SUBJECT_REPOSITORY.match(event.subject)
    return None if match is None else match.group(1)


def make_draft(
    event: DomainEvent,
    kind: NotificationKind,
    *,
    recipient: int,
    team_id: int | None,
    title: str,
    link: str,
    group_key: str,
    group_title: str,
    group_link: str,
    body: str = "",
) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=recipient,
        kind=kind,
        level=LEVELS[kind],
        title=title,
        body=body,
        link=link,
        subject=event.subject,
        actor=event.actor,
        team_id=team_id,
        repository_id=event.repository_id,
        group_key=group_key,
        group_title=group_title,
        group_link=group_link,
        occurred_at=event.occurred_at,
        event_id=event.id,
    )

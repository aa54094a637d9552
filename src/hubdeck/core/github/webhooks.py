"""GitHub webhooks, the pure part: signatures, identities for deduplication, and what a payload
says about HubDeck's objects."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

import orjson

from hubdeck.core.github.models import Commit, Repository
from hubdeck.core.github.parse import (
    parse_comment,
    parse_datetime,
    parse_issue,
    parse_pull,
    parse_release,
    parse_repository,
    parse_review,
    parse_workflow_run,
)

# Events whose payload HubDeck turns into stored objects; any other event is kept as activity.
MODELLED_EVENTS = frozenset(
    {
        "ping",
        "push",
        "pull_request",
        "pull_request_review",
        "issues",
        "issue_comment",
        "star",
        "fork",
        "release",
        "workflow_run",
        "repository",
        "installation",
    }
)


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """Check ``X-Hub-Signature-256`` (``sha256=<hex hmac of the raw body>``) in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


_HOOK_KEYS = frozenset({"installation", "hook", "hook_id"})


def event_identity(event: str, payload: dict[str, Any]) -> str:
    """What makes two deliveries the same event, whatever hook delivered them.

    A repository hook and an App hook deliver one event under two delivery ids, with payloads
    that differ in hook-specific keys (``installation``, ``hook``); the identity is built from
    the event's own subject and time, falling back to the payload without those keys.
    """
    action = str(payload.get("action", ""))
    repository = payload.get("repository") or {}
    repo_id = repository.get("id", "") if isinstance(repository, dict) else ""
    subject = _subject(event, payload)
    if subject is None:
        stripped = {
            k: v for k, v in payload.items() if k not in ("installation", "hook", "hook_id")
        }
        subject = hashlib.sha256(orjson.dumps(stripped, option=orjson.OPT_SORT_KEYS)).hexdigest()
    material = f"{event}|{action}|{repo_id}|{subject}"
    return hashlib.sha256(material.encode()).hexdigest()


def _subject(event: str, payload: dict[str, Any]) -> str | None:
    keys = {
        "pull_request": ("pull_request", "updated_at"),
        "issues": ("issue", "updated_at"),
        "issue_comment": ("comment", "updated_at"),
        "pull_request_review": ("review", "submitted_at"),
        "workflow_run": ("workflow_run", "updated_at"),
        "release": ("release", "published_at"),
        "fork": ("forkee", "created_at"),
    }
    if event in keys:
        name, moment = keys[event]
        item = payload.get(name)
        if isinstance(item, dict) and "id" in item:
            return f"{item['id']}@{item.get(moment)}"
        return None
    if event == "push":
        return f"{payload.get('ref')}@{payload.get('after')}"
    if event == "star":
        sender = payload.get("sender") or {}
        login = sender.get("login") if isinstance(sender, dict) else None
        return f"{login}@{payload.get('starred_at')}"
    return None


@dataclass
class WebhookContent:
    """What one delivery tells about a repository: its metadata and changed objects."""

    repository: Repository | None
    organization: str | None
    objects: list[object] = field(default_factory=list)


def read_payload(event: str, payload: dict[str, Any]) -> WebhookContent:
    """Parse the objects of a delivery; raises ValueError/KeyError for a payload that does not
    have the shape GitHub sends (the caller records it and moves on)."""
    raw_repo = payload.get("repository")
    repository = parse_repository(raw_repo) if isinstance(raw_repo, dict) else None
    organization = payload.get("organization")
    org = organization.get("login") if isinstance(organization, dict) else None
    if org is None and repository is not None:
        org = repository.owner
    content = WebhookContent(repository, org)
    objects = content.objects
    if event == "pull_request":
        objects.append(parse_pull(payload["pull_request"]))
    elif event == "pull_request_review":
        pull = parse_pull(payload["pull_request"])
        objects.append(parse_review(payload["review"], pull.number))
    elif event == "issues":
        objects.append(parse_issue(payload["issue"]))
    elif event == "issue_comment":
        objects.append(parse_comment(payload["comment"], int(payload["issue"]["number"])))
    elif event == "release":
        objects.append(parse_release(payload["release"]))
    elif event == "workflow_run":
        objects.append(parse_workflow_run(payload["workflow_run"]))
    elif (
        event == "push"
        and repository is not None
        # Only the default branch's history is what sync lists and the metrics count.
        and payload.get("ref") == f"refs/heads/{repository.default_branch}"
    ):
        objects.extend(_push_commits(payload))
    return content


def _push_commits(payload: dict[str, Any]) -> list[Commit]:
    # A push lists commits in its own shape (``timestamp``, ``author.username``), not the REST
    # commit shape.
    commits = []
    for item in payload.get("commits") or []:
        authored = parse_datetime(item.get("timestamp"))
        if authored is None:
            continue
        author = item.get("author") or {}
        commits.append(
            Commit(
                sha=str(item["id"]),
                author_login=author.get("username") if isinstance(author, dict) else None,
                authored_at=authored,
                message_head=str(item.get("message", "")).split("\n", 1)[0][:200],
            )
        )
    return commits

"""Webhook signatures, identities and payload reading, on GitHub's own example payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubdeck.core.github.models import (
    Comment,
    Commit,
    Issue,
    PullRequest,
    Release,
    Review,
    WorkflowRun,
)
from hubdeck.core.github.webhooks import (
    event_identity,
    read_payload,
    sign,
    signature_matches,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "github" / "webhook-examples"


def examples() -> list[tuple[str, Path]]:
    return [(p.parent.name, p) for p in sorted(EXAMPLES.glob("*/*.json"))]


def test_signature() -> None:
    body = b'{"zen":"Keep it logically awesome."}'
    header = sign("s3cret", body)
    assert header.startswith("sha256=")
    assert signature_matches("s3cret", body, header)
    assert not signature_matches("other", body, header)
    assert not signature_matches("s3cret", body + b" ", header)
    assert not signature_matches("s3cret", body, None)
    assert not signature_matches("s3cret", body, header.replace("sha256=", "sha1="))


@pytest.mark.parametrize(("event", "path"), examples(), ids=lambda v: str(v))
def test_every_example_payload_is_read(event: str, path: Path) -> None:
    payload = json.loads(path.read_text())
    content = read_payload(event, payload)
    expected: dict[str, type] = {
        "pull_request": PullRequest,
        "pull_request_review": Review,
        "issues": Issue,
        "issue_comment": Comment,
        "release": Release,
        "workflow_run": WorkflowRun,
    }
    if event in expected:
        assert [type(o) for o in content.objects] == [expected[event]]
    if event == "push":
        assert all(isinstance(o, Commit) for o in content.objects)
    if "repository" in payload:
        assert content.repository is not None
        assert content.repository.github_id == payload["repository"]["id"]


def test_identity_ignores_which_hook_delivered() -> None:
    payload = json.loads((EXAMPLES / "pull_request" / "opened.payload.json").read_text())
    from_app = {**payload, "installation": {"id": 1}}
    assert event_identity("pull_request", payload) == event_identity("pull_request", from_app)
    later = json.loads(json.dumps(payload))
    later["pull_request"]["updated_at"] = "2030-01-01T00:00:00Z"
    assert event_identity("pull_request", payload) != event_identity("pull_request", later)
    assert event_identity("pull_request", payload) != event_identity("issues", payload)


def test_identity_of_unmodelled_events_hashes_the_payload() -> None:
    first = {"action": "created", "repository": {"id": 1}, "thing": 1}
    assert event_identity("gollum", first) == event_identity("gollum", {**first, "hook_id": 9})
    assert event_identity("gollum", first) != event_identity("gollum", {**first, "thing": 2})


def test_mentions_are_read_from_comment_bodies() -> None:
    from hubdeck.core.github.parse import mentioned_logins, parse_comment

    assert mentioned_logins("@bob look, cc @carol-x and @bob again") == ("bob", "carol-x")
    assert mentioned_logins("mail a@b.com, `@code`, ```\n@block\n```, @-no, @x/team") == ()
    payload = json.loads((EXAMPLES / "issue_comment" / "created.payload.json").read_text())
    payload["comment"]["body"] = "Thanks @octocat!"
    assert parse_comment(payload["comment"], 1).mentions == ("octocat",)

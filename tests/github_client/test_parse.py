"""hubdeck.core.github.parse on real payloads: GitHub's webhook examples (octokit/webhooks,
copied under tests/fixtures/github) carry the same pull request, issue, review, comment, run and
release objects as the REST API, and the recordings carry real REST answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hubdeck.core.github.errors import UnexpectedResponse
from hubdeck.core.github.models import (
    AccountType,
    Commit,
    IssueState,
    ReviewState,
    RunConclusion,
)
from hubdeck.core.github.parse import (
    GHOST,
    first_commit_at,
    is_pull_request,
    parse_account,
    parse_comment,
    parse_commit,
    parse_datetime,
    parse_issue,
    parse_languages,
    parse_pull,
    parse_release,
    parse_repository,
    parse_review,
    parse_workflow_run,
)
from tests.github_client.replay import load

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "github" / "webhook-examples"


def example(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return payload


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_closed_pull_request() -> None:
    pull = parse_pull(example("pull_request/closed.payload.json")["pull_request"])
    assert (pull.github_id, pull.number) == (279147437, 2)
    assert pull.title == "Update the README with new information."
    assert pull.author.login == "Codertocat" and pull.author.type is AccountType.user
    assert pull.state is IssueState.closed and pull.draft is False
    assert pull.created_at == at("2019-05-15T15:20:33Z")
    assert pull.closed_at == at("2019-05-15T15:21:18Z")
    assert pull.merged_at is None and not pull.merged
    assert (pull.additions, pull.deletions, pull.changed_files, pull.size) == (1, 1, 1, 2)
    assert (pull.head_ref, pull.base_ref) == ("changes", "master")
    assert pull.labels == ("bug",)
    assert pull.requested_reviewers == ("octocat",)
    assert pull.first_commit_at is None  # comes from the PR's commits


def test_a_list_shaped_pull_request_has_no_size() -> None:
    listed = {
        k: v
        for k, v in example("pull_request/opened.payload.json")["pull_request"].items()
        if k not in ("additions", "deletions", "changed_files", "commits", "merged")
    }
    pull = parse_pull(listed)
    assert pull.state is IssueState.open and (pull.additions, pull.changed_files) == (0, 0)


def test_issues_and_their_pull_request_marker() -> None:
    issue = parse_issue(example("issues/labeled.payload.json")["issue"])
    assert (issue.github_id, issue.number, issue.labels) == (444500041, 1, ("bug",))
    assert issue.title == "Spelling error in the README file"
    assert issue.state is IssueState.open and issue.closed_at is None
    assert issue.author.login == "Codertocat"
    assert not is_pull_request(example("issues/labeled.payload.json")["issue"])
    with_marker = example("issues/labeled.payload.json")["issue"] | {"pull_request": {"url": "x"}}
    assert is_pull_request(with_marker)
    assert not is_pull_request({"pull_request": None})


def test_every_recorded_issue_page_parses() -> None:
    issues = [parse_issue(i) for e in load("paginate-issues.json") for i in e["response"]]
    assert [i.number for i in issues] == list(range(13, 0, -1))
    assert all(i.created_at.tzinfo is UTC for i in issues)


def test_a_review_in_webhook_spelling() -> None:
    review = parse_review(example("pull_request_review/submitted.payload.json")["review"])
    # Webhooks say "commented", the REST API "COMMENTED"; the number comes from its URL.
    assert review.state is ReviewState.commented
    assert (review.github_id, review.pull_number) == (237895671, 2)
    assert review.author.login == "Codertocat"
    assert review.submitted_at == at("2019-05-15T15:20:38Z")
    assert review.body_length == 0  # body null


def test_a_rest_review_and_a_pending_one() -> None:
    body = example("pull_request_review/submitted.payload.json")["review"]
    approved = parse_review(body | {"state": "APPROVED", "body": "LGTM"}, pull_number=7)
    assert approved.state is ReviewState.approved and approved.pull_number == 7
    assert approved.body_length == 4
    pending = {k: v for k, v in body.items() if k != "submitted_at"} | {"state": "PENDING"}
    assert parse_review(pending).submitted_at is None


def test_an_issue_comment() -> None:
    comment = parse_comment(example("issue_comment/created.payload.json")["comment"])
    assert (comment.github_id, comment.issue_number) == (492700400, 1)
    assert comment.author.login == "Codertocat"
    assert comment.created_at == at("2019-05-15T15:20:21Z")


def test_a_completed_workflow_run() -> None:
    run = parse_workflow_run(example("workflow_run/completed.payload.json")["workflow_run"])
    assert run.github_id == 289782451
    # This workflow has no name: GitHub's display title stands in.
    assert run.name == "ci(action): update actions/setup-node digest to 8c91899"
    assert (run.head_branch, run.event, run.status) == (
        "master",
        "repository_dispatch",
        "completed",
    )
    assert run.conclusion is RunConclusion.success
    assert run.run_started_at == at("2020-10-05T16:33:49Z")
    assert run.duration_seconds == 0.0  # updated when it started, in this example
    assert run.actor == "Codertocat" and run.pull_numbers == ()


def test_runs_in_progress_and_with_pull_requests() -> None:
    body = example("workflow_run/completed.payload.json")["workflow_run"]
    running = parse_workflow_run(
        body
        | {
            "name": "CI",
            "status": "in_progress",
            "conclusion": None,
            "pull_requests": [{"number": 12, "id": 1}, {"number": 13, "id": 2}],
        }
    )
    assert running.conclusion is None and running.duration_seconds is None
    assert running.pull_numbers == (12, 13) and running.name == "CI"
    novel = parse_workflow_run(body | {"conclusion": "some_future_conclusion"})
    assert novel.conclusion is None


def test_a_release() -> None:
    release = parse_release(example("release/published.payload.json")["release"])
    assert (release.github_id, release.tag) == (17372790, "0.0.1")
    assert release.name is None  # "" in the payload
    assert release.published_at == at("2019-05-15T15:20:53Z")
    assert release.prerelease is False and release.draft is False


def test_repositories_from_webhooks() -> None:
    fork = parse_repository(example("fork/payload.json")["forkee"])
    assert fork.full_name == "Octocoders/Hello-World" and fork.topics == ()
    # Push payloads give the repository's times in epoch seconds.
    pushed = parse_repository(example("push/payload.json")["repository"])
    assert pushed.created_at == datetime.fromtimestamp(1557933565, UTC)
    assert pushed.pushed_at == datetime.fromtimestamp(1557933657, UTC)


def test_a_rest_commit() -> None:
    # The shape of GET /repos/{o}/{r}/commits (docs.github.com, "List commits"), abbreviated.
    body = {
        "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        "commit": {
            "author": {
                "name": "Monalisa Octocat",
                "email": "m@example.com",
                "date": "2011-04-14T16:00:49Z",
            },
            "committer": {
                "name": "Monalisa Octocat",
                "email": "m@example.com",
                "date": "2011-04-15T16:00:49Z",
            },
            "message": "Fix all the bugs\n\nAnd explain why.",
        },
        "author": {"login": "octocat", "id": 1, "type": "User"},
        "committer": {"login": "octocat", "id": 1, "type": "User"},
        "parents": [],
    }
    commit = parse_commit(body)
    assert commit == Commit(
        sha="6dcb09b5b57875f334f61aebed695e2e4193db5e",
        author_login="octocat",
        authored_at=at("2011-04-14T16:00:49Z"),
        message_head="Fix all the bugs",
    )
    # An e-mail that maps to no account: author null.
    assert parse_commit(body | {"author": None}).author_login is None


def test_first_commit_at() -> None:
    day = datetime(2025, 1, 1, tzinfo=UTC)
    commits = [Commit(str(n), None, day + timedelta(hours=h)) for n, h in enumerate([5, 1, 3])]
    assert first_commit_at(commits) == day + timedelta(hours=1)
    assert first_commit_at([]) is None


def test_accounts() -> None:
    assert parse_account(None) == GHOST
    bot = parse_account({"login": "dependabot[bot]", "id": 49699333, "type": "Bot"})
    assert bot.type is AccountType.bot and bot.is_bot
    # /user/orgs lists organizations without a "type".
    org = parse_account({"login": "acme", "id": 9}, AccountType.organization)
    assert org.type is AccountType.organization
    assert parse_account({"login": "m", "id": 3, "type": "Mannequin"}).type is AccountType.user


def test_times_are_aware_utc() -> None:
    assert parse_datetime("2025-03-03T14:00:00+02:00") == datetime(2025, 3, 3, 12, tzinfo=UTC)
    assert parse_datetime("2025-03-03T12:00:00") == datetime(2025, 3, 3, 12, tzinfo=UTC)
    assert parse_datetime(None) is None and parse_datetime("") is None
    assert parse_datetime("yesterday") is None


def test_languages() -> None:
    assert parse_languages({"Python": 1200, "Shell": 30}) == {"Python": 1200, "Shell": 30}


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_issue({"number": 1, "created_at": "2025-01-01T00:00:00Z"}),
        lambda: parse_issue({"id": 1, "number": 1, "updated_at": "2025-01-01T00:00:00Z"}),
        lambda: parse_repository({"id": 1, "name": "x"}),
        lambda: parse_comment({"id": 1, "created_at": "2025-01-01T00:00:00Z"}),
        lambda: parse_review({"id": 1, "state": "APPROVED"}),
        lambda: parse_languages(["Python"]),
    ],
)
def test_missing_required_fields_are_unexpected(call: Any) -> None:
    with pytest.raises(UnexpectedResponse):
        call()

"""GitHub's JSON (REST answers and webhook payloads) into HubDeck's domain values.

Tolerant by design: optional fields may be missing or null (GitHub adds and drops fields
between API versions and GitHub Enterprise Server releases), times become aware UTC datetimes,
enums GitHub extends later fall back to a safe value. Required fields (ids, numbers, times
without which the value means nothing) raise ``UnexpectedResponse``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from hubdeck.core.github.errors import UnexpectedResponse
from hubdeck.core.github.models import (
    Account,
    AccountType,
    Comment,
    Commit,
    Issue,
    IssueState,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewState,
    RunConclusion,
    WorkflowRun,
)

Json = Any  # decoded JSON: dicts, lists, str, int, float, bool, None
T = TypeVar("T")

# What GitHub shows for the author of content whose account was deleted ("ghost", a real
# account with this id); the API sends ``"user": null`` for them.
GHOST = Account(login="ghost", id=10137)


def _need(data: Mapping[str, Json], key: str, what: str) -> Json:
    value = data.get(key)
    if value is None:
        raise UnexpectedResponse(f"{what} without {key!r}")
    return value


def _object(data: Json, what: str) -> Mapping[str, Json]:
    if not isinstance(data, Mapping):
        raise UnexpectedResponse(f"expected a JSON object for {what}, got {type(data).__name__}")
    return data


def parse_datetime(value: Json) -> datetime | None:
    """An ISO 8601 time (``2017-10-10T16:00:00Z``, with or without offset) as aware UTC.

    Push payloads give their repository's ``created_at``/``pushed_at`` in epoch seconds.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _need_datetime(data: Mapping[str, Json], key: str, what: str) -> datetime:
    parsed = parse_datetime(data.get(key))
    if parsed is None:
        raise UnexpectedResponse(f"{what} without a valid {key!r}")
    return parsed


def _int(value: Json, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _str(value: Json) -> str | None:
    return value if isinstance(value, str) else None


def _number_from_url(url: Json) -> int | None:
    """The trailing number of an API URL (``.../issues/12`` → 12)."""
    if not isinstance(url, str):
        return None
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None


def parse_account(data: Json, default_type: AccountType = AccountType.user) -> Account:
    """A user, bot or organization; ``None`` (a deleted account) becomes GitHub's ghost."""
    if data is None:
        return GHOST
    obj = _object(data, "an account")
    try:
        kind = AccountType(obj.get("type") or default_type)
    except ValueError:  # "Mannequin", "Enterprise"…: people-like for HubDeck's purposes
        kind = AccountType.user
    return Account(
        login=str(_need(obj, "login", "account")),
        id=_int(_need(obj, "id", "account")),
        type=kind,
        avatar_url=_str(obj.get("avatar_url")),
    )


def parse_repository(data: Json) -> Repository:
    obj = _object(data, "a repository")
    owner = _object(_need(obj, "owner", "repository"), "a repository owner")
    return Repository(
        github_id=_int(_need(obj, "id", "repository")),
        owner=str(_need(owner, "login", "repository owner")),
        name=str(_need(obj, "name", "repository")),
        private=bool(obj.get("private", False)),
        default_branch=_str(obj.get("default_branch")) or "main",
        html_url=_str(obj.get("html_url")) or "",
        description=_str(obj.get("description")),
        stars=_int(obj.get("stargazers_count")),
        forks=_int(obj.get("forks_count", obj.get("forks"))),
        # ``watchers_count`` is the star count (a naming accident GitHub keeps); the people
        # watching are ``subscribers_count``, which only the single-repository answer carries.
        watchers=_int(obj.get("subscribers_count", obj.get("watchers_count"))),
        open_issues=_int(obj.get("open_issues_count", obj.get("open_issues"))),
        topics=tuple(t for t in obj.get("topics") or () if isinstance(t, str)),
        language=_str(obj.get("language")),
        archived=bool(obj.get("archived", False)),
        pushed_at=parse_datetime(obj.get("pushed_at")),
        created_at=parse_datetime(obj.get("created_at")),
    )


def _label_names(labels: Json) -> tuple[str, ...]:
    names: list[str] = []
    for label in labels or ():
        # Objects from the API; plain names in a few older payloads.
        name = label.get("name") if isinstance(label, Mapping) else label
        if isinstance(name, str):
            names.append(name)
    return tuple(names)


def _state(value: Json) -> IssueState:
    return IssueState.closed if value == "closed" else IssueState.open


def is_pull_request(item: Json) -> bool:
    """Whether an item of the issues endpoint is a pull request (GitHub lists both there)."""
    return isinstance(item, Mapping) and item.get("pull_request") is not None


def parse_issue(data: Json) -> Issue:
    obj = _object(data, "an issue")
    return Issue(
        github_id=_int(_need(obj, "id", "issue")),
        number=_int(_need(obj, "number", "issue")),
        title=_str(obj.get("title")) or "",
        author=parse_account(obj.get("user")),
        state=_state(obj.get("state")),
        created_at=_need_datetime(obj, "created_at", "issue"),
        updated_at=_need_datetime(obj, "updated_at", "issue"),
        closed_at=parse_datetime(obj.get("closed_at")),
        labels=_label_names(obj.get("labels")),
        comments=_int(obj.get("comments")),
    )


def _ref(data: Json) -> str:
    if not isinstance(data, Mapping):
        return ""
    return _str(data.get("ref")) or ""


def parse_pull(data: Json) -> PullRequest:
    """A pull request from the list or single endpoint or a webhook. ``additions``,
    ``deletions`` and ``changed_files`` are 0 unless the single-PR answer is given;
    ``first_commit_at`` comes from the PR's commits (``first_commit_at`` below)."""
    obj = _object(data, "a pull request")
    reviewers = tuple(
        str(r["login"])
        for r in obj.get("requested_reviewers") or ()
        if isinstance(r, Mapping) and r.get("login")
    )
    return PullRequest(
        github_id=_int(_need(obj, "id", "pull request")),
        number=_int(_need(obj, "number", "pull request")),
        title=_str(obj.get("title")) or "",
        author=parse_account(obj.get("user")),
        state=_state(obj.get("state")),
        draft=bool(obj.get("draft", False)),
        created_at=_need_datetime(obj, "created_at", "pull request"),
        updated_at=_need_datetime(obj, "updated_at", "pull request"),
        closed_at=parse_datetime(obj.get("closed_at")),
        merged_at=parse_datetime(obj.get("merged_at")),
        additions=_int(obj.get("additions")),
        deletions=_int(obj.get("deletions")),
        changed_files=_int(obj.get("changed_files")),
        head_ref=_ref(obj.get("head")),
        base_ref=_ref(obj.get("base")),
        labels=_label_names(obj.get("labels")),
        requested_reviewers=reviewers,
    )


def parse_review(data: Json, pull_number: int | None = None) -> Review:
    """A review; the REST API says ``APPROVED``, webhooks ``approved``. Without
    ``pull_number``, it is read from ``pull_request_url``."""
    obj = _object(data, "a review")
    number = (
        pull_number if pull_number is not None else _number_from_url(obj.get("pull_request_url"))
    )
    if number is None:
        raise UnexpectedResponse("review without a pull request number")
    try:
        state = ReviewState(str(obj.get("state") or "").upper())
    except ValueError:
        state = ReviewState.commented
    return Review(
        github_id=_int(_need(obj, "id", "review")),
        pull_number=number,
        author=parse_account(obj.get("user")),
        state=state,
        submitted_at=parse_datetime(obj.get("submitted_at")),
        body_length=len(_str(obj.get("body")) or ""),
    )


def parse_comment(data: Json, issue_number: int | None = None) -> Comment:
    """An issue or pull-request conversation comment; the issue number comes from
    ``issue_url`` unless given."""
    obj = _object(data, "a comment")
    number = issue_number if issue_number is not None else _number_from_url(obj.get("issue_url"))
    if number is None:
        raise UnexpectedResponse("comment without an issue number")
    return Comment(
        github_id=_int(_need(obj, "id", "comment")),
        issue_number=number,
        author=parse_account(obj.get("user")),
        created_at=_need_datetime(obj, "created_at", "comment"),
        mentions=mentioned_logins(_str(obj.get("body")) or ""),
    )


# GitHub's rule for a mention: @ then a login (letters, digits, single hyphens, at most 39),
# not preceded by a word character (an e-mail address is not a mention), and not in code.
_MENTION = re.compile(r"(?<![\w@`])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w/])")
_CODE = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)


def mentioned_logins(body: str) -> tuple[str, ...]:
    """The distinct logins a Markdown text @mentions, in order of first mention."""
    text = _CODE.sub(" ", body)
    return tuple(dict.fromkeys(match.group(1) for match in _MENTION.finditer(text)))


def parse_workflow_run(data: Json) -> WorkflowRun:
    obj = _object(data, "a workflow run")
    conclusion_value = obj.get("conclusion")
    try:
        conclusion = RunConclusion(conclusion_value) if conclusion_value else None
    except ValueError:  # a conclusion added after this code was written
        conclusion = None
    actor = obj.get("actor")
    pulls = tuple(
        _int(p.get("number"))
        for p in obj.get("pull_requests") or ()
        if isinstance(p, Mapping) and p.get("number") is not None
    )
    return WorkflowRun(
        github_id=_int(_need(obj, "id", "workflow run")),
        # ``name`` is the workflow's name; it is empty for workflows without one.
        name=_str(obj.get("name")) or _str(obj.get("display_title")) or "",
        head_branch=_str(obj.get("head_branch")) or "",
        event=_str(obj.get("event")) or "",
        status=_str(obj.get("status")) or "",
        conclusion=conclusion,
        created_at=_need_datetime(obj, "created_at", "workflow run"),
        updated_at=_need_datetime(obj, "updated_at", "workflow run"),
        run_started_at=parse_datetime(obj.get("run_started_at")),
        pull_numbers=pulls,
        actor=_str(actor.get("login")) if isinstance(actor, Mapping) else None,
    )


def parse_commit(data: Json) -> Commit:
    """A commit of the commits endpoints (``{sha, commit: {author, message}, author}``);
    ``author`` is null when the e-mail maps to no GitHub account."""
    obj = _object(data, "a commit")
    detail = _object(_need(obj, "commit", "commit"), "a commit's git data")
    git_author = detail.get("author")
    if not isinstance(git_author, Mapping):
        git_author = {}
    account = obj.get("author")
    message = _str(detail.get("message")) or ""
    return Commit(
        sha=str(_need(obj, "sha", "commit")),
        author_login=_str(account.get("login")) if isinstance(account, Mapping) else None,
        authored_at=_need_datetime(git_author, "date", "commit author"),
        message_head=message.split("\n", 1)[0],
    )


def parse_release(data: Json) -> Release:
    obj = _object(data, "a release")
    return Release(
        github_id=_int(_need(obj, "id", "release")),
        tag=str(_need(obj, "tag_name", "release")),
        name=_str(obj.get("name")) or None,
        published_at=parse_datetime(obj.get("published_at")),
        prerelease=bool(obj.get("prerelease", False)),
        draft=bool(obj.get("draft", False)),
    )


def parse_languages(data: Json) -> dict[str, int]:
    """``{"Python": 12345, ...}``: bytes of code per language."""
    obj = _object(data, "languages")
    return {str(name): _int(size) for name, size in obj.items()}


def parse_list(items: Iterable[Json], parse: Callable[[Json], T]) -> list[T]:
    return [parse(item) for item in items]


def first_commit_at(commits: Iterable[Commit]) -> datetime | None:
    """When work on a pull request started: its earliest authored commit."""
    return min((c.authored_at for c in commits), default=None)

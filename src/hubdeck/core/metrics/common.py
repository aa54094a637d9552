"""What every metric shares: accepting one or several repositories, and who counts as a person."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from hubdeck.core.github.models import (
    Account,
    Comment,
    PullRequest,
    RepositorySnapshot,
    Review,
    ReviewState,
)

Snapshots = RepositorySnapshot | Iterable[RepositorySnapshot]


def as_snapshots(snapshots: Snapshots) -> tuple[RepositorySnapshot, ...]:
    """One repository or several, as a tuple; the same repository twice is an error.

    Team-level metrics pool the raw items of several repositories, so a repository given twice
    would count everything in it twice.
    """
    if isinstance(snapshots, RepositorySnapshot):
        return (snapshots,)
    result = tuple(snapshots)
    seen: set[int] = set()
    for snapshot in result:
        if snapshot.repository.github_id in seen:
            raise ValueError(f"repository {snapshot.repository.full_name} was given twice")
        seen.add(snapshot.repository.github_id)
    return result


def same_account(a: Account, b: Account) -> bool:
    # The id is stable across renames; the login catches payloads that carry no real id (0).
    return (a.id == b.id and a.id > 0) or a.login.casefold() == b.login.casefold()


def is_other_person(account: Account, author: Account) -> bool:
    """Someone other than ``author`` and not a bot: whose reviews and comments count."""
    return not account.is_bot and not same_account(account, author)


def is_counted_review(review: Review, pull: PullRequest, *, allow_bots: bool = False) -> bool:
    """Whether ``review`` is a submitted review of ``pull`` by someone other than its author.

    Pending reviews (drafts a reviewer has not submitted) and reviews without a submission time
    are not reviews yet. Dismissed reviews count: the review happened. Bots' reviews count only
    with ``allow_bots`` (the contributors table's ``include_bots``).
    """
    return (
        review.pull_number == pull.number
        and review.state is not ReviewState.pending
        and review.submitted_at is not None
        and not same_account(review.author, pull.author)
        and (allow_bots or not review.author.is_bot)
    )


def counted_reviews(pull: PullRequest, reviews: Iterable[Review]) -> list[Review]:
    """``pull``'s counted reviews (see ``is_counted_review``), oldest first."""
    found = [review for review in reviews if is_counted_review(review, pull)]
    found.sort(key=_submitted)
    return found


def counted_comments(pull: PullRequest, comments: Iterable[Comment]) -> list[Comment]:
    """``pull``'s conversation comments by other people, oldest first."""
    found = [
        comment
        for comment in comments
        if comment.issue_number == pull.number and is_other_person(comment.author, pull.author)
    ]
    found.sort(key=lambda comment: comment.created_at)
    return found


def _submitted(review: Review) -> datetime:
    assert review.submitted_at is not None  # filtered above
    return review.submitted_at


@dataclass(frozen=True, slots=True)
class PullContext:
    """A pull request with its repository and its counted reviews and comments."""

    repository: str
    pull: PullRequest
    reviews: tuple[Review, ...]
    comments: tuple[Comment, ...]


def pull_contexts(snapshots: Snapshots, *, include_bots: bool = False) -> Iterator[PullContext]:
    """Every pull request of every repository, joined with its own repository's reviews and
    comments (pull request numbers repeat across repositories, so joins stay within one).

    Pull requests opened by bots are skipped unless ``include_bots``.
    """
    for snapshot in as_snapshots(snapshots):
        reviews_by_number: dict[int, list[Review]] = {}
        for review in snapshot.reviews:
            reviews_by_number.setdefault(review.pull_number, []).append(review)
        comments_by_number: dict[int, list[Comment]] = {}
        for comment in snapshot.comments:
            comments_by_number.setdefault(comment.issue_number, []).append(comment)
        for pull in snapshot.pulls:
            if pull.author.is_bot and not include_bots:
                continue
            yield PullContext(
                repository=snapshot.repository.full_name,
                pull=pull,
                reviews=tuple(counted_reviews(pull, reviews_by_number.get(pull.number, ()))),
                comments=tuple(counted_comments(pull, comments_by_number.get(pull.number, ()))),
            )


def bot_logins(snapshot: RepositorySnapshot) -> frozenset[str]:
    """Logins of every bot account seen in ``snapshot`` (casefolded).

    Commits carry a bare login, not an account; this lets a bot whose login lacks the
    ``[bot]`` suffix still be recognised when it appears elsewhere as an account.
    """
    accounts: list[Account] = [issue.author for issue in snapshot.issues]
    accounts += [pull.author for pull in snapshot.pulls]
    accounts += [review.author for review in snapshot.reviews]
    accounts += [comment.author for comment in snapshot.comments]
    return frozenset(account.login.casefold() for account in accounts if account.is_bot)


def is_bot_login(login: str, known_bots: frozenset[str]) -> bool:
    return login.endswith("[bot]") or login.casefold() in known_bots

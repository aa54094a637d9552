"""Contributors: what each person did in the window."""

from __future__ import annotations

from dataclasses import dataclass

from hubdeck.core.metrics.common import (
    Snapshots,
    as_snapshots,
    bot_logins,
    is_bot_login,
    is_counted_review,
)
from hubdeck.core.metrics.window import Window


@dataclass(frozen=True, slots=True)
class Contributor:
    login: str
    commits: int  # authored in the window
    pulls_opened: int  # opened in the window
    pulls_merged: int  # authored, merged in the window
    reviews: int  # submitted in the window on others' pull requests
    total: int  # the sum of the four: what the ranking uses


@dataclass(frozen=True, slots=True)
class Contributors:
    contributors: tuple[Contributor, ...]  # most active first (sum of the four counts)
    unattributed_commits: int  # commits whose e-mail maps to no GitHub account


def contributors(
    snapshots: Snapshots, window: Window, *, include_bots: bool = False
) -> Contributors:
    """Per login: commits, pull requests opened and merged, and reviews given in the window.

    Logins are matched case-insensitively (GitHub logins are) and shown as first seen.
    Bots are left out unless ``include_bots``; reviews of one's own pull request never count.
    """
    names: dict[str, str] = {}
    counts: dict[str, list[int]] = {}
    unattributed = 0

    def add(login: str, column: int) -> None:
        key = login.casefold()
        names.setdefault(key, login)
        counts.setdefault(key, [0, 0, 0, 0])[column] += 1

    for snapshot in as_snapshots(snapshots):
        bots = bot_logins(snapshot)
        for commit in snapshot.commits:
            if commit.authored_at not in window:
                continue
            if commit.author_login is None:
                unattributed += 1
            elif include_bots or not is_bot_login(commit.author_login, bots):
                add(commit.author_login, 0)
        by_number = {pull.number: pull for pull in snapshot.pulls}
        for pull in snapshot.pulls:
            if pull.author.is_bot and not include_bots:
                continue
            if pull.created_at in window:
                add(pull.author.login, 1)
            if pull.merged_at is not None and pull.merged_at in window:
                add(pull.author.login, 2)
        for review in snapshot.reviews:
            reviewed = by_number.get(review.pull_number)
            if (
                reviewed is not None
                and is_counted_review(review, reviewed, allow_bots=include_bots)
                and review.submitted_at in window
            ):
                add(review.author.login, 3)
    people = [
        Contributor(
            login=names[key],
            commits=commits,
            pulls_opened=opened,
            pulls_merged=merged,
            reviews=reviews,
            total=commits + opened + merged + reviews,
        )
        for key, (commits, opened, merged, reviews) in counts.items()
    ]
    people.sort(key=lambda person: (-person.total, person.login.casefold()))
    return Contributors(contributors=tuple(people), unattributed_commits=unattributed)

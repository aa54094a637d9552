from __future__ import annotations

from hubdeck.core.github.models import RepositorySnapshot, ReviewState
from hubdeck.core.metrics import Contributor, Window, contributors

from .factory import ALICE, BOB, DEPENDABOT, account, commit, d, pull, review, snapshot

WINDOW = Window(d(0), d(7))


def _repo() -> RepositorySnapshot:
    return snapshot(
        commits=(
            commit("a1", "alice", d(1)),
            commit("a2", "alice", d(2)),
            commit("c1", "carol", d(8)),  # after the window
            commit("x1", None, d(1)),  # e-mail with no account
            commit("b1", "dependabot[bot]", d(1)),
        ),
        pulls=(
            pull(1, created=d(1), merged=d(3)),
            pull(2, created=d(-5), merged=d(2)),  # opened before, merged in the window
            pull(3, author=DEPENDABOT, created=d(1), merged=d(2)),
        ),
        reviews=(
            review(1, BOB, d(2)),
            review(2, account("Bob", id=BOB.id), d(1), ReviewState.changes_requested),
            review(1, ALICE, d(2), ReviewState.commented),  # her own pull request
            review(3, BOB, d(1.5)),  # reviewing a bot's pull request counts
            review(1, BOB, d(2.5), ReviewState.pending),  # not submitted
            review(1, BOB, d(9)),  # after the window
            review(9, BOB, d(2)),  # a pull request this snapshot does not have
        ),
    )


def test_per_person_counts_bots_left_out() -> None:
    result = contributors(_repo(), WINDOW)
    assert result.contributors == (
        Contributor("alice", commits=2, pulls_opened=1, pulls_merged=2, reviews=0, total=5),
        Contributor("bob", commits=0, pulls_opened=0, pulls_merged=0, reviews=3, total=3),
    )
    assert result.unattributed_commits == 1


def test_bots_included_on_request() -> None:
    result = contributors(_repo(), WINDOW, include_bots=True)
    bot = next(c for c in result.contributors if c.login == "dependabot[bot]")
    assert (bot.commits, bot.pulls_opened, bot.pulls_merged, bot.total) == (1, 1, 1, 3)


def test_team_counts_one_person_across_repositories() -> None:
    other = snapshot(
        "acme/api", repo_id=2, commits=(commit("z", "alice", d(1)), commit("y", "bob", d(1)))
    )
    result = contributors([_repo(), other], WINDOW)
    assert [(c.login, c.commits, c.total) for c in result.contributors] == [
        ("alice", 3, 6),
        ("bob", 1, 4),
    ]


def test_no_activity_no_contributors() -> None:
    assert contributors([], WINDOW).contributors == ()

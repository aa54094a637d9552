from __future__ import annotations

from hubdeck.core.github.models import RepositorySnapshot
from hubdeck.core.metrics import Window, deployment_frequency, lead_time

from .factory import DAY, DEPENDABOT, d, pull, release, snapshot

WINDOW = Window(d(0), d(14))
NOW = d(15)


def _repo() -> RepositorySnapshot:
    return snapshot(
        releases=(
            release("v1", d(1)),
            release("v2-rc", d(3), prerelease=True),
            release("v3", d(4), is_draft=True),
            release("v3-unpublished", None),
            release("v4", d(10)),
            release("v5", d(20)),  # after now: not known yet
        ),
        pulls=(
            pull(1, merged=d(0.5)),  # → v1: half a day
            pull(2, merged=d(2)),  # → v4 (the prerelease and the draft do not count): 8 days
            pull(3, merged=d(1)),  # merged the instant v1 shipped: → v4, 9 days
            pull(4, merged=d(11)),  # no release after it yet: pending
            pull(5, merged=d(2), base_ref="release-1.x"),  # not the default branch
            pull(6, merged=d(-1)),  # merged before the window
            pull(7, created=d(1)),  # open
            pull(8, author=DEPENDABOT, merged=d(2)),  # a bot's
        ),
    )


def test_releases_per_week_with_zero_weeks() -> None:
    result = deployment_frequency(_repo(), WINDOW)
    assert (result.releases, result.per_week, result.repositories_with_releases) == (2, 1.0, 1)
    assert [(w.week, w.releases) for w in result.weeks] == [("2024-W01", 1), ("2024-W02", 1)]
    assert deployment_frequency(_repo(), WINDOW, include_prereleases=True).releases == 3


def test_lead_time_from_merge_to_the_next_release() -> None:
    result = lead_time(_repo(), WINDOW, now=NOW)
    assert result.released == result.lead_time.count == 3
    assert (result.lead_time.min, result.lead_time.p50, result.lead_time.max) == (
        0.5 * DAY,
        8 * DAY,
        9 * DAY,
    )
    assert (result.pending, result.without_releases, result.other_base) == (1, 0, 1)


def test_lead_time_with_prereleases_and_later_now() -> None:
    with_rc = lead_time(_repo(), WINDOW, now=NOW, include_prereleases=True)
    # PR 1 → v1 in half a day, PR 2 → v2-rc in 1 day, PR 3 → v2-rc in 2 days
    assert (with_rc.lead_time.min, with_rc.lead_time.p50, with_rc.lead_time.max) == (
        0.5 * DAY,
        DAY,
        2 * DAY,
    )
    later = lead_time(_repo(), WINDOW, now=d(30))
    assert (later.released, later.pending) == (4, 0)  # PR 4 → v5


def test_repositories_without_releases_are_counted_apart() -> None:
    quiet = snapshot("acme/docs", repo_id=2, pulls=(pull(1, merged=d(1)),))
    result = lead_time([_repo(), quiet], WINDOW, now=NOW)
    assert (result.released, result.without_releases) == (3, 1)
    frequency = deployment_frequency(quiet, WINDOW)
    assert (frequency.releases, frequency.per_week, frequency.repositories_with_releases) == (
        0,
        0.0,
        0,
    )

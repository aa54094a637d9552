from __future__ import annotations

import pytest

from hubdeck.core.github.models import ReviewState
from hubdeck.core.metrics import (
    Distribution,
    Window,
    all_pull_request_stages,
    pull_request_stages,
    stage_summary,
)

from .factory import (
    ALICE,
    BOB,
    CAROL,
    DEPENDABOT,
    HOUR,
    account,
    comment,
    draft,
    h,
    pull,
    review,
    snapshot,
)


def test_stages_of_a_plain_pull_request() -> None:
    pr = pull(1, first_commit=h(-10), created=h(0), merged=h(8))
    stages = pull_request_stages(
        pr, [review(1, CAROL, h(5))], [comment(1, BOB, h(2))], repository="acme/app"
    )
    assert stages.repository == "acme/app"
    assert stages.coding_seconds == 10 * HOUR
    assert stages.pickup_seconds == 2 * HOUR  # the comment came before the review
    assert stages.review_seconds == 3 * HOUR
    assert stages.cycle_seconds == 18 * HOUR
    assert stages.cycle_start == "first_commit"
    assert stages.cycle_draft_seconds == 0.0
    assert stages.first_response_at == h(2)
    assert stages.first_review_at == h(5)
    assert stages.ready_at == h(0)
    assert not stages.merged_without_review


def test_opened_as_draft_pickup_starts_when_ready() -> None:
    pr = pull(1, first_commit=h(-1), created=h(0), merged=h(10), drafts=(draft(h(0), h(4)),))
    stages = pull_request_stages(pr, [review(1, BOB, h(6))], [])
    assert stages.ready_at == h(4)
    assert stages.coding_seconds == 1 * HOUR
    assert stages.pickup_seconds == 2 * HOUR  # ready at 4, reviewed at 6
    assert stages.review_seconds == 4 * HOUR
    assert stages.cycle_seconds == 7 * HOUR  # 11 h minus 4 h as a draft
    assert stages.cycle_draft_seconds == 4 * HOUR


def test_draft_period_partly_inside_the_review_stage() -> None:
    # reviewed at 1, back to draft 3–5, merged at 7
    pr = pull(1, created=h(0), merged=h(7), drafts=(draft(h(3), h(5)),))
    stages = pull_request_stages(pr, [review(1, BOB, h(1))], [])
    assert stages.pickup_seconds == 1 * HOUR
    assert stages.review_seconds == 4 * HOUR
    assert stages.cycle_seconds == 5 * HOUR


def test_draft_period_covering_the_whole_pickup_stage() -> None:
    # reviewed at 3 while still a draft (0–10), merged at 12
    pr = pull(1, created=h(0), merged=h(12), drafts=(draft(h(0), h(10)),))
    stages = pull_request_stages(pr, [review(1, BOB, h(3))], [])
    assert stages.pickup_seconds == 0.0
    assert stages.review_seconds == 2 * HOUR  # 9 h, 7 of them as a draft


def test_toggling_back_to_draft_before_any_response() -> None:
    # draft 0–2, ready 2–3, draft 3–6, ready from 6, reviewed at 7: waited 1 h + 1 h while ready
    pr = pull(1, created=h(0), merged=h(9), drafts=(draft(h(0), h(2)), draft(h(3), h(6))))
    stages = pull_request_stages(pr, [review(1, BOB, h(7))], [])
    assert stages.ready_at == h(2)
    assert stages.pickup_seconds == 2 * HOUR
    assert stages.review_seconds == 2 * HOUR


def test_bots_and_the_author_do_not_count() -> None:
    actions = account("github-actions[bot]")  # a "[bot]" login of type User is still a bot
    pr = pull(1, created=h(0), merged=h(6))
    stages = pull_request_stages(
        pr,
        [
            review(1, ALICE, h(2), ReviewState.commented),
            review(1, DEPENDABOT, h(2.5)),
            review(1, BOB, h(4)),
        ],
        [comment(1, ALICE, h(1)), comment(1, DEPENDABOT, h(1.5)), comment(1, actions, h(2.5))],
    )
    assert stages.first_response_at == h(4)
    assert stages.pickup_seconds == 4 * HOUR
    assert stages.review_seconds == 2 * HOUR
    assert not stages.merged_without_review


def test_the_author_is_recognised_by_id_across_a_rename() -> None:
    renamed = account("alice-new", id=ALICE.id)
    pr = pull(1, created=h(0), merged=h(6))
    stages = pull_request_stages(pr, [review(1, renamed, h(1))], [comment(1, renamed, h(1))])
    assert stages.merged_without_review
    assert stages.first_response_at is None


def test_merged_without_review_has_no_pickup_and_no_review_time() -> None:
    pr = pull(1, created=h(0), merged=h(3))
    stages = pull_request_stages(pr, [review(1, CAROL, h(5))], [comment(1, BOB, h(1))])
    assert stages.merged_without_review
    assert stages.first_review_at is None  # the review came after the merge
    assert stages.first_response_at == h(1)
    assert stages.pickup_seconds is None
    assert stages.review_seconds is None
    assert stages.cycle_seconds == 3 * HOUR
    assert stages.cycle_start == "opened"


def test_unsubmitted_reviews_and_other_pulls_reviews_are_ignored() -> None:
    pr = pull(1, created=h(0), merged=h(3))
    stages = pull_request_stages(
        pr,
        [
            review(1, BOB, h(1), ReviewState.pending),
            review(1, BOB, None, ReviewState.commented),
            review(2, CAROL, h(1)),
        ],
        [comment(2, CAROL, h(1))],
    )
    assert stages.merged_without_review
    assert stages.first_response_at is None


def test_dismissed_review_still_counts() -> None:
    pr = pull(1, created=h(0), merged=h(3))
    stages = pull_request_stages(pr, [review(1, BOB, h(1), ReviewState.dismissed)], [])
    assert stages.review_seconds == 2 * HOUR


def test_missing_first_commit_leaves_coding_unknown_and_cycle_from_opening() -> None:
    stages = pull_request_stages(pull(1, created=h(0), merged=h(4)), [review(1, BOB, h(1))], [])
    assert stages.coding_seconds is None
    assert stages.cycle_start == "opened"
    assert stages.cycle_seconds == 4 * HOUR


def test_first_commit_after_the_opening_is_treated_as_unknown() -> None:
    pr = pull(1, first_commit=h(2), created=h(0), merged=h(4))
    stages = pull_request_stages(pr, [review(1, BOB, h(3))], [])
    assert stages.coding_seconds is None
    assert stages.cycle_start == "opened"
    assert stages.cycle_seconds == 4 * HOUR


def test_closed_unmerged_has_pickup_only() -> None:
    pr = pull(1, first_commit=h(-1), created=h(0), closed=h(5))
    stages = pull_request_stages(pr, [review(1, BOB, h(2))], [comment(1, CAROL, h(6))])
    assert stages.coding_seconds == 1 * HOUR
    assert stages.pickup_seconds == 2 * HOUR
    assert stages.review_seconds is None
    assert stages.cycle_seconds is None
    assert stages.cycle_start is None
    assert not stages.merged_without_review


def test_responses_after_closing_are_not_responses() -> None:
    pr = pull(1, created=h(0), closed=h(5))
    stages = pull_request_stages(pr, [review(1, BOB, h(7))], [comment(1, CAROL, h(6))])
    assert stages.first_response_at is None
    assert stages.pickup_seconds is None


def test_open_pull_request_without_response_has_nothing_yet() -> None:
    stages = pull_request_stages(pull(1, created=h(0)), [], [])
    assert (stages.pickup_seconds, stages.review_seconds, stages.cycle_seconds) == (None,) * 3
    assert not stages.merged_without_review


def test_open_pull_request_with_a_response_has_a_pickup() -> None:
    stages = pull_request_stages(pull(1, created=h(0)), [], [comment(1, BOB, h(3))])
    assert stages.pickup_seconds == 3 * HOUR


WINDOW = Window(h(0), h(100))


def test_summary_counts_each_stage_in_the_window_where_it_ends() -> None:
    repo = snapshot(
        pulls=(
            # opened before the window, merged in it: cycle and review count, coding does not
            pull(1, first_commit=h(-20), created=h(-10), merged=h(10)),
            # opened in the window, first commit known, merged in it
            pull(2, first_commit=h(9), created=h(10), merged=h(20)),
            # opened in the window, no first commit, merged without review
            pull(3, created=h(30), merged=h(35)),
            # opened in the window, response in the window, merged after it
            pull(4, first_commit=h(88), created=h(90), merged=h(120)),
            # response before the window: its pickup is not counted here
            pull(5, created=h(-5), closed=h(1)),
        ),
        reviews=(
            review(1, BOB, h(0)),
            review(2, CAROL, h(12)),
            review(4, BOB, h(95)),
            review(5, BOB, h(-1)),
        ),
    )
    summary = stage_summary(repo, WINDOW)
    assert summary.coding.count == 2  # PRs 2 and 4
    assert summary.coding.mean == pytest.approx(1.5 * HOUR)
    assert summary.coding_unknown == 1  # PR 3
    assert summary.pickup.count == 3  # PRs 1, 2, 4 (responses at 0, 12, 95)
    assert summary.pickup.p50 == 5 * HOUR  # 10, 2, 5
    assert summary.review.count == 2  # PRs 1 and 2
    assert (summary.review.min, summary.review.max) == (8 * HOUR, 10 * HOUR)
    assert summary.cycle.count == 3  # PRs 1, 2, 3
    assert [summary.cycle.min, summary.cycle.p50, summary.cycle.max] == [
        5 * HOUR,
        11 * HOUR,
        30 * HOUR,
    ]
    assert summary.cycle_from_opened == 1
    assert summary.merged == 3
    assert summary.merged_without_review == 1


def test_bot_pull_requests_are_left_out_unless_asked() -> None:
    repo = snapshot(
        pulls=(pull(1, author=DEPENDABOT, created=h(1), merged=h(2)),),
        reviews=(review(1, BOB, h(1.5)),),
    )
    assert stage_summary(repo, WINDOW).merged == 0
    with_bots = stage_summary(repo, WINDOW, include_bots=True)
    assert with_bots.merged == 1
    assert with_bots.review.p50 == 0.5 * HOUR


def test_reviews_join_pull_requests_of_their_own_repository_only() -> None:
    first = snapshot(
        "acme/app", repo_id=1, pulls=(pull(1, merged=h(2)),), reviews=(review(1, BOB, h(1)),)
    )
    second = snapshot("acme/api", repo_id=2, pulls=(pull(1, merged=h(3)),))
    by_repo = {s.repository: s for s in all_pull_request_stages([first, second])}
    assert not by_repo["acme/app"].merged_without_review
    assert by_repo["acme/api"].merged_without_review
    assert stage_summary([first, second], WINDOW).merged_without_review == 1


def test_empty_input_gives_empty_distributions() -> None:
    summary = stage_summary([], WINDOW)
    assert summary.cycle == Distribution.empty()
    assert (summary.merged, summary.merged_without_review, summary.coding_unknown) == (0, 0, 0)

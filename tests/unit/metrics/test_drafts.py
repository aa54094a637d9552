from __future__ import annotations

from hubdeck.core.metrics import active_seconds, draft_seconds, ready_at

from .factory import HOUR, draft, h


def test_no_drafts_leaves_the_whole_interval() -> None:
    assert active_seconds(h(0), h(5), ()) == 5 * HOUR


def test_a_period_inside_the_interval_is_taken_out() -> None:
    assert draft_seconds(h(0), h(10), (draft(h(2), h(5)),)) == 3 * HOUR
    assert active_seconds(h(0), h(10), (draft(h(2), h(5)),)) == 7 * HOUR


def test_periods_overlapping_either_end_count_only_inside() -> None:
    periods = (draft(h(-3), h(1)), draft(h(9), h(20)))
    assert draft_seconds(h(0), h(10), periods) == 2 * HOUR


def test_a_period_covering_the_interval_leaves_nothing() -> None:
    assert active_seconds(h(2), h(4), (draft(h(0), h(10)),)) == 0.0


def test_an_open_period_lasts_to_the_end_of_the_interval() -> None:
    assert draft_seconds(h(0), h(10), (draft(h(6), None),)) == 4 * HOUR


def test_overlapping_periods_count_once() -> None:
    periods = (draft(h(1), h(4)), draft(h(3), h(6)), draft(h(5), h(5)))
    assert draft_seconds(h(0), h(10), periods) == 5 * HOUR


def test_an_empty_or_reversed_interval_is_zero() -> None:
    assert active_seconds(h(5), h(5), ()) == 0.0
    assert active_seconds(h(5), h(1), ()) == 0.0
    assert draft_seconds(h(5), h(1), (draft(h(0), h(9)),)) == 0.0


def test_ready_at_is_the_opening_without_an_initial_draft() -> None:
    assert ready_at(h(0), ()) == h(0)
    assert ready_at(h(0), (draft(h(3), h(4)),)) == h(0)
    assert ready_at(h(0), (draft(h(3), None),)) == h(0)


def test_ready_at_is_the_end_of_the_opening_draft() -> None:
    assert ready_at(h(0), (draft(h(0), h(4)),)) == h(4)
    # back-to-back periods chain
    assert ready_at(h(0), (draft(h(2), h(6)), draft(h(0), h(2)))) == h(6)


def test_still_a_draft_is_never_ready() -> None:
    assert ready_at(h(0), (draft(h(0), None),)) is None

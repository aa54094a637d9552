"""Preferences: a channel per kind, muted teams, defaults, and routing drafts by them."""

from __future__ import annotations

import pytest

from hubdeck.core.notifications import (
    DEFAULT_CHANNELS,
    Channel,
    NotificationKind,
    Preferences,
    route,
)

from .factory import draft

K = NotificationKind


def test_every_kind_has_a_default_channel() -> None:
    assert set(DEFAULT_CHANNELS) == set(NotificationKind)


@pytest.mark.parametrize(
    ("kind", "channel"),
    [
        (K.review_requested, Channel.browser),
        (K.mentioned, Channel.browser),
        (K.changes_requested, Channel.browser),
        (K.pull_merged, Channel.in_app),
        (K.pull_approved, Channel.in_app),
        (K.workflow_failed, Channel.in_app),
        (K.pool_low, Channel.in_app),
        (K.new_device, Channel.browser),
    ],
)
def test_documented_defaults(kind: NotificationKind, channel: Channel) -> None:
    assert Preferences().channel(kind) is channel


def test_defaults_route_in_app_and_browser() -> None:
    quiet = draft(1, kind=K.workflow_failed)
    loud = draft(1, kind=K.review_requested)
    deliveries = route([quiet, loud], {})
    assert [(d.draft, d.browser) for d in deliveries] == [(quiet, False), (loud, True)]


def test_a_kind_turned_off_is_dropped_for_that_user_only() -> None:
    prefs = {1: Preferences(channels={K.workflow_failed: Channel.off})}
    mine, theirs = draft(1), draft(2)
    assert [d.draft for d in route([mine, theirs], prefs)] == [theirs]


def test_a_kind_raised_to_browser() -> None:
    prefs = {1: Preferences(channels={K.workflow_failed: Channel.browser})}
    assert route([draft(1)], prefs)[0].browser


def test_a_muted_team_is_silent_but_another_team_still_reaches_you() -> None:
    prefs = {2: Preferences(muted_teams=frozenset({3}))}
    via_platform = draft(2, team_id=3)
    via_web = via_platform.model_copy(update={"team_id": 4})
    assert [d.draft for d in route([via_platform, via_web], prefs)] == [via_web]
    assert route([via_platform], prefs) == []


def test_one_event_reaches_a_person_once_through_the_first_team() -> None:
    via_platform = draft(2, team_id=3)
    via_web = via_platform.model_copy(update={"team_id": 4})
    assert [d.draft for d in route([via_platform, via_web], {})] == [via_platform]


def test_new_device_cannot_be_turned_off_nor_muted() -> None:
    prefs = Preferences(channels={K.new_device: Channel.off}, muted_teams=frozenset({3}))
    alert = draft(1, kind=K.new_device, team_id=3)
    assert prefs.channel(K.new_device) is Channel.in_app
    deliveries = route([alert], {1: prefs})
    assert [(d.draft, d.browser) for d in deliveries] == [(alert, False)]


def test_preferences_load_from_stored_json() -> None:
    stored = '{"channels": {"mentioned": "off"}, "muted_teams": [4]}'
    prefs = Preferences.model_validate_json(stored)
    assert prefs.channel(K.mentioned) is Channel.off
    assert prefs.muted_teams == frozenset({4})
    assert Preferences.model_validate_json(prefs.model_dump_json()) == prefs

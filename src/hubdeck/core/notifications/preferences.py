"""Each user's choices: a channel per kind of notification, and teams they muted.

Channels: ``off`` (not stored, not shown), ``in_app`` (the notifications list and its badge),
``browser`` (in-app, and a browser notification when a HubDeck tab is open and the user allowed
it). The defaults, ``DEFAULT_CHANNELS``, interrupt only for what waits on you or may be an
attack: a review requested from you, a mention, changes requested on your pull request, an
invitation, a pool that ran dry, a disabled webhook endpoint, a sign-in from a new device. The
rest (merged, closed, approved, workflow failures, dashboards shared, a pool running low) stays
in the app. ``new_device`` cannot be turned off, only down to ``in_app``: a security alert
nobody sees protects nobody.

Digests (digest.py) are off unless the user sets a schedule (``digest``).

Muting a team silences every notification that reaches the user through that team; one that
concerns them through another team still arrives (``route``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from hubdeck.core.notifications.digest import DigestSchedule
from hubdeck.core.notifications.model import NotificationDraft, NotificationKind


class Channel(StrEnum):
    off = "off"
    in_app = "in_app"
    browser = "browser"


DEFAULT_CHANNELS: dict[NotificationKind, Channel] = {
    NotificationKind.review_requested: Channel.browser,
    NotificationKind.pull_merged: Channel.in_app,
    NotificationKind.pull_closed: Channel.in_app,
    NotificationKind.pull_approved: Channel.in_app,
    NotificationKind.changes_requested: Channel.browser,
    NotificationKind.mentioned: Channel.browser,
    NotificationKind.workflow_failed: Channel.in_app,
    NotificationKind.dashboard_shared: Channel.in_app,
    NotificationKind.team_invitation: Channel.browser,
    NotificationKind.pool_low: Channel.in_app,
    NotificationKind.pool_dry: Channel.browser,
    NotificationKind.webhook_disabled: Channel.browser,
    NotificationKind.new_device: Channel.browser,
    NotificationKind.credential_revoked: Channel.browser,
    # Asked for on a schedule the user chose: worth a browser notification.
    NotificationKind.digest: Channel.browser,
}

# Kinds a user cannot turn off (``off`` reads as ``in_app``), nor mute: a new device concerns the
# account; digests are switched on and off by their own schedule (``Preferences.digest``), so
# their channel only says whether they also ring the browser.
ALWAYS_DELIVERED: frozenset[NotificationKind] = frozenset(
    {NotificationKind.new_device, NotificationKind.digest}
)


class Preferences(BaseModel):
    """One user's preferences: only what differs from the defaults is stored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channels: dict[NotificationKind, Channel] = Field(default_factory=dict)
    muted_teams: frozenset[int] = frozenset()
    digest: DigestSchedule = DigestSchedule()

    def channel(self, kind: NotificationKind) -> Channel:
        chosen = self.channels.get(kind, DEFAULT_CHANNELS[kind])
        if chosen is Channel.off and kind in ALWAYS_DELIVERED:
            return Channel.in_app
        return chosen

    def channel_for(self, draft: NotificationDraft) -> Channel:
        """Where this draft goes: ``off`` when its kind is off or its team muted."""
        if draft.kind not in ALWAYS_DELIVERED and draft.team_id in self.muted_teams:
            return Channel.off
        return self.channel(draft.kind)


DEFAULT_PREFERENCES = Preferences()


@dataclass(frozen=True, slots=True)
class Delivery:
    draft: NotificationDraft
    # Also raise a browser notification (the front end does, when allowed and a tab is open).
    browser: bool


def route(
    drafts: Iterable[NotificationDraft], preferences: Mapping[int, Preferences]
) -> list[Delivery]:
    """The drafts each recipient wants, by their preferences (defaults for users without any).

    One event notifies a person once per kind: when they are concerned through several teams,
    the first draft whose team they did not mute is kept (rules order them by team id).
    """
    seen: set[tuple[int, str, NotificationKind]] = set()
    deliveries: list[Delivery] = []
    for draft in drafts:
        key = (draft.recipient_id, draft.event_id, draft.kind)
        if key in seen:
            continue
        prefs = preferences.get(draft.recipient_id, DEFAULT_PREFERENCES)
        channel = prefs.channel_for(draft)
        if channel is Channel.off:
            continue
        seen.add(key)
        deliveries.append(Delivery(draft, browser=channel is Channel.browser))
    return deliveries

"""Live notifications, pure: which events notify whom (rules), what each user wants
(preferences), and how bursts fold into one row (collapse). No I/O and no clock: the service
layer loads a ``RuleContext`` (``needs(event)`` says what), passes ``now``, and stores the
decisions.

The flow for one event::

    drafts = drafts_for(event, context)              # rules.py
    for delivery in route(drafts, preferences):      # preferences.py
        decision = collapse(recent_rows, delivery.draft, now)   # collapse.py: Insert | Update

Digests (digest.py) sum up, on each user's schedule, what they left unread.
"""

from hubdeck.core.notifications.collapse import (
    DEFAULT_WINDOW,
    Decision,
    Insert,
    Update,
    collapse,
    collapsed_title,
    fold,
)
from hubdeck.core.notifications.context import (
    ContextNeeds,
    Links,
    Member,
    RuleContext,
    TeamContext,
    needs,
)
from hubdeck.core.notifications.digest import (
    DigestFrequency,
    DigestSchedule,
    compose_digest,
    due_period,
    window_start,
)
from hubdeck.core.notifications.model import (
    LEVELS,
    Level,
    Notification,
    NotificationDraft,
    NotificationKind,
    new_notification,
)
from hubdeck.core.notifications.preferences import (
    ALWAYS_DELIVERED,
    DEFAULT_CHANNELS,
    Channel,
    Delivery,
    Preferences,
    route,
)
from hubdeck.core.notifications.rules import (
    RULES,
    Rule,
    RuleFunction,
    drafts_for,
    handled_event_types,
)

__all__ = [
    "ALWAYS_DELIVERED",
    "DEFAULT_CHANNELS",
    "DEFAULT_WINDOW",
    "LEVELS",
    "RULES",
    "Channel",
    "ContextNeeds",
    "Decision",
    "Delivery",
    "DigestFrequency",
    "DigestSchedule",
    "Insert",
    "Level",
    "Links",
    "Member",
    "Notification",
    "NotificationDraft",
    "NotificationKind",
    "Preferences",
    "Rule",
    "RuleContext",
    "RuleFunction",
    "TeamContext",
    "Update",
    "collapse",
    "collapsed_title",
    "compose_digest",
    "drafts_for",
    "due_period",
    "fold",
    "handled_event_types",
    "needs",
    "new_notification",
    "route",
    "window_start",
]

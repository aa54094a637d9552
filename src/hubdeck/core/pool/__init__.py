"""The rate-limit pool, pure: credentials and what they reach, which may serve a request, the
quota arithmetic of reservations, fair ordering of waiting requests, and forecasts.

No I/O and no clock: adapters keep the state (``hubdeck.adapters.memory.pool``,
``hubdeck.adapters.redis.pool``), ``hubdeck.services.pool`` schedules the requests.
"""

from hubdeck.core.pool.eligibility import eligible
from hubdeck.core.pool.fairness import FairQueue
from hubdeck.core.pool.forecast import dry_at
from hubdeck.core.pool.model import (
    BUCKETS,
    Credential,
    CredentialKind,
    Need,
    PoolLimits,
    Priority,
    Reach,
    points_of,
)
from hubdeck.core.pool.quota import QuotaRecord, choose, observe, wait_hint

__all__ = [
    "BUCKETS",
    "Credential",
    "CredentialKind",
    "FairQueue",
    "Need",
    "PoolLimits",
    "Priority",
    "QuotaRecord",
    "Reach",
    "choose",
    "dry_at",
    "eligible",
    "observe",
    "points_of",
    "wait_hint",
]

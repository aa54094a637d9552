"""The pool's pure core: eligibility, the quota arithmetic, fair order, forecasts."""

from __future__ import annotations

from hubdeck.core.pool import (
    Credential,
    CredentialKind,
    FairQueue,
    Need,
    PoolLimits,
    QuotaRecord,
    Reach,
    choose,
    dry_at,
    eligible,
    observe,
    points_of,
)

APP = Credential("app:1", CredentialKind.app, 9, team_id=1, reach=Reach.of(["Acme"]))
SERVICE = Credential("service:2", CredentialKind.service, 9, team_id=1)
ALICE = Credential("member:1", CredentialKind.member, 1)
LIMITS = PoolLimits(max_concurrent=2, points_per_minute=10, lease=30, window=3600)


def test_members_tokens_serve_only_their_owners_requests() -> None:
    assert eligible(ALICE, Need(1, 1, "acme/secret", private=True))
    assert not eligible(ALICE, Need(1, 2, "acme/api", private=False))
    assert not eligible(ALICE, Need(1, None, "acme/api", private=False))


def test_shared_credentials_serve_their_team_for_what_they_reach() -> None:
    assert eligible(APP, Need(1, 2, "ACME/secret", private=True))
    assert not eligible(SERVICE, Need(1, 2, "acme/secret", private=True))
    assert eligible(SERVICE, Need(1, 2, "acme/api", private=False))
    assert not eligible(APP, Need(2, 2, "acme/api", private=False))  # another team's
    assert not eligible(APP, Need(1, 2, own=True))  # what only the member's token sees
    assert eligible(
        Credential("service:3", CredentialKind.service, 9, 1, Reach.of([], ["x/y"])),
        Need(1, None, "X/Y"),
    )


def test_points() -> None:
    assert points_of("GET") == 1
    assert points_of("post") == 5


def known(limit: int, used: int, reset: float) -> QuotaRecord:
    record = QuotaRecord()
    observe(record, "core", limit=limit, used=used, reset=reset, paid=False)
    return record


def test_choice_prefers_affinity_while_it_has_quota_then_the_most_remaining() -> None:
    records = {"a": known(100, 10, 500), "b": known(100, 50, 500)}
    assert choose(records, ["a", "b"], "core", 1, None, LIMITS, 0) == "a"
    assert choose(records, ["a", "b"], "core", 1, "b", LIMITS, 0) == "b"
    records["b"] = known(100, 100, 500)
    assert choose(records, ["a", "b"], "core", 1, "b", LIMITS, 0) == "a"  # b is spent


def test_concurrency_points_and_cooldown_bar_a_credential() -> None:
    record = known(100, 0, 500)
    record.in_flight = {"r1": 30.0, "r2": 30.0}
    assert choose({"a": record}, ["a"], "core", 1, None, LIMITS, 0) is None
    record.in_flight = {}
    record.points = [(0.0, 5), (1.0, 5)]
    assert choose({"a": record}, ["a"], "core", 1, None, LIMITS, 2) is None
    assert choose({"a": record}, ["a"], "core", 1, None, LIMITS, 61) == "a"
    record.cooldown_until = 100
    assert choose({"a": record}, ["a"], "core", 1, None, LIMITS, 62) is None


def test_observations_follow_windows_and_never_double_count() -> None:
    record = known(10, 2, 500)
    record.in_flight = {"r": 100.0}
    assert record.available("core") == 7
    observe(record, "core", limit=10, used=3, reset=500, paid=True)  # includes r? cautious
    assert record.available("core") == 6
    record.in_flight = {}
    assert record.available("core") == 7
    observe(record, "core", limit=10, used=1, reset=400, paid=True)  # a late, older answer
    assert record.available("core") == 7
    observe(record, "core", limit=10, used=1, reset=900, paid=True)  # a new window
    assert record.available("core") == 9
    record.roll("core", 902, LIMITS)  # past the reset and its margin: full again
    assert record.available("core") == 10


def test_the_fair_queue_serves_interactive_first_then_users_and_repositories_in_turn() -> None:
    queue: FairQueue[str] = FairQueue()
    for n in range(4):
        queue.push(f"bulk-a{n}", priority=1, user="u1", repository="a")
        queue.push(f"bulk-b{n}", priority=1, user="u1", repository="b")
    queue.push("carol-1", priority=1, user="u2", repository="c")
    queue.push("look", priority=0, user="u3", repository="a")
    order = []
    while len(queue):
        head = next(queue.candidates())
        order.append(head)
        queue.served(head)
    assert order[0] == "look"
    assert order.index("carol-1") <= 2  # not behind the bulk user's eight
    firsts = [item for item in order if item.startswith("bulk")][:4]
    assert firsts == ["bulk-a0", "bulk-b0", "bulk-a1", "bulk-b1"]


def test_a_discarded_item_leaves_the_queue() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.push("x", priority=1, user="u", repository="r")
    queue.discard("x")
    assert len(queue) == 0
    assert list(queue.candidates()) == []


def test_forecast() -> None:
    assert dry_at(600, 60, [], 1000) == 1600
    assert dry_at(600, 60, [1200], 1000) is None  # the reset comes first
    assert dry_at(600, 0, [], 1000) is None

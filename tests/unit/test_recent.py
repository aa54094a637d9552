"""The few seconds' memory of authorization lookups: it forgets on time and on demand, and an
answer read before a forgetting is never kept after it."""

from __future__ import annotations

from hubdeck.services.recent import Recent


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_kept_for_its_time_only() -> None:
    clock = Ticks()
    recent: Recent[str, int] = Recent(5.0, clock=clock)
    recent.put("a", 1, recent.epoch)
    clock.now += 4.9
    assert recent.get("a") == 1
    clock.now += 0.1
    assert recent.get("a") is None
    assert len(recent) == 0


def test_forgetting_drops_the_entries_named() -> None:
    recent: Recent[tuple[int, int], str] = Recent(5.0)
    for key in [(1, 7), (2, 7), (1, 8)]:
        recent.put(key, "member", recent.epoch)
    recent.forget_where(lambda key: key[1] == 7)
    assert [recent.get(k) for k in [(1, 7), (2, 7), (1, 8)]] == [None, None, "member"]
    recent.forget((1, 8))
    assert recent.get((1, 8)) is None


def test_an_answer_read_before_a_forgetting_is_not_kept() -> None:
    # A request read the session, then (while it awaited) the session was revoked and
    # forgotten: what it read must not be remembered as valid.
    recent: Recent[str, int] = Recent(5.0)
    epoch = recent.epoch
    recent.forget("s")
    recent.put("s", 1, epoch)
    assert recent.get("s") is None
    recent.put("s", 1, recent.epoch)
    assert recent.get("s") == 1


def test_off_when_the_time_is_zero_and_bounded_in_size() -> None:
    off: Recent[str, int] = Recent(0.0)
    off.put("a", 1, off.epoch)
    assert off.get("a") is None
    small: Recent[int, int] = Recent(5.0, max_entries=3)
    for n in range(3):
        small.put(n, n, small.epoch)
    small.put(3, 3, small.epoch)
    assert len(small) == 1
    assert small.get(3) == 3

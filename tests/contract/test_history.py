"""ChannelHistory contract."""

from __future__ import annotations

import asyncio

from hubdeck.ports import HistoryEntry, StreamPosition
from tests.contract.backends import Backend


async def test_empty_channel_has_a_stable_epoch(backend: Backend) -> None:
    history = backend.history()
    top = await history.top("ch")
    assert top.offset == 0
    assert top.epoch
    assert await history.top("ch") == top
    assert await backend.history(peer=True).top("ch") == top
    assert await history.since("ch", 0) == ([], top)
    assert (await history.top("other")).epoch != top.epoch


async def test_append_assigns_consecutive_offsets(backend: Backend) -> None:
    history = backend.history()
    epoch = (await history.top("ch")).epoch
    first = await history.append("ch", b"a")
    second = await history.append("ch", b"b")
    assert first == StreamPosition(1, epoch)
    assert second == StreamPosition(2, epoch)
    assert await history.top("ch") == second
    assert await history.since("ch", 0) == (
        [HistoryEntry(1, b"a"), HistoryEntry(2, b"b")],
        second,
    )
    assert (await history.append("other", b"x")).offset == 1


async def test_concurrent_appends_neither_skip_nor_repeat(backend: Backend) -> None:
    both = [backend.history(max_size=500), backend.history(peer=True)]
    positions = await asyncio.gather(
        *(both[i % 2].append("ch", str(i).encode()) for i in range(200))
    )
    assert sorted(p.offset for p in positions) == list(range(1, 201))
    assert len({p.epoch for p in positions}) == 1
    entries, top = await both[0].since("ch", 0)
    assert [e.offset for e in entries] == list(range(1, 201))
    assert top.offset == 200
    # Each position names the data appended with it.
    by_offset = {e.offset: e.data for e in entries}
    for i, position in enumerate(positions):
        assert by_offset[position.offset] == str(i).encode()


async def test_since_with_limit(backend: Backend) -> None:
    history = backend.history()
    for i in range(1, 11):
        await history.append("ch", b"%d" % i)
    entries, top = await history.since("ch", 3, limit=4)
    assert [e.offset for e in entries] == [4, 5, 6, 7]
    assert [e.data for e in entries] == [b"4", b"5", b"6", b"7"]
    assert top.offset == 10
    assert [e.offset for e in (await history.since("ch", 8))[0]] == [9, 10]
    assert (await history.since("ch", 10))[0] == []
    assert (await history.since("ch", 99))[0] == []
    assert (await history.since("ch", 0, limit=0))[0] == []


async def test_count_bound(backend: Backend) -> None:
    history = backend.history(max_size=5)
    for i in range(1, 9):
        await history.append("ch", b"%d" % i)
    entries, top = await history.since("ch", 0)
    assert [e.offset for e in entries] == [4, 5, 6, 7, 8]
    assert top.offset == 8
    assert [e.offset for e in (await history.since("ch", 0, limit=2))[0]] == [4, 5]


async def test_age_bound(backend: Backend) -> None:
    history = backend.history(max_age=0.3)
    await history.append("ch", b"old-1")
    await history.append("ch", b"old-2")
    assert len((await history.since("ch", 0))[0]) == 2
    await asyncio.sleep(0.35)
    fresh = await history.append("ch", b"fresh")
    entries, top = await history.since("ch", 0, limit=1)
    assert entries == [HistoryEntry(3, b"fresh")]
    assert top == fresh
    await asyncio.sleep(0.35)
    assert await history.since("ch", 0) == ([], fresh)  # the position outlives the data


async def test_epoch_changes_when_history_is_lost(backend: Backend) -> None:
    history = backend.history()
    await history.append("ch", b"a")
    before = await history.append("ch", b"b")
    history = await backend.lose_history()
    after = await history.top("ch")
    assert after.offset == 0
    assert after.epoch != before.epoch
    appended = await history.append("ch", b"c")
    assert appended == StreamPosition(1, after.epoch)
    assert await history.since("ch", 0) == ([HistoryEntry(1, b"c")], appended)


async def test_idle_channel_starts_a_new_epoch_after_meta_ttl(backend: Backend) -> None:
    history = backend.history(max_age=0.2, meta_ttl=0.4)
    first = await history.append("ch", b"a")
    await asyncio.sleep(0.2)
    assert await history.top("ch") == first  # reading does not reset anything
    await asyncio.sleep(0.25)
    top = await history.top("ch")
    assert top.offset == 0
    assert top.epoch != first.epoch
    assert await history.append("ch", b"b") == StreamPosition(1, top.epoch)

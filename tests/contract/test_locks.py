"""Locks contract."""

from __future__ import annotations

import asyncio

from tests.contract.backends import Backend


async def test_acquire_is_exclusive(backend: Backend) -> None:
    locks, peer = backend.locks(), backend.locks(peer=True)
    token = await locks.acquire("job", 5)
    assert token is not None
    assert await peer.acquire("job", 5) is None
    assert await locks.acquire("job", 5) is None
    assert await locks.acquire("other", 5) is not None


async def test_concurrent_acquire_has_one_winner(backend: Backend) -> None:
    both = [backend.locks(), backend.locks(peer=True)]
    tokens = await asyncio.gather(*(both[i % 2].acquire("job", 5) for i in range(30)))
    assert len([token for token in tokens if token is not None]) == 1


async def test_release_with_wrong_token(backend: Backend) -> None:
    locks = backend.locks()
    token = await locks.acquire("job", 5)
    assert token is not None
    assert await locks.release("job", "not-the-token") is False
    assert await locks.extend("job", "not-the-token", 5) is False
    assert await locks.acquire("job", 5) is None  # still held
    assert await locks.release("job", token) is True
    assert await locks.release("job", token) is False
    second = await locks.acquire("job", 5)
    assert second is not None
    assert second != token


async def test_lease_expires(backend: Backend) -> None:
    locks, peer = backend.locks(), backend.locks(peer=True)
    token = await locks.acquire("job", 0.3)
    assert token is not None
    await asyncio.sleep(0.35)
    taken = await peer.acquire("job", 5)
    assert taken is not None
    # The old holder lost it and cannot disturb the new one.
    assert await locks.extend("job", token, 5) is False
    assert await locks.release("job", token) is False
    assert await peer.release("job", taken) is True


async def test_extend_keeps_the_lease(backend: Backend) -> None:
    locks = backend.locks()
    token = await locks.acquire("job", 0.4)
    assert token is not None
    await asyncio.sleep(0.15)
    assert await locks.extend("job", token, 0.6) is True
    await asyncio.sleep(0.35)  # past the original lease, within the extended one
    assert await locks.acquire("job", 5) is None
    assert await locks.release("job", token) is True

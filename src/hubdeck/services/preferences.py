"""The user's preferences: saved, then pushed on ``user:{id}`` so every open device follows."""

from __future__ import annotations

import time

import orjson
from pydantic import ValidationError

from hubdeck.core.clock import Clock
from hubdeck.core.preferences import PreferencesPatch, UserPreferences
from hubdeck.ports import ChannelStream, PreferenceStore


class PreferenceService:
    def __init__(self, store: PreferenceStore, stream: ChannelStream, clock: Clock) -> None:
        self._store = store
        self._stream = stream
        self._clock = clock

    async def get(self, user_id: int) -> UserPreferences:
        try:
            return UserPreferences.model_validate(await self._store.get(user_id))
        except ValidationError:  # stored by another version: start from the defaults
            return UserPreferences()

    async def update(self, user_id: int, patch: PreferencesPatch) -> UserPreferences:
        current = await self.get(user_id)
        merged = UserPreferences.model_validate(
            {**current.model_dump(), **patch.model_dump(exclude_unset=True)}
        )
        await self._store.save(user_id, merged.model_dump(mode="json"), self._clock.now())
        payload = {
            "type": "preferences:updated",
            "ts": int(time.time() * 1000),
            "data": merged.model_dump(mode="json"),
        }
        await self._stream.publish(f"user:{user_id}", orjson.dumps(payload))
        return merged

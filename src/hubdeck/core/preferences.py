"""Preferences that follow a user from device to device."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class UserPreferences(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    theme: Literal["light", "dark"] | None = None
    # Where the user last was, to open there on another device: a local path only.
    last_dashboard: str | None = Field(default=None, max_length=300)

    @field_validator("last_dashboard")
    @classmethod
    def _local_path(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith("/") or value.startswith("//")):
            raise ValueError("last_dashboard must be a path on this server")
        return value


class PreferencesPatch(UserPreferences):
    """Only the fields given change; ``null`` clears one."""

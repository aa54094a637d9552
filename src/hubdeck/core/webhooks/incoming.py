"""What a generic incoming webhook may post: an annotation or a custom metric point."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

# Bodies above this are refused before parsing.
MAX_BODY = 64 * 1024
METRIC_NAME = r"^[A-Za-z][A-Za-z0-9_.:-]{0,99}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnnotationIn(_Strict):
    type: Literal["annotation"]
    text: str = Field(min_length=1, max_length=2000)
    at: datetime
    tags: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=20
    )

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("`at` needs a time zone (e.g. 2026-11-26T10:00:00Z)")
        return value


class MetricIn(_Strict):
    type: Literal["metric"]
    name: str = Field(pattern=METRIC_NAME)
    value: float
    at: datetime | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("the value must be a finite number")
        return value

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("`at` needs a time zone (e.g. 2026-11-26T10:00:00Z)")
        return value


IncomingPayload = Annotated[AnnotationIn | MetricIn, Field(discriminator="type")]
PAYLOAD = TypeAdapter(IncomingPayload)

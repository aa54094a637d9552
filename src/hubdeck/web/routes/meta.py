"""Facts about this server."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from hubdeck import __version__

router = APIRouter(prefix="/api", tags=["meta"])


class VersionOut(BaseModel):
    version: str


@router.get("/version")
async def version() -> VersionOut:
    return VersionOut(version=__version__)

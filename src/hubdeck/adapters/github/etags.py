"""The ETag store behind HubDeck's conditional GETs, kept in the ``Cache`` port.

GitHub answers ``If-None-Match`` with 304 and no body when nothing changed, and a 304 costs no
quota. So the client keeps, per (credential, method, URL with query), the ETag, the ``Link``
header (a 304 need not repeat it, and pagination must go on) and the body of the last 200.

GitHub ties an ETag to the token that fetched it, hence the credential in the key. Keys and
tags hold only a hash of the token (``credential_id``), never the token itself.

Stored value: one line of JSON metadata (``etag``, ``link``), a newline, then the body bytes
exactly as received (no re-encoding on either side).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import orjson

from hubdeck.ports import Cache

# How long an entry lives unused. A day covers the slowest sync interval with room to spare;
# every 304 re-stores the entry, so what is still polled never expires.
DEFAULT_TTL = 24 * 3600.0


def credential_id(token: str | None) -> str:
    """A stable name for a token that does not reveal it: for cache keys, tags and logs."""
    if token is None:
        return "anonymous"
    return "tok_" + hashlib.sha256(token.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    etag: str
    body: bytes
    link: str | None = None


class ETagStore:
    def __init__(
        self, cache: Cache, *, ttl: float = DEFAULT_TTL, namespace: str = "github:etag:"
    ) -> None:
        self._cache = cache
        self._ttl = ttl
        self._namespace = namespace

    def key(self, credential: str, method: str, url: str) -> str:
        material = "\0".join((credential, method.upper(), url)).encode()
        return self._namespace + hashlib.sha256(material).hexdigest()

    def _tag(self, credential: str) -> str:
        return f"{self._namespace}cred:{credential}"

    async def get(self, credential: str, method: str, url: str) -> CachedAnswer | None:
        raw = await self._cache.get(self.key(credential, method, url))
        if raw is None:
            return None
        head, separator, body = raw.partition(b"\n")
        try:
            meta = orjson.loads(head) if separator else None
        except orjson.JSONDecodeError:
            meta = None
        # An entry written by another version, or damaged: behave as if there were none.
        if not isinstance(meta, dict) or not isinstance(meta.get("etag"), str):
            return None
        link = meta.get("link")
        return CachedAnswer(
            etag=meta["etag"], body=body, link=link if isinstance(link, str) else None
        )

    async def put(self, credential: str, method: str, url: str, answer: CachedAnswer) -> None:
        head = orjson.dumps({"etag": answer.etag, "link": answer.link})
        await self._cache.set(
            self.key(credential, method, url),
            head + b"\n" + answer.body,
            self._ttl,
            tags=(self._tag(credential),),
        )

    async def forget(self, credential: str) -> int:
        """Drop every entry fetched with ``credential`` (e.g. after the token was revoked)."""
        return await self._cache.invalidate_tag(self._tag(credential))

"""Replays octokit/fixtures recordings of real GitHub exchanges through an httpx.MockTransport.

Each request must match a recorded one (method, and path with query, exactly; or the path
alone with ``loose=True`` for the first request of a listing whose query the client chooses);
the answer is the recorded status, headers and body. Requests are kept for inspection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "rest-recordings"
API = "https://api.github.com"
# Hop-by-hop and length headers describe the recorded transfer, not the answer we rebuild.
_DROPPED = {"content-length", "connection", "transfer-encoding"}


def load(name: str) -> list[dict[str, Any]]:
    exchanges: list[dict[str, Any]] = json.loads((RECORDINGS / name).read_text())
    return exchanges


def recorded_headers(exchange: dict[str, Any]) -> dict[str, str]:
    """The recorded response headers as text (a few are stored as JSON numbers)."""
    return {k: str(v) for k, v in exchange["headers"].items() if k not in _DROPPED}


def _split(path: str) -> tuple[str, list[tuple[str, str]]]:
    """A recorded path as (path, sorted query pairs): ``%20`` and ``+`` both mean a space."""
    base, _, query = path.partition("?")
    return base, sorted(parse_qsl(query, keep_blank_values=True))


def _body(exchange: dict[str, Any]) -> bytes:
    response = exchange["response"]
    if response in ("", None):
        return b""
    return json.dumps(response).encode()


@dataclass
class Replay:
    exchanges: list[dict[str, Any]]
    loose: bool = False
    requests: list[httpx.Request] = field(default_factory=list)

    def _find(self, request: httpx.Request) -> dict[str, Any]:
        method = request.method.lower()
        sent = (request.url.path, sorted(request.url.params.multi_items()))
        for exchange in self.exchanges:
            if exchange["method"] == method and _split(exchange["path"]) == sent:
                return exchange
        if self.loose:
            for exchange in self.exchanges:
                if exchange["method"] == method and _split(exchange["path"])[0] == sent[0]:
                    return exchange
        raise AssertionError(f"no recorded exchange for {request.method} {request.url}")

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert f"{request.url.scheme}://{request.url.host}:443" == self.exchanges[0]["scope"]
        exchange = self._find(request)
        if exchange["body"]:
            assert json.loads(request.content) == exchange["body"]
        return httpx.Response(
            exchange["status"], headers=recorded_headers(exchange), content=_body(exchange)
        )

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


def replay(name: str, *, loose: bool = False) -> Replay:
    return Replay(load(name), loose=loose)

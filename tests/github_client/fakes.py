"""Small scripted GitHub servers for httpx.MockTransport, and a sleep that only records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

API = "https://api.github.com"
RESET = 1741006800  # 2025-03-03T13:00:00Z


def rate_headers(remaining: int, limit: int = 5000) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-used": str(limit - remaining),
        "x-ratelimit-reset": str(RESET),
        "x-ratelimit-resource": "core",
    }


def error(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> httpx.Response:
    body = {"message": message, "documentation_url": "https://docs.github.com/rest"} | extra
    return httpx.Response(status, json=body, headers=rate_headers(4000) | (headers or {}))


@dataclass
class EtagServer:
    """Serves JSON documents by path with weak ETags, free 304s and Link pagination, like
    GitHub: ``pages[path]`` is a list of pages (one element: no Link)."""

    pages: dict[str, list[Any]]
    remaining: int = 5000
    requests: list[httpx.Request] = field(default_factory=list)

    def etag(self, body: bytes) -> str:
        return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        pages = self.pages.get(request.url.path)
        if pages is None:
            return error(404, "Not Found")
        number = int(request.url.params.get("page", "1"))
        body = json.dumps(pages[number - 1]).encode()
        etag = self.etag(body)
        headers = {"etag": etag}
        if number < len(pages):
            url = request.url.copy_set_param("page", str(number + 1))
            headers["link"] = f'<{url}>; rel="next"'
        if request.headers.get("if-none-match") == etag:
            # No Link on the 304: the client must remember it.
            return httpx.Response(304, headers=rate_headers(self.remaining) | {"etag": etag})
        self.remaining -= 1
        return httpx.Response(
            200,
            content=body,
            headers=rate_headers(self.remaining) | headers | {"content-type": "application/json"},
        )

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


@dataclass
class Script:
    """Answers requests in turn: each step is a response or an exception to raise."""

    steps: list[httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]]
    requests: list[httpx.Request] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps[min(len(self.requests), len(self.steps)) - 1]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


@dataclass
class Sleeps:
    """An injectable ``sleep`` that records the delays and returns at once."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def sequence(*values: float) -> Callable[[], float]:
    """An injectable ``random`` giving ``values`` in turn (then the last one forever)."""
    it: Iterator[float] = iter(values)
    last = [values[-1]]

    def draw() -> float:
        last[0] = next(it, last[0])
        return last[0]

    return draw

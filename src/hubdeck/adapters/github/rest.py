"""The HTTP half of the GitHub client: conditional GETs, retries, pagination, error mapping.

``RestClient`` speaks GitHub's REST conventions and returns decoded JSON; ``GitHubClient``
(client.py) builds the resource methods on it. Every GET is conditional when an ETag store is
given (a 304 costs no quota and comes back as the stored body with ``not_modified=True``);
5xx answers, timeouts and connection errors are retried with exponential backoff and full
jitter; other failures become the exceptions of ``hubdeck.core.github.errors``.
"""

from __future__ import annotations

import asyncio
import random as _random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx
import orjson
import structlog

from hubdeck import __version__
from hubdeck.adapters.github.etags import CachedAnswer, ETagStore, credential_id
from hubdeck.core.clock import Clock, SystemClock
from hubdeck.core.github.errors import (
    Forbidden,
    GitHubError,
    GitHubUnavailable,
    NotFound,
    RateLimited,
    SecondaryRateLimited,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
    ValidationFailed,
)
from hubdeck.core.github.ratelimit import (
    RateLimit,
    RefusalKind,
    classify_refusal,
    parse_rate_limit,
)

log = structlog.get_logger(__name__)

Json = Any
T = TypeVar("T")
U = TypeVar("U")
Params = Mapping[str, str | int]

USER_AGENT = f"HubDeck/{__version__}"
# GitHub ends requests it has worked on for 10 s; 15 s of read time lets its own timeout answer
# arrive. A connect that takes 5 s means the network, not GitHub, is slow.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=15.0, pool=10.0)
# GitHub's secondary limits allow no more than 100 concurrent requests per credential; one
# process stays well under that. The rate-limit pool caps concurrency per credential.
DEFAULT_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10)
# Backoff of retried attempts: full jitter over base·2^attempt, capped, so that many workers
# hit by one GitHub incident do not come back in lockstep.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
PER_PAGE = 100  # GitHub's maximum: fewer requests per listing
# Failures worth another attempt of an idempotent request; a non-idempotent one is repeated
# only when it certainly never reached GitHub.
_RETRIED_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class GitHubResponse:
    """One answer: ``data`` is the decoded body (the stored one when ``not_modified``)."""

    url: str
    status: int
    data: Json
    etag: str | None
    rate_limit: RateLimit | None
    not_modified: bool
    next_url: str | None


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """A resource method's value with what sync needs to know about how it was fetched.

    ``not_modified``: every request was answered 304, so nothing changed since the last fetch
    with this credential and the caller may skip its work. ``truncated``: ``max_pages`` stopped
    the listing while GitHub had more.
    """

    value: T
    not_modified: bool
    rate_limit: RateLimit | None
    pages: int = 1
    truncated: bool = False

    def map(self, convert: Callable[[T], U]) -> Result[U]:
        return Result(
            convert(self.value), self.not_modified, self.rate_limit, self.pages, self.truncated
        )


def parse_links(header: str | None) -> dict[str, str]:
    """RFC 8288 ``Link``: ``<url>; rel="next", <url>; rel="last"`` → {"next": url, ...}."""
    links: dict[str, str] = {}
    for part in (header or "").split(","):
        target, _, params = part.strip().partition(";")
        target = target.strip()
        if not (target.startswith("<") and target.endswith(">")):
            continue
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel":
                for rel in value.strip().strip('"').split():
                    links[rel] = target[1:-1]
    return links


def _loads(body: bytes) -> Json:
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise UnexpectedResponse(f"the answer is not JSON ({error})") from error


class RestClient:
    def __init__(
        self,
        api_url: str = "https://api.github.com",
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        etags: ETagStore | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        limits: httpx.Limits = DEFAULT_LIMITS,
        user_agent: str = USER_AGENT,
        max_retries: int = 3,
        backoff_base: float = BACKOFF_BASE,
        backoff_cap: float = BACKOFF_CAP,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
        clock: Clock | None = None,
    ) -> None:
        # github.com's API is at the root, GitHub Enterprise Server's under /api/v3: paths are
        # appended to the base as text, never resolved against it (which would drop /api/v3).
        self._base = api_url.rstrip("/")
        self._origin = httpx.URL(self._base).copy_with(path="/", query=None, fragment=None)
        self._etags = etags
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._sleep = sleep
        self._random = random
        self._clock: Clock = clock or SystemClock()
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            limits=limits,
            headers={
                "User-Agent": user_agent,
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )

    @property
    def api_url(self) -> str:
        return self._base

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying client (shared pool, timeouts, user agent), e.g. for OAuth."""
        return self._http

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- URLs --------------------------------------------------------------------------------
    def url(self, path: str, params: Params | None = None) -> str:
        """The absolute URL of an API ``path`` (``/repos/o/r``) or of a URL GitHub gave us (a
        Link target), which must be on the API's origin: the token goes wherever we send it."""
        if path.startswith(("http://", "https://")):
            target = httpx.URL(path)
            if target.copy_with(path="/", query=None, fragment=None) != self._origin:
                raise UnexpectedResponse(f"refusing to follow a URL off the API: {target.host}")
        else:
            target = httpx.URL(self._base + "/" + path.lstrip("/"))
        if params:
            target = target.copy_merge_params({k: str(v) for k, v in params.items()})
        return str(target)

    # -- requests ----------------------------------------------------------------------------
    def _headers(self, token: str | None) -> dict[str, str]:
        return {} if token is None else {"Authorization": f"Bearer {token}"}

    async def get(
        self, path: str, *, token: str | None, params: Params | None = None
    ) -> GitHubResponse:
        """GET one resource, conditionally; raise a ``GitHubError`` unless it succeeded."""
        url = self.url(path, params)
        credential = credential_id(token)
        cached = await self._etags.get(credential, "GET", url) if self._etags else None
        headers = self._headers(token)
        if cached is not None:
            headers["If-None-Match"] = cached.etag
        response = await self._send("GET", url, headers, credential)
        rate_limit = parse_rate_limit(response.headers)
        if response.status_code == 304 and cached is not None:
            if self._etags is not None:  # keep what is still polled from expiring
                await self._etags.put(credential, "GET", url, cached)
            link = response.headers.get("link") or cached.link
            return GitHubResponse(
                url, 304, _loads(cached.body), cached.etag, rate_limit, True, self._next(link)
            )
        if not response.is_success:
            raise self._error(response, rate_limit)
        etag = response.headers.get("etag")
        link = response.headers.get("link")
        data = _loads(response.content)
        if self._etags is not None and etag and response.status_code == 200:
            await self._etags.put(
                credential, "GET", url, CachedAnswer(etag, response.content, link)
            )
        return GitHubResponse(
            url, response.status_code, data, etag, rate_limit, False, self._next(link)
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        json: Json = None,
        params: Params | None = None,
    ) -> GitHubResponse:
        """Any other request (a write), unconditional; errors as for ``get``."""
        url = self.url(path, params)
        response = await self._send(
            method.upper(), url, self._headers(token), credential_id(token), json=json
        )
        rate_limit = parse_rate_limit(response.headers)
        if not response.is_success:
            raise self._error(response, rate_limit)
        return GitHubResponse(
            url,
            response.status_code,
            _loads(response.content),
            response.headers.get("etag"),
            rate_limit,
            False,
            self._next(response.headers.get("link")),
        )

    def _next(self, link: str | None) -> str | None:
        target = parse_links(link).get("next")
        return None if target is None else self.url(target)

    async def _send(
        self, method: str, url: str, headers: dict[str, str], credential: str, json: Json = None
    ) -> httpx.Response:
        """Send, retrying what is worth retrying: 5xx answers and transport failures of
        idempotent methods; for the others only failures to connect (nothing was sent)."""
        idempotent = method in _IDEMPOTENT
        retried = _RETRIED_ERRORS if idempotent else _NOT_SENT_ERRORS
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    method, url, headers=headers, json=json, follow_redirects=method == "GET"
                )
            except retried as error:
                if attempt >= self._max_retries:
                    raise GitHubUnavailable(
                        f"{method} {url} failed {attempt + 1} times: {type(error).__name__}"
                    ) from error
                problem = type(error).__name__
            except httpx.TransportError as error:
                raise GitHubUnavailable(f"{method} {url}: {type(error).__name__}") from error
            else:
                if response.status_code < 500 or not idempotent:
                    return response
                if attempt >= self._max_retries:
                    return response
                problem = f"HTTP {response.status_code}"
            delay = self._random() * min(self._backoff_cap, self._backoff_base * 2**attempt)
            log.warning(
                "github.retry",
                method=method,
                url=url,
                credential=credential,
                problem=problem,
                attempt=attempt + 1,
                delay=round(delay, 3),
            )
            await self._sleep(delay)
            attempt += 1

    def _error(self, response: httpx.Response, rate_limit: RateLimit | None) -> GitHubError:
        status = response.status_code
        try:
            body = orjson.loads(response.content) if response.content else None
        except orjson.JSONDecodeError:
            body = None  # a proxy's HTML error page, a truncated answer
        if not isinstance(body, dict):
            body = {}
        message = str(body.get("message") or response.reason_phrase or f"HTTP {status}")
        docs = body.get("documentation_url")
        common: dict[str, Any] = {
            "status": status,
            "documentation_url": docs if isinstance(docs, str) else None,
            "rate_limit": rate_limit,
        }
        if status == 401:
            return Unauthorized(message, **common)
        if status in (403, 429):
            refusal = classify_refusal(status, response.headers, message, self._clock.now())
            if refusal.kind is RefusalKind.primary and refusal.rate_limit is not None:
                del common["rate_limit"]
                return RateLimited(message, rate_limit=refusal.rate_limit, **common)
            if refusal.kind is RefusalKind.secondary:
                return SecondaryRateLimited(
                    message, retry_after=refusal.retry_after or 0.0, **common
                )
            return Forbidden(message, **common)
        if status == 404:
            return NotFound(message, **common)
        if status == 422:
            errors = body.get("errors")
            found = [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
            return ValidationFailed(message, errors=found, **common)
        if status >= 500:
            return ServerError(message, **common)
        return GitHubError(message, **common)

    # -- pagination --------------------------------------------------------------------------
    async def pages(
        self,
        path: str,
        *,
        token: str | None,
        params: Params | None = None,
        max_pages: int | None = None,
    ) -> AsyncIterator[GitHubResponse]:
        """Each page of a listing, following ``Link: rel="next"``, at most ``max_pages``.
        ``path`` may also be a URL GitHub gave (a Link target), taken as it is."""
        resumed = path.startswith(("http://", "https://"))
        defaults: dict[str, str | int] = {} if resumed else {"per_page": PER_PAGE}
        url: str | None = self.url(path, {**defaults, **(params or {})})
        seen: set[str] = set()
        while url is not None and (max_pages is None or len(seen) < max_pages):
            if url in seen:
                raise UnexpectedResponse("pagination went back to a page it had already given")
            seen.add(url)
            page = await self.get(url, token=token)
            yield page
            url = page.next_url

    async def collect(
        self,
        path: str,
        *,
        token: str | None,
        params: Params | None = None,
        max_pages: int | None = None,
        items_key: str | None = None,
    ) -> Result[list[Json]]:
        """Every item of a listing. ``items_key`` names the list inside an object answer
        (``workflow_runs`` of ``{"total_count": ..., "workflow_runs": [...]}``)."""
        items: list[Json] = []
        count, unchanged = 0, True
        last: GitHubResponse | None = None
        async for page in self.pages(path, token=token, params=params, max_pages=max_pages):
            data = (
                page.data.get(items_key) if items_key and isinstance(page.data, dict) else page.data
            )
            if not isinstance(data, list):
                raise UnexpectedResponse(f"expected a list of items from {path}")
            items.extend(data)
            count += 1
            unchanged = unchanged and page.not_modified
            last = page
        return Result(
            items,
            not_modified=unchanged and count > 0,
            rate_limit=last.rate_limit if last else None,
            pages=count,
            truncated=last is not None and last.next_url is not None,
        )

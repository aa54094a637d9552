"""The REST plumbing every API route shares: authentication, secondary and primary rate
limits, GitHub's headers, weak ETags with free 304s, Link pagination, and GitHub's error bodies.

A route is a function ``(ApiContext) -> Reply`` registered with ``get(path, handler)``; it may
raise ``ApiError``. Everything else happens here, in this order:

    credentials (401) → secondary limits (403/429 + retry-after) → artificial latency →
    primary limit (403 when exhausted) → handler → ETag/304 (304 costs nothing) → quota → headers
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .models import Repository, User
from .ratelimit import Bucket
from .state import Token

if TYPE_CHECKING:
    from .app import Simulator

T = TypeVar("T")

DOCS = "https://docs.github.com/rest"
EXPOSE = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, "
    "X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, "
    "X-GitHub-Request-Id, Deprecation, Sunset"
)
JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, body.get("message"))
        self.status = status
        self.body = body
        self.headers = headers or {}


def not_found() -> ApiError:
    return ApiError(404, {"message": "Not Found", "documentation_url": DOCS})


def requires_authentication(docs: str = DOCS) -> ApiError:
    return ApiError(401, {"message": "Requires authentication", "documentation_url": docs})


def validation_failed(resource: str, field_name: str, value: str, docs: str = DOCS) -> ApiError:
    error = {"value": value, "resource": resource, "field": field_name, "code": "invalid"}
    return ApiError(
        422, {"message": "Validation Failed", "errors": [error], "documentation_url": docs}
    )


def parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ApiContext:
    request: Request
    sim: Simulator
    token: Token | None
    viewer: User | None
    link: str | None = None

    @property
    def login(self) -> str | None:
        return self.viewer.login if self.viewer else None

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.token.scopes if self.token else ()

    def param(self, name: str) -> str:
        return str(self.request.path_params[name])

    def query(self, name: str, default: str | None = None) -> str | None:
        return self.request.query_params.get(name, default)

    def choice(self, name: str, allowed: Sequence[str], default: str, resource: str) -> str:
        value = self.request.query_params.get(name, default)
        if value not in allowed:
            raise validation_failed(resource, name, value)
        return value

    def since(self, name: str = "since", resource: str = "Issue") -> datetime | None:
        value = self.request.query_params.get(name)
        if value is None:
            return None
        parsed = parse_time(value)
        if parsed is None:
            raise validation_failed(resource, name, value)
        return parsed

    def repo(self) -> Repository:
        """The ``{owner}/{repo}`` of the path, or 404 if missing or not visible to the viewer."""
        repo = self.sim.store.repo_by_name(self.param("owner"), self.param("repo"))
        if repo is None or not self.sim.store.can_see(repo, self.login, self.scopes):
            raise not_found()
        return repo

    def require_viewer(self, docs: str = DOCS) -> User:
        if self.viewer is None:
            raise requires_authentication(docs)
        return self.viewer

    def paginate(self, items: Sequence[T], link_path: str | None = None) -> list[T]:
        """One page of ``items`` (``per_page``/``page``); sets the Link header like GitHub."""
        config = self.sim.config
        per_page = _int(self.query("per_page"), config.page_size_default)
        per_page = min(max(per_page, 1), config.page_size_max)
        page = max(_int(self.query("page"), 1), 1)
        last = max(1, math.ceil(len(items) / per_page))
        base = str(self.request.base_url).rstrip("/")
        self.link = link_header(
            base,
            link_path or self.request.url.path,
            list(self.request.query_params.multi_items()),
            page,
            last,
        )
        return list(items[(page - 1) * per_page : page * per_page])


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def link_header(
    base: str, path: str, query: list[tuple[str, str]], page: int, last: int
) -> str | None:
    """GitHub's Link header: rel prev, next, last, first, in that order; absent for one page."""
    if last <= 1 and page <= 1:
        return None
    kept = [(k, v) for k, v in query if k != "page"]

    def url(number: int) -> str:
        return f"<{base}{path}?{urlencode([*kept, ('page', str(number))])}>"

    parts = []
    if page > 1:
        parts.append(f'{url(page - 1)}; rel="prev"')
    if page < last:
        parts.append(f'{url(page + 1)}; rel="next"')
        parts.append(f'{url(last)}; rel="last"')
    if page > 1:
        parts.append(f'{url(1)}; rel="first"')
    return ", ".join(parts)


def weak_etag(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(
        tag.strip() == "*" or tag.strip().removeprefix("W/") == wanted for tag in header.split(",")
    )


def bearer(request: Request) -> tuple[bool, str | None]:
    """(credentials given, token). Accepts ``Bearer <t>`` and ``token <t>`` like GitHub."""
    header = request.headers.get("authorization")
    if header is None:
        return False, None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() in ("bearer", "token") and value.strip():
        return True, value.strip()
    return True, None


Handler = Callable[[ApiContext], Reply]


def get(path: str, handler: Handler, *, resource: str = "core", free: bool = False) -> Route:
    async def endpoint(request: Request) -> Response:
        sim: Simulator = request.app.state.sim
        return await handle(sim, request, path, handler, resource=resource, free=free)

    return Route(path, endpoint, methods=["GET"], name=path)


async def handle(
    sim: Simulator, request: Request, route: str, handler: Handler, *, resource: str, free: bool
) -> Response:
    stats = sim.stats
    stats.request(route)
    given, value = bearer(request)
    token = sim.store.token(value) if value else None
    ip = request.client.host if request.client else "unknown"
    if given and token is None:
        bucket = sim.limiter.bucket(f"ip:{ip}", "core", authenticated=False)
        bucket.used += 1
        stats.response(401)
        return _json(
            sim,
            401,
            {"message": "Bad credentials", "documentation_url": DOCS},
            _rate_headers(bucket, "core"),
        )
    if token is not None and token.expired(sim.clock.now()):
        # An installation token past its expiry is refused like a revoked one.
        stats.response(401)
        return _json(sim, 401, {"message": "Bad credentials", "documentation_url": DOCS}, {})
    key = token.rate_key if token else f"ip:{ip}"
    secondary = sim.secondary
    if secondary.enabled:
        retry_after = secondary.admit(key)
        if retry_after is not None:
            stats.secondary_limited += 1
            stats.secondary_by_key[key] += 1
            stats.response(sim.config.secondary_status)
            bucket = sim.limiter.bucket(key, resource, authenticated=token is not None)
            body = {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again. If you reach out to GitHub Support for help, please include "
                f"the request ID {sim.request_id()}.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                "#about-secondary-rate-limits",
            }
            headers = _rate_headers(bucket, resource) | {"retry-after": str(retry_after)}
            return _json(sim, sim.config.secondary_status, body, headers)
    try:
        if sim.config.response_delay > 0:
            await asyncio.sleep(sim.config.response_delay)
        return _handle_admitted(sim, request, handler, token, key, resource, free)
    finally:
        if secondary.enabled:
            secondary.release(key)


def _handle_admitted(
    sim: Simulator,
    request: Request,
    handler: Handler,
    token: Token | None,
    key: str,
    resource: str,
    free: bool,
) -> Response:
    stats = sim.stats
    bucket = sim.limiter.bucket(key, resource, authenticated=token is not None)
    viewer = sim.store.user(token.login) if token else None
    if not free and bucket.remaining <= 0:
        stats.rate_limited += 1
        stats.primary_by_key[key] += 1
        stats.response(403)
        who = f"user ID {viewer.id}" if viewer else request.client.host if request.client else "you"
        message = f"API rate limit exceeded for {who}."
        if viewer is None:
            message += (
                " (But here's the good news: Authenticated requests get a higher rate limit. "
                "Check out the documentation for more details.)"
            )
        else:
            message += (
                " If you reach out to GitHub Support for help, please include the request ID "
                f"{sim.request_id()}."
            )
        body = {
            "message": message,
            "documentation_url": "https://docs.github.com/rest/overview/"
            "rate-limits-for-the-rest-api#about-primary-rate-limits",
        }
        return _json(sim, 403, body, _rate_headers(bucket, resource), token)
    ctx = ApiContext(request=request, sim=sim, token=token, viewer=viewer)
    try:
        reply = handler(ctx)
    except ApiError as error:
        reply = Reply(error.body, error.status, error.headers)
    content = orjson.dumps(reply.body)
    headers = dict(reply.headers)
    if reply.status == 200:
        # GitHub ties an ETag to the credential that fetched it; an installation's tokens share
        # one identity, so a refreshed token keeps its predecessor's ETags.
        identity = (token.rate_key if token else "").encode() if sim.config.etag_per_token else b""
        etag = weak_etag(content + identity)
        headers["etag"] = etag
        if etag_matches(request.headers.get("if-none-match"), etag):
            stats.not_modified += 1
            stats.response(304)
            return Response(
                status_code=304,
                headers=_rate_headers(bucket, resource) | _common(sim, token) | {"etag": etag},
            )
    if not free:
        bucket.used += 1
        stats.spend(key, bucket.limit - bucket.used)
    if ctx.link:
        headers["link"] = ctx.link
    stats.response(reply.status)
    return _json(sim, reply.status, content, _rate_headers(bucket, resource) | headers, token)


def _rate_headers(bucket: Bucket, resource: str) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(bucket.limit),
        "x-ratelimit-remaining": str(bucket.remaining),
        "x-ratelimit-reset": str(bucket.reset_at),
        "x-ratelimit-used": str(bucket.used),
        "x-ratelimit-resource": resource,
    }


def _common(sim: Simulator, token: Token | None) -> dict[str, str]:
    headers = {
        "access-control-allow-origin": "*",
        "access-control-expose-headers": EXPOSE,
        "cache-control": "private, max-age=60, s-maxage=60"
        if token
        else "public, max-age=60, s-maxage=60",
        "vary": "Accept, Authorization, Cookie, X-GitHub-OTP",
        "x-github-media-type": "github.v3; format=json",
        "x-github-api-version-selected": "2022-11-28",
        "x-github-request-id": sim.request_id(),
        "x-content-type-options": "nosniff",
        "x-frame-options": "deny",
        "x-xss-protection": "0",
        "referrer-policy": "origin-when-cross-origin, strict-origin-when-cross-origin",
        "content-security-policy": "default-src 'none'",
    }
    if token is not None:
        headers["x-oauth-scopes"] = ", ".join(token.scopes)
        headers["x-accepted-oauth-scopes"] = ""
    return headers


def _json(
    sim: Simulator, status: int, body: Any, headers: dict[str, str], token: Token | None = None
) -> Response:
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    return Response(
        content, status_code=status, headers=_common(sim, token) | headers, media_type=JSON_TYPE
    )

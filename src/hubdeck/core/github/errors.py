"""What can go wrong talking to GitHub, as the GitHub client raises it.

GitHubError                   any failure; ``status`` is None when no HTTP answer came
├── Unauthorized              401: the token is invalid, expired or revoked
├── Forbidden                 403 that is not a rate limit (missing scope, SSO, blocked)
├── RateLimited               primary limit: x-ratelimit-remaining is 0 (``reset_at``)
├── SecondaryRateLimited      403/429 with retry-after or a secondary-limit message
│                             (``retry_after`` seconds)
├── NotFound                  404 (GitHub also says 404 for what the token may not see)
├── ValidationFailed          422 (``errors``: GitHub's list of field errors)
├── ServerError               5xx, still failing after the retries
├── GitHubUnavailable         timeouts and connection errors, still failing after the retries
├── UnexpectedResponse        an answer the client cannot read (not JSON, wrong shape)
└── OAuthError                the OAuth code exchange was refused (``error``, ``description``)

Each carries the ``RateLimit`` of the answer when it had one, so the rate-limit pool learns
from failures too. Messages never contain tokens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from hubdeck.core.github.ratelimit import RateLimit


class GitHubError(Exception):
    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        documentation_url: str | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.documentation_url = documentation_url
        self.rate_limit = rate_limit

    def __str__(self) -> str:
        return self.message if self.status is None else f"{self.status}: {self.message}"


class Unauthorized(GitHubError):
    pass


class Forbidden(GitHubError):
    pass


class RateLimited(GitHubError):
    def __init__(
        self,
        message: str,
        *,
        rate_limit: RateLimit,
        status: int | None = 403,
        documentation_url: str | None = None,
    ) -> None:
        super().__init__(
            message, status=status, documentation_url=documentation_url, rate_limit=rate_limit
        )
        self.reset_at: datetime = rate_limit.reset_at


class SecondaryRateLimited(GitHubError):
    def __init__(
        self,
        message: str,
        *,
        retry_after: float,
        status: int | None = 403,
        documentation_url: str | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(
            message, status=status, documentation_url=documentation_url, rate_limit=rate_limit
        )
        self.retry_after = retry_after


class NotFound(GitHubError):
    pass


class ValidationFailed(GitHubError):
    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[Mapping[str, object]] = (),
        status: int | None = 422,
        documentation_url: str | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(
            message, status=status, documentation_url=documentation_url, rate_limit=rate_limit
        )
        self.errors: tuple[Mapping[str, object], ...] = tuple(errors)


class ServerError(GitHubError):
    pass


class GitHubUnavailable(GitHubError):
    pass


class UnexpectedResponse(GitHubError):
    pass


class OAuthError(GitHubError):
    """GitHub refused to exchange an authorization code (it answers such errors with HTTP 200
    and ``{"error": ..., "error_description": ...}``)."""

    def __init__(
        self,
        error: str,
        description: str | None = None,
        *,
        status: int | None = None,
        documentation_url: str | None = None,
    ) -> None:
        super().__init__(
            f"{error}: {description}" if description else error,
            status=status,
            documentation_url=documentation_url,
        )
        self.error = error
        self.description = description

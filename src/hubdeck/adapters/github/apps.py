"""GitHub App installation tokens: sign an RS256 JWT with the app's private key and exchange
it for an installation access token (valid an hour on GitHub)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import jwt

from hubdeck.core.github.errors import GitHubError, Unauthorized
from hubdeck.core.github.ratelimit import RateLimit

# GitHub accepts app JWTs of at most ten minutes; issuing them a minute in the past absorbs a
# small clock skew between HubDeck and GitHub, as GitHub's documentation recommends.
_JWT_LIFETIME = 540
_JWT_BACKDATE = 60


@dataclass(frozen=True, slots=True)
class InstallationToken:
    token: str
    expires_at: datetime


def app_jwt(app_id: int, private_key: str, now: float) -> str:
    claims = {"iat": int(now) - _JWT_BACKDATE, "exp": int(now) + _JWT_LIFETIME, "iss": str(app_id)}
    return jwt.encode(claims, private_key, algorithm="RS256")


def valid_private_key(private_key: str) -> bool:
    try:
        app_jwt(1, private_key, 0)
    except (ValueError, TypeError, jwt.PyJWTError):
        return False
    return True


async def installation_token(
    http: httpx.AsyncClient,
    api_url: str,
    *,
    app_id: int,
    installation_id: int,
    private_key: str,
    now: float,
) -> InstallationToken:
    """Raises ``Unauthorized`` when GitHub refuses the app (bad key, app or installation gone)."""
    url = f"{api_url.rstrip('/')}/app/installations/{installation_id}/access_tokens"
    headers = {
        "Authorization": f"Bearer {app_jwt(app_id, private_key, now)}",
        "Accept": "application/vnd.github+json",
    }
    try:
        response = await http.post(url, headers=headers)
    except httpx.TransportError as error:
        raise GitHubError(
            f"minting an installation token failed: {type(error).__name__}"
        ) from error
    if response.status_code in (401, 403, 404):
        raise Unauthorized(
            f"GitHub refused the app's installation {installation_id}", status=response.status_code
        )
    if response.status_code != 201:
        raise GitHubError(
            "unexpected answer minting an installation token", status=response.status_code
        )
    body = response.json()
    expires = datetime.fromisoformat(str(body["expires_at"]).replace("Z", "+00:00"))
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return InstallationToken(str(body["token"]), expires)


class GitHubCredentialAuthority:
    """``CredentialAuthority`` over GitHub's REST API."""

    def __init__(self, http: httpx.AsyncClient, api_url: str) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")

    async def rate_limits(self, token: str) -> list[RateLimit]:
        try:
            response = await self._http.get(
                f"{self._api_url}/rate_limit",
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
        except httpx.TransportError as error:
            raise GitHubError(f"GET /rate_limit failed: {type(error).__name__}") from error
        if response.status_code == 401:
            raise Unauthorized("Bad credentials", status=401)
        if response.status_code != 200:
            raise GitHubError("GET /rate_limit failed", status=response.status_code)
        body = response.json()
        resources = body.get("resources") if isinstance(body, dict) else None
        found: list[RateLimit] = []
        for name, bucket in (resources or {}).items():
            if not isinstance(bucket, dict):
                continue
            try:
                found.append(
                    RateLimit(
                        limit=int(bucket["limit"]),
                        remaining=int(bucket["remaining"]),
                        used=int(
                            bucket.get("used", int(bucket["limit"]) - int(bucket["remaining"]))
                        ),
                        reset=int(bucket["reset"]),
                        resource=str(name),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return found

    async def installation_token(
        self, app_id: int, installation_id: int, private_key: str, now: float
    ) -> tuple[str, float]:
        minted = await installation_token(
            self._http,
            self._api_url,
            app_id=app_id,
            installation_id=installation_id,
            private_key=private_key,
            now=now,
        )
        return minted.token, minted.expires_at.timestamp()

    def valid_private_key(self, private_key: str) -> bool:
        return valid_private_key(private_key)

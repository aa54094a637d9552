"""GitHub App installation tokens: sign an RS256 JWT with the app's private key and exchange
it for an installation access token (valid an hour on GitHub)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import jwt

from hubdeck.core.github.errors import GitHubError, Unauthorized

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

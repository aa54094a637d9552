"""The client side of GitHub's OAuth web flow: the authorize URL (with ``state`` and PKCE) and
the exchange of the returned code for a token.

GitHub's token endpoint lives on the web host (``https://github.com`` or the GitHub Enterprise
Server host), not on the API, and answers refusals with HTTP 200 and an ``error`` field.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
import orjson

from hubdeck.core.github.errors import GitHubUnavailable, OAuthError, ServerError


def code_challenge(verifier: str) -> str:
    """PKCE's S256 challenge of ``verifier`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(
    web_url: str,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_verifier: str,
    scope: str = "read:user read:org repo",
) -> str:
    """Where to send the browser to sign in."""
    query = urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": code_challenge(code_verifier),
            "code_challenge_method": "S256",
        }
    )
    return f"{web_url.rstrip('/')}/login/oauth/authorize?{query}"


@dataclass(frozen=True, slots=True)
class OAuthToken:
    """A user's token; its secret parts stay out of ``repr`` (and so out of logs)."""

    access_token: str = field(repr=False)
    token_type: str = "bearer"  # noqa: S105 (a scheme name, not a secret)
    scopes: tuple[str, ...] = ()
    # Only GitHub Apps with expiring user tokens send these two.
    refresh_token: str | None = field(default=None, repr=False)
    expires_in: int | None = None


async def exchange_code(
    http: httpx.AsyncClient,
    *,
    web_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    code_verifier: str,
    redirect_uri: str,
) -> OAuthToken:
    """POST the code to ``{web_url}/login/oauth/access_token``; raise ``OAuthError`` when
    GitHub refuses (``bad_verification_code``, ``incorrect_client_credentials``,
    ``redirect_uri_mismatch``…).

    Not retried: a code is single-use, so a retry after GitHub saw the first attempt would
    fail anyway, and the user can simply sign in again.
    """
    url = f"{web_url.rstrip('/')}/login/oauth/access_token"
    form = {
        "client_id": client_id,
        "client_secret": client_secret,
        "code": code,
        "code_verifier": code_verifier,
        "redirect_uri": redirect_uri,
    }
    try:
        response = await http.post(url, data=form, headers={"Accept": "application/json"})
    except httpx.TransportError as error:
        raise GitHubUnavailable(f"POST {url}: {type(error).__name__}") from error
    if response.status_code >= 500:
        raise ServerError("the OAuth token endpoint failed", status=response.status_code)
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise OAuthError(
            "invalid_response", "the answer is not a JSON object", status=response.status_code
        )
    if body.get("error"):
        uri = body.get("error_uri")
        raise OAuthError(
            str(body["error"]),
            str(body.get("error_description") or "") or None,
            status=response.status_code,
            documentation_url=uri if isinstance(uri, str) else None,
        )
    token = body.get("access_token")
    if response.status_code != 200 or not isinstance(token, str) or not token:
        raise OAuthError(
            "invalid_response", "no access_token in the answer", status=response.status_code
        )
    scope = body.get("scope")
    expires_in = body.get("expires_in")
    refresh = body.get("refresh_token")
    return OAuthToken(
        access_token=token,
        token_type=str(body.get("token_type") or "bearer"),
        scopes=tuple(s for s in str(scope or "").replace(",", " ").split() if s),
        refresh_token=refresh if isinstance(refresh, str) else None,
        expires_in=expires_in if isinstance(expires_in, int) else None,
    )

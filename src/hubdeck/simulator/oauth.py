"""GitHub's OAuth web flow, with PKCE (S256), single-use expiring codes and GitHub's errors.

``GET /login/oauth/authorize`` shows every seeded person as a "Sign in as <login>" link; the
link is the same URL plus ``login=<login>``, which issues a code and redirects to
``redirect_uri?code=...&state=...``. ``POST /login/oauth/access_token`` exchanges it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Route

if TYPE_CHECKING:
    from .app import Simulator

TROUBLESHOOTING = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors"
ERRORS = {
    "incorrect_client_credentials": (
        "The client_id and/or client_secret passed are incorrect.",
        "/#incorrect-client-credentials",
    ),
    "redirect_uri_mismatch": (
        "The redirect_uri MUST match the registered callback URL for this application.",
        "/#redirect-uri-mismatch2",
    ),
    "bad_verification_code": (
        "The code passed is incorrect or expired.",
        "/#bad-verification-code",
    ),
}
# A PKCE mismatch: GitHub documents no separate error, so it is a bad_verification_code whose
# description names the cause.
PKCE_MISMATCH = "The code_verifier does not match the code_challenge of this code."


@dataclass(slots=True)
class Grant:
    code: str
    client_id: str
    login: str
    redirect_uri: str | None
    scopes: tuple[str, ...]
    code_challenge: str | None
    expires_at: datetime
    used: bool = False


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


class OAuthServer:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.grants: dict[str, Grant] = {}

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/login/oauth/authorize", self.authorize, methods=["GET"]),
            Route("/login/oauth/access_token", self.access_token, methods=["POST"]),
        ]

    # -- authorize ---------------------------------------------------------------------------
    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        app = self.sim.config.oauth_app(query.get("client_id", ""))
        if app is None:
            return HTMLResponse("<h1>404 Not Found</h1><p>Unknown client_id.</p>", status_code=404)
        redirect_uri = query.get("redirect_uri") or app.callback_url
        if redirect_uri is None:
            return HTMLResponse(
                "<h1>400</h1><p>No redirect_uri and no callback URL registered.</p>", 400
            )
        state = query.get("state")
        if app.callback_url is not None and not redirect_uri.startswith(app.callback_url):
            error = {
                "error": "redirect_uri_mismatch",
                "error_description": ERRORS["redirect_uri_mismatch"][0],
                "error_uri": TROUBLESHOOTING + ERRORS["redirect_uri_mismatch"][1],
            }
            return RedirectResponse(
                _with_query(app.callback_url, error | ({"state": state} if state else {})), 302
            )
        challenge = query.get("code_challenge")
        if challenge is not None and query.get("code_challenge_method", "plain") != "S256":
            error = {
                "error": "invalid_request",
                "error_description": "code_challenge_method must be S256",
            }
            return RedirectResponse(
                _with_query(redirect_uri, error | ({"state": state} if state else {})), 302
            )
        if query.get("deny"):
            error = {
                "error": "access_denied",
                "error_description": "The user has denied your application access.",
            }
            return RedirectResponse(
                _with_query(redirect_uri, error | ({"state": state} if state else {})), 302
            )
        login = query.get("login")
        if login is None:
            return self._chooser(request, app.client_id)
        user = self.sim.store.user(login)
        if user is None or user.type != "User":
            return HTMLResponse("<h1>422</h1><p>Unknown user.</p>", status_code=422)
        scopes = tuple(s for s in query.get("scope", "").replace(",", " ").split() if s)
        grant = Grant(
            code=secrets.token_hex(10),
            client_id=app.client_id,
            login=user.login,
            redirect_uri=query.get("redirect_uri"),
            scopes=scopes,
            code_challenge=challenge,
            expires_at=self.sim.clock.now()
            + timedelta(seconds=self.sim.config.oauth_code_ttl_seconds),
        )
        self.grants[grant.code] = grant
        params = {"code": grant.code} | ({"state": state} if state is not None else {})
        return RedirectResponse(_with_query(redirect_uri, params), status_code=302)

    def _chooser(self, request: Request, client_id: str) -> Response:
        base = [(k, v) for k, v in request.query_params.multi_items() if k not in ("login", "deny")]
        items = []
        for user in self.sim.store.humans():
            href = html.escape(
                f"/login/oauth/authorize?{urlencode([*base, ('login', user.login)])}"
            )
            role = "member" if user.member else "outside"
            items.append(
                f'<li class="{role}"><a class="login" data-login="{html.escape(user.login)}" '
                f'href="{href}">Sign in as {html.escape(user.login)}</a> '
                f"<small>{html.escape(user.name)} ({role})</small></li>"
            )
        deny = html.escape(f"/login/oauth/authorize?{urlencode([*base, ('deny', '1')])}")
        page = (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<title>Sign in · GitHub simulator</title>"
            "</head><body><h1>GitHub simulator</h1>"
            f"<p>Authorize <strong>{html.escape(client_id)}</strong> as:</p>"
            f"<ul>{''.join(items)}</ul>"
            f'<p><a class="deny" href="{deny}">Cancel</a></p></body></html>'
        )
        return HTMLResponse(page)

    # -- access token ------------------------------------------------------------------------
    async def _params(self, request: Request) -> dict[str, str]:
        params = dict(request.query_params)
        body = await request.body()
        if not body:
            return params
        content_type = request.headers.get("content-type", "")
        if "json" in content_type:
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError:
                return params
            if isinstance(data, dict):
                params |= {str(k): str(v) for k, v in data.items() if v is not None}
        else:
            params |= dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return params

    async def access_token(self, request: Request) -> Response:
        params = await self._params(request)
        wants_json = "application/json" in request.headers.get("accept", "")
        app = self.sim.config.oauth_app(params.get("client_id", ""))
        if app is None or not secrets.compare_digest(
            app.client_secret, params.get("client_secret", "")
        ):
            return self._error("incorrect_client_credentials", wants_json)
        grant = self.grants.get(params.get("code", ""))
        if (
            grant is None
            or grant.used
            or grant.client_id != app.client_id
            or self.sim.clock.now() >= grant.expires_at
        ):
            return self._error("bad_verification_code", wants_json)
        grant.used = True  # single use, whatever happens next
        redirect_uri = params.get("redirect_uri")
        if redirect_uri and grant.redirect_uri and redirect_uri != grant.redirect_uri:
            return self._error("redirect_uri_mismatch", wants_json)
        if grant.code_challenge is not None:
            verifier = params.get("code_verifier", "")
            if not verifier or not secrets.compare_digest(s256(verifier), grant.code_challenge):
                return self._error("bad_verification_code", wants_json, PKCE_MISMATCH)
        token = self.sim.store.issue_token(
            grant.login, grant.scopes, now=self.sim.clock.now(), prefix="gho_"
        )
        body = {
            "access_token": token.value,
            "token_type": "bearer",
            "scope": ",".join(grant.scopes),
        }
        if wants_json:
            return JSONResponse(body)
        return PlainTextResponse(urlencode(body), media_type="application/x-www-form-urlencoded")

    @staticmethod
    def _error(code: str, wants_json: bool, detail: str | None = None) -> Response:
        description, anchor = ERRORS[code]
        description = detail or description
        body = {
            "error": code,
            "error_description": description,
            "error_uri": TROUBLESHOOTING + anchor,
        }
        # GitHub answers token-exchange errors with 200 and the error in the body.
        if wants_json:
            return JSONResponse(body, status_code=200)
        return PlainTextResponse(urlencode(body), media_type="application/x-www-form-urlencoded")

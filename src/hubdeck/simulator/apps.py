"""GitHub Apps: registrations with a public key, installations on the organization, and
installation access tokens minted from an RS256 JWT signed by the app's private key.

``POST /app/installations/{id}/access_tokens`` checks the JWT like GitHub does (``iss`` is the
app id, ``exp`` no more than ten minutes ahead) and answers ``{token, expires_at}``. An
installation's tokens act as the app's bot user, see every repository of the account the app is
installed on, and share one core quota (``installation_rate_limit_per_hour``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .api import DOCS, bearer
from .models import User, iso

if TYPE_CHECKING:
    from .app import Simulator

_APP_ID_BASE = 310_000
_INSTALLATION_ID_BASE = 45_000_000
# GitHub refuses app JWTs that expire more than ten minutes after they were issued.
_MAX_JWT_LIFETIME = 600


@dataclass(slots=True)
class App:
    id: int
    slug: str
    public_key: str
    installations: list[int] = field(default_factory=list)

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"


@dataclass(slots=True)
class Installation:
    id: int
    app_id: int
    account: str
    suspended: bool = False


def generate_private_key() -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh 2048-bit RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class AppRegistry:
    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self.apps: dict[int, App] = {}
        self.installations: dict[int, Installation] = {}

    def register(self, slug: str, public_key: str) -> App:
        app = App(_APP_ID_BASE + len(self.apps) + 1, slug, public_key)
        self.apps[app.id] = app
        store = self._sim.store
        if store.user(app.bot_login) is None:
            store.add_user(
                User(
                    id=store.next_id("user"),
                    login=app.bot_login,
                    name=app.slug,
                    type="Bot",
                    email=None,
                    created_at=self._sim.clock.now(),
                )
            )
        return app

    def install(self, app: App, account: str) -> Installation:
        installation = Installation(
            _INSTALLATION_ID_BASE + len(self.installations) + 1, app.id, account
        )
        self.installations[installation.id] = installation
        app.installations.append(installation.id)
        self._sim.store.installation_bots.setdefault(app.bot_login.lower(), set()).add(
            account.lower()
        )
        return installation

    def mint(self, installation: Installation) -> tuple[str, str]:
        """A new installation token: (value, expires_at ISO)."""
        sim = self._sim
        app = self.apps[installation.app_id]
        now = sim.clock.now()
        expires = now + timedelta(seconds=sim.config.installation_token_ttl)
        token = sim.store.issue_token(
            app.bot_login, ("repo",), now=now, prefix="ghs_", value="ghs_" + secrets.token_hex(18)
        )
        token.installation_id = installation.id
        token.expires_at = expires
        return token.value, iso(expires) or ""

    def verify(self, encoded: str) -> App | None:
        """The app whose key signed ``encoded``, or None (bad signature, expired, too long)."""
        try:
            unverified = jwt.decode(encoded, options={"verify_signature": False})
            app = self.apps.get(int(unverified.get("iss", 0)))
        except (jwt.PyJWTError, TypeError, ValueError):
            return None
        if app is None:
            return None
        try:
            claims = jwt.decode(
                encoded,
                app.public_key,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"], "verify_iat": False},
                leeway=60,
            )
        except jwt.PyJWTError:
            return None
        if int(claims["exp"]) - int(claims["iat"]) > _MAX_JWT_LIFETIME + 60:
            return None
        return app


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse({"message": message, "documentation_url": DOCS}, status_code=401)


async def access_tokens(request: Request) -> Response:
    sim: Simulator = request.app.state.sim
    sim.stats.request("/app/installations/{installation_id}/access_tokens")
    _, value = bearer(request)
    app = sim.apps.verify(value) if value else None
    if app is None:
        sim.stats.response(401)
        return _unauthorized("A JSON web token could not be decoded")
    try:
        installation = sim.apps.installations.get(int(request.path_params["installation_id"]))
    except ValueError:
        installation = None
    if installation is None or installation.app_id != app.id or installation.suspended:
        sim.stats.response(404)
        return JSONResponse({"message": "Not Found", "documentation_url": DOCS}, status_code=404)
    token, expires_at = sim.apps.mint(installation)
    sim.stats.response(201)
    return JSONResponse(
        {
            "token": token,
            "expires_at": expires_at,
            "permissions": {"contents": "read", "metadata": "read", "pull_requests": "read"},
            "repository_selection": "all",
        },
        status_code=201,
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/app/installations/{installation_id}/access_tokens", access_tokens, methods=["POST"])
    ]

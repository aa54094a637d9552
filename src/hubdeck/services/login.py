"""Sign in with GitHub: the OAuth web flow with ``state`` and PKCE, then a server-side session."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import orjson

from hubdeck.core.clock import Clock
from hubdeck.core.errors import InvalidInput, Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.errors import Unauthorized as GitHubUnauthorized
from hubdeck.core.github.models import Account
from hubdeck.core.pool.context import acting
from hubdeck.core.pool.model import Need, Priority
from hubdeck.core.users import Role, User
from hubdeck.ports import Fetched, GitHubAPI, KeyValue, SecretBox, TeamStore, TokenStore, UserStore
from hubdeck.services.auth import Authenticator
from hubdeck.services.events import EventBus

# Long enough to find the right account on GitHub's page, short enough that a leaked state is
# useless soon after.
_FLOW_TTL = 600.0


@dataclass(frozen=True, slots=True)
class LoginStart:
    state: str
    code_verifier: str


@dataclass(frozen=True, slots=True)
class LoginDone:
    user: User
    session_id: str
    next_path: str


@dataclass(frozen=True, slots=True)
class OAuthApp:
    web_url: str
    client_id: str
    client_secret: str
    redirect_uri: str


class LoginService:
    def __init__(
        self,
        github: GitHubAPI,
        app: OAuthApp,
        flows: KeyValue,
        users: UserStore,
        tokens: TokenStore,
        box: SecretBox,
        auth: Authenticator,
        teams: TeamStore,
        bus: EventBus,
        clock: Clock,
    ) -> None:
        self._teams = teams
        self._bus = bus
        self._clock = clock
        self._github = github
        self._app = app
        self._flows = flows
        self._users = users
        self._tokens = tokens
        self._box = box
        self._auth = auth
        # Set by the composition root: GitHub withdrew HubDeck's authorization, so every session
        # of the user ends (on every device, at once).
        self.on_authorization_revoked: Callable[[int], Awaitable[object]] | None = None

    async def start(self, next_path: str) -> LoginStart:
        state = secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(48)  # 64 characters, within PKCE's 43..128
        flow = {"verifier": verifier, "next": safe_next(next_path)}
        await self._flows.set(f"oauth:{state}", orjson.dumps(flow), ttl=_FLOW_TTL)
        return LoginStart(state=state, code_verifier=verifier)

    async def finish(
        self, code: str, state: str, *, user_agent: str | None, ip: str | None
    ) -> LoginDone:
        key = f"oauth:{state}"
        raw = await self._flows.get(key)
        # Deleting is the claim: of two callbacks with one state, only one gets past here.
        if raw is None or not await self._flows.delete(key):
            raise InvalidInput("this sign-in link has expired or was used; start again")
        flow = orjson.loads(raw)
        token = await self._github.exchange_code(
            self._app.web_url,
            self._app.client_id,
            self._app.client_secret,
            code,
            flow["verifier"],
            self._app.redirect_uri,
        )
        account = (await self._github.get_authenticated_user(token.access_token)).value
        user = await self._users.upsert_github(account.id, account.login, None, account.avatar_url)
        await self.remember_token(user.id, token.access_token, " ".join(token.scopes))
        await self._join_organization_teams(user.id, token.access_token)
        seen = await self._auth.user_agents_seen(user.id)
        session_id = await self._auth.sign_in(user.id, user_agent=user_agent, ip=ip)
        await self._bus.publish(
            [
                DomainEvent(
                    type="session.created",
                    occurred_at=self._clock.now(),
                    actor=account.login,
                    subject=account.login,
                    data={
                        "user_id": user.id,
                        # A device is new when this account has signed in before, never from it.
                        "new_device": bool(seen) and user_agent not in seen,
                        "user_agent": user_agent,
                        "ip": ip,
                    },
                )
            ]
        )
        return LoginDone(user=user, session_id=session_id, next_path=flow["next"])

    async def _join_organization_teams(self, user_id: int, token: str) -> None:
        """A team adopted for a GitHub organization takes in that organization's members as
        they sign in (GitHub, asked with their own token, vouches for the membership)."""
        orgs = (await self._github.list_user_orgs(token=token, max_pages=5)).value
        for org in orgs:
            for team_id in await self._teams.teams_for_org(org.login):
                await self._teams.add_member(team_id, user_id, Role.member)

    async def github_account(self, token: str) -> Fetched[Account]:
        return await self._github.get_authenticated_user(token)

    async def remember_token(self, user_id: int, token: str, scopes: str = "") -> None:
        await self._tokens.save(user_id, self._box.encrypt(token), scopes)

    async def organizations_of(self, user_id: int) -> set[str]:
        """Logins of the GitHub organizations the user belongs to, asked with their token."""
        own = Need(None, user_id, own=True, purpose="login", priority=Priority.interactive)
        with acting(own):
            async with self.on_behalf_of(user_id) as token:
                orgs = (await self._github.list_user_orgs(token=token, max_pages=5)).value
        return {org.login.lower() for org in orgs}

    @asynccontextmanager
    async def on_behalf_of(self, user_id: int) -> AsyncIterator[str]:
        """The user's token for GitHub calls made for them; a token GitHub refuses (revoked,
        or the app's authorization withdrawn) is marked invalid and the user must sign in."""
        token = await self.token_of(user_id)
        try:
            yield token
        except GitHubUnauthorized:
            await self.token_revoked(user_id)
            raise Unauthenticated("GitHub no longer accepts your sign-in; sign in again") from None

    async def token_of(self, user_id: int) -> str:
        """The user's own GitHub token, for requests made on their behalf."""
        encrypted = await self._tokens.get(user_id)
        if encrypted is None:
            raise Unauthenticated("GitHub access was revoked; sign in again")
        return self._box.decrypt(encrypted)

    async def token_revoked(self, user_id: int) -> None:
        """GitHub refused the token (401): stop using it; the user must sign in again."""
        await self._tokens.invalidate(user_id)
        if self.on_authorization_revoked is not None:
            await self.on_authorization_revoked(user_id)


def safe_next(path: str) -> str:
    """Only a local path: an open redirect to another site would make HubDeck a phishing aid."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path

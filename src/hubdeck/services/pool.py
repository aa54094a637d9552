"""The rate-limit pool (ARCHITECTURE §7): every GitHub request HubDeck makes for a team goes
through ``PoolService.execute``.

For each request: find the credentials that may serve it (``core.pool.eligibility``), join an
identical GET already in flight if there is one (coalescing), else wait for a reservation in
fair order (``core.pool.fairness``: interactive first, then round-robin between users and
their repositories), preferring the credential that holds the resource's ETag (token affinity:
its 304 is free). The answer's ``x-ratelimit-*`` headers correct the shared estimate; a 401
takes the credential out of the pool at once and tells its owner; a secondary limit cools the
credential down and the request moves to another one; an exhausted pool waits for the earliest
reset instead of sending requests GitHub would refuse.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog

from hubdeck.core.clock import Clock
from hubdeck.core.errors import InvalidInput, NotFound, Unauthenticated
from hubdeck.core.events import DomainEvent
from hubdeck.core.github.errors import (
    GitHubError,
    RateLimited,
    SecondaryRateLimited,
    Unauthorized,
)
from hubdeck.core.github.ratelimit import DEFAULT_SECONDARY_WAIT
from hubdeck.core.pool.attempt import Attempt, Lease, Outcome
from hubdeck.core.pool.eligibility import eligible
from hubdeck.core.pool.fairness import FairQueue
from hubdeck.core.pool.forecast import dry_at
from hubdeck.core.pool.model import (
    BUCKETS,
    Credential,
    CredentialKind,
    Need,
    PoolLimits,
    Priority,
    Reach,
)
from hubdeck.ports import (
    ChannelStream,
    CredentialAuthority,
    GitHubStore,
    Grant,
    KeyValue,
    PoolCredentialStore,
    QuotaView,
    RatePool,
    SecretBox,
    StoredCredential,
    TeamStore,
    UserStore,
)

log = structlog.get_logger(__name__)

# Below this share of the team's shared quota left, owners hear that the pool is running low.
LOW_SHARE = 0.10
# How long a resource keeps to the credential that last fetched it (the ETag store's lifetime).
AFFINITY_TTL = 24 * 3600.0
# A dispatcher with nothing to go on looks again this often: reservations released by another
# process are not announced.
POLL = 0.05
# Attempts of one request on different credentials (401s, secondary limits, exhausted ones).
MAX_ATTEMPTS = 4
# Installation tokens are refreshed when this share of their lifetime is left (GitHub: an hour,
# so with ten minutes to spare).
REFRESH_SHARE = 0.17
# A credential whose quota could not be learned (no token, GitHub unreachable) is not asked
# again for this long.
UNPROBEABLE_FOR = 10.0
_TEAM_CACHE_TTL = 5.0
_SECRET_TTL = 30.0
_CHECK_EVERY = 2.0


@dataclass
class _Ticket:
    need: Need
    candidates: list[str]
    prefer: str | None
    future: asyncio.Future[Grant]
    enqueued: float

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


@dataclass
class PoolCounters:
    """This process's figures since start (the bench and the page read them)."""

    requests: int = 0
    paid: int = 0
    not_modified: int = 0
    coalesced: int = 0
    retried: int = 0
    waited: int = 0
    primary_refusals: int = 0
    secondary_refusals: int = 0
    unauthorized: int = 0
    # Seconds each request waited for a credential, by priority (the last 5,000 of each).
    waits: dict[int, list[float]] = field(default_factory=dict)

    def waited_for(self, priority: int, seconds: float) -> None:
        found = self.waits.setdefault(priority, [])
        found.append(seconds)
        del found[:-5000]

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "paid": self.paid,
            "not_modified": self.not_modified,
            "coalesced": self.coalesced,
            "retried": self.retried,
            "waited": self.waited,
            "primary_refusals": self.primary_refusals,
            "secondary_refusals": self.secondary_refusals,
            "unauthorized": self.unauthorized,
        }


MemberToken = Callable[[int], Awaitable[str]]
MemberRevoked = Callable[[int], Awaitable[None]]
Publish = Callable[[list[DomainEvent]], Awaitable[None]]


class PoolService:
    def __init__(
        self,
        state: RatePool,
        credentials: PoolCredentialStore,
        keyvalue: KeyValue,
        box: SecretBox,
        teams: TeamStore,
        users: UserStore,
        github_store: GitHubStore,
        stream: ChannelStream,
        authority: CredentialAuthority,
        member_token: MemberToken,
        member_revoked: MemberRevoked,
        publish: Publish,
        clock: Clock,
        *,
        limits: PoolLimits | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._state = state
        self._store = credentials
        self._kv = keyvalue
        self._box = box
        self._teams = teams
        self._users = users
        self._github_store = github_store
        self._stream = stream
        self._authority = authority
        self._member_token = member_token
        self._member_revoked = member_revoked
        self._publish = publish
        self._clock = clock
        self.limits = limits or PoolLimits()
        self._wall = wall
        self._queue: FairQueue[_Ticket] = FairQueue()
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._in_flight: dict[tuple[str, tuple[str, ...]], asyncio.Future[Outcome]] = {}
        self._team_cache: dict[int, tuple[float, list[StoredCredential]]] = {}
        self._tokens: dict[str, tuple[str, float, float]] = {}  # credential -> token, exp, minted
        self._probed: set[str] = set()
        self._unprobeable: dict[str, float] = {}
        self._probing: dict[str, asyncio.Future[None]] = {}
        self._secrets: dict[str, tuple[str, float]] = {}
        self._checked: dict[int, float] = {}
        self.counters = PoolCounters()

    # -- credentials ------------------------------------------------------------------------
    async def _shared(self, team_id: int) -> list[StoredCredential]:
        now = self._wall()
        cached = self._team_cache.get(team_id)
        if cached is not None and now - cached[0] < _TEAM_CACHE_TTL:
            return cached[1]
        found = [c for c in await self._store.for_team(team_id) if c.status == "active"]
        self._team_cache[team_id] = (now, found)
        return found

    @staticmethod
    def _credential(stored: StoredCredential) -> Credential:
        kind = CredentialKind.app if stored.kind == "app" else CredentialKind.service
        return Credential(
            id=f"{stored.kind}:{stored.id}",
            kind=kind,
            owner_id=stored.added_by,
            team_id=stored.team_id,
            reach=Reach.of(list(stored.accounts), list(stored.repositories)),
            label=stored.label,
        )

    async def candidates(self, need: Need) -> list[Credential]:
        """The credentials that may serve ``need``: the team's shared ones that can see the
        resource; only when there is none, the member's own token (what only they can see).
        So an answer that may be shared with other viewers (coalescing) never comes from a
        member's own token."""
        found: list[Credential] = []
        if need.team_id is not None and not need.own:
            found += [
                c
                for c in map(self._credential, await self._shared(need.team_id))
                if eligible(c, need)
            ]
        if found:
            return found
        if need.user_id is not None:
            member = Credential(f"member:{need.user_id}", CredentialKind.member, need.user_id)
            if eligible(member, need):
                found.append(member)
        return found

    async def _token(self, credential: str) -> str:
        kind, _, raw_id = credential.partition(":")
        if kind == "member":
            return await self._member_token(int(raw_id))
        now = self._wall()
        cached = self._tokens.get(credential)
        if cached is not None and (cached[1] - now) > (cached[1] - cached[2]) * REFRESH_SHARE:
            return cached[0]
        kept = self._secrets.get(credential)
        if kept is not None and kept[1] > now:
            return kept[0]
        stored = await self._store.get(int(raw_id))
        if stored is None or stored.status != "active":
            raise Unauthorized("the credential was removed from the pool", status=401)
        secret = self._box.decrypt(stored.secret)
        if kind != "app":
            # Not read from the database for every request; a credential removed meanwhile is
            # out of the shared state at once, so it is not chosen in the meantime.
            self._secrets[credential] = (secret, now + _SECRET_TTL)
            return secret
        shared = await self._kv.get(f"pool:token:{credential}")
        if shared is not None:
            value, expires, minted = orjson.loads(self._box.decrypt(shared))
            if (expires - now) > (expires - minted) * REFRESH_SHARE:
                self._tokens[credential] = (value, expires, minted)
                return str(value)
        assert stored.app_id is not None
        assert stored.installation_id is not None
        value, expires = await self._authority.installation_token(
            stored.app_id, stored.installation_id, secret, now
        )
        entry = (value, expires, now)
        self._tokens[credential] = entry
        # Shared (encrypted) so that the processes of a deployment mint one token, not one each.
        await self._kv.set(
            f"pool:token:{credential}",
            self._box.encrypt(orjson.dumps(entry).decode()),
            ttl=max(expires - now, 1.0),
        )
        log.info("pool.token_refreshed", credential=credential)
        return value

    async def _ensure_known(self, credentials: Sequence[str]) -> list[str]:
        """The credentials whose quota is known, after learning that of those never seen with
        the free ``GET /rate_limit`` (a credential that cannot even be probed is left out)."""
        known: list[str] = []
        now = self._wall()
        for credential in credentials:
            if credential in self._probed:
                known.append(credential)
                continue
            if self._unprobeable.get(credential, 0.0) > now:
                continue
            (view,) = await self._state.views(
                [credential], "core", limits=self.limits, now=self._wall()
            )
            if view.limit is None and not view.removed:
                await self._probe_once(credential)
                (view,) = await self._state.views(
                    [credential], "core", limits=self.limits, now=self._wall()
                )
            if view.limit is not None:
                self._probed.add(credential)
                known.append(credential)
            elif not credential.startswith("member:"):
                # A member's token comes back as soon as they sign in again: asked each time.
                self._unprobeable[credential] = now + UNPROBEABLE_FOR
        return known

    async def _probe_once(self, credential: str) -> None:
        """One probe per credential at a time in this process: a burst of first requests must
        not become a burst of probes (GitHub counts them against the secondary limits)."""
        running = self._probing.get(credential)
        if running is None:
            running = asyncio.ensure_future(self._probe(credential))
            self._probing[credential] = running
            running.add_done_callback(lambda _: self._probing.pop(credential, None))
        await asyncio.shield(running)

    async def _probe(self, credential: str) -> None:
        try:
            token = await self._token(credential)
            buckets = await self._authority.rate_limits(token)
        except Unauthorized:
            await self._revoked(credential)
            return
        except (GitHubError, Unauthenticated) as error:
            log.warning("pool.probe_failed", credential=credential, error=str(error))
            return
        for rate in buckets:
            if rate.resource in BUCKETS:
                await self._state.observe(credential, rate)

    # -- scheduling -------------------------------------------------------------------------
    async def execute(self, method: str, url: str, need: Need, attempt: Attempt) -> Outcome:
        need = need if need.method == method else _with_method(need, method)
        credentials = [c.id for c in await self.candidates(need)]
        if not credentials:
            raise Unauthenticated("no credential of the pool may make this request")
        key = (url, tuple(credentials))
        if method == "GET":
            joined = self._in_flight.get(key)
            if joined is not None:
                self.counters.coalesced += 1
                await self._usage(need, paid=False, saving="coalesced")
                return await asyncio.shield(joined)
            future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
            self._in_flight[key] = future
            try:
                outcome = await self._run(method, url, need, credentials, attempt)
            except Exception as error:
                future.set_exception(error)
                future.exception()  # retrieved: nobody may be waiting
                raise
            except BaseException:
                future.cancel()
                raise
            finally:
                del self._in_flight[key]
            future.set_result(outcome)
            return outcome
        return await self._run(method, url, need, credentials, attempt)

    async def _run(
        self, method: str, url: str, need: Need, credentials: list[str], attempt: Attempt
    ) -> Outcome:
        credentials = await self._ensure_known(credentials)
        if not credentials:
            raise Unauthorized(
                "GitHub accepts none of the credentials for this request", status=401
            )
        affinity_key = _affinity_key(url, need)
        preferred = await self._kv.get(affinity_key) if method == "GET" else None
        prefer = preferred.decode() if preferred else None
        excluded: set[str] = set()
        outcome: Outcome | None = None
        self.counters.requests += 1
        refreshed = False
        for number in range(MAX_ATTEMPTS):
            usable = [c for c in credentials if c not in excluded]
            if not usable and excluded and not refreshed:
                # Every candidate was refused: the member's own token may serve now that no
                # shared credential can.
                refreshed = True
                fresh = [c.id for c in await self.candidates(need)]
                credentials = await self._ensure_known([c for c in fresh if c not in excluded])
                usable = credentials
            if not usable:
                break
            if number:
                self.counters.retried += 1
            grant = await self._acquire(need, usable, prefer)
            assert grant.credential is not None
            assert grant.reservation is not None
            credential = grant.credential
            try:
                token = await self._token(credential)
            except (Unauthorized, Unauthenticated) as refused_token:
                await self._state.settle(
                    credential, grant.reservation, need.bucket, paid=False, rate=None
                )
                if isinstance(refused_token, Unauthorized):
                    await self._revoked(credential)
                self._probed.discard(credential)
                excluded.add(credential)
                continue
            except BaseException:
                await self._state.settle(
                    credential, grant.reservation, need.bucket, paid=False, rate=None
                )
                self._wake.set()
                raise
            try:
                outcome = await attempt(Lease(credential, token))
            except BaseException:
                await self._state.settle(
                    credential, grant.reservation, need.bucket, paid=True, rate=None
                )
                self._wake.set()
                raise
            error = outcome.error
            refused = isinstance(error, Unauthorized | RateLimited | SecondaryRateLimited)
            paid = not outcome.not_modified and not refused
            rate = outcome.rate
            await self._state.settle(
                credential,
                grant.reservation,
                rate.resource if rate else need.bucket,
                paid=paid,
                rate=rate,
            )
            self._wake.set()
            if isinstance(error, Unauthorized):
                self.counters.unauthorized += 1
                await self._revoked(credential)
                excluded.add(credential)
                continue
            if isinstance(error, SecondaryRateLimited):
                self.counters.secondary_refusals += 1
                wait = error.retry_after or DEFAULT_SECONDARY_WAIT
                await self._state.cool_down(credential, self._wall() + wait)
                continue
            if isinstance(error, RateLimited):
                self.counters.primary_refusals += 1
                continue
            if paid:
                self.counters.paid += 1
            else:
                self.counters.not_modified += 1
            await self._usage(need, paid=paid, saving=None if paid else "not_modified")
            fetched = outcome.etag is not None and method == "GET"
            if fetched and credential != prefer:
                await self._kv.set(affinity_key, credential.encode(), ttl=AFFINITY_TTL)
            if rate is not None and paid and need.team_id is not None:
                # A credential running low is worth a look at once; otherwise every few seconds.
                await self._check_team(need.team_id, force=rate.remaining < rate.limit * LOW_SHARE)
            return outcome
        if outcome is not None and outcome.error is not None:
            return outcome
        raise Unauthorized("GitHub accepts none of the credentials for this request", status=401)

    async def _acquire(self, need: Need, candidates: list[str], prefer: str | None) -> Grant:
        started = self._wall()
        if not self._queue.waiting(int(need.priority)):
            grant = await self._reserve(need, candidates, prefer)
            if grant.credential is not None:
                self.counters.waited_for(int(need.priority), 0.0)
                return grant
        self.counters.waited += 1
        future: asyncio.Future[Grant] = asyncio.get_running_loop().create_future()
        ticket = _Ticket(need, candidates, prefer, future, started)
        self._queue.push(
            ticket,
            priority=int(need.priority),
            user=need.fairness_key,
            repository=need.repository or "-",
        )
        self._wake.set()
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="pool-dispatcher")
        try:
            grant = await future
        except asyncio.CancelledError:
            self._queue.discard(ticket)
            if future.done() and not future.cancelled():
                granted = future.result()
                if granted.credential and granted.reservation:
                    await self._state.settle(
                        granted.credential,
                        granted.reservation,
                        need.bucket,
                        paid=False,
                        rate=None,
                    )
            raise
        self.counters.waited_for(int(need.priority), self._wall() - started)
        return grant

    async def _reserve(self, need: Need, candidates: list[str], prefer: str | None) -> Grant:
        return await self._state.reserve(
            candidates,
            need.bucket,
            points=need.points,
            prefer=prefer,
            limits=self.limits.for_priority(int(need.priority)),
            now=self._wall(),
        )

    async def _dispatch(self) -> None:
        """Grant waiting tickets in fair order until none is left."""
        while len(self._queue):
            self._wake.clear()
            hints: list[float] = []
            failed: set[tuple[tuple[str, ...], str, int]] = set()
            granted = False
            for ticket in list(self._queue.candidates()):
                if ticket.future.done():
                    self._queue.discard(ticket)
                    continue
                signature = (tuple(ticket.candidates), ticket.need.bucket, ticket.need.points)
                if signature in failed:
                    continue  # the same choice just failed: it would again
                grant = await self._reserve(ticket.need, ticket.candidates, ticket.prefer)
                if grant.credential is None:
                    failed.add(signature)
                    hints.append(grant.wait_until)
                    continue
                self._queue.served(ticket)
                if ticket.future.done():  # cancelled meanwhile: give the reservation back
                    assert grant.reservation is not None
                    await self._state.settle(
                        grant.credential,
                        grant.reservation,
                        ticket.need.bucket,
                        paid=False,
                        rate=None,
                    )
                    continue
                ticket.future.set_result(grant)
                granted = True
                break
            if granted:
                await asyncio.sleep(0)
                continue
            delay = min(hints, default=self._wall() + POLL) - self._wall()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=min(max(delay, 0.005), POLL))

    async def stop(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None

    @property
    def queued(self) -> int:
        """Requests of this process waiting for a credential."""
        return len(self._queue)

    async def quota(self) -> list[QuotaView]:
        """The core bucket of each shared credential this process has used. Members' own
        tokens are left out: one per person, they would make the figures unbounded."""
        shared = sorted(c for c in self._probed if not c.startswith("member:"))
        if not shared:
            return []
        return await self._state.views(shared, "core", limits=self.limits, now=self._wall())

    def wait_percentiles(self, priority: Priority) -> dict[str, float | None]:
        waits = sorted(self.counters.waits.get(int(priority), []))
        if not waits:
            return {"p50": None, "p99": None}
        return {
            "p50": waits[len(waits) // 2],
            "p99": waits[min(len(waits) - 1, int(len(waits) * 0.99))],
        }

    # -- what happens to credentials ----------------------------------------------------------
    async def _revoked(self, credential: str) -> None:
        """GitHub refused the credential (401): out of the pool at once, owner told once."""
        await self._state.remove(credential)
        self._tokens.pop(credential, None)
        self._secrets.pop(credential, None)
        self._probed.discard(credential)
        kind, _, raw_id = credential.partition(":")
        now = self._clock.now()
        if kind == "member":
            user_id = int(raw_id)
            await self._member_revoked(user_id)
            # Back in the pool when the member signs in again (a fresh token).
            await self._state.restore(credential)
            await self._publish(
                [
                    DomainEvent(
                        type="pool.credential_revoked",
                        occurred_at=now,
                        subject=f"member token of user {user_id}",
                        data={"user_id": user_id, "credential": credential, "kind": kind},
                    )
                ]
            )
            return
        stored = await self._store.get(int(raw_id))
        if stored is None or not await self._store.revoke(stored.id, now):
            return
        self._team_cache.pop(stored.team_id, None)
        log.warning("pool.credential_revoked", credential=credential, team_id=stored.team_id)
        await self._publish(
            [
                DomainEvent(
                    type="pool.credential_revoked",
                    occurred_at=now,
                    team_id=stored.team_id,
                    subject=stored.label,
                    data={
                        "user_id": stored.added_by,
                        "credential": credential,
                        "kind": kind,
                        "label": stored.label,
                    },
                )
            ]
        )
        await self._announce(stored.team_id)

    async def _usage(self, need: Need, *, paid: bool, saving: str | None) -> None:
        if need.team_id is None:
            return
        dimensions = {
            "member": "background" if need.user_id is None else str(need.user_id),
            "repository": need.repository or "-",
            "purpose": need.purpose,
        }
        if saving is not None:
            dimensions = {"saving": saving}
        await self._state.record_usage(need.team_id, self._wall(), dimensions, paid=paid)

    async def _check_team(self, team_id: int, *, force: bool = False) -> None:
        """Tell the owners when the shared quota runs low or dry; refresh the live page."""
        now = self._wall()
        if not force and now - self._checked.get(team_id, 0.0) < _CHECK_EVERY:
            return
        self._checked[team_id] = now
        shared = [self._credential(c).id for c in await self._shared(team_id)]
        if not shared:
            await self._announce(team_id)
            return
        views = await self._state.views(shared, "core", limits=self.limits, now=now)
        known = [v for v in views if v.limit and not v.removed]
        limit = sum(v.limit or 0 for v in known)
        remaining = sum(v.remaining or 0 for v in known)
        resets = [v.reset for v in known if v.reset]
        if limit and remaining < limit * LOW_SHARE:
            dry = remaining == 0
            kind = "pool.dry" if dry else "pool.low"
            resets_at = min(resets) if resets else now + 3600
            ttl = max(resets_at - now, 60.0)
            if await self._kv.set_if_absent(f"pool:{kind}:{team_id}", b"1", ttl=ttl):
                await self._publish(
                    [
                        DomainEvent(
                            type=kind,
                            occurred_at=self._clock.now(),
                            team_id=team_id,
                            subject="core",
                            data={
                                "bucket": "core",
                                "remaining": remaining,
                                "limit": limit,
                                "resets_at": datetime.fromtimestamp(resets_at, UTC).isoformat(),
                            },
                        )
                    ]
                )
        await self._announce(team_id)

    async def _announce(self, team_id: int) -> None:
        """A small publication on ``pool:{team}``: the page refetches its figures."""
        body = {"type": "pool.updated", "team_id": team_id, "at": self._wall()}
        try:
            await self._stream.publish(f"pool:{team_id}", orjson.dumps(body))
        except Exception:  # a live update is a nicety; the request must not fail for it
            log.warning("pool.announce_failed", team_id=team_id)

    # -- needs of the services ---------------------------------------------------------------
    async def sync_need(self, repository_id: int, *, urgent: bool = False) -> Need | None:
        """The need of a repository's sync: for the first following team that has a credential
        for it, on behalf of the member who followed it (whose own token may serve it only
        when no shared credential can)."""
        stored = await self._github_store.get_repository(repository_id)
        if stored is None:
            return None
        priority = Priority.interactive if urgent else Priority.background
        first: Need | None = None
        for team_id in await self._teams.followers(repository_id):
            follower = await self._store.followed_by(team_id, repository_id)
            need = Need(
                team_id=team_id,
                user_id=follower,
                repository=stored.repository.full_name,
                private=stored.repository.private,
                purpose="sync",
                priority=priority,
            )
            first = first or need
            if await self.candidates(need):
                return need
        return first

    # -- management ---------------------------------------------------------------------------
    async def add_service_token(
        self,
        team_id: int,
        user_id: int,
        *,
        label: str,
        token: str,
        accounts: Sequence[str],
        repositories: Sequence[str],
    ) -> StoredCredential:
        if not token.strip():
            raise InvalidInput("give the machine account's token")
        stored = await self._store.add(
            team_id,
            kind="service",
            label=label,
            added_by=user_id,
            secret=self._box.encrypt(token.strip()),
            accounts=_clean(accounts),
            repositories=_clean(repositories),
            at=self._clock.now(),
        )
        await self._forget(f"{stored.kind}:{stored.id}", team_id)
        # An id the database hands out again must not inherit a removed predecessor's state.
        await self._state.restore(f"{stored.kind}:{stored.id}")
        await self._announce(team_id)
        return stored

    async def add_app(
        self,
        team_id: int,
        user_id: int,
        *,
        label: str,
        app_id: int,
        installation_id: int,
        private_key: str,
        accounts: Sequence[str],
        repositories: Sequence[str],
    ) -> StoredCredential:
        if not self._authority.valid_private_key(private_key):
            raise InvalidInput("the private key is not an RSA private key in PEM format")
        stored = await self._store.add(
            team_id,
            kind="app",
            label=label,
            added_by=user_id,
            secret=self._box.encrypt(private_key),
            accounts=_clean(accounts),
            repositories=_clean(repositories),
            app_id=app_id,
            installation_id=installation_id,
            at=self._clock.now(),
        )
        await self._forget(f"{stored.kind}:{stored.id}", team_id)
        # An id the database hands out again must not inherit a removed predecessor's state.
        await self._state.restore(f"{stored.kind}:{stored.id}")
        await self._announce(team_id)
        return stored

    async def remove(self, team_id: int, credential_id: int) -> None:
        stored = await self._store.get(credential_id)
        if stored is None or stored.team_id != team_id:
            raise NotFound("no such credential")
        await self._store.delete(team_id, credential_id)
        await self._state.remove(f"{stored.kind}:{stored.id}")
        await self._forget(f"{stored.kind}:{stored.id}", team_id)
        await self._announce(team_id)

    async def _forget(self, credential: str, team_id: int) -> None:
        self._team_cache.pop(team_id, None)
        self._tokens.pop(credential, None)
        self._secrets.pop(credential, None)
        self._probed.discard(credential)
        await self._kv.delete(f"pool:token:{credential}")

    async def overview(self, team_id: int, *, hours: float = 6.0) -> dict[str, Any]:
        """The pool page: each credential's quota, usage by member, repository and purpose over
        the last ``hours``, savings, and when the pool runs dry at the last 15 minutes' rate."""
        now = self._wall()
        stored = await self._store.for_team(team_id)
        members = await self._teams.members(team_id)
        credentials: list[dict[str, Any]] = []
        total_remaining = total_limit = 0
        resets: list[float] = []
        for item in stored:
            ident = f"{item.kind}:{item.id}"
            if item.status == "active":
                await self._ensure_known([ident])
            buckets: dict[str, Any] = {}
            for bucket in BUCKETS:
                (view,) = await self._state.views([ident], bucket, limits=self.limits, now=now)
                buckets[bucket] = {
                    "limit": view.limit,
                    "remaining": view.remaining,
                    "reset": view.reset,
                    "in_flight": view.in_flight,
                }
                if bucket == "core" and item.status == "active" and view.limit:
                    total_limit += view.limit
                    total_remaining += view.remaining or 0
                    if view.reset:
                        resets.append(view.reset)
            (core,) = await self._state.views([ident], "core", limits=self.limits, now=now)
            credentials.append(
                {
                    "id": item.id,
                    "kind": item.kind,
                    "label": item.label,
                    "status": item.status,
                    "added_by": item.added_by,
                    "app_id": item.app_id,
                    "installation_id": item.installation_id,
                    "accounts": list(item.accounts),
                    "repositories": list(item.repositories),
                    "created_at": item.created_at.isoformat(),
                    "revoked_at": item.revoked_at.isoformat() if item.revoked_at else None,
                    "cooldown_until": core.cooldown_until if core.cooldown_until > now else None,
                    "buckets": buckets,
                }
            )
        rows = await self._state.usage(team_id, now - hours * 3600, now)
        usage: dict[str, dict[str, dict[str, int]]] = {}
        series: dict[float, int] = {}
        savings = {"coalesced": 0, "not_modified": 0}
        recent = 0
        for row in rows:
            if row.dimension == "saving":
                savings[row.value] = savings.get(row.value, 0) + row.requests
                continue
            entry = usage.setdefault(row.dimension, {}).setdefault(
                row.value, {"requests": 0, "paid": 0}
            )
            entry["requests"] += row.requests
            entry["paid"] += row.paid
            if row.dimension == "purpose":
                series[row.slot] = series.get(row.slot, 0) + row.paid
                if row.slot >= now - 900:
                    recent += row.paid
        people = await self._users.get_many([m.user_id for m in members])
        logins = {str(i): u.login for i, u in people.items()}
        per_minute = recent / 15.0
        dry = dry_at(total_remaining, per_minute, resets, now)
        paid = sum(e["paid"] for e in usage.get("purpose", {}).values())
        answered = paid + savings.get("not_modified", 0)
        return {
            "team_id": team_id,
            "now": now,
            "credentials": credentials,
            "totals": {
                "limit": total_limit,
                "remaining": total_remaining,
                "next_reset": min(resets) if resets else None,
            },
            "usage": {
                dimension: [
                    {"value": k, "label": logins.get(k, k) if dimension == "member" else k, **v}
                    for k, v in sorted(values.items())
                ]
                for dimension, values in usage.items()
            },
            "series": [{"slot": slot, "paid": n} for slot, n in sorted(series.items())],
            "savings": savings,
            "not_modified_rate": (savings.get("not_modified", 0) / answered) if answered else None,
            "forecast": {"per_minute": per_minute, "dry_at": dry},
        }


def _with_method(need: Need, method: str) -> Need:
    return Need(
        team_id=need.team_id,
        user_id=need.user_id,
        repository=need.repository,
        private=need.private,
        own=need.own,
        bucket=need.bucket,
        method=method,
        purpose=need.purpose,
        priority=need.priority,
    )


def _affinity_key(url: str, need: Need) -> str:
    scope = f"{need.team_id}:{need.user_id if need.own else ''}"
    return "pool:affinity:" + hashlib.sha256(f"{scope}\0{url}".encode()).hexdigest()[:32]


def _clean(names: Sequence[str]) -> list[str]:
    return sorted({n.strip() for n in names if n and n.strip()})

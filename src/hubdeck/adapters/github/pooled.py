"""The GitHub client with every request scheduled by the rate-limit pool.

Inside ``hubdeck.core.pool.context.acting(need)`` a request does not use the ``token`` it was
given: the scheduler (``hubdeck.services.pool.PoolService``) picks a credential, and the
request is sent with it. ETags are kept under the credential's stable id (``app:7``), not under
the token, so an installation token's refresh keeps them: GitHub ties an ETag to the
installation, and the 304s stay free. Outside any ``acting`` block the client behaves as
``GitHubClient`` (the sign-in exchange, which has only the token it just received).
"""

from __future__ import annotations

from typing import Protocol

from hubdeck.adapters.github.client import GitHubClient
from hubdeck.adapters.github.etags import CachedAnswer
from hubdeck.adapters.github.rest import GitHubResponse, Json, Params, _loads
from hubdeck.core.github.errors import GitHubError
from hubdeck.core.github.ratelimit import parse_rate_limit
from hubdeck.core.pool.attempt import Attempt, Lease, Outcome
from hubdeck.core.pool.context import current_need
from hubdeck.core.pool.model import Need


class RequestScheduler(Protocol):
    async def execute(self, method: str, url: str, need: Need, attempt: Attempt) -> Outcome:
        """Run ``attempt`` with a credential the pool chose (retrying on another when the
        answer says so); return the last outcome."""
        ...


class PooledGitHubClient(GitHubClient):
    _scheduler: RequestScheduler | None = None

    def attach(self, scheduler: RequestScheduler) -> None:
        self._scheduler = scheduler

    async def get(
        self, path: str, *, token: str | None, params: Params | None = None
    ) -> GitHubResponse:
        need = current_need()
        if self._scheduler is None or need is None:
            return await super().get(path, token=token, params=params)
        url = self.url(path, params)
        outcome = await self._scheduler.execute(
            "GET", url, need, lambda lease: self._get(url, lease)
        )
        return self._unwrap(outcome)

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        json: Json = None,
        params: Params | None = None,
    ) -> GitHubResponse:
        need = current_need()
        if self._scheduler is None or need is None:
            return await super().request(method, path, token=token, json=json, params=params)
        url = self.url(path, params)

        async def attempt(lease: Lease) -> Outcome:
            try:
                answer = await super(PooledGitHubClient, self).request(
                    method, url, token=lease.token, json=json
                )
            except GitHubError as error:
                return Outcome(None, error, error.rate_limit, error.status)
            return self._answer(answer)

        outcome = await self._scheduler.execute(method.upper(), url, need, attempt)
        return self._unwrap(outcome)

    @staticmethod
    def _unwrap(outcome: Outcome) -> GitHubResponse:
        if outcome.error is not None:
            raise outcome.error
        assert isinstance(outcome.response, GitHubResponse)
        return outcome.response

    @staticmethod
    def _answer(answer: GitHubResponse) -> Outcome:
        return Outcome(
            answer, None, answer.rate_limit, answer.status, answer.not_modified, answer.etag
        )

    async def _get(self, url: str, lease: Lease) -> Outcome:
        """One conditional GET with the leased credential; errors are returned, not raised."""
        etags = self._etags
        cached = await etags.get(lease.credential, "GET", url) if etags else None
        headers = self._headers(lease.token)
        if cached is not None:
            headers["If-None-Match"] = cached.etag
        try:
            response = await self._send("GET", url, headers, lease.credential)
        except GitHubError as error:
            return Outcome(None, error, None, None)
        rate = parse_rate_limit(response.headers)
        if response.status_code == 304 and cached is not None:
            if etags is not None:
                await etags.put(lease.credential, "GET", url, cached)
            link = response.headers.get("link") or cached.link
            answer = GitHubResponse(
                url, 304, _loads(cached.body), cached.etag, rate, True, self._next(link)
            )
            return self._answer(answer)
        if not response.is_success:
            return Outcome(None, self._error(response, rate), rate, response.status_code)
        etag = response.headers.get("etag")
        link = response.headers.get("link")
        try:
            data = _loads(response.content)
        except GitHubError as unreadable:
            return Outcome(None, unreadable, rate, response.status_code)
        if etags is not None and etag and response.status_code == 200:
            await etags.put(
                lease.credential, "GET", url, CachedAnswer(etag, response.content, link)
            )
        answer = GitHubResponse(
            url, response.status_code, data, etag, rate, False, self._next(link)
        )
        return self._answer(answer)

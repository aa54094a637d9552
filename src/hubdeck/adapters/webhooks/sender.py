"""Sends one webhook attempt over HTTP, safely.

The host is resolved here, once per attempt; every address it resolves to is vetted
(core/webhooks/targets.py) and the request goes to the vetted address itself, with the original
``Host`` header and TLS server name, so a second lookup cannot swap in another address (DNS
rebinding). Redirects are not followed (a 3xx is a failed attempt), proxies from the environment
are ignored (they would connect on our behalf to anything), and at most ``max_body`` bytes of
the answer are read.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable

import httpx

from hubdeck.core.webhooks.outcome import AttemptResult, excerpt
from hubdeck.core.webhooks.targets import (
    AllowList,
    IPAddress,
    Target,
    TargetRefused,
    parse_target,
    vet_addresses,
    vet_literal,
)

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

# Enough for any error page's first lines; the log keeps a shorter excerpt.
DEFAULT_MAX_BODY = 16 * 1024
USER_AGENT = "HubDeck-Webhooks/1"


async def resolve(host: str, port: int) -> list[IPAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    seen: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    return seen


class HttpWebhookSender:
    def __init__(
        self,
        allow: AllowList,
        *,
        timeout: float = 10.0,
        max_body: int = DEFAULT_MAX_BODY,
        resolver: Resolver = resolve,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._allow = allow
        self._timeout = timeout
        self._max_body = max_body
        self._resolver = resolver
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            # No kept-alive connections: the pool is keyed by address, and two host names on
            # one address must never share a connection opened with the other's TLS name.
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=0),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _vetted(self, target: Target) -> IPAddress:
        if target.literal is not None:
            vet_literal(target, self._allow)
            return target.literal
        try:
            addresses = await self._resolver(target.host, target.port)
        except (OSError, UnicodeError) as error:
            raise TargetRefused(f"cannot resolve {target.host} ({error})") from None
        return vet_addresses(target.host, addresses, self._allow)

    async def check(self, url: str) -> None:
        target = parse_target(url)
        if target.literal is not None:
            vet_literal(target, self._allow)
            return
        try:
            addresses = await self._resolver(target.host, target.port)
        except (OSError, UnicodeError):
            return  # not resolvable yet: each attempt checks again
        vet_addresses(target.host, addresses, self._allow)

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            async with asyncio.timeout(self._timeout):
                target = parse_target(url)
                address = await self._vetted(target)
                return await self._post(target, address, headers, body, elapsed)
        except TargetRefused as error:
            return AttemptResult(None, elapsed(), error=f"refused: {error}")
        except TimeoutError:
            return AttemptResult(None, elapsed(), error=f"timed out after {self._timeout:g} s")
        except httpx.TimeoutException:
            return AttemptResult(None, elapsed(), error=f"timed out after {self._timeout:g} s")
        except httpx.HTTPError as error:
            return AttemptResult(None, elapsed(), error=f"connection failed: {_describe(error)}")
        except Exception as error:  # an attempt never takes the dispatcher down
            return AttemptResult(None, elapsed(), error=f"failed: {type(error).__name__}")

    async def _post(
        self,
        target: Target,
        address: IPAddress,
        headers: dict[str, str],
        body: bytes,
        elapsed: Callable[[], int],
    ) -> AttemptResult:
        host = f"[{address}]" if address.version == 6 else str(address)
        request = self._client.build_request(
            "POST",
            f"{target.scheme}://{host}:{target.port}{target.path}",
            content=body,
            headers={
                **headers,
                "host": target.host_header,
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                # Raw bytes are read up to the cap: a compressed answer could expand far past it.
                "accept-encoding": "identity",
            },
            extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
        )
        response = await self._client.send(request, stream=True)
        try:
            raw = bytearray()
            async for chunk in response.aiter_raw():
                raw.extend(chunk)
                if len(raw) >= self._max_body:
                    break
        finally:
            await response.aclose()
        error = None
        if 300 <= response.status_code < 400:
            location = response.headers.get("location", "")[:200]
            error = f"redirect to {location or 'nowhere'} not followed"
        return AttemptResult(response.status_code, elapsed(), excerpt(bytes(raw)), error)


def _describe(error: httpx.HTTPError) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:200]}" if text else type(error).__name__

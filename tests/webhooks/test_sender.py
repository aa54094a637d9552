"""The sender against a real local server: it connects to the address it vetted, with the
original Host header, and refuses, times out and caps as documented."""

from __future__ import annotations

import ipaddress

import pytest

from hubdeck.adapters.webhooks.sender import HttpWebhookSender
from hubdeck.core.webhooks.targets import AllowList, IPAddress, TargetRefused
from tests.webhooks.receiver import running_receiver

LOCAL = AllowList.parse("127.0.0.1")


def resolver(table: dict[str, list[str]], calls: list[str] | None = None):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[IPAddress]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise OSError("Name or service not known")
        return [ipaddress.ip_address(a) for a in table[host]]

    return resolve


async def test_the_request_goes_to_the_vetted_address_with_the_original_host() -> None:
    calls: list[str] = []
    async with running_receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        sender = HttpWebhookSender(
            LOCAL, timeout=2, resolver=resolver({"hooks.test": ["127.0.0.1"]}, calls)
        )
        try:
            result = await sender.send(f"http://hooks.test:{port}/in", {"webhook-id": "m"}, b"{}")
        finally:
            await sender.aclose()
    assert result.status_code == 200 and result.error is None
    assert receiver.deliveries[0].headers["host"] == f"hooks.test:{port}"
    assert calls == ["hooks.test"]  # resolved once, by the sender itself


async def test_a_name_resolving_to_any_refused_address_is_refused_before_connecting() -> None:
    async with running_receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        sender = HttpWebhookSender(
            LOCAL,
            timeout=2,
            resolver=resolver(
                {"rebind.test": ["127.0.0.1", "169.254.169.254"], "meta.test": ["10.0.0.1"]}
            ),
        )
        try:
            mixed = await sender.send(f"http://rebind.test:{port}/", {}, b"{}")
            private = await sender.send(f"http://meta.test:{port}/", {}, b"{}")
            unknown = await sender.send(f"http://nowhere.test:{port}/", {}, b"{}")
        finally:
            await sender.aclose()
    assert mixed.status_code is None and mixed.error is not None
    assert mixed.error == "refused: rebind.test resolves to a cloud metadata address"
    assert private.error == "refused: meta.test resolves to a private address"
    assert unknown.error is not None and unknown.error.startswith("refused: cannot resolve")
    assert receiver.deliveries == []


async def test_slow_answers_time_out_and_bodies_are_capped() -> None:
    async with running_receiver(delay=1.5) as slow:
        sender = HttpWebhookSender(LOCAL, timeout=0.5)
        try:
            result = await sender.send(slow.url + "/", {}, b"{}")
        finally:
            await sender.aclose()
    assert result.status_code is None and result.error == "timed out after 0.5 s"
    assert result.duration_ms >= 400
    async with running_receiver(reply="x" * 1_000_000, status=500) as loud:
        sender = HttpWebhookSender(LOCAL, timeout=2)
        try:
            result = await sender.send(loud.url + "/", {}, b"{}")
        finally:
            await sender.aclose()
    assert result.status_code == 500 and result.excerpt == "x" * 1000


async def test_check_refuses_literals_in_any_form() -> None:
    sender = HttpWebhookSender(LOCAL, timeout=1, resolver=resolver({}))
    try:
        for url in (
            "http://0x7f000002/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://0251.0376.0251.0376/",
        ):
            with pytest.raises(TargetRefused, match="resolves to"):
                await sender.check(url)
        await sender.check("http://127.0.0.1:9/")  # allow-listed
        await sender.check("https://not-yet-resolvable.test/")  # checked again at each attempt
    finally:
        await sender.aclose()

"""Address vetting: every refused family, in every spelling, and the allow-list."""

from __future__ import annotations

import ipaddress

import pytest

from hubdeck.core.errors import InvalidInput
from hubdeck.core.webhooks.targets import (
    AllowList,
    TargetRefused,
    parse_ip_literal,
    parse_target,
    refusal,
    vet_addresses,
    vet_literal,
)

NOBODY = AllowList()


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0251.0376.0251.0376", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("0", "0.0.0.0"),
    ],
)
def test_numeric_hosts_are_read_as_the_address_they_denote(host: str, address: str) -> None:
    assert parse_ip_literal(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.com", "08.1.1.1", "256.1.1.1", "1.2.3.4.5", "0x", "1e3"])
def test_names_are_not_literals(host: str) -> None:
    assert parse_ip_literal(host) is None or host == "0x"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "a"),  # reserved (Python also counts it as private)
        ("100.64.0.1", "not a public"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("::ffff:169.254.169.254", "metadata"),
        ("::ffff:10.0.0.1", "IPv6 form of a private"),
        ("64:ff9b::7f00:1", "IPv6 form of a loopback"),
        ("2002:a9fe:a9fe::", "IPv6 form of a cloud metadata"),
        ("::127.0.0.1", "loopback"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    found = refusal(ipaddress.ip_address(address))
    assert found is not None and reason in found


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_every_resolved_address_must_pass() -> None:
    public, private = ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.1")
    assert vet_addresses("a.example", [public], NOBODY) == public
    with pytest.raises(TargetRefused, match="private"):
        vet_addresses("a.example", [public, private], NOBODY)
    with pytest.raises(TargetRefused, match="no address"):
        vet_addresses("a.example", [], NOBODY)


def test_the_allow_list_takes_hosts_addresses_and_networks() -> None:
    allow = AllowList.parse(" 127.0.0.1, 10.0.0.0/8 ,receiver.test, [::1]")
    vet_literal(parse_target("http://127.0.0.1:9000/x"), allow)
    vet_literal(parse_target("http://10.9.8.7/x"), allow)
    vet_literal(parse_target("http://[::1]/x"), allow)
    vet_addresses("receiver.test", [ipaddress.ip_address("192.168.0.5")], allow)
    with pytest.raises(TargetRefused):
        vet_literal(parse_target("http://2130706434/x"), allow)  # 127.0.0.2
    with pytest.raises(TargetRefused):
        vet_literal(parse_target("http://169.254.169.254/"), allow)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "https://",
        "https://u:p@example.com/",
        "https://example.com/#frag",
        "https://example.com:99999/",
        "https://example.com/" + "a" * 2000,
    ],
)
def test_malformed_urls_are_invalid_input(url: str) -> None:
    with pytest.raises(InvalidInput):
        parse_target(url)


def test_a_target_keeps_its_host_header_and_path() -> None:
    target = parse_target("https://Hooks.Example.com:8443/in?x=1")
    assert (target.host, target.port, target.path) == ("hooks.example.com", 8443, "/in?x=1")
    assert target.host_header == "hooks.example.com:8443"
    assert parse_target("https://example.com").host_header == "example.com"

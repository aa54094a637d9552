"""Which addresses an outgoing webhook may reach.

Refused: private, loopback, link-local, multicast, reserved, unspecified, shared (CGNAT) and every
other non-global address, the cloud metadata addresses, and IPv6 forms that carry one of those
IPv4 addresses (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4, Teredo,
NAT64 ``64:ff9b::/96``). A host written as a number in any form that C's ``inet_aton`` accepts
(``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) is read as the address it denotes before
any DNS lookup, since that is what an HTTP client would connect to.

The sender resolves the name, checks every resolved address here, and connects to a checked
address (no second lookup, so no DNS-rebinding window). An explicit allow-list (hosts, addresses
or networks) lets tests and demos reach local receivers.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from hubdeck.core.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack…
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
MAX_URL_LENGTH = 2000


class TargetRefused(ValueError):
    """The target may not be reached; ``str()`` says why, without the resolved addresses of
    other hosts."""


def parse_ipv4_number(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a numeric host denotes in ``inet_aton`` syntax, or None.

    One to four parts separated by dots, each decimal, octal (leading 0) or hex (0x); the last
    part fills the remaining bytes.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        lower = part.lower()
        try:
            if lower.startswith("0x"):
                value = int(lower[2:], 16) if len(lower) > 2 else 0
            elif len(lower) > 1 and lower.startswith("0"):
                value = int(lower[1:], 8)
            else:
                value = int(lower, 10) if lower.isdigit() else -1
        except ValueError:
            return None
        if value < 0:
            return None
        numbers.append(value)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    total = 0
    for n in head:
        total = total * 256 + n
    total = total * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(total)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a URL host denotes if it is a literal (any IPv4 form, or IPv6)."""
    bare = host.strip("[]")
    if ":" in bare:
        try:
            return ipaddress.IPv6Address(bare.split("%", 1)[0])
        except ValueError:
            return None
    return parse_ipv4_number(bare)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be reached, or None when it may."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, reason in checks[:2]:
        if getattr(address, attribute):
            return reason
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL:
            return "a local NAT64 address"
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = refusal(embedded)
            if inner is not None:
                return f"an IPv6 form of {inner}"
    for attribute, reason in checks[2:]:
        if getattr(address, attribute):
            return reason
    if not address.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts and networks reachable despite the rules above (tests, demos, an intranet)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AllowList:
        """Comma-separated host names, addresses and CIDR networks."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in text.split(","):
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.networks)


def vet_address(host: str, address: IPAddress, allow: AllowList) -> None:
    if allow.allows_host(host) or allow.allows_address(address):
        return
    reason = refusal(address)
    if reason is not None:
        raise TargetRefused(f"{host} resolves to {reason}")


def vet_addresses(host: str, addresses: list[IPAddress], allow: AllowList) -> IPAddress:
    """Every resolved address must pass (an attacker's name may return a public and a private
    one); the first is the one to connect to."""
    if not addresses:
        raise TargetRefused(f"{host} has no address")
    for address in addresses:
        vet_address(host, address, allow)
    return addresses[0]


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str  # as written, lowercase, without brackets
    port: int
    path: str  # path and query
    literal: IPAddress | None  # the address, when the host is a literal in any form

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def parse_target(url: str) -> Target:
    """Check an endpoint URL's shape: http(s), a host, no credentials, no fragment."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"the URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise InvalidInput("not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("the URL must start with https:// or http://")
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidInput("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("credentials in the URL are not accepted; sign with the secret")
    if parts.fragment:
        raise InvalidInput("the URL may not have a #fragment")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default, path, parse_ip_literal(host))


def vet_literal(target: Target, allow: AllowList) -> None:
    """Refuse a literal address at once (before any lookup)."""
    if target.literal is not None:
        vet_address(target.host, target.literal, allow)

"""What device a session came from, read from its user agent with ua-parser.

ua-parser is the maintained Python port of the uap-core rules (the ``user-agents`` package
wraps an older major version of it and has not been released since 2020). It names browser,
OS and device model but not the kind of device, which is derived here from those names.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ua_parser import parse

_TABLETS = ("ipad", "tablet", "kindle", "nexus 7", "nexus 9", "nexus 10", "sm-t", "tab")
_MOBILE_OS = ("ios", "android", "windows phone", "kaios", "blackberry os")


@dataclass(frozen=True, slots=True)
class Device:
    browser: str
    os: str
    kind: str  # "desktop", "mobile", "tablet" or "unknown"

    @property
    def label(self) -> str:
        return f"{self.browser} on {self.os}"


def _version(family: str, major: str | None) -> str:
    return family if not major else f"{family} {major}"


@functools.lru_cache(maxsize=512)
def device_of(user_agent: str | None) -> Device:
    """The device behind a user agent; unknown parts are named "Unknown"."""
    if not user_agent:
        return Device("Unknown browser", "Unknown OS", "unknown")
    result = parse(user_agent[:1024])
    browser_family = result.user_agent.family if result.user_agent else "Other"
    browser_major = result.user_agent.major if result.user_agent else None
    os_family = result.os.family if result.os else "Other"
    known_os = os_family != "Other"
    browser_name = (
        _version(browser_family, browser_major) if browser_family != "Other" else "Unknown browser"
    )
    os_name = os_family if known_os else "Unknown OS"
    model = (result.device.family if result.device else "").lower()
    lowered = user_agent.lower()
    if any(word in model for word in _TABLETS) or (
        "android" in lowered and "mobile" not in lowered
    ):
        kind = "tablet"
    elif "mobile" in lowered or os_name.lower() in _MOBILE_OS:
        kind = "mobile"
    elif known_os:
        kind = "desktop"
    else:
        kind = "unknown"
    return Device(browser_name, os_name, kind)

"""In Chromium: one user signed in from two browser contexts; revoking the second from the
first's devices page shows the second the signed-out screen, and its next API call gets 401:
on one server, and with the two contexts on two server processes sharing Redis."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import STACK
from tests.e2e.test_github_pages import sign_in_with_github
from tests.servers import ServerProcess, server_process
from tests.simulator_process import simulator_process

pytestmark = [pytest.mark.e2e, pytest.mark.stack]

SECRET_KEY = "sessions-e2e-secret-key-shared-by-every-process"


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[str]:
    with simulator_process(tmp_path / "simulator.log") as url:
        yield url


def hubdeck_env(server_env: dict[str, str], simulator: str) -> dict[str, str]:
    return {
        **server_env,
        "HUBDECK_SECRET_KEY": SECRET_KEY,
        "HUBDECK_GITHUB_API_URL": simulator,
        "HUBDECK_GITHUB_WEB_URL": simulator,
        "HUBDECK_GITHUB_CLIENT_ID": "hubdeck-simulator",
        "HUBDECK_GITHUB_CLIENT_SECRET": "hubdeck-simulator-secret",
    }


@contextlib.contextmanager
def signed_in(browser: Browser, server: ServerProcess, login: str) -> Iterator[Page]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        sign_in_with_github(page, login)
        yield page
    finally:
        context.close()


def api_status(page: Page, path: str) -> int:
    return int(page.evaluate("p => fetch(p).then(r => r.status)", path))


def revoke_the_other_device(first: Page, second: Page, first_url: str) -> None:
    first.goto(first_url + "/settings/devices")
    devices = first.get_by_test_id("device")
    expect(devices).to_have_count(2, timeout=15_000)
    expect(first.locator('[data-testid="device"][data-current="true"]')).to_have_count(1)
    # The second device's page is open with its live connection: the first sees it active.
    expect(first.get_by_test_id("other-devices")).to_have_attribute(
        "data-count", "1", timeout=40_000
    )
    other = first.locator('[data-testid="device"][data-current="false"]')
    other.get_by_test_id("revoke-device").click()

    expect(second.get_by_test_id("signed-out-screen")).to_be_visible(timeout=5_000)
    expect(second.get_by_test_id("signed-out-screen")).to_contain_text(
        "Signed out from another device"
    )
    assert api_status(second, "/api/me") == 401
    # The first device stays signed in, now alone.
    expect(devices).to_have_count(1, timeout=10_000)
    assert api_status(first, "/api/me") == 200


def test_revoking_a_device_signs_it_out_at_once(
    browser: Browser, server_env: dict[str, str], simulator: str, tmp_path: Path
) -> None:
    env = hubdeck_env(server_env, simulator)
    with (
        server_process(env, tmp_path / "server.log") as server,
        signed_in(browser, server, "alice") as first,
        signed_in(browser, server, "alice") as second,
    ):
        revoke_the_other_device(first, second, server.url)


@pytest.mark.skipif(STACK != "scaleout", reason="two processes share sessions through Redis")
def test_revoking_a_device_on_another_server_process_signs_it_out_at_once(
    browser: Browser, server_env: dict[str, str], simulator: str, tmp_path: Path
) -> None:
    env = hubdeck_env(server_env, simulator)
    with (
        server_process(env, tmp_path / "a.log") as node_a,
        server_process(env, tmp_path / "b.log") as node_b,
        signed_in(browser, node_a, "alice") as first,
        signed_in(browser, node_b, "alice") as second,
    ):
        revoke_the_other_device(first, second, node_a.url)

"""The app shell's connection indicator follows a real server going away and coming back."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.servers import server_process

pytestmark = [pytest.mark.e2e, pytest.mark.stack]


def test_indicator_reconnects_without_reload(
    page: Page, server_env: dict[str, str], tmp_path: Path
) -> None:
    with server_process(server_env, tmp_path / "server.log") as server:
        page.goto(server.url + "/")
        indicator = page.get_by_test_id("connection-status")
        expect(indicator).to_have_attribute("data-state", "connected", timeout=15_000)
        expect(indicator).to_contain_text("Connected")
        # Survives only if the page is never reloaded.
        page.evaluate("window.__sameDocument = true")

        server.stop()
        expect(indicator).to_have_attribute("data-state", "connecting", timeout=15_000)
        expect(indicator).to_contain_text("Reconnecting", timeout=15_000)

        server.start()
        # The SDK's backoff may have grown to a few seconds while the server was away.
        expect(indicator).to_have_attribute("data-state", "connected", timeout=30_000)
        assert page.evaluate("window.__sameDocument") is True


def test_client_side_routes_render_the_shell(
    page: Page, server_env: dict[str, str], tmp_path: Path
) -> None:
    with server_process(server_env, tmp_path / "server.log") as server:
        page.goto(server.url + "/status")
        expect(page.get_by_test_id("connection-status")).to_have_attribute(
            "data-state", "connected", timeout=15_000
        )
        expect(page.get_by_text("database").first).to_be_visible(timeout=15_000)
        page.goto(server.url + "/no/such/page")
        expect(page.get_by_text("not found", exact=False).first).to_be_visible()

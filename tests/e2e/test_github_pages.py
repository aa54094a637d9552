"""In Chromium: sign in through the simulator's OAuth page, create a team, follow two
repositories, and see their metrics and charts; and the demo's first minute."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.servers import free_port, server_process
from tests.simulator_process import simulator_process

pytestmark = [pytest.mark.e2e, pytest.mark.stack]


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[str]:
    with simulator_process(tmp_path / "simulator.log") as url:
        yield url


def painted(canvas: Locator) -> int:
    """How many pixels Chart.js drew on a canvas (0 for a blank one)."""
    return int(
        canvas.evaluate(
            """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
        )
    )


def sign_in_with_github(page: Page, login: str) -> None:
    page.get_by_test_id("signin-button").first.click()
    page.get_by_role("link", name=f"Sign in as {login}", exact=True).click()
    expect(page.get_by_test_id("user-menu")).to_contain_text(login, timeout=15_000)


def test_sign_in_create_team_follow_two_repositories_and_see_charts(
    page: Page, server_env: dict[str, str], simulator: str, tmp_path: Path
) -> None:
    env = {
        **server_env,
        "HUBDECK_GITHUB_API_URL": simulator,
        "HUBDECK_GITHUB_WEB_URL": simulator,
        "HUBDECK_GITHUB_CLIENT_ID": "hubdeck-simulator",
        "HUBDECK_GITHUB_CLIENT_SECRET": "hubdeck-simulator-secret",
    }
    with server_process(env, tmp_path / "server.log") as server:
        page.goto(server.url + "/")
        sign_in_with_github(page, "alice")

        expect(page).to_have_url(f"{server.url}/teams/new", timeout=15_000)
        page.get_by_test_id("team-name-input").fill("Platform")
        page.get_by_test_id("team-create-submit").click()

        for full_name in ("acme/api", "acme/web"):
            row = page.locator(f'[data-testid="candidate-row"][data-full-name="{full_name}"]')
            row.get_by_test_id("follow-button").click()
            expect(row).to_have_attribute("data-followed", "true", timeout=15_000)

        page.get_by_role("link", name="Repositories").first.click()
        rows = page.get_by_test_id("repository-row")
        expect(rows).to_have_count(2, timeout=15_000)
        for full_name in ("acme/api", "acme/web"):
            row = page.locator(f'[data-testid="repository-row"][data-full-name="{full_name}"]')
            expect(row.get_by_test_id("sync-status")).to_have_attribute(
                "data-state", "synced", timeout=30_000
            )

        page.locator('[data-testid="repository-row"][data-full-name="acme/api"]').get_by_test_id(
            "repository-link"
        ).click()
        page.get_by_test_id("window-selector").get_by_text("90", exact=False).first.click()
        for chart in ("chart-throughput", "chart-stages", "chart-languages", "chart-ci"):
            canvas = page.get_by_test_id(chart)
            expect(canvas).to_be_visible(timeout=15_000)
            assert canvas.evaluate("c => c.tagName") == "CANVAS"
            page.wait_for_function("c => c.width > 0", arg=canvas.element_handle())
            assert painted(canvas) > 100, chart
        expect(page.get_by_test_id("heatmap")).to_be_visible()
        cards = page.get_by_test_id("metric-card")
        assert cards.count() >= 6
        merged = page.locator('[data-testid="metric-card"][data-metric]').first
        expect(merged).to_be_visible()
        assert (
            page.locator('[data-testid="metric-card"][data-value]:not([data-value=""])').count() > 0
        )


def test_demo_shows_repositories_with_data_right_after_sign_in(page: Page, tmp_path: Path) -> None:
    port, simulator_port = free_port(), free_port()
    log = (tmp_path / "demo.log").open("wb")
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hubdeck",
            "demo",
            "--port",
            str(port),
            "--simulator-port",
            str(simulator_port),
            "--activity-rate",
            "2",
        ],
        env={"HUBDECK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        page.goto(url + "/")
        sign_in_with_github(page, "bob")
        signed_in = time.monotonic()
        rows = page.get_by_test_id("repository-row")
        expect(rows.first).to_be_visible(timeout=30_000)
        expect(rows.first.get_by_test_id("sync-status")).to_have_attribute(
            "data-state", "synced", timeout=30_000
        )
        expect(page.get_by_test_id("health-badge").first).to_be_visible(timeout=30_000)
        # Reported, not asserted: wall-clock figures are for people, not for pass/fail.
        print(f"demo: repositories with data {time.monotonic() - signed_in:.1f} s after sign-in")
        assert rows.count() >= 4
    finally:
        demo.terminate()
        demo.wait(15)
        log.close()

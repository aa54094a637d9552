"""In Chromium: sign in through the simulator's OAuth page, create a team, follow two
repositories, and see their metrics and charts; and the demo's first minute."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

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


@contextlib.contextmanager
def running_demo(
    tmp_path: Path, activity_rate: float, **settings: str
) -> Iterator[tuple[str, str]]:
    """`hubdeck demo` as a person starts it; yields (HubDeck URL, simulator URL)."""
    port, simulator_port = free_port(), free_port()
    log_path = tmp_path / "demo.log"
    log = log_path.open("wb")
    command = [sys.executable, "-m", "hubdeck", "demo", "--port", str(port)]
    command += ["--simulator-port", str(simulator_port), "--activity-rate", str(activity_rate)]
    demo = subprocess.Popen(
        command,
        env={"HUBDECK_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", **settings},
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        # The bootstrap (team, follows, first syncs) runs before the demo says it is ready.
        while b"HubDeck demo: open" not in log_path.read_bytes():
            if demo.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()[-2000:])
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{simulator_port}"
    finally:
        demo.terminate()
        demo.wait(15)
        log.close()


def test_demo_shows_repositories_with_data_right_after_sign_in(page: Page, tmp_path: Path) -> None:
    with running_demo(tmp_path, activity_rate=2) as (url, _):
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


def test_two_people_on_one_repository_page_see_a_merge_live(
    browser: Browser, tmp_path: Path
) -> None:
    with running_demo(tmp_path, activity_rate=0) as (url, simulator_url):
        pages = []
        for login in ("alice", "bob"):
            page = browser.new_context().new_page()
            page.goto(url + "/")
            sign_in_with_github(page, login)
            row = page.locator('[data-testid="repository-row"][data-full-name="acme/api"]')
            row.get_by_test_id("repository-link").click()
            expect(page.get_by_test_id("live-activity")).to_have_attribute(
                "data-state", "subscribed", timeout=15_000
            )
            page.evaluate("window.__sameDocument = true")
            pages.append(page)
        # Each sees the other looking at the same page.
        expect(pages[0].locator('[data-testid="viewer"]')).to_have_count(1, timeout=10_000)

        merged_card = '[data-testid="metric-card"][data-metric="merged-pulls"]'
        expect(pages[0].locator(merged_card)).not_to_have_attribute(
            "data-value", "", timeout=15_000
        )
        before = [p.locator(merged_card).get_attribute("data-value") for p in pages]
        with httpx.Client(base_url=simulator_url) as gh:
            for _ in range(200):  # merge until one lands in acme/api, approving more meanwhile
                step = gh.post("/_simulator/activity/step", json={"action": "merge_pull"})
                if step.json()["steps"][0].get("repository") == "acme/api":
                    break
                gh.post("/_simulator/activity/step", json={"action": "submit_review"})
            else:
                pytest.fail("the simulator merged nothing in acme/api")
        started = time.monotonic()
        for page, value in zip(pages, before, strict=True):
            merged = page.locator('[data-testid="live-event"][data-type="pull_request.merged"]')
            expect(merged.first).to_be_visible(timeout=10_000)
            expect(page.locator(merged_card)).not_to_have_attribute(
                "data-value", value or "", timeout=10_000
            )
            assert page.evaluate("window.__sameDocument") is True  # no reload
        print(f"live merge: both pages updated {time.monotonic() - started:.2f} s after the merge")
        for page in pages:
            page.context.close()


def test_a_gap_beyond_history_makes_the_page_reload_its_data(
    browser: Browser, tmp_path: Path
) -> None:
    # History of 3 publications per channel: a short absence is already a gap beyond it.
    with running_demo(tmp_path, activity_rate=0, HUBDECK_HISTORY_SIZE="3") as (
        url,
        simulator_url,
    ):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/")
        sign_in_with_github(page, "alice")
        page.locator('[data-testid="repository-row"][data-full-name="acme/api"]').get_by_test_id(
            "repository-link"
        ).click()
        expect(page.get_by_test_id("live-activity")).to_have_attribute(
            "data-state", "subscribed", timeout=15_000
        )
        page.evaluate("window.__sameDocument = true")
        repository_id = page.url.rstrip("/").split("/")[-1]
        team_id = page.url.split("/teams/")[1].split("/")[0]
        merged_card = page.locator('[data-testid="metric-card"][data-metric="merged-pulls"]')
        expect(merged_card).not_to_have_attribute("data-value", "", timeout=15_000)
        before = merged_card.get_attribute("data-value")

        # Offline: the SDK drops its connection; blocking the endpoint keeps it from coming
        # back (Chromium's offline emulation alone lets local WebSockets through).
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setBlockedURLs", {"urls": ["*/connection/websocket*"]})
        context.set_offline(True)
        expect(page.get_by_test_id("offline-banner")).to_be_visible(timeout=10_000)
        merges = 0
        with httpx.Client(base_url=simulator_url) as gh:
            for _ in range(400):
                step = gh.post("/_simulator/activity/step", json={"action": "merge_pull"})
                if step.json()["steps"][0].get("repository") == "acme/api":
                    merges += 1
                    if merges == 3:  # with their pushes and runs: far more than 3 publications
                        break
                gh.post("/_simulator/activity/step", json={"action": "submit_review"})
        assert merges == 3
        time.sleep(1)  # the webhooks reach HubDeck while the page is away
        cdp.send("Network.setBlockedURLs", {"urls": []})
        context.set_offline(False)

        expect(page.get_by_test_id("offline-banner")).to_be_hidden(timeout=30_000)
        current = page.request.get(
            f"{url}/api/teams/{team_id}/repositories/{repository_id}/metrics?days=30"
        ).json()["merge_rate"]["merged"]
        assert str(current) != before
        # The page shows the current figure, fetched again because recovery was impossible.
        expect(merged_card).to_have_attribute("data-value", str(current), timeout=15_000)
        assert page.evaluate("window.__sameDocument") is True
        # ...and it was the unrecoverable path that got it there.
        metrics = httpx.get(url + "/metrics").text
        unrecoverable = next(
            line for line in metrics.splitlines() if line.startswith("hubdeck_unrecoverable_total")
        )
        assert float(unrecoverable.split()[-1]) >= 1
        context.close()

"""In Chromium: one person on two devices gets a review request live on both, and a read on one
clears the other; with permission granted and the tab hidden, the browser notifies."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_github_pages import running_demo, sign_in_with_github

pytestmark = [pytest.mark.e2e, pytest.mark.stack]


def request_review_from(simulator_url: str, login: str) -> None:
    """Let the simulator's activity request reviews until one is asked of ``login``."""
    with httpx.Client(base_url=simulator_url) as gh:
        for _ in range(100):
            step = gh.post("/_simulator/activity/step", json={"action": "request_review"}).json()
            for sent in step["steps"][0]["events"]:
                payload = gh.get(f"/_simulator/deliveries/{sent['delivery_id']}").json()["payload"]
                if (payload.get("requested_reviewer") or {}).get("login") == login:
                    return
    pytest.fail(f"the simulator never requested a review from {login}")


def signed_in_device(browser: Browser, url: str, login: str, **context: object) -> Page:
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.goto(url + "/")
    sign_in_with_github(page, login)
    expect(page.get_by_test_id("notification-count")).to_have_attribute("data-count", "0")
    return page


def test_a_review_request_shows_on_both_devices_and_a_read_clears_both(
    browser: Browser, tmp_path: Path
) -> None:
    with running_demo(tmp_path, activity_rate=0) as (url, simulator_url):
        laptop = signed_in_device(browser, url, "bob")
        phone = signed_in_device(browser, url, "bob")
        request_review_from(simulator_url, "bob")
        for device in (laptop, phone):
            expect(device.get_by_test_id("notification-count")).to_have_attribute(
                "data-count", "1", timeout=10_000
            )
        laptop.get_by_test_id("notification-bell").click()
        expect(laptop.get_by_test_id("notification-item").first).to_have_attribute(
            "data-kind", "review_requested"
        )
        laptop.get_by_test_id("mark-all-read").click()
        for device in (laptop, phone):
            expect(device.get_by_test_id("notification-count")).to_have_attribute(
                "data-count", "0", timeout=10_000
            )
        for device in (laptop, phone):
            device.context.close()


def test_a_hidden_tab_with_permission_raises_a_browser_notification(
    browser: Browser, tmp_path: Path
) -> None:
    with running_demo(tmp_path, activity_rate=0) as (url, simulator_url):
        page = signed_in_device(browser, url, "carol", permissions=["notifications"])
        # Record what the page asks of the Notification API, and pretend the tab is hidden.
        page.evaluate(
            """() => {
                window.__shown = [];
                const Real = window.Notification;
                class Recording extends Real {
                    constructor(title, options) { super(title, options); window.__shown.push(title); }
                }
                Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
                Recording.requestPermission = (...a) => Real.requestPermission(...a);
                window.Notification = Recording;
                Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
                document.dispatchEvent(new Event('visibilitychange'));
            }"""
        )
        request_review_from(simulator_url, "carol")
        page.wait_for_function("window.__shown.length > 0", timeout=10_000)
        assert "review" in page.evaluate("window.__shown[0]").lower()
        page.context.close()

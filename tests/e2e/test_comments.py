"""Comments in Chromium: A comments on a widget mentioning B; B, on another dashboard, is
notified live, clicks the notification and lands on the thread; a script in the comment shows
as text and never runs."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_dashboards import create_dashboard, demo, open_dashboard, signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.stack]

__all__ = ["demo"]  # the fixture, used by name

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def test_a_mention_on_a_widget_reaches_the_person_live_and_leads_to_the_thread(
    browser: Browser, demo
) -> None:
    url, _ = demo
    alice = signed_in(browser, url, "alice")
    commented = create_dashboard(alice, url)
    elsewhere = create_dashboard(alice, url, template="ci-health")
    bob = signed_in(browser, url, "bob")
    open_dashboard(bob, url, elsewhere)
    expect(bob.get_by_test_id("notification-bell")).to_be_visible()

    open_dashboard(alice, url, commented)
    alice.get_by_test_id("comments-button").click()
    panel = alice.get_by_test_id("comments-panel")
    anchor = panel.get_by_test_id("comment-anchor")
    anchor.select_option(index=1)
    widget_id = anchor.input_value()
    box = panel.get_by_test_id("comment-input").first
    box.click()
    box.press_sequentially("@bo")
    panel.get_by_test_id("mention-option").filter(has_text="@bob").click()
    box.press_sequentially(f"please look {HOSTILE}")
    expect(box).to_have_value(f"@bob please look {HOSTILE}")
    panel.get_by_test_id("comment-send").first.click()

    body = panel.get_by_test_id("comment-body").first
    expect(body).to_contain_text("<script>window.__pwned = 1</script>", timeout=10_000)
    assert body.locator("script, img").count() == 0
    assert alice.evaluate("window.__pwned") is None

    # Bob, on another dashboard, is told at once; the notification opens the thread.
    expect(bob.get_by_test_id("notification-count")).to_have_text("1", timeout=10_000)
    bob.get_by_test_id("notification-bell").click()
    item = bob.locator('[data-testid="notification-item"][data-kind="mentioned"]')
    expect(item).to_contain_text("alice mentioned you")
    item.click()
    expect(bob).to_have_url(re.compile(re.escape(commented) + r"\?comment=\d+$"), timeout=10_000)
    thread = bob.locator(".comment-thread--focused")
    expect(thread).to_have_attribute("data-widget", widget_id, timeout=10_000)
    expect(thread.get_by_test_id("comment-body")).to_contain_text("please look")
    assert bob.evaluate("window.__pwned") is None


def test_a_release_in_the_simulator_is_marked_on_the_team_time_series_live(
    browser: Browser, demo
) -> None:
    url, simulator_url = demo
    alice = signed_in(browser, url, "alice")
    path = create_dashboard(alice, url)  # "Team overview": "Throughput" is a weekly time series
    marks = alice.locator(
        '[data-testid="widget"][data-title="Throughput"] [data-testid="chart-annotations"]'
    )
    expect(marks).to_have_count(1, timeout=15_000)
    before = int(marks.get_attribute("data-count") or "0")

    with httpx.Client(base_url=simulator_url) as gh:
        step = gh.post("/_simulator/activity/step", json={"action": "publish_release"})
        (done,) = step.json()["steps"]
        assert done["performed"], done
        gh.post("/_simulator/deliveries/flush")
    expect(marks).to_have_attribute("data-count", str(before + 1), timeout=15_000)
    expect(marks).to_contain_text(f"{done['repository']} released")

    # A moment marked by hand on the activity page shows on the charts too.
    team = alice.evaluate("fetch('/api/me').then((r) => r.json()).then((me) => me.teams[0].id)")
    alice.goto(f"{url}/teams/{team}/activity")
    alice.get_by_test_id("mark-text").fill("Deploy v9")
    alice.get_by_test_id("mark-submit").click()
    expect(alice.get_by_test_id("mark-text")).to_have_value("", timeout=10_000)
    alice.goto(url + path)
    expect(marks).to_have_attribute("data-count", str(before + 2), timeout=15_000)
    expect(marks).to_contain_text("Deploy v9")
    alice.context.close()

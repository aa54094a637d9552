"""In Chromium, two people on one shared dashboard: live co-editing, presence, concurrent renames,
undo, history, share links signed out, and widgets that follow a merge in the simulator."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.test_github_pages import running_demo, sign_in_with_github

pytestmark = [pytest.mark.e2e, pytest.mark.stack]

VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with running_demo(tmp_path, activity_rate=0) as urls:
        yield urls


def signed_in(browser: Browser, url: str, login: str) -> Page:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(url + "/")
    sign_in_with_github(page, login)
    return page


def create_dashboard(page: Page, url: str, template: str = "team-overview") -> str:
    """Creates a dashboard from a template through the list page; returns its path."""
    page.goto(url + "/dashboards")
    page.get_by_test_id("new-dashboard-template").select_option(template)
    page.get_by_test_id("new-dashboard-submit").click()
    expect(page).to_have_url(re.compile(r"/dashboards/\d+$"), timeout=15_000)
    wait_live(page)
    return "/" + page.url.split("/", 3)[3]


def wait_live(page: Page) -> None:
    expect(page.get_by_test_id("dashboard-page")).to_have_attribute(
        "data-live", "true", timeout=15_000
    )


def open_dashboard(page: Page, url: str, path: str) -> None:
    page.goto(url + path)
    wait_live(page)


def widget(page: Page, title: str) -> Locator:
    return page.locator(f'[data-testid="widget"][data-title="{title}"]')


def drag_below_the_grid(page: Page, item: Locator, release_at_ms: float) -> None:
    """Drags a widget by its handle to below the other widgets, as a person would, and lets go
    at the wall-clock time `release_at_ms` (pages of one browser share the clock)."""
    handle = item.get_by_test_id("widget-drag")
    box = handle.bounding_box()
    grid = page.get_by_test_id("dashboard-grid").bounding_box()
    assert box is not None and grid is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    target = (box["x"] + 200, grid["y"] + grid["height"] + 30)
    page.mouse.move(*target, steps=20)
    # The grid listens for the release on the document.
    page.evaluate(
        """([at, x, y]) => setTimeout(() => document.dispatchEvent(
             new MouseEvent('mouseup', {clientX: x, clientY: y, bubbles: true})),
           Math.max(0, at - Date.now()))""",
        [release_at_ms, *target],
    )
    page.wait_for_timeout(max(0.0, release_at_ms - time.time() * 1000) + 100)
    page.mouse.up()


def rename_at(page: Page, title: str, at_ms: float) -> None:
    """Types a title and schedules its Enter at the wall-clock time `at_ms` (both pages share it)."""
    page.get_by_test_id("rename-button").click()
    page.get_by_test_id("title-input").fill(title)
    page.evaluate(
        """at => setTimeout(() => {
             const input = document.querySelector('[data-testid="title-input"]');
             input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
           }, Math.max(0, at - Date.now()))""",
        at_ms,
    )


def title_of(page: Page) -> Locator:
    return page.get_by_test_id("dashboard-title")


def test_two_editors_see_each_other_and_both_of_their_edits(browser: Browser, demo) -> None:
    url, _ = demo
    alice = signed_in(browser, url, "alice")
    path = create_dashboard(alice, url)
    bob = signed_in(browser, url, "bob")
    open_dashboard(bob, url, path)

    # Each sees the other in the presence list.
    expect(alice.locator('[data-testid="presence-user"][data-login="bob"]')).to_be_visible(
        timeout=10_000
    )
    expect(bob.locator('[data-testid="presence-user"][data-login="alice"]')).to_be_visible()
    expect(alice.get_by_test_id("presence")).to_have_attribute("data-count", "2")

    # Alice renames the dashboard at the moment Bob drops a widget he moved.
    bob.get_by_test_id("edit-toggle").click()
    merged = widget(bob, "Merged")
    before = (merged.get_attribute("data-x"), merged.get_attribute("data-y"))
    at = time.time() * 1000 + 1500
    rename_at(alice, "Flow, renamed by Alice", at)
    drag_below_the_grid(bob, merged, release_at_ms=at)

    expect(merged).not_to_have_attribute("data-y", before[1] or "", timeout=5_000)
    moved = (merged.get_attribute("data-x"), merged.get_attribute("data-y"))
    assert moved != before
    for page in (alice, bob):
        expect(title_of(page)).to_have_text("Flow, renamed by Alice", timeout=10_000)
        on_page = widget(page, "Merged")
        expect(on_page).to_have_attribute("data-x", moved[0] or "", timeout=10_000)
        expect(on_page).to_have_attribute("data-y", moved[1] or "")
    # The other's change is pointed out, with their name.
    expect(bob.get_by_test_id("dashboard-highlight")).to_contain_text("alice")

    # Bob deletes a widget and undoes it; Alice sees it go and come back.
    cycle = widget(bob, "Cycle time")
    cycle.get_by_test_id("widget-delete").click()
    expect(widget(alice, "Cycle time")).to_have_count(0, timeout=10_000)
    bob.get_by_test_id("undo-button").click()
    expect(widget(alice, "Cycle time")).to_have_count(1, timeout=10_000)
    expect(widget(bob, "Cycle time")).to_have_count(1)

    # Bob opens a widget's settings: Alice sees it outlined as his, with his name.
    widget(bob, "CI success").get_by_test_id("widget-configure").click()
    expect(widget(alice, "CI success")).to_have_attribute("data-focused-by", "bob", timeout=10_000)
    expect(widget(alice, "CI success").get_by_test_id("widget-focus")).to_contain_text("bob")
    bob.get_by_test_id("panel-close").click()
    expect(widget(alice, "CI success")).to_have_attribute("data-focused-by", "", timeout=10_000)

    # Bob leaves; Alice changes a widget; back, Bob finds it marked as changed since his visit.
    bob.goto(url + "/dashboards")
    expect(alice.locator('[data-testid="presence-user"][data-login="bob"]')).to_have_count(
        0, timeout=10_000
    )
    widget(alice, "CI success").get_by_test_id("widget-configure").click()
    alice.get_by_test_id("config-range").select_option("90d")
    open_dashboard(bob, url, path)
    expect(widget(bob, "CI success").get_by_test_id("changed-since")).to_contain_text("alice")
    expect(widget(bob, "Merged").get_by_test_id("changed-since")).to_have_count(0)

    # Both pages agree on the version once everything arrived.
    version = alice.get_by_test_id("dashboard-page")
    expect(version).to_have_attribute(
        "data-version",
        bob.get_by_test_id("dashboard-page").get_attribute("data-version") or "",
        timeout=10_000,
    )
    for page in (alice, bob):
        page.context.close()


def test_two_renames_at_once_end_the_same_and_the_overwritten_one_is_told(
    browser: Browser, demo
) -> None:
    url, _ = demo
    alice = signed_in(browser, url, "alice")
    path = create_dashboard(alice, url)
    bob = signed_in(browser, url, "bob")
    open_dashboard(bob, url, path)

    outcome = None
    for attempt in range(3):
        titles = {"alice": f"Alice's title {attempt}", "bob": f"Bob's title {attempt}"}
        # Both press Enter at the same instant: neither has seen the other's rename.
        at = time.time() * 1000 + 800
        rename_at(alice, titles["alice"], at)
        rename_at(bob, titles["bob"], at)
        expect(title_of(alice)).not_to_have_text("Team overview", timeout=5_000)
        final = None
        for _ in range(50):
            texts = {title_of(alice).inner_text(), title_of(bob).inner_text()}
            if len(texts) == 1 and texts <= set(titles.values()):
                final = texts.pop()
                break
            time.sleep(0.2)
        assert final is not None, "the two pages did not end with the same title"
        winner = "alice" if final == titles["alice"] else "bob"
        loser_page, winner_page = (bob, alice) if winner == "alice" else (alice, bob)
        notice = loser_page.locator('[data-testid="edit-notice"][data-kind="overwritten"]')
        try:
            expect(notice).to_be_visible(timeout=3_000)
        except AssertionError:
            # The second Enter came after the first rename had arrived: not concurrent, go again.
            continue
        expect(notice).to_contain_text(winner)
        expect(
            winner_page.locator('[data-testid="edit-notice"][data-kind="overwritten"]')
        ).to_have_count(0)
        outcome = final
        break
    assert outcome is not None, "the renames were never concurrent"

    # History: Alice restores the first version; both pages show the template's title again,
    # and the restore is itself a revision.
    alice.get_by_test_id("history-button").click()
    first = alice.locator('[data-testid="revision"][data-version="1"]')
    expect(first).to_be_visible(timeout=10_000)
    first.click()
    preview = alice.locator('[data-testid="revision-preview"][data-version="1"]')
    expect(preview).to_have_attribute("data-title", "Team overview", timeout=10_000)
    preview.get_by_test_id("restore-dashboard").click()
    for page in (alice, bob):
        expect(title_of(page)).to_have_text("Team overview", timeout=10_000)
    expect(alice.get_by_test_id("revision").first).to_contain_text(
        "restored from v1", timeout=10_000
    )
    for page in (alice, bob):
        page.context.close()


def test_a_share_link_shows_the_dashboard_signed_out_until_it_is_revoked(
    browser: Browser, demo
) -> None:
    url, _ = demo
    alice = signed_in(browser, url, "alice")
    create_dashboard(alice, url, template="ci-health")
    title = title_of(alice).inner_text()
    alice.get_by_test_id("share-button").click()
    alice.get_by_test_id("link-create").click()
    link = alice.get_by_test_id("link-url")
    expect(link).to_be_visible(timeout=10_000)
    token = (link.get_attribute("href") or "").rsplit("/shared/", 1)[1]

    stranger = browser.new_context(viewport=VIEWPORT).new_page()
    stranger.goto(f"{url}/shared/{token}")
    expect(stranger.get_by_test_id("shared-dashboard")).to_be_visible(timeout=15_000)
    expect(title_of(stranger)).to_have_text(title)
    expect(stranger.get_by_test_id("widget").first).to_be_visible()
    expect(stranger.get_by_test_id("widget-body").first).to_be_visible(timeout=15_000)
    # Read-only: no editing controls, no sign-in needed.
    expect(stranger.get_by_test_id("edit-toggle")).to_have_count(0)
    expect(stranger.get_by_test_id("widget-configure")).to_have_count(0)
    expect(stranger.get_by_test_id("user-menu")).to_have_count(0)  # nobody is signed in

    alice.get_by_test_id("link-revoke").click()
    expect(alice.get_by_test_id("link-row")).to_have_count(0, timeout=10_000)
    stranger.reload()
    expect(stranger.get_by_test_id("shared-missing")).to_be_visible(timeout=15_000)
    with httpx.Client(base_url=url) as client:
        assert client.get(f"/api/shared/{token}").status_code == 404
    stranger.context.close()
    alice.context.close()


def test_a_merge_in_the_simulator_updates_the_widgets_that_read_it_live(
    browser: Browser, demo
) -> None:
    url, simulator_url = demo
    alice = signed_in(browser, url, "alice")
    create_dashboard(alice, url)
    # The demo's first sync may still be bringing pull requests in: count from its end.
    team = alice.evaluate("fetch('/api/me').then((r) => r.json()).then((me) => me.teams[0].id)")
    for _ in range(300):
        repositories = alice.evaluate(
            f"fetch('/api/teams/{team}/repositories').then((r) => r.json())"
        )
        if repositories and all(r["synced_at"] for r in repositories):
            break
        time.sleep(0.1)
    else:
        pytest.fail("the demo's first sync did not finish")
    alice.reload()
    wait_live(alice)
    merged = widget(alice, "Merged").get_by_test_id("widget-value")
    expect(merged).not_to_have_attribute("data-value", "", timeout=15_000)
    before = merged.get_attribute("data-value") or ""
    alice.evaluate("window.__sameDocument = true")

    with httpx.Client(base_url=simulator_url) as gh:
        for _ in range(200):  # merge one, approving more meanwhile
            step = gh.post("/_simulator/activity/step", json={"action": "merge_pull"})
            if step.json()["steps"][0].get("repository"):
                break
            gh.post("/_simulator/activity/step", json={"action": "submit_review"})
        else:
            pytest.fail("the simulator merged nothing")
    started = time.monotonic()
    expect(merged).not_to_have_attribute("data-value", before, timeout=15_000)
    assert int(merged.get_attribute("data-value") or "0") == int(before) + 1
    assert alice.evaluate("window.__sameDocument") is True  # no reload
    print(f"live merge: widget updated {time.monotonic() - started:.2f} s after the merge")
    alice.context.close()

"""The pool page as an owner uses it: add a machine account's token, see its quota, and the
secret never shown again."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_github_pages import running_demo, sign_in_with_github


def test_an_owner_adds_a_credential_and_sees_the_quota(page: Page, tmp_path: Path) -> None:
    with running_demo(tmp_path, activity_rate=0) as (url, simulator_url):
        with httpx.Client(base_url=simulator_url) as gh:
            token = gh.post("/_simulator/tokens", json={"login": "carol"}).json()["token"]
        page.goto(url + "/")
        sign_in_with_github(page, "alice")
        page.get_by_role("link", name="GitHub quota").click()
        expect(page.get_by_test_id("pool-page")).to_be_visible(timeout=15_000)
        expect(page.get_by_test_id("pool-empty")).to_be_visible()

        form = page.get_by_test_id("pool-add")
        form.get_by_label("Kind").select_option("service")
        form.get_by_label("Name").fill("ci-bot")
        form.get_by_label("Token").fill(token)
        form.get_by_label("Organizations whose private repositories it sees").fill("acme")
        form.get_by_role("button", name="Add").click()

        row = page.get_by_test_id("pool-credential")
        expect(row).to_have_count(1, timeout=15_000)
        expect(row).to_contain_text("ci-bot")
        expect(row).to_contain_text("/ 5000")
        expect(page.get_by_test_id("pool-totals")).to_contain_text("of 5,000 requests left")
        expect(form.get_by_label("Token")).to_have_value("")
        assert token not in page.content()
        page.screenshot(path=str(tmp_path / "pool.png"), full_page=True)

"""Headless Chromium (Debian's) driven by Playwright for Python, and a real HubDeck process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from hubdeck.web.static import STATIC_DIR
from tests.conftest import REQUIRE_SERVICES, STACK, run_sync

CHROMIUM = os.environ.get("HUBDECK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(what: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(what, pytrace=False)
    pytest.skip(what)


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and the async tests of later modules need the thread to themselves.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    if not (STATIC_DIR / "index.html").exists():
        _missing("the front end is not built (make build)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def server_env(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment for `hubdeck serve` on the configured stack."""
    env = {"HUBDECK_DATA_DIR": str(tmp_path / "data"), "HUBDECK_LOG_LEVEL": "info"}
    if STACK == "scaleout":
        from hubdeck.adapters.db import migrate

        database = str(request.getfixturevalue("postgres_database"))
        run_sync(migrate.upgrade(database))
        env["HUBDECK_DATABASE_URL"] = database
        env["HUBDECK_REDIS_URL"] = str(request.getfixturevalue("redis_url"))
        env["HUBDECK_REDIS_PREFIX"] = str(request.getfixturevalue("redis_prefix"))
    return env

"""In Chromium: a team owner adds a webhook endpoint, copies its secret, sends a test event and
sees the attempt in the delivery log; the receiver verifies it with the secret from the page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks.webhooks import Webhook

from tests.e2e.test_github_pages import running_demo, sign_in_with_github

pytestmark = [pytest.mark.e2e, pytest.mark.stack]


@contextmanager
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    received: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    finally:
        server.shutdown()
        server.server_close()


def test_an_owner_adds_an_endpoint_and_sends_a_test_event(page: Page, tmp_path: Path) -> None:
    with (
        receiver() as (hook_url, received),
        running_demo(tmp_path, activity_rate=0, HUBDECK_WEBHOOK_ALLOWED_HOSTS="127.0.0.1") as (
            url,
            _,
        ),
    ):
        page.goto(url + "/")
        sign_in_with_github(page, "alice")
        page.get_by_role("link", name="Webhooks").first.click()
        page.get_by_test_id("endpoint-add").click()
        page.get_by_test_id("endpoint-url").fill(hook_url)
        page.get_by_test_id("endpoint-save").click()
        secret = page.get_by_test_id("secret-value").input_value(timeout=15_000)
        assert secret.startswith("whsec_")

        page.get_by_test_id("endpoint-list").get_by_role("link").first.click()
        expect(page.get_by_test_id("endpoint-state")).to_have_text("Active.", timeout=15_000)
        page.get_by_test_id("endpoint-test").click()
        expect(page.get_by_test_id("attempt-list")).to_contain_text("webhook.test", timeout=30_000)
        expect(page.get_by_test_id("attempt-list")).to_contain_text("204")
        # The demo's own events arrive too; every delivery verifies with the secret shown.
        types = [Webhook(secret).verify(body, headers)["type"] for headers, body in received]
        assert "webhook.test" in types

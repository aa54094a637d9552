"""The simulator as a real process (``serve`` → uvicorn) over real sockets, delivering a signed
webhook to a real local receiver that checks the signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

SECRET = "real-server-secret"


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(self.headers.get("X-Hub-Signature-256", ""), expected)
        self.received.append(
            {
                "event": self.headers["X-GitHub-Event"],
                "delivery": self.headers["X-GitHub-Delivery"],
                "valid": valid,
                "payload": json.loads(body),
            }
        )
        self.send_response(202 if valid else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, object]]]]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", _Receiver.received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def simulator_url(receiver: tuple[str, list[dict[str, object]]], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    code = (
        "from hubdeck.simulator import SimulatorConfig, serve\n"
        f"serve(SimulatorConfig(seed=5, repos=3, webhook_url={receiver[0]!r}, "
        f"webhook_secret={SECRET!r}, preset_tokens={{'ghp_real': 'alice'}}), '127.0.0.1', {port})\n"
    )
    log = (tmp_path / "simulator.log").open("w")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/rate_limit", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("simulator did not start:\n" + (tmp_path / "simulator.log").read_text())
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_for(received: list[dict[str, object]], event: str) -> dict[str, object]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for item in list(received):
            if item["event"] == event:
                return item
        time.sleep(0.05)
    raise AssertionError(f"no {event} delivery; got {[r['event'] for r in received]}")


def test_real_http_and_a_signed_webhook(
    simulator_url: str, receiver: tuple[str, list[dict[str, object]]]
) -> None:
    _, received = receiver
    headers = {"Authorization": "token ghp_real"}
    with httpx.Client(base_url=simulator_url, headers=headers, timeout=5) as client:
        ping = wait_for(received, "ping")  # sent when the simulator starts
        assert ping["valid"] is True

        repo = client.get("/repos/acme/api").json()
        assert repo["url"] == f"{simulator_url}/repos/acme/api"  # serve() writes its own address
        page = client.get("/repos/acme/api/issues", params={"state": "all", "per_page": 5})
        assert page.headers["x-ratelimit-remaining"] == "4998"
        next_url = page.headers["link"].split(">", 1)[0].lstrip("<")
        assert next_url.startswith(f"{simulator_url}/repositories/{repo['id']}/issues?")
        assert client.get(next_url).status_code == 200
        assert (
            client.get(
                "/repos/acme/api",
                headers={"If-None-Match": client.get("/repos/acme/api").headers["etag"]},
            ).status_code
            == 304
        )

        step = client.post("/_simulator/activity/step", json={"action": "open_issue"}).json()[
            "steps"
        ][0]
        delivery = wait_for(received, "issues")
        assert delivery["valid"] is True
        assert delivery["delivery"] == step["events"][0]["delivery_id"]
        payload = delivery["payload"]
        assert isinstance(payload, dict) and payload["issue"]["number"] == step["number"]
        shown = client.get(f"/repos/{step['repository']}/issues/{step['number']}")
        assert shown.json()["title"] == payload["issue"]["title"]

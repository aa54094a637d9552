"""A `hubdeck cluster` process (web nodes, workers and its balancer) for cross-process tests."""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT = 90.0


def consecutive_free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports that are free now. Below the kernel's
    ephemeral range (32768 and up), where outgoing connections do not take them meanwhile."""
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 32000 - count)
        try:
            with contextlib.ExitStack() as stack:
                for port in range(base, base + count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no run of free ports")


@dataclass
class Cluster:
    env: dict[str, str]
    log_path: Path
    nodes: int
    workers: int
    process: subprocess.Popen[bytes] | None = None
    balancer: str = ""
    members: list[dict[str, Any]] = field(default_factory=list)

    def start(self) -> None:
        # One run of ports, so that no two roles pick the same one.
        node_port = consecutive_free_ports(self.nodes + self.workers + 1)
        metrics_port = node_port + self.nodes
        balancer_port = metrics_port + self.workers
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "hubdeck", "cluster"),
                    *("--nodes", str(self.nodes), "--workers", str(self.workers)),
                    *("--port", str(balancer_port), "--node-port", str(node_port)),
                    *("--metrics-port", str(metrics_port)),
                ],
                env=self.env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hubdeck cluster exited: {self.log_tail()}")
            for line in self.log_path.read_text(errors="replace").splitlines():
                if line.startswith('{"balancer"'):
                    status = json.loads(line)
                    self.balancer = status["balancer"]
                    self.members = status["members"]
                    return
            time.sleep(0.2)
        raise TimeoutError(f"hubdeck cluster did not start: {self.log_tail()}")

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def member(self, role: str, number: int) -> dict[str, Any]:
        return next(m for m in self.members if m["role"] == role and m["number"] == number)

    def of_role(self, role: str) -> list[dict[str, Any]]:
        return [m for m in self.members if m["role"] == role]

    def kill(self, member: dict[str, Any]) -> None:
        """SIGKILL: no shutdown, no goodbye, as when a machine dies."""
        os.kill(member["pid"], signal.SIGKILL)
        member["killed"] = True

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            for member in self.members:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(member["pid"], signal.SIGKILL)
        self.process = None


@contextlib.contextmanager
def running_cluster(
    env: dict[str, str], log_path: Path, *, nodes: int = 2, workers: int = 1
) -> Iterator[Cluster]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("HUBDECK_")}
    cluster = Cluster({**inherited, "HUBDECK_LOG_JSON": "false", **env}, log_path, nodes, workers)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def gauge(metrics_text: str, name: str) -> float:
    """The value of an unlabelled gauge in a /metrics text."""
    found = re.search(rf"^{re.escape(name)} (\S+)$", metrics_text, re.MULTILINE)
    if found is None:
        raise KeyError(name)
    return float(found.group(1))


async def scrape(http: httpx.AsyncClient, member: dict[str, Any], name: str) -> float | None:
    """A gauge of a member, or None if it does not answer."""
    try:
        response = await http.get(member["url"] + "/metrics", timeout=2)
    except httpx.HTTPError:
        return None
    return gauge(response.text, name)

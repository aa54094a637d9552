"""The contract suite is only worth something if it fails on a wrong adapter: run part of it
against the deliberately broken Redis adapters of broken.py, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.contract.broken import BROKEN

ROOT = Path(__file__).resolve().parents[2]

# Each bug, and the contract test that must catch it (its Redis run).
CAUGHT_BY = {
    "kv_ttl_ignored": "test_keyvalue.py::test_set_with_ttl_expires",
    "kv_incr_racy": "test_keyvalue.py::test_incr_concurrent",
    "history_unbounded": "test_history.py::test_count_bound",
    "lock_release_any_token": "test_locks.py::test_release_with_wrong_token",
    "cache_tags_ignored": "test_cache.py::test_invalidate_tag",
    "presence_never_expires": "test_presence.py::test_expiry",
}
NODE_IDS = [f"tests/contract/{test}[redis]" for test in CAUGHT_BY.values()]


def start_pytest(broken: str | None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "HUBDECK_CONTRACT_BROKEN"}
    if broken is not None:
        env["HUBDECK_CONTRACT_BROKEN"] = broken
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            *NODE_IDS,
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",
            "-q",
            "-rfE",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_every_broken_adapter_is_listed() -> None:
    assert set(CAUGHT_BY) == set(BROKEN)


def test_broken_redis_adapters_fail_the_contract(redis_url: str) -> None:
    # Both runs at once: together they take as long as one.
    broken_run = start_pytest(",".join(CAUGHT_BY))
    clean_run = start_pytest(None)
    broken_output, _ = broken_run.communicate(timeout=120)
    clean_output, _ = clean_run.communicate(timeout=120)

    assert clean_run.returncode == 0, clean_output
    assert f"{len(NODE_IDS)} passed" in clean_output, clean_output

    assert broken_run.returncode == 1, broken_output
    failed = {line.split()[1] for line in broken_output.splitlines() if line.startswith("FAILED ")}
    assert failed == set(NODE_IDS), broken_output

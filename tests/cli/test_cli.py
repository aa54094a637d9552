"""The `hubdeck` command as an operator runs it: a real process, its exit code and its output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from hubdeck import __version__
from hubdeck.adapters.db import migrate


def hubdeck(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUBDECK_")}
    return subprocess.run(
        [sys.executable, "-m", "hubdeck", *args],
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_version() -> None:
    result = hubdeck("version")
    assert result.returncode == 0
    assert result.stdout.strip() == __version__


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HUBDECK_DATABASE_URL", "nonsense"),
        ("HUBDECK_REDIS_URL", "nonsense"),
        ("HUBDECK_LOG_LEVEL", "chatty"),
    ],
)
def test_bad_setting_stops_serve_with_one_line(tmp_path: Path, variable: str, value: str) -> None:
    result = hubdeck("serve", env={variable: value, "HUBDECK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"hubdeck: {variable}: ")
    assert "Traceback" not in result.stderr


def test_db_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    env = {"HUBDECK_DATA_DIR": str(tmp_path)}
    up = hubdeck("db", "upgrade", env=env)
    assert up.returncode == 0, up.stderr
    assert up.stdout.strip() == f"database at revision {migrate.head_revision()}"
    assert (tmp_path / "hubdeck.db").exists()
    down = hubdeck("db", "downgrade", env=env)
    assert down.returncode == 0, down.stderr
    # One step down is the head's own down revision (revision ids need not be consecutive).
    script = ScriptDirectory.from_config(migrate._config())
    previous = script.get_revision(migrate.head_revision()).down_revision
    assert down.stdout.strip() == f"database at revision {previous}"  # one step down
    to_base = hubdeck("db", "downgrade", "base", env=env)
    assert to_base.stdout.strip() == "database at revision base (empty)"


def test_serve_refuses_an_unmigrated_postgresql(postgres_database: str, tmp_path: Path) -> None:
    result = hubdeck(
        "serve",
        env={"HUBDECK_DATABASE_URL": postgres_database, "HUBDECK_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"hubdeck: the database schema is at nothing, this HubDeck needs {migrate.head_revision()}: "
        "run `hubdeck db upgrade`"
    )


def test_serve_reports_an_unreachable_database(tmp_path: Path) -> None:
    result = hubdeck(
        "serve",
        env={
            "HUBDECK_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
            "HUBDECK_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 2
    assert result.stderr.startswith("hubdeck: cannot open the database")
    assert len(result.stderr.strip().splitlines()) == 1


def test_more_workers_need_redis(tmp_path: Path) -> None:
    result = hubdeck("serve", "--workers", "2", env={"HUBDECK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "HUBDECK_REDIS_URL" in result.stderr


def test_serve_logs_json_lines_with_the_request_id(tmp_path: Path) -> None:
    import json

    import httpx

    from tests.servers import server_process

    log_path = tmp_path / "server.log"
    with server_process({"HUBDECK_DATA_DIR": str(tmp_path / "data")}, log_path) as server:
        assert (
            httpx.get(server.url + "/healthz", headers={"X-Request-ID": "trace-42"}).status_code
            == 200
        )
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    request = next(line for line in lines if line.get("request_id") == "trace-42")
    assert request["event"] == "http.request"
    assert request["path"] == "/healthz"
    assert request["status"] == 200
    assert request["level"] == "info"
    assert "timestamp" in request

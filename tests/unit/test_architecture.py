"""The layering of ARCHITECTURE §2, checked on the real import statements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "hubdeck"

# Modules each layer may not import (prefix match on the imported module name).
FORBIDDEN = {
    "core": [
        "hubdeck.adapters",
        "hubdeck.services",
        "hubdeck.web",
        "hubdeck.app",
        "hubdeck.ports",
        "sqlalchemy",
        "redis",
        "fastapi",
        "starlette",
        "httpx",
        "uvicorn",
    ],
    "services": [
        "hubdeck.adapters",
        "hubdeck.web",
        "hubdeck.app",
        "sqlalchemy",
        "redis",
        "fastapi",
        "starlette",
        "uvicorn",
    ],
    "web": ["hubdeck.adapters", "hubdeck.app", "sqlalchemy", "redis"],
    "adapters": ["hubdeck.web", "hubdeck.services", "hubdeck.app"],
    "simulator": [
        "hubdeck.core",
        "hubdeck.ports",
        "hubdeck.services",
        "hubdeck.adapters",
        "hubdeck.web",
        "hubdeck.app",
        "hubdeck.config",
        "hubdeck.runtime",
    ],
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_point_inward(layer: str) -> None:
    if not (PACKAGE / layer).is_dir():
        pytest.skip(f"no {layer} package yet")
    assert violations(layer) == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from hubdeck.adapters.db.tables import users\nimport redis.asyncio\n")
    assert {"hubdeck.adapters.db.tables", "redis.asyncio"} <= imported_modules(bad)


def test_importing_the_app_opens_nothing() -> None:
    import subprocess
    import sys

    # A fresh interpreter: importing the composition root must not connect or create files.
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise AssertionError('connection at import time')\n"
        "socket.socket.connect = refuse\n"
        "import hubdeck.app, hubdeck.cli\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

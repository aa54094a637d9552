"""The built front end is served at / with a client-side routing fallback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hubdeck.config import Settings
from tests.servers import running_app


@pytest.fixture
def static_dir(tmp_path: Path) -> Path:
    root = tmp_path / "static"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><div id=root>shell</div>")
    (root / "assets" / "app-1a2b.js").write_text("console.log('app')")
    (root / "favicon.svg").write_text("<svg/>")
    return root


@pytest.fixture
async def http(settings: Settings, static_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        running_app(settings, static_dir=static_dir) as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        yield client


async def test_index_for_client_routes(http: httpx.AsyncClient) -> None:
    for path in ("/", "/status", "/teams/acme/settings"):
        response = await http.get(path)
        assert response.status_code == 200, path
        assert "shell" in response.text
        assert response.headers["cache-control"] == "no-cache"


async def test_assets_and_top_level_files(http: httpx.AsyncClient) -> None:
    assert (await http.get("/assets/app-1a2b.js")).text == "console.log('app')"
    assert (await http.get("/favicon.svg")).text == "<svg/>"
    assert (await http.get("/assets/missing.js")).status_code == 404


async def test_server_paths_never_fall_back_to_html(http: httpx.AsyncClient) -> None:
    for path in ("/api/nope", "/webhooks/nope", "/connection/nope"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


async def test_path_traversal_is_not_served(http: httpx.AsyncClient, static_dir: Path) -> None:
    (static_dir.parent / "secret.txt").write_text("secret")
    response = await http.get("/..%2Fsecret.txt")
    assert "secret" not in response.text

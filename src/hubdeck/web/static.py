"""The built front end: files under /assets, and index.html for every client-side route."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from hubdeck.core.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Paths that belong to the server: an unknown one is a JSON 404, never the app's HTML.
_SERVER_PREFIXES = ("api/", "connection/", "webhooks/", "healthz", "readyz", "assets/")

_NOT_BUILT = """<!doctype html><title>HubDeck</title>
<p>The HubDeck web interface has not been built. Run <code>make serve</code>, or
<code>make build</code> and restart the server.</p>"""


def mount_frontend(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    index = static_dir / "index.html"
    assets = static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    # The build does not change while the server runs: list its top-level files once.
    top_files = (
        {p.name: p for p in static_dir.iterdir() if p.is_file()} if static_dir.is_dir() else {}
    )
    index_exists = index.is_file()

    @app.get("/{path:path}", include_in_schema=False)
    async def frontend(path: str) -> Response:
        if path.startswith(_SERVER_PREFIXES):
            raise NotFound(f"no such resource: /{path}")
        if path in top_files:
            return FileResponse(top_files[path])
        if not index_exists:
            return HTMLResponse(_NOT_BUILT, status_code=503)
        # no-cache: a new deployment's index.html must be picked up; assets are fingerprinted.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

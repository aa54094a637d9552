"""HTTP surface of the app shell: health, readiness, errors, OpenAPI, request ids."""

from __future__ import annotations

import httpx
import pytest

from hubdeck import __version__

pytestmark = pytest.mark.stack


async def test_healthz(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_the_configured_backends(
    http: httpx.AsyncClient, stack_redis: tuple[str, str] | None
) -> None:
    response = await http.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    if stack_redis is None:
        assert body["checks"]["database"]["backend"] == "sqlite"
        assert body["checks"]["redis"] == {"ok": True, "backend": "memory"}
    else:
        assert body["checks"]["database"]["backend"] == "postgresql"
        assert body["checks"]["redis"] == {"ok": True, "backend": "redis"}


async def test_version(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/version")).json() == {"version": __version__}


async def test_openapi_is_served_under_api(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/api/openapi.json")).json()
    assert "/api/version" in schema["paths"]
    assert "/readyz" in schema["paths"]
    assert (await http.get("/api/docs")).status_code == 200


async def test_unknown_api_path_is_a_json_404(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "/api/no-such-thing" in response.json()["error"]["message"]


async def test_wrong_method_is_a_json_error(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/version")
    assert response.status_code == 405
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "Method Not Allowed",
    }


async def test_request_id_is_generated_or_kept(http: httpx.AsyncClient) -> None:
    generated = (await http.get("/healthz")).headers["x-request-id"]
    assert len(generated) == 32
    kept = await http.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert kept.headers["x-request-id"] == "abc-123"
    # An id that could forge log lines is replaced.
    forged = await http.get("/healthz", headers={"X-Request-ID": 'x" level=error'})
    assert forged.headers["x-request-id"] != 'x" level=error'

"""Control endpoints under ``/_simulator`` for tests, benchmarks and the demo.

They cost no quota and need no token. ``SimulatorConfig.admin_enabled=False`` removes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .api import parse_time
from .models import iso
from .state import DEFAULT_SCOPES

if TYPE_CHECKING:
    from .app import Simulator


def _sim(request: Request) -> Simulator:
    sim: Simulator = request.app.state.sim
    return sim


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


async def create_token(request: Request) -> Response:
    sim, body = _sim(request), await _body(request)
    login = str(body.get("login", ""))
    if sim.store.user(login) is None:
        return _problem(422, f"unknown login {login!r}")
    scopes = body.get("scopes", list(DEFAULT_SCOPES))
    if isinstance(scopes, str):
        scopes = [s for s in scopes.replace(",", " ").split() if s]
    token = sim.store.issue_token(login, tuple(str(s) for s in scopes), now=sim.clock.now())
    return JSONResponse(
        {"token": token.value, "login": token.login, "scopes": list(token.scopes)}, 201
    )


async def revoke_token(request: Request) -> Response:
    sim, value = _sim(request), request.path_params["token"]
    if not sim.store.revoke_token(value):
        return _problem(404, "unknown token")
    return JSONResponse({"token": value, "revoked": True})


async def stats(request: Request) -> Response:
    sim = _sim(request)
    body = sim.stats.as_json()
    deliveries = list(sim.sender.deliveries.values())
    body["webhooks"] = {
        status: sum(1 for d in deliveries if d.status == status)
        for status in ("pending", "delivered", "failed", "not_sent")
    }
    body["activity_steps"] = sim.activity.steps
    return JSONResponse(body)


async def reset_stats(request: Request) -> Response:
    _sim(request).stats.reset()
    return JSONResponse({"reset": True})


async def deliveries(request: Request) -> Response:
    sim, query = _sim(request), request.query_params
    with_payload = query.get("payload", "1") != "0"
    found = [
        d.as_json(with_payload=with_payload)
        for d in sim.sender.deliveries.values()
        if ("event" not in query or d.event == query["event"])
        and ("action" not in query or d.action == query["action"])
    ]
    return JSONResponse(found)


async def delivery(request: Request) -> Response:
    found = _sim(request).sender.deliveries.get(request.path_params["guid"])
    if found is None:
        return _problem(404, "unknown delivery")
    return JSONResponse(found.as_json() | {"headers": _sim(request).sender.headers(found)})


async def redeliver(request: Request) -> Response:
    found = _sim(request).sender.redeliver(request.path_params["guid"])
    if found is None:
        return _problem(404, "unknown delivery")
    return JSONResponse(found.as_json(with_payload=False), status_code=202)


async def flush(request: Request) -> Response:
    sim = _sim(request)
    await sim.sender.drain()
    pending = sum(1 for d in sim.sender.deliveries.values() if d.status == "pending")
    return JSONResponse({"pending": pending})


async def activity_step(request: Request) -> Response:
    sim, body = _sim(request), await _body(request)
    count = int(body.get("count", 1))
    action = body.get("action")
    advance = float(body.get("advance_seconds", 0))
    steps = []
    for _ in range(max(count, 0)):
        if advance:
            sim.clock.advance(advance)
        try:
            steps.append(sim.activity.step(str(action) if action else None))
        except KeyError:
            return _problem(422, f"unknown action {action!r}")
    return JSONResponse({"steps": steps})


async def clock(request: Request) -> Response:
    sim = _sim(request)
    if request.method == "POST":
        body = await _body(request)
        if "now" in body:
            when = parse_time(str(body["now"]))
            if when is None:
                return _problem(422, "now must be an ISO 8601 timestamp")
            sim.clock.set(when)
        if "advance_seconds" in body:
            sim.clock.advance(float(body["advance_seconds"]))
    return JSONResponse(
        {
            "now": iso(sim.clock.now()),
            "frozen": sim.clock.frozen,
            "epoch": int(sim.clock.timestamp()),
        }
    )


async def webhook(request: Request) -> Response:
    sim, body = _sim(request), await _body(request)
    url = body.get("url")
    secret = body.get("secret")
    sim.sender.configure(str(url) if url else None, str(secret) if secret else None)
    return JSONResponse({"url": sim.sender.url, "hook_id": sim.sender.hook_id})


async def ping(request: Request) -> Response:
    sim = _sim(request)
    sim.mutations.ping()
    sent = sim.mutations.take_emitted()
    return JSONResponse(sent[0].as_json(with_payload=False), status_code=201)


async def installation(request: Request) -> Response:
    sim, body = _sim(request), await _body(request)
    sender = str(body.get("sender") or sim.store.members()[0].login)
    sim.mutations.install_app(sender)
    sent = sim.mutations.take_emitted()
    return JSONResponse(sent[0].as_json(with_payload=False), status_code=201)


async def users(request: Request) -> Response:
    sim = _sim(request)
    return JSONResponse(
        [
            {"login": u.login, "id": u.id, "type": u.type, "member": u.member}
            for u in sorted(sim.store.users.values(), key=lambda u: u.id)
        ]
    )


async def create_app(request: Request) -> Response:
    """Register a GitHub App. Without ``public_key`` the simulator makes a key pair and hands
    back the private key (PEM), as GitHub does once when an app's key is generated."""
    from .apps import generate_private_key

    sim, body = _sim(request), await _body(request)
    slug = str(body.get("slug") or f"app-{len(sim.apps.apps) + 1}")
    public_key = body.get("public_key")
    private_key: str | None = None
    if not isinstance(public_key, str) or not public_key.strip():
        private_key, public_key = generate_private_key()
    app = sim.apps.register(slug, public_key)
    answer: dict[str, Any] = {"id": app.id, "slug": app.slug, "bot": app.bot_login}
    if private_key is not None:
        answer["private_key"] = private_key
    return JSONResponse(answer, status_code=201)


async def install_app(request: Request) -> Response:
    sim, body = _sim(request), await _body(request)
    try:
        app = sim.apps.apps.get(int(request.path_params["app_id"]))
    except ValueError:
        app = None
    if app is None:
        return _problem(404, "unknown app")
    account = str(body.get("account") or sim.store.org.login)
    installation = sim.apps.install(app, account)
    return JSONResponse({"id": installation.id, "app_id": app.id, "account": account}, 201)


def routes() -> list[BaseRoute]:
    prefix = "/_simulator"
    return [
        Route(f"{prefix}/tokens", create_token, methods=["POST"]),
        Route(f"{prefix}/tokens/{{token}}/revoke", revoke_token, methods=["POST"]),
        Route(f"{prefix}/stats", stats, methods=["GET"]),
        Route(f"{prefix}/stats/reset", reset_stats, methods=["POST"]),
        Route(f"{prefix}/deliveries", deliveries, methods=["GET"]),
        Route(f"{prefix}/deliveries/flush", flush, methods=["POST"]),
        Route(f"{prefix}/deliveries/{{guid}}", delivery, methods=["GET"]),
        Route(f"{prefix}/deliveries/{{guid}}/redeliver", redeliver, methods=["POST"]),
        Route(f"{prefix}/activity/step", activity_step, methods=["POST"]),
        Route(f"{prefix}/clock", clock, methods=["GET", "POST"]),
        Route(f"{prefix}/webhook", webhook, methods=["PUT"]),
        Route(f"{prefix}/webhook/ping", ping, methods=["POST"]),
        Route(f"{prefix}/installation", installation, methods=["POST"]),
        Route(f"{prefix}/users", users, methods=["GET"]),
        Route(f"{prefix}/apps", create_app, methods=["POST"]),
        Route(f"{prefix}/apps/{{app_id}}/installations", install_app, methods=["POST"]),
    ]

"""Shared dashboards over HTTP (docs/dashboards.md); every check is in the service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from hubdeck.core.dashboards.model import DESCRIPTION_MAX, TITLE_MAX, DashboardRole, Document
from hubdeck.core.errors import NotFound
from hubdeck.runtime import Runtime
from hubdeck.services.dashboard_json import channel_of
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.json_body import JSON_ANSWER, json_response
from hubdeck.web.positions import HEADER, set_position
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["dashboards"])

DashboardId = Annotated[int, Path(ge=1)]
Version = Annotated[int, Path(ge=1)]
WidgetIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Token = Annotated[str, Path(min_length=1, max_length=200)]


class DashboardIn(BaseModel):
    team_id: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    template: str | None = Field(default=None, max_length=64)


class OpsIn(BaseModel):
    base_version: int
    client_op_id: str = Field(min_length=1, max_length=64)
    client: str = Field(default="", max_length=64)
    # Checked operation by operation in the service, with messages that name the operation.
    ops: list[dict[str, Any]] = Field(min_length=1)


class RestoreIn(BaseModel):
    base_version: int
    version: int = Field(ge=1)
    widget_id: str | None = Field(default=None, min_length=1, max_length=64)
    client_op_id: str | None = Field(default=None, min_length=1, max_length=64)
    client: str = Field(default="", max_length=64)


class SeenIn(BaseModel):
    version: int = Field(ge=1)


class GrantIn(BaseModel):
    user_id: int | None = Field(default=None, ge=1)
    login: str | None = Field(default=None, min_length=1, max_length=100)
    team_id: int | None = Field(default=None, ge=1)
    role: DashboardRole


class LinkIn(BaseModel):
    expires_at: datetime | None = None


@router.get("/dashboard-templates")
async def templates(runtime: RuntimeDep, user_id: CurrentUserId) -> dict[str, Any]:
    return runtime.dashboards.templates()


@router.get("/dashboard-catalog")
async def dashboard_catalog(runtime: RuntimeDep, user_id: CurrentUserId) -> dict[str, Any]:
    return runtime.dashboards.catalog()


@router.get("/dashboards", response_class=Response, responses=JSON_ANSWER)
async def list_dashboards(runtime: RuntimeDep, user_id: CurrentUserId) -> Response:
    return json_response(await runtime.dashboards.listing(user_id))


async def _snapshot(
    runtime: Runtime, user_id: int, dashboard_id: int
) -> tuple[dict[str, Any], str]:
    """The snapshot and its stream position (the header's value)."""
    # The position first: everything published after it is missing from the snapshot, and
    # reaches a subscriber that starts there.
    channel = channel_of(dashboard_id)
    top = await runtime.infra.history.top(channel)
    snapshot = await runtime.dashboards.snapshot(user_id, dashboard_id)
    stream = {"channel": channel, "offset": top.offset, "epoch": top.epoch}
    return {**snapshot, "stream": stream}, f"{channel} offset={top.offset} epoch={top.epoch}"


@router.post("/dashboards", status_code=201)
async def create_dashboard(
    body: DashboardIn, runtime: RuntimeDep, user_id: CurrentUserId, response: Response
) -> dict[str, Any]:
    dashboard_id = await runtime.dashboards.create(
        user_id, body.team_id, body.title, body.description, body.template
    )
    snapshot, position = await _snapshot(runtime, user_id, dashboard_id)
    set_position(response, position)
    return snapshot


@router.get("/dashboards/{dashboard_id}", response_class=Response, responses=JSON_ANSWER)
async def get_dashboard(
    dashboard_id: DashboardId, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    snapshot, position = await _snapshot(runtime, user_id, dashboard_id)
    return json_response(snapshot, headers={HEADER: position})


@router.delete("/dashboards/{dashboard_id}", status_code=204)
async def delete_dashboard(
    dashboard_id: DashboardId, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    await runtime.dashboards.delete(user_id, dashboard_id)
    return Response(status_code=204)


@router.post("/dashboards/{dashboard_id}/ops")
async def apply_ops(
    dashboard_id: DashboardId, body: OpsIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.editor.apply(
        user_id,
        dashboard_id,
        base_version=body.base_version,
        client_op_id=body.client_op_id,
        ops=body.ops,
        client=body.client,
    )


@router.post("/dashboards/{dashboard_id}/seen", status_code=204)
async def seen(
    dashboard_id: DashboardId, body: SeenIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    await runtime.dashboards.seen(user_id, dashboard_id, body.version)
    return Response(status_code=204)


MAX_BATCH = 50


@router.get(
    "/dashboards/{dashboard_id}/widgets/data", response_class=Response, responses=JSON_ANSWER
)
async def widgets_data(
    dashboard_id: DashboardId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    ids: Annotated[
        str | None,
        Query(
            max_length=64 * MAX_BATCH,
            pattern=r"^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$",
            description="Comma-separated widget ids; every widget when omitted.",
        ),
    ] = None,
) -> Response:
    """Several widgets' data in one request, as the page loads them: one authentication and
    one access check for all (``{"widgets": {id: data}}``; unknown ids are left out)."""
    team_id, document = await runtime.dashboards.team_of(user_id, dashboard_id)
    wanted = None if ids is None else set(ids.split(","))
    widgets = [w for w in document.widgets if wanted is None or w.id in wanted]
    return json_response(
        {"widgets": await runtime.widget_data.data_many(team_id, widgets[:MAX_BATCH])}
    )


@router.get("/dashboards/{dashboard_id}/widgets/{widget_id}/data")
async def widget_data(
    dashboard_id: DashboardId, widget_id: WidgetIdPath, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    team_id, document = await runtime.dashboards.team_of(user_id, dashboard_id)
    return await _widget_data(runtime, team_id, document, widget_id)


async def _widget_data(
    runtime: Runtime, team_id: int, document: Document, widget_id: str
) -> dict[str, Any]:
    widget = document.widget(widget_id)
    if widget is None:
        raise NotFound("no such widget")
    return await runtime.widget_data.data(team_id, widget)


@router.get("/dashboards/{dashboard_id}/revisions")
async def revisions(
    dashboard_id: DashboardId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    return await runtime.dashboards.revisions(user_id, dashboard_id, before=before, limit=limit)


@router.get("/dashboards/{dashboard_id}/revisions/{version}")
async def revision(
    dashboard_id: DashboardId, version: Version, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.revision(user_id, dashboard_id, version)


@router.post("/dashboards/{dashboard_id}/restore")
async def restore(
    dashboard_id: DashboardId, body: RestoreIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.editor.restore(
        user_id,
        dashboard_id,
        base_version=body.base_version,
        version=body.version,
        widget_id=body.widget_id,
        client_op_id=body.client_op_id,
        client=body.client,
    )


@router.get("/dashboards/{dashboard_id}/grants")
async def grants(
    dashboard_id: DashboardId, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.sharing.grants(user_id, dashboard_id)


@router.put("/dashboards/{dashboard_id}/grants")
async def put_grant(
    dashboard_id: DashboardId, body: GrantIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.sharing.put_grant(
        user_id,
        dashboard_id,
        role=body.role,
        grantee_id=body.user_id,
        login=body.login,
        team_id=body.team_id,
    )


@router.delete("/dashboards/{dashboard_id}/grants", status_code=204)
async def delete_grant(
    dashboard_id: DashboardId,
    runtime: RuntimeDep,
    user_id: CurrentUserId,
    grantee: Annotated[int | None, Query(alias="user_id", ge=1)] = None,
    team_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    await runtime.dashboards.sharing.delete_grant(
        user_id, dashboard_id, grantee_id=grantee, team_id=team_id
    )
    return Response(status_code=204)


@router.post("/dashboards/{dashboard_id}/links", status_code=201)
async def create_link(
    dashboard_id: DashboardId, body: LinkIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.sharing.create_link(user_id, dashboard_id, body.expires_at)


@router.get("/dashboards/{dashboard_id}/links")
async def links(
    dashboard_id: DashboardId, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.dashboards.sharing.links(user_id, dashboard_id)


@router.delete("/dashboards/{dashboard_id}/links/{link_id}", status_code=204)
async def revoke_link(
    dashboard_id: DashboardId,
    link_id: Annotated[int, Path(ge=1)],
    runtime: RuntimeDep,
    user_id: CurrentUserId,
) -> Response:
    await runtime.dashboards.sharing.revoke_link(user_id, dashboard_id, link_id)
    return Response(status_code=204)


# --- read-only share links: no account needed ---------------------------------------------


@router.get("/shared/{token}")
async def shared(token: Token, runtime: RuntimeDep) -> dict[str, Any]:
    return await runtime.dashboards.sharing.shared_snapshot(token)


@router.get("/shared/{token}/widgets/{widget_id}/data")
async def shared_widget_data(
    token: Token, widget_id: WidgetIdPath, runtime: RuntimeDep
) -> dict[str, Any]:
    record, document = await runtime.dashboards.sharing.shared(token)
    return await _widget_data(runtime, record.team_id, document, widget_id)

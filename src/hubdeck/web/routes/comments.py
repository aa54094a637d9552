"""Comments on dashboards and widgets (docs/comments.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from hubdeck.core.comments.model import MAX_BODY
from hubdeck.web.deps import RuntimeDep
from hubdeck.web.session import CurrentUserId

router = APIRouter(prefix="/api", tags=["comments"])

DashboardId = Annotated[int, Path(ge=1)]
CommentId = Annotated[int, Path(ge=1)]


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=MAX_BODY)
    # A new thread on one widget (omit for the whole dashboard), or a reply to a thread.
    widget_id: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    )
    thread_id: int | None = Field(default=None, ge=1)


class CommentEdit(BaseModel):
    body: str = Field(min_length=1, max_length=MAX_BODY)


@router.get("/dashboards/{dashboard_id}/comments")
async def list_comments(
    dashboard_id: DashboardId, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.comments.threads(user_id, dashboard_id)


@router.post("/dashboards/{dashboard_id}/comments", status_code=201)
async def post_comment(
    dashboard_id: DashboardId, body: CommentIn, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.comments.post(
        user_id, dashboard_id, body.body, widget_id=body.widget_id, thread_id=body.thread_id
    )


@router.patch("/comments/{comment_id}")
async def edit_comment(
    comment_id: CommentId, body: CommentEdit, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.comments.edit(user_id, comment_id, body.body)


@router.delete("/comments/{comment_id}", status_code=204)
async def delete_comment(
    comment_id: CommentId, runtime: RuntimeDep, user_id: CurrentUserId
) -> Response:
    await runtime.comments.delete(user_id, comment_id)
    return Response(status_code=204)


@router.post("/comments/{comment_id}/resolve")
async def resolve_thread(
    comment_id: CommentId, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.comments.resolve(user_id, comment_id, resolved=True)


@router.post("/comments/{comment_id}/reopen")
async def reopen_thread(
    comment_id: CommentId, runtime: RuntimeDep, user_id: CurrentUserId
) -> dict[str, Any]:
    return await runtime.comments.resolve(user_id, comment_id, resolved=False)

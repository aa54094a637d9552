"""The dashboards' socket methods (docs/dashboards.md, "RPC methods"): thin translations to
the dashboards service, which checks everything the HTTP routes check."""

from __future__ import annotations

from typing import Any

from hubdeck.core.errors import InvalidInput
from hubdeck.services.dashboards import DashboardService
from hubdeck.web.realtime.rpc import Caller, RpcDispatcher


def _dashboard_id(data: dict[str, Any]) -> int:
    value = data.get("dashboard_id")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput("dashboard_id is a dashboard's id")
    return value


def _text(data: dict[str, Any], name: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise InvalidInput(f"{name} is a string")
    return value


def register_dashboard_rpc(rpc: RpcDispatcher, dashboards: DashboardService) -> None:
    async def ops(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        base_version = data.get("base_version")
        if isinstance(base_version, bool) or not isinstance(base_version, int):
            raise InvalidInput("base_version is the version the edit was based on")
        return await dashboards.editor.apply(
            caller.user_id,
            _dashboard_id(data),
            base_version=base_version,
            client_op_id=_text(data, "client_op_id"),
            ops=data.get("ops"),
            # Two tabs of one person are told apart by their connection unless they say.
            client=_text(data, "client", caller.client),
        )

    async def focus(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
        return await dashboards.editor.focus(
            caller.user_id, caller.client, _dashboard_id(data), data.get("widget_id")
        )

    rpc.register("dashboard.ops", ops)
    rpc.register("dashboard.focus", focus)

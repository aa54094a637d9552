"""Every widget's data in one request, as the page loads a dashboard: the same data as one by
one, the same access rules."""

from __future__ import annotations

import pytest

from tests.web.dashboards.world import World, new_dashboard

pytestmark = pytest.mark.stack


async def test_one_request_answers_for_every_widget_as_the_single_ones_do(world: World) -> None:
    alice, eve = await world.http("alice"), await world.http("eve")
    board = await new_dashboard(alice, world.team, "Batch", widgets=3)
    base = f"/api/dashboards/{board['id']}/widgets"
    batch = await alice.get(f"{base}/data")
    assert batch.status_code == 200, batch.text
    widgets = batch.json()["widgets"]
    assert sorted(widgets) == ["w1", "w2", "w3"]
    for widget_id, data in widgets.items():
        single = (await alice.get(f"{base}/{widget_id}/data")).json()
        assert data == single

    chosen = (await alice.get(f"{base}/data", params={"ids": "w2,nope"})).json()["widgets"]
    assert list(chosen) == ["w2"]
    assert (await alice.get(f"{base}/data", params={"ids": "a b"})).status_code == 422
    assert (await eve.get(f"{base}/data")).status_code == 404

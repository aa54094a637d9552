"""The conflict rules, validation, history and the client's rebase, case by case."""

from __future__ import annotations

from typing import Any

import pytest

from hubdeck.core.dashboards import Document, Layout, Widget, WidgetConfig, WidgetType, order
from hubdeck.core.dashboards.access import Grant, effective_role
from hubdeck.core.dashboards.apply import apply_ops
from hubdeck.core.dashboards.catalog import DataKind, kinds_changed_by
from hubdeck.core.dashboards.history import changes_by_others, restore_ops, summarize
from hubdeck.core.dashboards.model import DashboardRole
from hubdeck.core.dashboards.ops import Op, parse_ops
from hubdeck.core.dashboards.ordering import Batch
from hubdeck.core.dashboards.rebase import Published, Replica
from hubdeck.core.dashboards.sequencer import Sequencer
from hubdeck.core.errors import Conflict, InvalidInput
from hubdeck.core.users import Role


def widget(widget_id: str, x: int = 0, metric: str = "pulls_merged", **extra: Any) -> Widget:
    return Widget(
        id=widget_id,
        type=extra.pop("type", WidgetType.number),
        title=extra.pop("title", ""),
        config=WidgetConfig.model_validate({"metric": metric}),
        layout=Layout(x=x, y=0, w=3, h=2),
    )


BASE = Document(title="Board", widgets=(widget("w1"), widget("w2", x=3)))


def one(raw: dict[str, Any]) -> Op:
    (op,) = parse_ops([raw])
    return op


def title(value: str) -> Op:
    return one({"op": "set", "target": "dashboard", "path": "title", "value": value})


def move(widget_id: str, x: int, y: int = 0) -> Op:
    return one({"op": "move_widget", "widget_id": widget_id, "x": x, "y": y})


def resize(widget_id: str, w: int, h: int = 2) -> Op:
    return one({"op": "resize_widget", "widget_id": widget_id, "w": w, "h": h})


def remove(widget_id: str) -> Op:
    return one({"op": "remove_widget", "widget_id": widget_id})


def test_different_properties_both_survive() -> None:
    after_rename, _, _ = apply_ops(BASE, [title("Renamed")])
    unseen = [Batch(2, author_id=1, client="a", ops=(title("Renamed"),))]
    outcome = order(after_rename, [move("w1", 6)], author_id=2, client="b", unseen=unseen)
    assert outcome.document.title == "Renamed"
    assert outcome.document.widget("w1").layout.x == 6  # type: ignore[union-attr]
    assert outcome.overwritten == () and outcome.dropped == ()
    # A move and a resize are different properties too.
    both = order(
        outcome.document,
        [resize("w1", 4)],
        author_id=1,
        client="a",
        unseen=[Batch(3, 2, "b", (move("w1", 6),))],
    )
    assert both.document.widget("w1").layout == Layout(x=6, y=0, w=4, h=2)  # type: ignore[union-attr]
    assert both.overwritten == ()


def test_the_same_property_goes_to_the_later_and_names_the_earlier() -> None:
    current, _, _ = apply_ops(BASE, [title("First")])
    unseen = [Batch(2, author_id=1, client="a", ops=(title("First"),))]
    outcome = order(current, [title("Second")], author_id=2, client="b", unseen=unseen)
    assert outcome.document.title == "Second"
    (overwritten,) = outcome.overwritten
    assert (overwritten.target, overwritten.path, overwritten.user_id, overwritten.version) == (
        "dashboard",
        "title",
        1,
        2,
    )
    # One's own earlier change, from the same page, is not a conflict; from another tab it is.
    assert (
        order(current, [title("Again")], author_id=1, client="a", unseen=unseen).overwritten == ()
    )
    assert (
        len(order(current, [title("Tab")], author_id=1, client="z", unseen=unseen).overwritten) == 1
    )


def test_an_edit_of_a_widget_removed_meanwhile_is_dropped_with_who_removed_it() -> None:
    current, _, _ = apply_ops(BASE, [remove("w1")])
    unseen = [Batch(2, author_id=7, client="a", ops=(remove("w1"),))]
    outcome = order(
        current,
        [move("w1", 3), title("Still fine")],
        author_id=2,
        client="b",
        unseen=unseen,
    )
    (dropped,) = outcome.dropped
    assert (dropped.index, dropped.reason, dropped.by, dropped.version) == (
        0,
        "widget_removed",
        7,
        2,
    )
    assert outcome.document.title == "Still fine"
    # Restored since: the edit applies again.
    restored, _, _ = apply_ops(
        current, [one({"op": "restore_widget", "widget": widget("w1").model_dump()})]
    )
    unseen.append(
        Batch(3, 7, "a", (one({"op": "restore_widget", "widget": widget("w1").model_dump()}),))
    )
    again = order(restored, [move("w1", 3)], author_id=2, client="b", unseen=unseen)
    assert again.dropped == () and again.document.widget("w1").layout.x == 3  # type: ignore[union-attr]
    # Never existed: dropped, with nobody to blame.
    (missing,) = order(BASE, [move("zz", 1)], author_id=2, client="b", unseen=[]).dropped
    assert (missing.reason, missing.by) == ("widget_missing", None)


def test_adding_an_existing_id_is_dropped_and_restoring_an_existing_widget_replaces_it() -> None:
    outcome = order(
        BASE,
        [one({"op": "add_widget", "widget": widget("w1").model_dump()})],
        author_id=1,
        client="a",
        unseen=[],
    )
    assert [d.reason for d in outcome.dropped] == ["widget_exists"]
    replacement = widget("w1", x=6, title="Back").model_dump()
    replaced, _, _ = apply_ops(BASE, [one({"op": "restore_widget", "widget": replacement})])
    assert [w.id for w in replaced.widgets] == ["w1", "w2"]
    assert replaced.widgets[0].title == "Back"


def test_a_widget_pushed_past_the_edge_is_cut_the_same_way_everywhere() -> None:
    document, _, _ = apply_ops(BASE, [resize("w1", 8), move("w1", 10)])
    assert document.widget("w1").layout == Layout(x=10, y=0, w=2, h=2)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "non-empty"),
        ([{"op": "explode"}], "ops.0"),
        ([{"op": "move_widget", "widget_id": "w1", "x": 12, "y": 0}], "ops.0"),
        ([{"op": "resize_widget", "widget_id": "w1", "w": 0, "h": 1}], "ops.0"),
        ([{"op": "set", "target": "dashboard", "path": "title", "value": "  "}], "blank"),
        ([{"op": "set", "target": "dashboard", "path": "widgets", "value": []}], "cannot set"),
        ([{"op": "set", "target": "w1", "path": "config.metric", "value": "nope"}], "unknown"),
        ([{"op": "set", "target": "w1", "path": "config.range", "value": "3d"}], "ops.0"),
        (
            [
                {
                    "op": "set",
                    "target": "w1",
                    "path": "config.filters",
                    "value": {"timezone": "Mars/Base"},
                }
            ],
            "time zone",
        ),
        ([{"op": "set", "target": "bad id!", "path": "title", "value": "x"}], "widget id"),
        ([{"op": "remove_widget", "widget_id": "dashboard"}], "widget id"),
        (
            [{"op": "add_widget", "widget": {**widget("w9").model_dump(), "type": "heatmap"}}],
            "cannot be shown",
        ),
        ([{"op": "remove_widget", "widget_id": "w1"}] * 51, "at most 50"),
    ],
)
def test_malformed_batches_are_refused_whole(raw: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_ops(raw)


def test_values_are_stored_in_their_normal_form() -> None:
    (repos, filters) = parse_ops(
        [
            {"op": "set", "target": "w1", "path": "config.repositories", "value": [3, 1, 3]},
            {
                "op": "set",
                "target": "w1",
                "path": "config.filters",
                "value": {"include_bots": True},
            },
        ]
    )
    assert repos.value == [1, 3]  # type: ignore[union-attr]
    assert filters.value == {"include_bots": True, "timezone": "UTC", "stale_days": 14}  # type: ignore[union-attr]


def test_summaries_say_what_changed() -> None:
    assert (
        summarize(BASE, [title("Flow"), move("w1", 3)])
        == "Renamed the dashboard to “Flow”; moved “Pull requests merged”"
    )
    many = [
        move("w1", 1),
        resize("w2", 4),
        remove("w1"),
        title("X"),
        one({"op": "set", "target": "dashboard", "path": "description", "value": "d"}),
    ]
    assert summarize(BASE, many).endswith("and 2 more changes")
    assert summarize(BASE, [], restored_from=3) == "Restored version 3"


def test_changes_by_others_since_a_visit() -> None:
    current = Document(title="B", widgets=(widget("w1"), widget("w3")))
    batches = [
        Batch(2, 2, "b", (move("w1", 3), remove("w2"))),
        Batch(3, 2, "b", (one({"op": "add_widget", "widget": widget("w3").model_dump()}),)),
        Batch(4, 1, "a", (title("B"),)),
    ]
    changes = changes_by_others(batches, user_id=1, current=current)
    assert changes.widgets == {"w1": [2], "w3": [2]}
    assert changes.added == {"w3"} and changes.removed == ["w2"] and changes.dashboard == {}


def test_restore_operations_turn_a_document_back() -> None:
    old = BASE
    current, _, _ = apply_ops(
        BASE,
        [
            title("Changed"),
            remove("w2"),
            move("w1", 9),
            one({"op": "add_widget", "widget": widget("w5").model_dump()}),
        ],
    )
    back, _, _ = apply_ops(current, restore_ops(current, old))
    assert back.title == old.title
    assert {w.id: w for w in back.widgets} == {w.id: w for w in old.widgets}
    only_w1, _, _ = apply_ops(current, restore_ops(current, old, "w1"))
    assert only_w1.widget("w1") == old.widget("w1") and only_w1.title == "Changed"
    assert restore_ops(current, old, "w5") == []  # did not exist then


def test_the_replica_settles_batches_the_server_drops_whole() -> None:
    replica = Replica(client="a", confirmed=BASE, version=1)
    batch = replica.edit([move("gone", 1)])
    assert replica.visible == BASE  # nothing visible happens to a missing widget
    replica.answered(batch.client_op_id, None)
    assert replica.pending == []
    replica.receive(Published(3, (title("Late"),), "x", "b"))
    assert replica.needs_snapshot  # version 2 never arrived
    replica.reset(BASE, 3)
    assert not replica.needs_snapshot and replica.version == 3


def test_the_sequencer_checks_the_base_version_and_answers_retries_alike() -> None:
    server = Sequencer(BASE)
    with pytest.raises(Conflict):
        server.submit(author_id=1, client="a", base_version=2, client_op_id="1", ops=[title("X")])
    with pytest.raises(Conflict):
        server.submit(author_id=1, client="a", base_version=0, client_op_id="1", ops=[title("X")])
    first = server.submit(
        author_id=1, client="a", base_version=1, client_op_id="1", ops=[title("X")]
    )
    again = server.submit(
        author_id=1, client="a", base_version=1, client_op_id="1", ops=[title("X")]
    )
    assert first == again and server.version == 2


def test_the_highest_role_wins() -> None:
    grants = [
        Grant(user_id=5, team_id=None, role=DashboardRole.viewer),
        Grant(None, 9, DashboardRole.editor),
    ]
    assert (
        effective_role(user_id=5, owner_id=1, team_role=None, grants=grants, user_teams=[9])
        is DashboardRole.editor
    )
    assert (
        effective_role(user_id=5, owner_id=1, team_role=None, grants=grants, user_teams=[])
        is DashboardRole.viewer
    )
    assert (
        effective_role(user_id=5, owner_id=1, team_role=Role.admin, grants=[], user_teams=[])
        is DashboardRole.owner
    )
    assert (
        effective_role(user_id=5, owner_id=1, team_role=Role.viewer, grants=[], user_teams=[])
        is DashboardRole.viewer
    )
    assert (
        effective_role(user_id=5, owner_id=5, team_role=None, grants=[], user_teams=[])
        is DashboardRole.owner
    )
    assert (
        effective_role(user_id=6, owner_id=5, team_role=None, grants=grants, user_teams=[]) is None
    )


def test_events_change_only_the_data_they_are_about() -> None:
    assert kinds_changed_by("pull_request.merged") == {DataKind.pulls, DataKind.activity}
    assert kinds_changed_by("workflow_run.failed") == {DataKind.runs, DataKind.activity}
    assert kinds_changed_by("team.invited") == frozenset()
    assert kinds_changed_by("repository.synced") == frozenset(DataKind)

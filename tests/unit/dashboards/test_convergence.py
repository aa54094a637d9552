"""Three pages edit one dashboard at once, with random delays on every path (requests to the
server, publications and answers back): once everything is delivered, every page shows what
the server holds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hubdeck.core.dashboards import Document, Layout, Widget, WidgetConfig, WidgetType
from hubdeck.core.dashboards.ops import Op, dump_ops, parse_ops
from hubdeck.core.dashboards.rebase import Pending, Published, Replica
from hubdeck.core.dashboards.sequencer import Sequencer

CLIENTS = ("a", "b", "c")
USERS = {"a": 1, "b": 2, "c": 3}
METRICS = ("pulls_merged", "cycle_time", "commits", "ci_success_rate")


def widget(widget_id: str, x: int = 0, y: int = 0) -> Widget:
    return Widget(
        id=widget_id,
        type=WidgetType.number,
        title=widget_id,
        config=WidgetConfig(metric="pulls_merged"),
        layout=Layout(x=x, y=y, w=3, h=2),
    )


START = Document(title="Start", widgets=(widget("w1"), widget("w2", x=3), widget("w3", x=6)))


@dataclass
class Page:
    replica: Replica
    requests: deque[tuple[Pending, int]] = field(default_factory=deque)
    publications: deque[Published] = field(default_factory=deque)
    answers: deque[tuple[str, Published | None]] = field(default_factory=deque)
    removed: list[Widget] = field(default_factory=list)
    added: int = 0


def random_ops(data: st.DataObject, page: Page) -> list[Op]:
    visible = page.replica.visible
    ids = [w.id for w in visible.widgets] + ["w1", "w2", "w3"]  # some may be gone
    ops: list[dict[str, Any]] = []
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(
            st.sampled_from(
                ["title", "wtitle", "metric", "range", "move", "resize", "add", "remove", "undo"]
            )
        )
        target = data.draw(st.sampled_from(ids))
        if kind == "title":
            text = data.draw(st.sampled_from(["Flow", "CI", "Team", "Ops"]))
            ops.append({"op": "set", "target": "dashboard", "path": "title", "value": text})
        elif kind == "wtitle":
            text = data.draw(st.sampled_from(["A", "B", "C"]))
            ops.append({"op": "set", "target": target, "path": "title", "value": text})
        elif kind == "metric":
            metric = data.draw(st.sampled_from(METRICS))
            ops.append({"op": "set", "target": target, "path": "config.metric", "value": metric})
        elif kind == "range":
            value = data.draw(st.sampled_from(["7d", "28d", "90d"]))
            ops.append({"op": "set", "target": target, "path": "config.range", "value": value})
        elif kind == "move":
            x, y = data.draw(st.integers(0, 11)), data.draw(st.integers(0, 6))
            ops.append({"op": "move_widget", "widget_id": target, "x": x, "y": y})
        elif kind == "resize":
            w, h = data.draw(st.integers(1, 12)), data.draw(st.integers(1, 4))
            ops.append({"op": "resize_widget", "widget_id": target, "w": w, "h": h})
        elif kind == "add":
            page.added += 1
            new = widget(f"{page.replica.client}{page.added}", x=data.draw(st.integers(0, 9)))
            ops.append({"op": "add_widget", "widget": new.model_dump(mode="json")})
        elif kind == "remove":
            gone = visible.widget(target)
            if gone is not None:
                page.removed.append(gone)
            ops.append({"op": "remove_widget", "widget_id": target})
        elif page.removed:
            restored = page.removed.pop()
            ops.append({"op": "restore_widget", "widget": restored.model_dump(mode="json")})
        else:  # nothing to undo
            ops.append({"op": "remove_widget", "widget_id": target})
    # Through the wire format, as a page would send them.
    return parse_ops(ops)


def deliver_one(data: st.DataObject, server: Sequencer, pages: dict[str, Page]) -> bool:
    """Delivers one message on some non-empty path; False when nothing is in flight."""
    paths = [
        (name, kind)
        for name, page in pages.items()
        for kind, queue in (
            ("request", page.requests),
            ("publication", page.publications),
            ("answer", page.answers),
        )
        if queue
    ]
    if not paths:
        return False
    name, kind = data.draw(st.sampled_from(paths))
    page = pages[name]
    if kind == "request":
        batch, base = page.requests.popleft()
        answer = server.submit(
            author_id=USERS[name],
            client=name,
            base_version=base,
            client_op_id=batch.client_op_id,
            ops=parse_ops(dump_ops(list(batch.ops))),
        )
        # Labels for --hypothesis-show-statistics: the conflict rules are exercised.
        if answer.outcome.dropped:
            event("an edit of a removed widget was dropped")
        if answer.outcome.overwritten:
            event("a concurrent change was overwritten")
        if answer.published is not None:
            for other in pages.values():
                other.publications.append(answer.published)
        page.answers.append((batch.client_op_id, answer.published))
    elif kind == "publication":
        page.replica.receive(page.publications.popleft())
    else:
        client_op_id, published = page.answers.popleft()
        page.replica.answered(client_op_id, published)
    assert not page.replica.needs_snapshot  # ordered channels leave no gap
    return True


@settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_three_pages_and_the_server_converge(data: st.DataObject) -> None:
    server = Sequencer(START)
    pages = {c: Page(Replica(client=c, confirmed=START, version=1)) for c in CLIENTS}
    for _ in range(data.draw(st.integers(1, 30), label="steps")):
        if data.draw(st.booleans()):
            name = data.draw(st.sampled_from(CLIENTS))
            page = pages[name]
            batch = page.replica.edit(random_ops(data, page))
            page.requests.append((batch, page.replica.version))
        else:
            deliver_one(data, server, pages)
    while deliver_one(data, server, pages):
        pass

    for page in pages.values():
        replica = page.replica
        assert replica.pending == []
        assert replica.version == server.version
        assert replica.confirmed == server.document
        assert replica.visible == server.document

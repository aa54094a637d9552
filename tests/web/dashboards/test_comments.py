"""Comments on a dashboard and its widgets: threads, live for every viewer, @mentions notify,
hostile Markdown renders as text, only the author edits, editors resolve."""

from __future__ import annotations

import pytest

from tests.web.dashboards.world import World, new_dashboard, payloads, subscribe

pytestmark = pytest.mark.stack

HOSTILE = (
    'Look <script>alert("x")</script> <img src=x onerror=alert(1)> '
    "[click](javascript:alert(1)) **bold**"
)


async def test_a_widget_comment_mentioning_someone_is_live_safe_and_notifies_them(
    world: World,
) -> None:
    alice, bob = await world.http("alice"), await world.http("bob")
    board = await new_dashboard(alice, world.team, "Delivery")
    viewer_socket = await world.socket("bob")
    live = await subscribe(viewer_socket, f"dashboard:{board['id']}")

    posted = await alice.post(
        f"/api/dashboards/{board['id']}/comments",
        json={"body": f"@bob please check {HOSTILE}", "widget_id": "w1"},
    )
    assert posted.status_code == 201, posted.text
    comment = posted.json()
    assert comment["widget_id"] == "w1" and comment["thread_id"] == comment["id"]
    html = comment["body_html"]
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html  # the link stays text
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html

    await live.wait_for(lambda: bool(payloads(live, "comment.posted")))
    assert payloads(live, "comment.posted")[0]["comment"]["id"] == comment["id"]

    items = (await bob.get("/api/notifications")).json()["items"]
    mention = next(n for n in items if n["kind"] == "mentioned")
    assert mention["title"] == "alice mentioned you on the dashboard “Delivery”"
    assert mention["link"].endswith(f"/{board['id']}?comment={comment['id']}")
    # The author is not notified of their own mention, nor is anyone outside the team.
    assert not [n for n in (await alice.get("/api/notifications")).json()["items"]]


async def test_threads_replies_edits_deletes_and_resolution(world: World) -> None:
    alice, bob, vera = [await world.http(p) for p in ("alice", "bob", "vera")]
    board = await new_dashboard(alice, world.team, "Ops", widgets=1)
    base = f"/api/dashboards/{board['id']}/comments"
    thread = (await vera.post(base, json={"body": "Why is this red?"})).json()
    reply = (await bob.post(base, json={"body": "A flaky test", "thread_id": thread["id"]})).json()
    assert reply["thread_id"] == thread["id"]

    # Only the author edits or deletes.
    assert (
        await alice.patch(f"/api/comments/{reply['id']}", json={"body": "x"})
    ).status_code == 403
    edited = await bob.patch(f"/api/comments/{reply['id']}", json={"body": "A *flaky* test"})
    assert edited.json()["edited_at"] is not None
    assert "<em>flaky</em>" in edited.json()["body_html"]
    assert (await bob.delete(f"/api/comments/{reply['id']}")).status_code == 204

    # A thread is resolved by its author or an editor (bob, a member of the team, edits its
    # dashboards); vera is a viewer of the team and may not resolve bob's.
    resolved = await bob.post(f"/api/comments/{thread['id']}/resolve")
    assert resolved.json()["resolved_by"]["login"] == "bob"
    reopened = await vera.post(f"/api/comments/{thread['id']}/reopen")
    assert reopened.json()["resolved_at"] is None
    bobs = (await bob.post(base, json={"body": "Deploy at 5"})).json()
    refused = await vera.post(f"/api/comments/{bobs['id']}/resolve")
    assert refused.status_code == 403
    replying = await vera.post(f"/api/comments/{reply['id']}/resolve")
    assert replying.status_code == 422

    listed = (await alice.get(base)).json()["comments"]
    assert [(c["id"], c["deleted"], c["body"]) for c in listed] == [
        (thread["id"], False, "Why is this red?"),
        (reply["id"], True, ""),
        (bobs["id"], False, "Deploy at 5"),
    ]


async def test_comments_are_checked_like_the_dashboard(world: World) -> None:
    alice, eve = await world.http("alice"), await world.http("eve")
    board = await new_dashboard(alice, world.team, "Private")
    base = f"/api/dashboards/{board['id']}/comments"
    assert (await eve.get(base)).status_code == 404
    assert (await eve.post(base, json={"body": "hi"})).status_code == 404
    assert (await alice.post(base, json={"body": "   "})).status_code == 422
    assert (await alice.post(base, json={"body": "x", "widget_id": "nope"})).status_code == 404
    assert (await alice.post(base, json={"body": "x", "thread_id": 999})).status_code == 404
    bad = await alice.post(base, json={"body": "x" * 10_001})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"

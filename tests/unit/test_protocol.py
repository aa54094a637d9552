from __future__ import annotations

import orjson
import pytest

from hubdeck.web.realtime.protocol import (
    BadFrame,
    DisconnectCode,
    ErrorCode,
    close_reason,
    error_reply,
    parse_frame,
    reply,
)


def test_batched_commands_are_split_in_order() -> None:
    frame = '{"connect":{"token":"t","name":"js"},"id":1}\n{"subscribe":{"channel":"news","flag":1},"id":2}'
    commands = parse_frame(frame)
    assert [(c.id, c.method) for c in commands] == [(1, "connect"), (2, "subscribe")]
    assert commands[0].params == {"token": "t", "name": "js"}


def test_empty_object_is_a_pong_and_blank_lines_are_skipped() -> None:
    commands = parse_frame("{}\n\n{}\n")
    assert [c.method for c in commands] == [None, None]


def test_send_needs_no_id() -> None:
    (command,) = parse_frame('{"send":{"data":{"x":1}}}')
    assert command.method == "send"
    assert command.id == 0


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1,2]",
        '{"id":"1","connect":{}}',
        '{"id":-1,"connect":{}}',
        '{"id":1,"connect":{},"subscribe":{}}',
        '{"id":1,"connect":"token"}',
        '{"subscribe":{"channel":"x"}}',
    ],
)
def test_malformed_frames_are_refused(frame: str) -> None:
    with pytest.raises(BadFrame):
        parse_frame(frame)


def test_unknown_method_is_kept_for_a_104_reply() -> None:
    (command,) = parse_frame('{"id":3,"frobnicate":{}}')
    assert command.method == "frobnicate"


def test_replies_are_single_line_json() -> None:
    text = reply(7, "connect", {"client": "c", "data": {"s": "a\nb"}})
    assert "\n" not in text
    assert orjson.loads(text) == {"id": 7, "connect": {"client": "c", "data": {"s": "a\nb"}}}
    assert orjson.loads(error_reply(2, ErrorCode.PERMISSION_DENIED, "permission denied")) == {
        "id": 2,
        "error": {"code": 103, "message": "permission denied"},
    }
    assert orjson.loads(error_reply(2, ErrorCode.INTERNAL, "x", temporary=True))["error"][
        "temporary"
    ]


def test_close_reasons_fit_a_close_frame_and_are_never_json() -> None:
    assert close_reason(DisconnectCode.NO_PONG) == "no pong"
    assert close_reason(DisconnectCode.FORCE_RECONNECT, "42") == "reason: 42"
    assert close_reason(DisconnectCode.FORCE_RECONNECT, '{"reconnect":false}').startswith(
        "reason: "
    )
    long = close_reason(DisconnectCode.INVALID_TOKEN, "é" * 200)
    assert len(long.encode()) <= 123

"""The pre-encoded frame that publications share is the frame websockets itself would send."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from hubdeck.web.realtime.direct import encode_text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 300, 65_535, 65_536, 70_000])
def test_encode_text_frame_matches_websockets(size: int) -> None:
    text = "é" * (size // 2) + "x" * (size % 2)
    expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False)
    assert encode_text_frame(text) == expected

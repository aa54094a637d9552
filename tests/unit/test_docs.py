"""Documentation that tests keep true: every setting and every disconnect code is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubdeck.config import ENV_PREFIX, Settings
from hubdeck.web.realtime.protocol import REASONS, DisconnectCode

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"`{ENV_PREFIX}{field.upper()}`" in (DOCS / "configuration.md").read_text()


@pytest.mark.parametrize("code", list(DisconnectCode))
def test_every_disconnect_code_is_documented(code: DisconnectCode) -> None:
    assert f"| {int(code)} | {REASONS[code]} |" in (DOCS / "realtime.md").read_text()

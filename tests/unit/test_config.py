from __future__ import annotations

from pathlib import Path

import pytest

from hubdeck.config import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("HUBDECK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HUBDECK_DATA_DIR", str(tmp_path / "data"))


def test_defaults_are_embedded(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.redis_url is None
    assert settings.is_sqlite
    assert (
        settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'hubdeck.db'}"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgresql://app@db.internal:5432/hubdeck",
            "postgresql+asyncpg://app@db.internal:5432/hubdeck",
        ),
        ("postgresql+asyncpg://app:pw@db/hubdeck", "postgresql+asyncpg://app:pw@db/hubdeck"),
        ("sqlite:////var/lib/hubdeck/h.db", "sqlite+aiosqlite:////var/lib/hubdeck/h.db"),
    ],
)
def test_database_urls_get_the_async_driver(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("HUBDECK_DATABASE_URL", given)
    assert load_settings().resolved_database_url == expected


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HUBDECK_DATABASE_URL", "nonsense", "HUBDECK_DATABASE_URL: not a database URL"),
        ("HUBDECK_DATABASE_URL", "mysql://x@y/z", "HUBDECK_DATABASE_URL: unsupported database"),
        ("HUBDECK_REDIS_URL", "localhost:6379", "HUBDECK_REDIS_URL: not a Redis URL"),
        ("HUBDECK_PUBLIC_URL", "not a url", "HUBDECK_PUBLIC_URL: "),
        ("HUBDECK_LOG_LEVEL", "loud", "HUBDECK_LOG_LEVEL: "),
        ("HUBDECK_WS_PING_INTERVAL", "0", "HUBDECK_WS_PING_INTERVAL: "),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_rules_across_settings_name_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBDECK_WS_PING_INTERVAL", "5")
    monkeypatch.setenv("HUBDECK_WS_PONG_TIMEOUT", "5")
    with pytest.raises(SettingsError, match=r"HUBDECK_WS_PONG_TIMEOUT.*HUBDECK_WS_PING_INTERVAL"):
        load_settings()


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path / "d").resolved_secret_key()
    second = Settings(data_dir=tmp_path / "d").resolved_secret_key()
    assert first == second
    assert len(first) >= 48
    assert (tmp_path / "d" / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings(data_dir=tmp_path / "other").resolved_secret_key() != first


def test_given_secret_key_wins(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="given")  # type: ignore[arg-type]
    assert settings.resolved_secret_key() == "given"
    assert not (tmp_path / "secret_key").exists()

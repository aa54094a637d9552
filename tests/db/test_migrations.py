"""Migrations up and down on SQLite and PostgreSQL, and the schema they build matches the code."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from hubdeck.adapters.db import migrate
from hubdeck.adapters.db.engine import create_engine
from hubdeck.adapters.db.tables import metadata


async def schema_diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                )
            )
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_upgrade_builds_the_schema_the_code_declares(any_database: str) -> None:
    await migrate.upgrade(any_database)
    assert await migrate.current_revision(any_database) == migrate.head_revision()
    assert await schema_diff(any_database) == []
    assert {"users", "teams", "memberships", "sessions"} <= await table_names(any_database)


async def test_downgrade_to_base_and_up_again(any_database: str) -> None:
    await migrate.upgrade(any_database)
    await migrate.downgrade(any_database, "base")
    assert await migrate.current_revision(any_database) is None
    assert await table_names(any_database) <= {"alembic_version"}
    await migrate.upgrade(any_database)
    assert await schema_diff(any_database) == []


async def test_each_step_reverses(any_database: str) -> None:
    await migrate.upgrade(any_database)
    head = migrate.head_revision()
    await migrate.downgrade(any_database, "-1")
    assert await migrate.current_revision(any_database) != head
    await migrate.upgrade(any_database, "+1")
    assert await migrate.current_revision(any_database) == head

"""The migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from connector.db import create_database, load_all_models, upgrade_to_head


async def test_migrated_schema_equals_models_when_upgraded_to_head(database_url: str) -> None:
    database = create_database(database_url)
    try:
        await upgrade_to_head(database)
        metadata = load_all_models()
        async with database.engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                )
            )
        assert differences == []
    finally:
        await database.dispose()


async def test_upgrade_is_idempotent_when_run_twice(database_url: str) -> None:
    database = create_database(database_url)
    try:
        await upgrade_to_head(database)
        await upgrade_to_head(database)
    finally:
        await database.dispose()

"""The migrations create exactly the tables the models describe, on both stores."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.storage.database import Database
from bot.storage.tables import metadata


async def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    database = Database(database_url)
    try:
        await database.upgrade()
        async with database.engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
        assert differences == []
    finally:
        await database.close()


async def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    database = Database(database_url)
    try:
        await database.upgrade()
        await database.upgrade()
    finally:
        await database.close()

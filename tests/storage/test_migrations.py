"""The migrations create exactly the tables the models describe, on both stores."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

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


def schema(connection: Connection) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """The revisions the database is at (the heads of its branches), and each table's columns:
    what an upgrade may change."""
    tables = inspect(connection)
    columns = {name: [column["name"] for column in tables.get_columns(name)] for name in tables.get_table_names()}
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads())), columns


async def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    database = Database(database_url)
    try:
        await database.upgrade()
        async with database.engine.connect() as connection:
            first = await connection.run_sync(schema)
        await database.upgrade()
        async with database.engine.connect() as connection:
            second = await connection.run_sync(schema)
        heads, tables = first
        assert heads and "outbox" in tables
        assert second == first
    finally:
        await database.close()

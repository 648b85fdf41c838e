"""Several instances started together on one database migrate it and seed it exactly once."""

import asyncio
import logging

import pytest
from sqlalchemy import func, select

from bot.composition import assemble, starter_folder
from bot.config import Settings
from bot.knowledge_base import EntryVersionRow
from bot.storage.database import Database
from knowledge.files import read_files
from tests.support.core import FakeClock, settings_of


def starter_settings(database_url: str, tmp_path: object) -> Settings:
    return settings_of(database={"url": database_url}, privacy={"key_file": f"{tmp_path}/pseudonym.key"})


async def test_two_instances_started_together_on_a_new_database_both_come_up(
    database_url: str, tmp_path: object
) -> None:
    settings = starter_settings(database_url, tmp_path)
    instances = await asyncio.gather(assemble(settings, FakeClock()), assemble(settings, FakeClock()))
    try:
        assert [await lotse.knowledge_base.count() for lotse in instances] == [len(read_files(starter_folder()))] * 2
    finally:
        for lotse in instances:
            await lotse.close()


async def test_two_instances_on_a_migrated_empty_database_load_the_starter_entries_once(
    database_url: str, tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(database_url)
    await database.upgrade()
    await database.close()
    settings = starter_settings(database_url, tmp_path)
    with caplog.at_level(logging.INFO, logger="bot.composition"):
        instances = await asyncio.gather(*(assemble(settings, FakeClock()) for _ in range(3)))
    try:
        async with instances[0].database.reading() as session:
            versions = await session.scalar(select(func.count()).select_from(EntryVersionRow))
        assert versions == len(read_files(starter_folder())), "every starter entry has exactly one version"
        loaded = [record for record in caplog.records if "starter knowledge base loaded" in record.getMessage()]
        assert len(loaded) == 1
    finally:
        for lotse in instances:
            await lotse.close()

"""The stored knowledge base, on SQLite and PostgreSQL: imports, versions, exports."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge_base import KnowledgeBase
from bot.storage.database import Database
from knowledge.entry import Status
from knowledge.files import read_files, write_files
from tests.support.core import SAMPLE_KB, FakeClock


@pytest.fixture
async def knowledge_base(database_url: str, clock: FakeClock) -> AsyncIterator[KnowledgeBase]:
    database = Database(database_url)
    await database.upgrade()
    yield KnowledgeBase(database, clock)
    await database.close()


async def test_an_import_creates_every_entry_at_version_one(knowledge_base: KnowledgeBase) -> None:
    report = await knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    assert len(report.created) == 6
    assert [v.version for v in await knowledge_base.versions("zwei-faktor")] == [1]


async def test_importing_a_changed_entry_records_a_new_version(
    knowledge_base: KnowledgeBase, tmp_path: Path, clock: FakeClock
) -> None:
    await knowledge_base.import_files(read_files(SAMPLE_KB), by="first")
    changed = (SAMPLE_KB / "zwei-faktor.md").read_text(encoding="utf-8").replace("zuerst", "als Erstes")
    (tmp_path / "zwei-faktor.md").write_text(changed, encoding="utf-8")
    clock.advance(minutes=5)
    report = await knowledge_base.import_files(read_files(tmp_path), by="second")
    assert report.updated == ("zwei-faktor",)
    versions = await knowledge_base.versions("zwei-faktor")
    assert [(v.version, v.changed_by) for v in versions] == [(1, "first"), (2, "second")]
    assert "zuerst" in versions[0].entry.answer and "als Erstes" in versions[1].entry.answer
    assert versions[1].changed_at == clock.now


async def test_importing_the_same_files_again_changes_nothing(knowledge_base: KnowledgeBase) -> None:
    await knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    report = await knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    assert report.created == () and report.updated == () and len(report.unchanged) == 6
    assert [v.version for v in await knowledge_base.versions("barrierefreies-pdf")] == [1]


async def test_import_then_export_reproduces_the_files_byte_for_byte(
    knowledge_base: KnowledgeBase, tmp_path: Path
) -> None:
    await knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    write_files(await knowledge_base.with_sources(), tmp_path)
    for original in SAMPLE_KB.glob("*.md"):
        assert (tmp_path / original.name).read_bytes() == original.read_bytes()


async def test_only_published_entries_answer_members(knowledge_base: KnowledgeBase) -> None:
    [file] = read_files(SAMPLE_KB / "e-akte-einfuehren.md")
    await knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    draft = file.entry.__class__(**{**file.entry.__dict__, "status": Status.DRAFT})
    assert await knowledge_base.save(draft, by="moderator") == 2
    assert "e-akte-einfuehren" not in {entry.id for entry in await knowledge_base.published()}


async def test_the_revision_changes_when_an_entry_changes(
    knowledge_base: KnowledgeBase, clock: FakeClock
) -> None:
    await knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    before = await knowledge_base.revision()
    entry = await knowledge_base.get("zwei-faktor")
    assert entry is not None
    clock.advance(seconds=1)
    await knowledge_base.save(entry.__class__(**{**entry.__dict__, "answer": "Neu."}), by="moderator")
    assert await knowledge_base.revision() != before

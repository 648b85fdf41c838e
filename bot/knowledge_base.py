"""The knowledge base at run time: entries in the database, each change kept as a version.

The database is the source of truth; Markdown files are how entries are seeded, reviewed and moved.
The vectors of the semantic index are kept here too, by model and text hash (`StoredVectors`), so
a restart encodes nothing that was encoded before and an edit only the texts it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.audit import record
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database
from knowledge.entry import Entry, Status, as_language
from knowledge.files import EntryFile
from knowledge.vectors import Vector

Clock = Callable[[], datetime]


class EntryRow(Base):
    __tablename__ = "entries"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    review_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    offers: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Ids of Beratungskompass offers shown beside the answer."""
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """When a moderator last changed the entry or confirmed it is still right."""
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """Set while the entry is deleted: kept, restorable, but neither answered from nor exported."""

    def to_entry(self) -> Entry:
        return Entry(
            id=self.id,
            question=self.question,
            answer=self.answer,
            alternatives=tuple(self.alternatives),
            tags=tuple(self.tags),
            lang=as_language(self.lang),
            status=Status(self.status),
            review_by=self.review_by,
            offers=tuple(self.offers or ()),
        )


class EntryVersionRow(Base):
    __tablename__ = "entry_versions"

    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TextVectorRow(Base):
    """One encoded text of an entry version (a phrasing or an answer), by model and text hash;
    shared by every entry and version with the same text."""

    __tablename__ = "text_vectors"

    model_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    text_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime)


LOAD_CHUNK = 500
"""Keys per query when loading vectors (well below every database's parameter limit)."""


class StoredVectors:
    """The semantic index's vectors in Lotse's database (`knowledge.vectors.VectorStore`)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    async def load(self, model_id: str, keys: Collection[str]) -> dict[str, Vector]:
        wanted = list(keys)
        found: dict[str, Vector] = {}
        async with self._database.reading() as session:
            for start in range(0, len(wanted), LOAD_CHUNK):
                rows = await session.execute(
                    select(TextVectorRow.text_key, TextVectorRow.vector).where(
                        TextVectorRow.model_id == model_id,
                        TextVectorRow.text_key.in_(wanted[start : start + LOAD_CHUNK]),
                    )
                )
                found.update((key, bytes(vector)) for key, vector in rows)
        return found

    async def save(self, model_id: str, vectors: Mapping[str, Vector]) -> None:
        """Store new vectors; one already stored (another instance was quicker) is left as it is."""
        if not vectors:
            return
        now = self._clock()
        async with self._database.transaction() as session:
            known = set(await session.scalars(
                select(TextVectorRow.text_key).where(TextVectorRow.model_id == model_id,
                                                     TextVectorRow.text_key.in_(list(vectors)))
            ))
            session.add_all(TextVectorRow(model_id=model_id, text_key=key, vector=vector, stored_at=now)
                            for key, vector in vectors.items() if key not in known)


@dataclass(frozen=True)
class EntryVersion:
    """One state an entry was in, who put it there and when."""

    entry_id: str
    version: int
    entry: Entry
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class StoredEntry:
    """An entry with what curation needs to know about it: version, deletion and review state."""

    entry: Entry
    version: int
    updated_at: datetime
    reviewed_at: datetime
    deleted: bool


@dataclass(frozen=True)
class ImportReport:
    """What an import changed, by entry id."""

    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


class KnowledgeBase:
    """Reads and changes the stored entries; every change writes a new version."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    async def import_files(self, files: Sequence[EntryFile], by: str) -> ImportReport:
        """Store all `files` in one transaction: new ids are created, changed ones get a new version."""
        created, updated, unchanged = [], [], []
        async with self._database.transaction() as session:
            existing = {
                row.id: row
                for row in await session.scalars(
                    select(EntryRow).where(EntryRow.id.in_([file.entry.id for file in files]))
                )
            }
            for file in files:
                row = existing.get(file.entry.id)
                if row is None:
                    await self._create(session, file.entry, file.source, by)
                    created.append(file.entry.id)
                elif row.to_entry() == file.entry and row.deleted_at is None:
                    row.source = file.source
                    unchanged.append(file.entry.id)
                else:
                    await self._change(session, row, file.entry, file.source, by, "entry.import")
                    updated.append(file.entry.id)
        return ImportReport(tuple(created), tuple(updated), tuple(unchanged))

    async def save(self, entry: Entry, by: str, action: str = "entry.edit") -> int:
        """Create or change one entry; returns its new version number."""
        async with self._database.transaction() as session:
            return await self.save_in(session, entry, by, action)

    async def save_in(self, session: AsyncSession, entry: Entry, by: str, action: str = "entry.edit") -> int:
        """`save` inside the caller's transaction, so a change and its consequences stand together."""
        row = await session.get(EntryRow, entry.id)
        if row is None:
            return await self._create(session, entry, None, by)
        if row.to_entry() == entry and row.deleted_at is None:
            return row.version
        return await self._change(session, row, entry, None, by, action)

    async def get(self, entry_id: str) -> Entry | None:
        """The entry unless it does not exist or is deleted."""
        stored = await self.stored(entry_id)
        return stored.entry if stored is not None and not stored.deleted else None

    async def stored(self, entry_id: str) -> StoredEntry | None:
        """The entry with its version and state, deleted or not."""
        async with self._database.transaction() as session:
            row = await session.get(EntryRow, entry_id)
            return _stored(row) if row is not None else None

    async def all_stored(self) -> list[StoredEntry]:
        """Every entry with its state, deleted ones included, by id."""
        async with self._database.transaction() as session:
            return [_stored(row) for row in await session.scalars(select(EntryRow).order_by(EntryRow.id))]

    async def published_between(self, since: datetime, until: datetime) -> list[StoredEntry]:
        """Published entries last changed from `since` until before `until`, the oldest change first:
        the new answers a digest tells of."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(EntryRow).where(EntryRow.updated_at >= since, EntryRow.updated_at < until,
                                       EntryRow.status == Status.PUBLISHED.value).order_by(EntryRow.updated_at)
            )
            return [_stored(row) for row in rows]

    async def published(self) -> list[Entry]:
        """The entries members get answers from."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(EntryRow)
                .where(EntryRow.status == Status.PUBLISHED.value, EntryRow.deleted_at.is_(None))
                .order_by(EntryRow.id)
            )
            return [row.to_entry() for row in rows]

    async def with_sources(self) -> list[tuple[Entry, str | None]]:
        """Every entry that is not deleted, with the file text it was last imported from, for an export."""
        async with self._database.transaction() as session:
            rows = await session.scalars(select(EntryRow).where(EntryRow.deleted_at.is_(None)).order_by(EntryRow.id))
            return [(row.to_entry(), row.source) for row in rows]

    async def delete(self, entry_id: str, by: str) -> bool:
        """Soft-delete: the entry stops answering and leaves exports, but stays restorable. False if
        there is no such entry or it is deleted already."""
        async with self._database.transaction() as session:
            row = await session.get(EntryRow, entry_id)
            if row is None or row.deleted_at is not None:
                return False
            now = self._clock()
            row.deleted_at = now
            row.updated_at = now
            await record(session, now, by, "entry.delete", f"entry:{entry_id}", before=_content(row.to_entry()))
            return True

    async def restore(self, entry_id: str, by: str) -> bool:
        """Undo a soft delete; False if there is no deleted entry of that id."""
        async with self._database.transaction() as session:
            row = await session.get(EntryRow, entry_id)
            if row is None or row.deleted_at is None:
                return False
            now = self._clock()
            row.deleted_at = None
            row.updated_at = now
            await record(session, now, by, "entry.restore", f"entry:{entry_id}", after=_content(row.to_entry()))
            return True

    async def revert(self, entry_id: str, version: int, by: str) -> int | None:
        """Make an earlier version current again, as a new version; None if that version does not exist."""
        async with self._database.transaction() as session:
            old = await session.get(EntryVersionRow, (entry_id, version))
            if old is None:
                return None
            return await self.save_in(session, _entry_from(old.content), by, action="entry.revert")

    async def mark_reviewed(self, entry_id: str, by: str) -> bool:
        """Record that a moderator checked the entry and it is still right."""
        async with self._database.transaction() as session:
            row = await session.get(EntryRow, entry_id)
            if row is None or row.deleted_at is not None:
                return False
            now = self._clock()
            row.reviewed_at = now
            await record(session, now, by, "entry.review", f"entry:{entry_id}")
            return True

    async def versions(self, entry_id: str) -> list[EntryVersion]:
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(EntryVersionRow)
                .where(EntryVersionRow.entry_id == entry_id)
                .order_by(EntryVersionRow.version)
            )
            return [
                EntryVersion(row.entry_id, row.version, _entry_from(row.content), row.changed_by, row.changed_at)
                for row in rows
            ]

    async def count(self) -> int:
        async with self._database.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(EntryRow)) or 0)

    async def revision(self) -> tuple[int, datetime | None, int, int]:
        """Changes whenever any entry changes, so a running bot notices an import from elsewhere."""
        async with self._database.reading() as session:
            count, latest, versions, deleted = (
                await session.execute(
                    select(func.count(), func.max(EntryRow.updated_at), func.sum(EntryRow.version),
                           func.count(EntryRow.deleted_at)).select_from(EntryRow)
                )
            ).one()
            return int(count), latest, int(versions or 0), int(deleted)

    async def _create(self, session: AsyncSession, entry: Entry, source: str | None, by: str) -> int:
        now = self._clock()
        row = EntryRow(id=entry.id, version=1, created_at=now, updated_at=now, reviewed_at=now, source=source)
        _fill(row, entry)
        session.add(row)
        session.add(EntryVersionRow(entry_id=entry.id, version=1, content=_content(entry), changed_by=by,
                                    changed_at=now))
        await record(session, now, by, "entry.create", f"entry:{entry.id}", after=_content(entry))
        await session.flush()
        return 1

    async def _change(self, session: AsyncSession, row: EntryRow, entry: Entry, source: str | None,
                      by: str, action: str = "entry.edit") -> int:
        now = self._clock()
        before = _content(row.to_entry())
        if row.deleted_at is not None:
            row.deleted_at = None
            action = "entry.restore"
        _fill(row, entry)
        row.source = source
        row.version += 1
        row.updated_at = now
        row.reviewed_at = now
        session.add(EntryVersionRow(entry_id=entry.id, version=row.version, content=_content(entry),
                                    changed_by=by, changed_at=now))
        await record(session, now, by, action, f"entry:{entry.id}", before=before, after=_content(entry))
        await session.flush()
        return row.version


def _stored(row: EntryRow) -> StoredEntry:
    return StoredEntry(row.to_entry(), row.version, row.updated_at, row.reviewed_at or row.updated_at,
                       row.deleted_at is not None)


def _fill(row: EntryRow, entry: Entry) -> None:
    row.question = entry.question
    row.alternatives = list(entry.alternatives)
    row.answer = entry.answer
    row.tags = list(entry.tags)
    row.lang = entry.lang
    row.status = entry.status.value
    row.review_by = entry.review_by
    row.offers = list(entry.offers)


def _content(entry: Entry) -> dict[str, Any]:
    content = asdict(entry)
    content["status"] = entry.status.value
    content["review_by"] = entry.review_by.isoformat() if entry.review_by else None
    return content


def _entry_from(content: dict[str, Any]) -> Entry:
    review_by = content.get("review_by")
    return Entry(
        id=content["id"],
        question=content["question"],
        answer=content["answer"],
        alternatives=tuple(content["alternatives"]),
        tags=tuple(content["tags"]),
        lang=as_language(content["lang"]),
        status=Status(content["status"]),
        review_by=date.fromisoformat(review_by) if review_by else None,
        offers=tuple(content.get("offers", ())),
    )

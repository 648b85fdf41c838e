"""Resources: guides, reports and good-practice examples, added in chat or read from feeds.

Every change is audited in its own transaction; withdrawing or changing a resource that already
went out in a room's digest queues a correction there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.features.digest.composing import resource_line
from bot.features.digest.corrections import queue_corrections
from bot.features.digest.model import Resource
from bot.features.digest.tables import ResourceRow
from bot.storage.database import Database
from knowledge.entry import Language, as_language

EDITABLE = ("title", "link", "summary", "tags")


@dataclass(frozen=True)
class ResourceDraft:
    """What is needed to add a resource."""

    title: str
    link: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    language: Language = "de"
    source: str = "chat"


class Resources:
    """Stores resources and answers "what is new" and "what is latest"."""

    def __init__(self, database: Database, room_languages: Mapping[str, Language],
                 clock: Callable[[], datetime]) -> None:
        self._database = database
        self._room_languages = room_languages
        self._clock = clock

    async def add(self, draft: ResourceDraft, by: str) -> Resource:
        async with self._database.transaction() as session:
            return await add_resource(session, draft, by, self._clock())

    async def get(self, resource_id: int) -> Resource | None:
        async with self._database.transaction() as session:
            row = await session.get(ResourceRow, resource_id)
            return to_resource(row) if row is not None else None

    async def latest(self, tag: str | None = None, limit: int = 10) -> list[Resource]:
        """The newest resources that are not withdrawn, optionally on one tag."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(ResourceRow).where(ResourceRow.withdrawn_at.is_(None))
                .order_by(ResourceRow.added_at.desc(), ResourceRow.id.desc())
            )
            found = [to_resource(row) for row in rows if tag is None or tag in row.tags]
        return found[:limit]

    async def added_between(self, start: datetime, end: datetime) -> list[Resource]:
        """Resources added in [start, end) and still standing, oldest first."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(ResourceRow)
                .where(ResourceRow.added_at >= start, ResourceRow.added_at < end, ResourceRow.withdrawn_at.is_(None))
                .order_by(ResourceRow.added_at, ResourceRow.id)
            )
            return [to_resource(row) for row in rows]

    async def count(self) -> int:
        async with self._database.transaction() as session:
            query = select(func.count()).select_from(ResourceRow).where(ResourceRow.withdrawn_at.is_(None))
            return int(await session.scalar(query) or 0)

    async def edit(self, resource_id: int, changes: Mapping[str, Any], by: str) -> Resource | None:
        """Change fields of `EDITABLE`; rooms that had the resource get a correction."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(ResourceRow, resource_id)
            if row is None or row.withdrawn_at is not None:
                return None
            before = asdict(to_resource(row))
            for name, value in changes.items():
                setattr(row, name, list(value) if name == "tags" else value)
            row.version += 1
            row.updated_at = now
            after = to_resource(row)
            await record(session, now, by, "resource.edit", f"resource:{row.id}", before=audit_json(before),
                         after=audit_json(asdict(after)))
            await queue_corrections(session, "resource", row.id, row.version, before["title"],
                                    lambda language: resource_line(after, language), self._room_languages, now)
            return after

    async def withdraw(self, resource_id: int, by: str) -> Resource | None:
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(ResourceRow, resource_id)
            if row is None or row.withdrawn_at is not None:
                return None
            row.withdrawn_at = now
            row.version += 1
            await record(session, now, by, "resource.withdraw", f"resource:{row.id}", before="published",
                         after="withdrawn")
            await queue_corrections(session, "resource", row.id, row.version, row.title, None,
                                    self._room_languages, now)
            return to_resource(row)


async def add_resource(session: AsyncSession, draft: ResourceDraft, by: str, now: datetime) -> Resource:
    """Add a resource in the caller's transaction (a moderator's command or a feed poll)."""
    row = ResourceRow(title=draft.title, link=draft.link, summary=draft.summary, tags=list(draft.tags),
                      language=draft.language, source=draft.source, added_by=by, added_at=now, version=1,
                      updated_at=now)
    session.add(row)
    await session.flush()
    resource = to_resource(row)
    after = audit_json(asdict(resource))
    await record(session, now, by, "resource.add", f"resource:{row.id}", before=None, after=after)
    return resource


def to_resource(row: ResourceRow) -> Resource:
    return Resource(id=row.id, title=row.title, link=row.link, summary=row.summary, tags=tuple(row.tags),
                    language=as_language(row.language), source=row.source, added_by=row.added_by,
                    added_at=row.added_at, version=row.version, withdrawn=row.withdrawn_at is not None)


def audit_json(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else
            list(value) if isinstance(value, tuple) else value for key, value in values.items()}


def tags_from(text: str) -> tuple[str, ...]:
    """`IT-Sicherheit, open data` → (`it-sicherheit`, `open-data`): lower case, hyphens for spaces."""
    tags = ("-".join(part.strip().lower().split()) for part in text.replace(";", ",").split(","))
    return tuple(dict.fromkeys(tag.lstrip("#") for tag in tags if tag and tag != "-"))


def unique_tags(*groups: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tag for group in groups for tag in group))

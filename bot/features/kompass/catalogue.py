"""The catalogue of providers and offers at run time: stored, versioned and audited.

The service other parts use (chat commands, the command line, the web console): `list`, `get`,
`save`, `withdraw`, `restore`, `versions`, `revert`, `import_files`. Every change writes a version
and an audit record in its own transaction, like the knowledge base.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.features.kompass.files import ItemFile, attributes, from_attributes, kind_of
from bot.features.kompass.model import Item, Listing, Offer, Provider
from bot.features.kompass.tables import ItemVersionRow, OfferRow, ProviderRow
from bot.storage.database import Database
from knowledge.entry import as_language
from knowledge.files import KnowledgeFileError, Problem

Row = ProviderRow | OfferRow
ROWS: dict[str, type[ProviderRow] | type[OfferRow]] = {"provider": ProviderRow, "offer": OfferRow}


@dataclass(frozen=True)
class Stored:
    """A provider or offer with its version and whether it is withdrawn."""

    item: Item
    version: int
    updated_at: datetime
    withdrawn: bool

    @property
    def kind(self) -> str:
        return kind_of(self.item)


@dataclass(frozen=True)
class ItemVersion:
    """One state a provider or offer was in, who put it there and when."""

    version: int
    item: Item
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class ImportReport:
    """What an import changed, as `provider:ID` and `offer:ID`."""

    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


class Catalogue:
    """Reads and changes providers and offers."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock
        self.local_changes = 0
        """Counts changes made through this instance, so its index reloads at once after them."""

    async def import_files(self, files: Sequence[ItemFile], by: str) -> ImportReport:
        """Store all files in one transaction, or none: an offer of an unknown provider stops the import."""
        created: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        ordered = sorted(files, key=lambda file: file.kind != "provider")
        async with self._database.transaction() as session:
            known = set(await session.scalars(select(ProviderRow.id)))
            known.update(file.item.id for file in files if file.kind == "provider")
            problems = [
                Problem(file.path, file.key_lines.get("provider", 2), f"provider {file.item.provider!r} is not known "
                        "(neither in this import nor stored)")
                for file in ordered if isinstance(file.item, Offer) and file.item.provider not in known
            ]
            if problems:
                raise KnowledgeFileError(problems)
            for file in ordered:
                row = await _row(session, file.kind, file.item.id)
                name = f"{file.kind}:{file.item.id}"
                if row is None:
                    await self._create(session, file.item, file.source or None, by, "import")
                    created.append(name)
                elif _item(row) == file.item and row.withdrawn_at is None:
                    row.file_source = file.source or row.file_source
                    unchanged.append(name)
                else:
                    await self._change(session, row, file.item, file.source or None, by, "import")
                    updated.append(name)
        self.local_changes += 1
        return ImportReport(tuple(created), tuple(updated), tuple(unchanged))

    async def save(self, item: Item, by: str, action: str = "edit") -> int:
        """Create or change one provider or offer; returns its version."""
        self.local_changes += 1
        async with self._database.transaction() as session:
            row = await _row(session, kind_of(item), item.id)
            if row is None:
                return await self._create(session, item, None, by, "create")
            if _item(row) == item and row.withdrawn_at is None:
                return row.version
            return await self._change(session, row, item, None, by, action)

    async def get(self, kind: str, item_id: str) -> Stored | None:
        async with self._database.reading() as session:
            row = await _row(session, kind, item_id)
            return _stored(row) if row is not None else None

    async def list(self, kind: str, include_withdrawn: bool = False) -> builtins.list[Stored]:
        """Every provider or offer by id, withdrawn ones only when asked."""
        model = ROWS[kind]
        query = select(model).order_by(model.id)
        if not include_withdrawn:
            query = query.where(model.withdrawn_at.is_(None))
        async with self._database.reading() as session:
            return [_stored(row) for row in await session.scalars(query) if isinstance(row, ProviderRow | OfferRow)]

    async def listings(self) -> builtins.list[Listing]:
        """Every offer members may be shown: neither it nor its provider is withdrawn."""
        async with self._database.reading() as session:
            providers = {row.id: _item(row) for row in await session.scalars(
                select(ProviderRow).where(ProviderRow.withdrawn_at.is_(None)))}
            offers = await session.scalars(select(OfferRow).where(OfferRow.withdrawn_at.is_(None)))
            found = []
            for row in offers:
                provider = providers.get(row.provider_id)
                offer = _item(row)
                if isinstance(provider, Provider) and isinstance(offer, Offer):
                    found.append(Listing(offer, provider))
            return found

    async def withdraw(self, kind: str, item_id: str, by: str) -> Stored | None:
        """Hide a provider (and so its offers) or an offer; None if there is none standing."""
        return await self._set_withdrawn(kind, item_id, by, withdrawn=True)

    async def restore(self, kind: str, item_id: str, by: str) -> Stored | None:
        return await self._set_withdrawn(kind, item_id, by, withdrawn=False)

    async def mark_checked(self, kind: str, item_id: str, by: str, today: date) -> Stored | None:
        """Record that someone confirmed the details at the source today (a new version)."""
        stored = await self.get(kind, item_id)
        if stored is None or stored.withdrawn:
            return None
        await self.save(replace(stored.item, checked=today), by, action="check")
        return await self.get(kind, item_id)

    async def versions(self, kind: str, item_id: str) -> builtins.list[ItemVersion]:
        async with self._database.reading() as session:
            rows = await session.scalars(
                select(ItemVersionRow).where(ItemVersionRow.kind == kind, ItemVersionRow.item_id == item_id)
                .order_by(ItemVersionRow.version))
            return [ItemVersion(row.version, from_attributes(kind, row.content), row.changed_by, row.changed_at)
                    for row in rows]

    async def revert(self, kind: str, item_id: str, version: int, by: str) -> int | None:
        """Make an earlier version current again, as a new version; None if it does not exist."""
        async with self._database.reading() as session:
            old = await session.get(ItemVersionRow, (kind, item_id, version))
            content = old.content if old is not None else None
        if content is None:
            return None
        return await self.save(from_attributes(kind, content), by, action="revert")

    async def with_sources(self) -> builtins.list[tuple[Item, str | None]]:
        """Every standing provider and offer with the file text it was imported from, for an export."""
        found: builtins.list[tuple[Item, str | None]] = []
        async with self._database.reading() as session:
            for model in ROWS.values():
                rows = await session.scalars(select(model).where(model.withdrawn_at.is_(None)).order_by(model.id))
                found.extend((_item(row), row.file_source) for row in rows if isinstance(row, ProviderRow | OfferRow))
        return found

    async def revision(self) -> tuple[Any, ...]:
        """Changes whenever anything in the catalogue changes, so a running bot reloads its index."""
        async with self._database.reading() as session:
            parts: builtins.list[Any] = []
            for model in ROWS.values():
                parts.extend((await session.execute(
                    select(func.count(), func.max(model.updated_at), func.sum(model.version)).select_from(model)
                )).one())
            return tuple(parts)

    async def _set_withdrawn(self, kind: str, item_id: str, by: str, withdrawn: bool) -> Stored | None:
        now = self._clock()
        self.local_changes += 1
        async with self._database.transaction() as session:
            row = await _row(session, kind, item_id)
            if row is None or (row.withdrawn_at is not None) == withdrawn:
                return None
            row.withdrawn_at = now if withdrawn else None
            row.updated_at = now
            row.version += 1
            session.add(ItemVersionRow(kind=kind, item_id=item_id, version=row.version,
                                       content=attributes(_item(row)), changed_by=by, changed_at=now))
            state = ("published", "withdrawn")
            await record(session, now, by, f"{kind}.{'withdraw' if withdrawn else 'restore'}", f"{kind}:{item_id}",
                         before=state[not withdrawn], after=state[withdrawn])
            return _stored(row)

    async def _create(self, session: AsyncSession, item: Item, source: str | None, by: str, action: str) -> int:
        now = self._clock()
        kind = kind_of(item)
        row: Row = (ProviderRow if kind == "provider" else OfferRow)(id=item.id, version=1, created_at=now,
                                                                      updated_at=now, file_source=source)
        _fill(row, item)
        session.add(row)
        session.add(ItemVersionRow(kind=kind, item_id=item.id, version=1, content=attributes(item), changed_by=by,
                                   changed_at=now))
        await record(session, now, by, f"{kind}.{action}", f"{kind}:{item.id}", before=None, after=attributes(item))
        await session.flush()
        return 1

    async def _change(self, session: AsyncSession, row: Row, item: Item, source: str | None, by: str,
                      action: str) -> int:
        now = self._clock()
        kind = kind_of(item)
        before = attributes(_item(row))
        if row.withdrawn_at is not None:
            row.withdrawn_at = None
            action = "restore"
        _fill(row, item)
        row.file_source = source
        row.version += 1
        row.updated_at = now
        session.add(ItemVersionRow(kind=kind, item_id=item.id, version=row.version, content=attributes(item),
                                   changed_by=by, changed_at=now))
        await record(session, now, by, f"{kind}.{action}", f"{kind}:{item.id}", before=before,
                     after=attributes(item))
        await session.flush()
        return row.version


async def _row(session: AsyncSession, kind: str, item_id: str) -> Row | None:
    if kind == "provider":
        return await session.get(ProviderRow, item_id)
    return await session.get(OfferRow, item_id)


def _stored(row: Row) -> Stored:
    return Stored(_item(row), row.version, row.updated_at, row.withdrawn_at is not None)


def _item(row: Row) -> Item:
    if isinstance(row, ProviderRow):
        return Provider(id=row.id, name=row.name, kind=row.kind, checked=row.checked, website=row.website,
                        contact=row.contact, contact_person=row.contact_person, area=tuple(row.area),
                        description=row.description, source=row.source, licence=row.licence)
    return Offer(id=row.id, provider=row.provider_id, kind=row.kind, title=row.title, checked=row.checked,
                 description=row.description, topics=tuple(row.topics), audiences=tuple(row.audiences),
                 area=tuple(row.area), cost=row.cost, languages=tuple(as_language(code) for code in row.languages),
                 link=row.link, source=row.source, licence=row.licence, eligible=row.eligible,
                 funding_type=row.funding_type, deadlines=tuple(date.fromisoformat(day) for day in row.deadlines))


def _fill(row: Row, item: Item) -> None:
    for attribute in fields(item):
        if attribute.name == "id":
            continue
        value = getattr(item, attribute.name)
        if isinstance(value, tuple):
            value = [part.isoformat() if isinstance(part, date) else part for part in value]
        setattr(row, "provider_id" if attribute.name == "provider" else attribute.name, value)

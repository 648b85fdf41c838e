"""The check's storage: one check per organisation, shared by its pilots, each change attributed."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.check.tables import CheckChangeRow, CheckMeasureRow, CheckPilotRow, CheckRow
from bot.messages import PersonId
from bot.privacy import Pseudonyms
from bot.storage.database import Database

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I, so a code read aloud or typed from paper comes through."""
CODE_LENGTH = 8


@dataclass(frozen=True)
class Check:
    id: int
    code: str
    org_type: str
    region: str
    systems: tuple[str, ...]
    catalogue_version: str
    round: int
    step: str
    answers: Mapping[str, Any]
    previous: Mapping[str, Any] | None
    requirements: Mapping[str, str]
    manual_order: bool
    started_at: datetime
    finished_at: datetime | None
    review_at: datetime | None


@dataclass(frozen=True)
class Measure:
    id: int
    position: int
    catalogue_id: str | None
    dimension: str
    title: str
    effort: int
    benefit: int
    fit: int
    system: str
    owner: str = ""
    status: str = "open"
    review_on: date | None = None


@dataclass(frozen=True)
class MeasureDraft:
    """A measure about to be added: from the catalogue or the pilot's own."""

    dimension: str
    title: str
    effort: int
    benefit: int
    fit: int
    system: str
    catalogue_id: str | None = None
    review_on: date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


Decision = Callable[[Check], "tuple[str, Mapping[str, Any]] | None"]
"""From a check as stored, the statement key and answer to store, or None."""


def _check(row: CheckRow) -> Check:
    return Check(row.id, row.code, row.org_type, row.region, tuple(row.systems), row.catalogue_version, row.round,
                 row.step, dict(row.answers), dict(row.previous) if row.previous is not None else None,
                 dict(row.requirements), row.manual_order, row.started_at, row.finished_at, row.review_at)


def _measure(row: CheckMeasureRow) -> Measure:
    return Measure(row.id, row.position, row.catalogue_id, row.dimension, row.title, row.effort, row.benefit,
                   row.fit, row.system, row.owner, row.status, row.review_on)


class CheckStore:
    """Reads and changes checks; every change is written with who made it, in the same transaction."""

    def __init__(self, database: Database, pseudonyms: Pseudonyms, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._pseudonyms = pseudonyms
        self._clock = clock
        self._answers: list[tuple[int, PersonId, Decision, asyncio.Future[tuple[Check, bool] | None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._ids: dict[str, int] = {}
        """Each person's check, as this instance last saw it: only they change which one it is."""
        self._versions: dict[int, str] = {}
        """Each check's catalogue version as last seen; checked again inside every answer's write."""

    def attribution(self, person: PersonId) -> str:
        return self._pseudonyms.of("check-pilot", person)

    async def of(self, person: PersonId) -> Check | None:
        """The check the person works on: the one they joined last."""
        async with self._database.reading() as session:
            row = await session.scalar(
                select(CheckRow).join(CheckPilotRow, CheckPilotRow.check_id == CheckRow.id)
                .where(CheckPilotRow.person == person).order_by(CheckPilotRow.joined_at.desc(), CheckRow.id.desc())
                .limit(1))
            return self._seen(person, _check(row)) if row is not None else None

    async def check_id_of(self, person: PersonId) -> int | None:
        """The id of the person's check without reading it, where this instance knows it."""
        if person not in self._ids:
            await self.of(person)
        return self._ids.get(person)

    async def version_of(self, check_id: int) -> str | None:
        if check_id not in self._versions:
            await self.get(check_id)
        return self._versions.get(check_id)

    def _seen(self, person: PersonId | None, check: Check) -> Check:
        if person is not None:
            self._ids[person] = check.id
        self._versions[check.id] = check.catalogue_version
        return check

    async def get(self, check_id: int) -> Check | None:
        async with self._database.reading() as session:
            row = await session.get(CheckRow, check_id)
            return self._seen(None, _check(row)) if row is not None else None

    async def by_code(self, code: str) -> Check | None:
        async with self._database.reading() as session:
            row = await session.scalar(select(CheckRow).where(CheckRow.code == code.strip().upper()))
            return _check(row) if row is not None else None

    async def start(self, person: PersonId, language: str, catalogue_version: str) -> Check:
        now = self._clock()
        async with self._database.transaction() as session:
            row = CheckRow(code=_code(), org_type="", region="", systems=[], catalogue_version=catalogue_version,
                           round=1, step="org", answers={}, previous=None, requirements={}, manual_order=False,
                           started_at=now)
            session.add(row)
            await session.flush()
            session.add(CheckPilotRow(check_id=row.id, person=person, language=language, joined_at=now))
            self._changed(session, row.id, person, "started", "")
            check = _check(row)
        return self._seen(person, check)

    async def join(self, person: PersonId, language: str, check_id: int) -> None:
        async with self._database.transaction() as session:
            if await session.get(CheckPilotRow, (check_id, person)) is None:
                session.add(CheckPilotRow(check_id=check_id, person=person, language=language,
                                          joined_at=self._clock()))
                self._changed(session, check_id, person, "joined", "")
        self._ids[person] = check_id

    async def change(self, check_id: int, person: PersonId, what: str, detail: str = "",
                     **values: Any) -> Check:
        """Set columns of the check and record who did it."""
        async with self._database.transaction() as session:
            row = await session.get(CheckRow, check_id)
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)
            self._changed(session, check_id, person, what, detail)
            check = _check(row)
        return self._seen(None, check)

    async def answer(self, check_id: int, person: PersonId, decide: Decision) -> tuple[Check, bool] | None:
        """Store one statement's answer as `decide` makes it from the check as it is inside the write
        (None from it: the tap no longer fits). Answers arriving together share one transaction, so
        many pilots answering at once do not queue one write each; two pilots of one check both keep
        theirs. Returns the check afterwards and whether the answer was taken; None if it is gone."""
        pending: asyncio.Future[tuple[Check, bool] | None] = asyncio.get_running_loop().create_future()
        self._answers.append((check_id, person, decide, pending))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_answers(), name="check-answers")
        return await asyncio.shield(pending)

    async def _write_answers(self) -> None:
        while self._answers:
            group, self._answers = self._answers, []
            results: list[tuple[Check, bool] | None] = []
            try:
                async with self._database.transaction() as session:
                    ids = {check_id for check_id, _, _, _ in group}
                    rows = {row.id: row for row in await session.scalars(select(CheckRow).where(CheckRow.id.in_(ids)))}
                    for check_id, person, decide, _ in group:
                        row = rows.get(check_id)
                        if row is None:
                            results.append(None)
                            continue
                        decided = decide(_check(row))
                        if decided is not None:
                            key, answer = decided
                            row.answers = {**row.answers, key: dict(answer)}
                            self._changed(session, check_id, person, "answered", key)
                        results.append((self._seen(None, _check(row)), decided is not None))
            except Exception as error:
                for _, _, _, pending in group:
                    pending.set_exception(error)
            except BaseException:
                for _, _, _, pending in [*group, *self._answers]:
                    pending.cancel()
                self._answers = []
                raise
            else:
                for (_, _, _, pending), result in zip(group, results, strict=True):
                    pending.set_result(result)

    async def pilots(self, check_id: int) -> list[tuple[PersonId, str]]:
        """Each pilot of the check with their language, for reminders."""
        async with self._database.reading() as session:
            rows = await session.execute(select(CheckPilotRow.person, CheckPilotRow.language)
                                         .where(CheckPilotRow.check_id == check_id).order_by(CheckPilotRow.person))
            return [(PersonId(person), language) for person, language in rows]

    async def measures(self, check_id: int) -> list[Measure]:
        async with self._database.reading() as session:
            rows = await session.scalars(select(CheckMeasureRow).where(CheckMeasureRow.check_id == check_id)
                                         .order_by(CheckMeasureRow.position, CheckMeasureRow.id))
            return [_measure(row) for row in rows]

    async def add_measures(self, check_id: int, person: PersonId, drafts: Iterable[MeasureDraft]) -> list[Measure]:
        async with self._database.transaction() as session:
            last = await session.scalar(select(func.max(CheckMeasureRow.position))
                                        .where(CheckMeasureRow.check_id == check_id)) or 0
            added = []
            for draft in drafts:
                last += 1
                row = CheckMeasureRow(check_id=check_id, position=last, catalogue_id=draft.catalogue_id,
                                      dimension=draft.dimension, title=draft.title, effort=draft.effort,
                                      benefit=draft.benefit, fit=draft.fit, system=draft.system, owner="",
                                      status="open", review_on=draft.review_on, added_by=self.attribution(person))
                session.add(row)
                added.append(row)
                self._changed(session, check_id, person, "measure-added", draft.title[:200])
            await session.flush()
            return [_measure(row) for row in added]

    async def order_measures(self, check_id: int, person: PersonId, order: Sequence[int], manual: bool) -> None:
        """Give the measures (by id) these positions; `manual` when the pilot moved them by hand."""
        async with self._database.transaction() as session:
            for position, measure_id in enumerate(order, start=1):
                await session.execute(update(CheckMeasureRow).where(CheckMeasureRow.id == measure_id,
                                                                    CheckMeasureRow.check_id == check_id)
                                      .values(position=position))
            row = await session.get(CheckRow, check_id)
            assert row is not None
            if manual:
                row.manual_order = True
                self._changed(session, check_id, person, "measures-moved", "")

    async def edit_measure(self, check_id: int, person: PersonId, measure: Measure, what: str) -> None:
        async with self._database.transaction() as session:
            row = await session.get(CheckMeasureRow, measure.id)
            if row is None or row.check_id != check_id:
                return
            for key in ("title", "effort", "benefit", "fit", "system", "owner", "status", "review_on"):
                setattr(row, key, getattr(measure, key))
            self._changed(session, check_id, person, what, measure.title[:200])

    async def drop_measure(self, check_id: int, person: PersonId, measure: Measure) -> None:
        async with self._database.transaction() as session:
            await session.execute(delete(CheckMeasureRow).where(CheckMeasureRow.id == measure.id,
                                                                CheckMeasureRow.check_id == check_id))
            self._changed(session, check_id, person, "measure-dropped", measure.title[:200])

    async def changes(self, check_id: int) -> list[tuple[datetime, str | None, str, str]]:
        """Who changed what, oldest first: (when, pseudonym or None once forgotten, what, detail)."""
        async with self._database.reading() as session:
            rows = await session.scalars(select(CheckChangeRow).where(CheckChangeRow.check_id == check_id)
                                         .order_by(CheckChangeRow.id))
            return [(row.at, row.by, row.what, row.detail) for row in rows]

    async def due_reviews(self, now: datetime) -> list[Check]:
        async with self._database.reading() as session:
            rows = await session.scalars(select(CheckRow).where(CheckRow.review_at <= now,
                                                                CheckRow.reminded_at.is_(None)))
            return [_check(row) for row in rows]

    async def all_checks(self) -> list[Check]:
        async with self._database.reading() as session:
            return [_check(row) for row in await session.scalars(select(CheckRow).order_by(CheckRow.id))]

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        by = self.attribution(person)
        async with self._database.reading() as session:
            pilots = list(await session.scalars(select(CheckPilotRow).where(CheckPilotRow.person == person)))
            checks = []
            for pilot in pilots:
                row = await session.get(CheckRow, pilot.check_id)
                if row is None:
                    continue
                measures = await session.scalars(select(CheckMeasureRow).where(CheckMeasureRow.check_id == row.id)
                                                 .order_by(CheckMeasureRow.position))
                changes = await session.scalars(select(CheckChangeRow).where(CheckChangeRow.check_id == row.id,
                                                                             CheckChangeRow.by == by))
                checks.append({
                    "code": row.code, "joined_at": pilot.joined_at.isoformat(), "org_type": row.org_type,
                    "region": row.region, "systems": list(row.systems), "answers": dict(row.answers),
                    "requirements": dict(row.requirements),
                    "measures": [{"title": m.title, "status": m.status, "owner": m.owner,
                                  "added_by_you": m.added_by == by} for m in measures],
                    "your_changes": [{"at": c.at.isoformat(), "what": c.what, "detail": c.detail} for c in changes],
                })
            return {"checks": checks}

    async def forget(self, person: PersonId) -> None:
        """Leave every check: a check no other pilot shares is deleted with its measures; a shared one
        stays for the others and only loses this pilot's attribution."""
        by = self.attribution(person)
        self._ids.pop(person, None)
        async with self._database.transaction() as session:
            for pilot in list(await session.scalars(select(CheckPilotRow).where(CheckPilotRow.person == person))):
                others = await session.scalar(select(func.count()).select_from(CheckPilotRow).where(
                    CheckPilotRow.check_id == pilot.check_id, CheckPilotRow.person != person))
                check_id = pilot.check_id
                await session.delete(pilot)
                if not others:
                    for table in (CheckChangeRow, CheckMeasureRow, CheckPilotRow):
                        await session.execute(delete(table).where(table.check_id == check_id))
                    await session.execute(delete(CheckRow).where(CheckRow.id == check_id))
            await session.execute(update(CheckChangeRow).where(CheckChangeRow.by == by).values(by=None))
            await session.execute(update(CheckMeasureRow).where(CheckMeasureRow.added_by == by).values(added_by=None))

    def _changed(self, session: AsyncSession, check_id: int, person: PersonId, what: str, detail: str) -> None:
        session.add(CheckChangeRow(check_id=check_id, by=self.attribution(person), at=self._clock(), what=what,
                                   detail=detail))


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def with_changes(measure: Measure, **changes: Any) -> Measure:
    return replace(measure, **changes)

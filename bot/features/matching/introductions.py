"""Double opt-in: an introduction is proposed to both sides and completed only when both say yes.

Requests name the shared challenges and the other side's kind of organisation and region, never a
name or handle. A no is never reported as a no: whoever said yes hears, when the request
expires, the same neutral "not this time" as after a timeout, so neither the answer nor its
timing gives the other person away. Everything sent goes through the outbox in the transaction
that changes the introduction, so a restart neither loses nor repeats a message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.matching.challenges import Challenges
from bot.features.matching.phrases import ORG_TYPES, PHRASES
from bot.features.matching.tables import IntroductionRow
from bot.messages import Choice, PersonId, Reply, escape_markdown, local_part, platform_of
from bot.outbox import enqueue, forget_queued
from bot.platforms import Platforms
from bot.storage.database import Database
from knowledge.entry import Language, as_language

PENDING, INTRODUCED, DECLINED, EXPIRED = "pending", "introduced", "declined", "expired"
MET_ANSWERS = ("yes", "later", "no")


@dataclass(frozen=True)
class Party:
    """One side of an introduction as the other side may learn about it (the name only after two yeses)."""

    person: str
    name: str
    org_type: str
    region: str
    language: Language


@dataclass(frozen=True)
class Timing:
    """How long a request stays open, and when "did you meet?" follows an introduction."""

    answer_within: timedelta
    follow_up_after: timedelta


class Introductions:
    """The state machine of introductions: propose, answer, expire, follow up."""

    def __init__(self, database: Database, challenges: Challenges, timing: Timing, platforms: Platforms,
                 clock: Callable[[], datetime]) -> None:
        self._database = database
        self._challenges = challenges
        self._timing = timing
        self._platforms = platforms
        self._clock = clock

    async def propose(
        self, session: AsyncSession, key: str, origin: str, first: Party, second: Party,
        challenges: Sequence[str], helps: Sequence[str] = (), first_agreed: bool = False,
        round_key: str | None = None,
    ) -> IntroductionRow | None:
        """Create the introduction and queue the requests; None if `key` exists already.

        `first_agreed` is set when the first side asked for this introduction itself (with
        `/match` or after an unanswered question): only the second side is asked.
        """
        if await session.scalar(select(IntroductionRow.id).where(IntroductionRow.key == key)) is not None:
            return None
        now = self._clock()
        row = IntroductionRow(
            key=key, origin=origin, round_key=round_key, person_a=first.person, person_b=second.person,
            name_a=first.name[:255], name_b=second.name[:255], language_a=first.language,
            language_b=second.language, challenges=list(challenges), answer_a="yes" if first_agreed else None,
            answer_b=None, state=PENDING, created_at=now, expires_at=now + self._timing.answer_within,
        )
        session.add(row)
        await session.flush()
        if not first_agreed:
            await self._request(session, row, "a", about=second, helps=helps)
        await self._request(session, row, "b", about=first, helps=helps)
        return row

    async def pending_between(self, session: AsyncSession, first: str, second: str) -> bool:
        row = await session.scalar(
            select(IntroductionRow.id).where(
                IntroductionRow.state == PENDING,
                or_(
                    (IntroductionRow.person_a == first) & (IntroductionRow.person_b == second),
                    (IntroductionRow.person_a == second) & (IntroductionRow.person_b == first),
                ),
            )
        )
        return row is not None

    async def pending_partners(self, session: AsyncSession, person: str) -> list[str]:
        """The people `person` has an open request with."""
        rows = await session.execute(
            select(IntroductionRow.person_a, IntroductionRow.person_b).where(
                IntroductionRow.state == PENDING,
                or_(IntroductionRow.person_a == person, IntroductionRow.person_b == person),
            )
        )
        return [b if a == person else a for a, b in rows]

    async def recent_pairs(self, session: AsyncSession, since: datetime) -> frozenset[frozenset[str]]:
        """Pairs introduced or asked since `since`, and every pair whose request is still open."""
        rows = await session.execute(
            select(IntroductionRow.person_a, IntroductionRow.person_b).where(
                or_(IntroductionRow.created_at >= since, IntroductionRow.state == PENDING)
            )
        )
        return frozenset(frozenset((a, b)) for a, b in rows)

    async def answer(self, person: str, introduction_id: int, yes: bool) -> str:
        """Record one side's answer; returns the phrase key to reply with.

        After the other side's no, a yes is still thanked and recorded as if the request were open,
        so the reply cannot tell anyone that the other side declined.
        """
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(IntroductionRow, introduction_id, with_for_update=True)
            if row is None or person not in (row.person_a, row.person_b):
                return "answer-too-late"
            if row.state in (PENDING, DECLINED) and row.closed_at is None and row.expires_at <= now:
                await self._close(session, row, EXPIRED if row.state == PENDING else DECLINED, now)
            side = "a" if person == row.person_a else "b"
            if row.state not in (PENDING, DECLINED) or row.closed_at is not None:
                return "answer-too-late"
            if getattr(row, f"answer_{side}") is not None:
                return "answer-too-late"
            setattr(row, f"answer_{side}", "yes" if yes else "no")
            if not yes:
                row.state, row.decided_at = DECLINED, row.decided_at or now
                return "answer-no"
            if row.answer_a == row.answer_b == "yes":
                row.state, row.decided_at = INTRODUCED, now
                row.follow_up_at = now + self._timing.follow_up_after
                await self._introduce(session, row)
            return "answer-yes-waiting"

    async def expire_due(self) -> int:
        """Close requests whose time is up; whoever said yes hears a neutral "not this time"."""
        now = self._clock()
        async with self._database.transaction() as session:
            rows = list(await session.scalars(
                select(IntroductionRow).where(
                    IntroductionRow.state.in_((PENDING, DECLINED)),
                    IntroductionRow.closed_at.is_(None),
                    IntroductionRow.expires_at <= now,
                ).with_for_update(skip_locked=True)
            ))
            for row in rows:
                await self._close(session, row, EXPIRED if row.state == PENDING else DECLINED, now)
            return len(rows)

    async def follow_up_due(self) -> int:
        """Ask both sides of introductions made a while ago whether they met."""
        now = self._clock()
        async with self._database.transaction() as session:
            rows = list(await session.scalars(
                select(IntroductionRow).where(
                    IntroductionRow.state == INTRODUCED,
                    IntroductionRow.follow_up_sent_at.is_(None),
                    IntroductionRow.follow_up_at <= now,
                ).with_for_update(skip_locked=True)
            ))
            for row in rows:
                row.follow_up_sent_at = now
                for side in ("a", "b"):
                    language = _language(row, side)
                    choices = tuple(
                        Choice(PHRASES.say(f"met-{answer}", language), f"matching:met:{row.id}:{answer}")
                        for answer in MET_ANSWERS
                    )
                    text = PHRASES.say("follow-up", language, challenges=self._labels(row, language))
                    await enqueue(session, f"matching:{row.id}:follow-up:{side}", _person(row, side),
                                  Reply(text, choices), now)
            return len(rows)

    async def record_met(self, person: str, introduction_id: int, answer: str) -> bool:
        async with self._database.transaction() as session:
            row = await session.get(IntroductionRow, introduction_id)
            if row is None or row.state != INTRODUCED or answer not in MET_ANSWERS:
                return False
            if person == row.person_a:
                row.met_a = answer
            elif person == row.person_b:
                row.met_b = answer
            else:
                return False
            return True

    async def personal_data(self, person: str) -> list[dict[str, Any]]:
        """The member's introductions; the other side is named only where both said yes."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(IntroductionRow)
                .where(or_(IntroductionRow.person_a == person, IntroductionRow.person_b == person))
                .order_by(IntroductionRow.id)
            )
            result = []
            for row in rows:
                side, other = ("a", "b") if row.person_a == person else ("b", "a")
                result.append({
                    "id": row.id,
                    "origin": row.origin,
                    "state": row.state,
                    "challenges": row.challenges,
                    "created_at": row.created_at.isoformat(),
                    "your_answer": getattr(row, f"answer_{side}"),
                    "did_you_meet": getattr(row, f"met_{side}"),
                    "introduced_to": _person(row, other) if row.state == INTRODUCED else None,
                })
            return result

    async def forget(self, session: AsyncSession, person: str) -> None:
        """Delete the person's introductions and every message queued about them, also those to the other
        side that name them (sent or not)."""
        involved = or_(IntroductionRow.person_a == person, IntroductionRow.person_b == person)
        for introduction_id in list(await session.scalars(select(IntroductionRow.id).where(involved))):
            await forget_queued(session, f"matching:{introduction_id}:")
        await session.execute(delete(IntroductionRow).where(involved))

    async def _request(self, session: AsyncSession, row: IntroductionRow, side: str, about: Party,
                       helps: Sequence[str]) -> None:
        await enqueue(session, f"matching:{row.id}:request:{side}", _person(row, side),
                      self.request(row, side, about, helps), row.created_at)

    def request(self, row: IntroductionRow, side: str, about: Party, helps: Sequence[str] = ()) -> Reply:
        """The request to one side, with its yes and no: sent once, and shown again by `/match`."""
        language = _language(row, side)
        helps_text = (
            PHRASES.say("request-helps", language, helps=self._challenges.labels(helps, language)) if helps else ""
        )
        text = PHRASES.say(
            "request", language,
            org_type=_org(about.org_type, language),
            region=escape_markdown(about.region) or PHRASES.say("not-stated", language),
            challenges=self._labels(row, language), helps=helps_text, until=row.expires_at.strftime("%Y-%m-%d"),
        )
        choices = (Choice(PHRASES.say("yes", language), f"matching:y:{row.id}"),
                   Choice(PHRASES.say("no", language), f"matching:n:{row.id}"))
        return Reply(text, choices)

    async def awaiting(self, person: str) -> list[tuple[IntroductionRow, str]]:
        """Requests still open that `person` has not answered, oldest first, each with their side."""
        now = self._clock()
        async with self._database.reading() as session:
            rows = await session.scalars(
                select(IntroductionRow).where(
                    IntroductionRow.state == PENDING,
                    IntroductionRow.expires_at > now,
                    or_((IntroductionRow.person_a == person) & IntroductionRow.answer_a.is_(None),
                        (IntroductionRow.person_b == person) & IntroductionRow.answer_b.is_(None)),
                ).order_by(IntroductionRow.id)
            )
            return [(row, "a" if row.person_a == person else "b") for row in rows]

    async def _introduce(self, session: AsyncSession, row: IntroductionRow) -> None:
        for side, other in (("a", "b"), ("b", "a")):
            language = _language(row, side)
            person = _person(row, other)
            handle = handle_of(person, getattr(row, f"name_{other}"), self._platforms.link(person))
            text = PHRASES.say("introduced", language, handle=handle, challenges=self._labels(row, language))
            await enqueue(session, f"matching:{row.id}:introduced:{side}", _person(row, side), Reply(text),
                          self._clock())
        if platform_of(row.person_a) == platform_of(row.person_b) and self._platforms.of(row.person_a).rooms:
            await self._open_room(session, row)

    async def _open_room(self, session: AsyncSession, row: IntroductionRow) -> None:
        """Where the platform opens rooms, Lotse does what no handle can: a room with both, greeted in
        each one's language."""
        names = " & ".join(_shown_name(row, side) for side in ("a", "b"))
        languages = dict.fromkeys((_language(row, "a"), _language(row, "b")))
        text = "\n\n".join(
            PHRASES.say("room-greeting", language, names=names, challenges=self._labels(row, language))
            for language in languages
        )
        await enqueue(session, f"matching:{row.id}:room", _person(row, "a"), Reply(text), self._clock(),
                      invite=(_person(row, "b"),))

    async def _close(self, session: AsyncSession, row: IntroductionRow, state: str, now: datetime) -> None:
        row.state, row.closed_at = state, now
        for side in ("a", "b"):
            if getattr(row, f"answer_{side}") == "yes":
                language = _language(row, side)
                text = PHRASES.say("not-this-time", language, challenges=self._labels(row, language))
                await enqueue(session, f"matching:{row.id}:closed:{side}", _person(row, side), Reply(text), now)

    def _labels(self, row: IntroductionRow, language: Language) -> str:
        return self._challenges.labels(row.challenges, language)


def handle_of(person: str, name: str, link: str | None) -> str:
    """How to reach a member on their own platform, for a member on any platform (Markdown): a link
    where the platform has one (`Platforms.link`), else their id there."""
    platform, local = platform_of(person), local_part(person)
    shown = f"**{escape_markdown(name)}** – " if name and name not in (local, person) else ""
    if link:
        return f"{shown}{platform.capitalize()}: {link}"
    return f"{shown}{platform}: {escape_markdown(local)}"


def _shown_name(row: IntroductionRow, side: str) -> str:
    """The display name a member gave, else their own id on their platform (`@dora:example.org`)."""
    person = _person(row, side)
    name: str = getattr(row, f"name_{side}") or ""
    return escape_markdown(name if name and name not in (person, local_part(person)) else local_part(person))


def _person(row: IntroductionRow, side: str) -> PersonId:
    return PersonId(row.person_a if side == "a" else row.person_b)


def _language(row: IntroductionRow, side: str) -> Language:
    return as_language(row.language_a if side == "a" else row.language_b)


def _org(code: str, language: Language) -> str:
    labels = ORG_TYPES.get(code)
    return labels[language] if labels is not None else PHRASES.say("not-stated", language)

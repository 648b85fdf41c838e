"""Warm referrals: a member's request passed to a provider's contact on Lotse, with double opt-in.

The contact reads the request (the member's own words, escaped) and the kind of help asked for,
never the member's name or handle. Only after the contact's yes does each side get the other's
handle; the member's yes is the request itself. A contact who says no, or does not answer in time,
lets the member know through a neutral note with the provider's public contact. Members who would
rather write themselves get a ready-to-send message. Everything sent goes through the outbox in
the transaction that changes the referral, so a restart neither loses nor repeats a message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.digest.composing import plain
from bot.features.kompass.model import Listing
from bot.features.kompass.phrases import PHRASES
from bot.features.kompass.tables import ReferralRow
from bot.features.matching.introductions import handle_of
from bot.messages import Choice, PersonId, Reply
from bot.outbox import enqueue, forget_queued
from bot.platforms import Platforms
from bot.storage.database import Database
from knowledge.entry import Language, as_language

PREPARED, SENT, ACCEPTED, DECLINED, EXPIRED, DONE = "prepared", "sent", "accepted", "declined", "expired", "done"
STATES = (PREPARED, SENT, ACCEPTED, DECLINED, EXPIRED, DONE)
REQUEST_LENGTH = 1500


@dataclass(frozen=True)
class Referral:
    """A referral as its member (or contact) sees it."""

    id: int
    offer_id: str
    provider_id: str
    state: str
    created_at: datetime
    request: str
    member: str
    contact: str | None


@dataclass(frozen=True)
class Asker:
    """The member who asks: their id, the name they gave the platform, and their language."""

    person: str
    name: str
    language: Language


class Referrals:
    """The state machine of referrals: pass on, answer, expire, done."""

    def __init__(self, database: Database, answer_within: timedelta, platforms: Platforms,
                 clock: Callable[[], datetime]) -> None:
        self._database = database
        self._platforms = platforms
        self._answer_within = answer_within
        self._clock = clock

    async def pass_on(self, asker: Asker, listing: Listing, request: str, contact_language: Language) -> Referral:
        """Ask the provider's contact on Lotse whether they take the request."""
        now = self._clock()
        contact = listing.provider.contact_person
        async with self._database.transaction() as session:
            row = self._row(asker, listing, request, SENT, contact, contact_language, now)
            row.expires_at = now + self._answer_within
            session.add(row)
            await session.flush()
            text = PHRASES.say("referral-request", contact_language, offer=plain(listing.offer.title, 100),
                               provider=plain(listing.provider.name, 80), request=_quoted(row.request),
                               until=row.expires_at.strftime("%Y-%m-%d"))
            choices = (Choice(PHRASES.say("referral-yes", contact_language), f"kompass:y:{row.id}"),
                       Choice(PHRASES.say("referral-no", contact_language), f"kompass:n:{row.id}"))
            await enqueue(session, f"kompass:referral:{row.id}:request", PersonId(contact), Reply(text, choices), now)
            return _referral(row)

    async def prepare(self, asker: Asker, listing: Listing, request: str) -> Referral:
        """Record that the member took a ready-to-send message for this provider."""
        async with self._database.transaction() as session:
            row = self._row(asker, listing, request, PREPARED, None, asker.language, self._clock())
            session.add(row)
            await session.flush()
            return _referral(row)

    async def answer(self, contact: str, referral_id: int, yes: bool, listing: Listing | None) -> str:
        """The contact's answer; returns the phrase key to reply with."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(ReferralRow, referral_id, with_for_update=True)
            if row is None or row.contact != contact:
                return "referral-too-late"
            if row.state == SENT and row.expires_at is not None and row.expires_at <= now:
                await self._close(session, row, EXPIRED, listing, now)
            if row.state != SENT:
                return "referral-too-late"
            row.answered_at = now
            if not yes:
                await self._close(session, row, DECLINED, listing, now)
                return "referral-declined-thanks"
            row.state = ACCEPTED
            member_language, contact_language = as_language(row.member_language), as_language(row.contact_language)
            offer = plain(listing.offer.title if listing else row.offer_id, 100)
            await enqueue(session, f"kompass:referral:{row.id}:accepted:member", PersonId(row.member), Reply(
                PHRASES.say("referral-accepted", member_language, offer=offer,
                            handle=handle_of(contact, "", self._platforms.link(contact)))), now)
            member_handle = handle_of(row.member, row.member_name, self._platforms.link(row.member))
            await enqueue(session, f"kompass:referral:{row.id}:accepted:contact", PersonId(contact), Reply(
                PHRASES.say("referral-accepted-contact", contact_language, offer=offer,
                            handle=member_handle, request=_quoted(row.request))), now)
            return "referral-accepted-thanks"

    async def done(self, person: str, referral_id: int) -> bool:
        """The member or the contact says the referral is settled."""
        async with self._database.transaction() as session:
            row = await session.get(ReferralRow, referral_id)
            if row is None or person not in (row.member, row.contact) or row.state not in (PREPARED, ACCEPTED):
                return False
            row.state, row.done_at = DONE, self._clock()
            return True

    async def expire_due(self, listings: Callable[[str], Listing | None]) -> int:
        """Close requests nobody answered in time; the member hears it with the provider's public contact."""
        now = self._clock()
        async with self._database.transaction() as session:
            rows = list(await session.scalars(
                select(ReferralRow).where(ReferralRow.state == SENT, ReferralRow.expires_at <= now)
                .with_for_update(skip_locked=True)))
            for row in rows:
                await self._close(session, row, EXPIRED, listings(row.offer_id), now)
            return len(rows)

    async def of_person(self, person: str) -> list[Referral]:
        """The referrals a member asked for and those they received as a provider's contact, newest first."""
        async with self._database.reading() as session:
            rows = await session.scalars(
                select(ReferralRow).where(or_(ReferralRow.member == person, ReferralRow.contact == person))
                .order_by(ReferralRow.id.desc()))
            return [_referral(row) for row in rows]

    async def pending_for(self, person: str, offer_id: str) -> bool:
        async with self._database.reading() as session:
            found = await session.scalar(select(ReferralRow.id).where(
                ReferralRow.member == person, ReferralRow.offer_id == offer_id, ReferralRow.state == SENT))
            return found is not None

    async def counts(self) -> dict[str, int]:
        """Referrals by state, for moderators (never who asked whom)."""
        async with self._database.reading() as session:
            rows = await session.execute(select(ReferralRow.state, func.count()).group_by(ReferralRow.state))
            found = {str(state): int(count) for state, count in rows}
        return {state: found.get(state, 0) for state in STATES}

    async def personal_data(self, person: str) -> list[dict[str, Any]]:
        return [{"id": referral.id, "offer": referral.offer_id, "provider": referral.provider_id,
                 "state": referral.state, "created_at": referral.created_at.isoformat(),
                 "request": referral.request, "role": "member" if referral.member == person else "provider contact"}
                for referral in await self.of_person(person)]

    async def forget(self, session: AsyncSession, person: str) -> None:
        """Delete the person's referrals and every message queued about them (the request to the contact
        names the member and quotes their words)."""
        involved = or_(ReferralRow.member == person, ReferralRow.contact == person)
        for referral_id in list(await session.scalars(select(ReferralRow.id).where(involved))):
            await forget_queued(session, f"kompass:referral:{referral_id}:")
        await session.execute(delete(ReferralRow).where(involved))

    def _row(self, asker: Asker, listing: Listing, request: str, state: str, contact: str | None,
             contact_language: Language, now: datetime) -> ReferralRow:
        return ReferralRow(member=asker.person, member_name=asker.name[:255], member_language=asker.language,
                           contact=contact, contact_language=contact_language, offer_id=listing.offer.id,
                           provider_id=listing.provider.id, request=request.strip()[:REQUEST_LENGTH], state=state,
                           created_at=now)

    async def _close(self, session: AsyncSession, row: ReferralRow, state: str, listing: Listing | None,
                     now: datetime) -> None:
        row.state = state
        language = as_language(row.member_language)
        offer = plain(listing.offer.title if listing else row.offer_id, 100)
        reach = public_contact(listing, language)
        await enqueue(session, f"kompass:referral:{row.id}:closed", PersonId(row.member),
                      Reply(PHRASES.say("referral-not-this-time", language, offer=offer, reach=reach,
                                        id=row.offer_id)), now)


class ReferralTimeouts:
    """Implements the scheduler's `Job`: closes requests nobody answered in time."""

    name = "kompass-referrals"

    def __init__(self, referrals: Referrals,
                 listings: Callable[[], Awaitable[Callable[[str], Listing | None]]]) -> None:
        self._referrals = referrals
        self._listings = listings

    async def run_due(self, now: datetime) -> None:
        await self._referrals.expire_due(await self._listings())


def public_contact(listing: Listing | None, language: Language) -> str:
    """How anyone can reach the provider: contact and website, or a neutral pointer when none is known."""
    if listing is None:
        return PHRASES.say("no-public-contact", language)
    provider = listing.provider
    parts = [plain(provider.contact, 120)] if provider.contact else []
    if provider.website:
        parts.append(provider.website)
    return ", ".join(parts) or PHRASES.say("no-public-contact", language)


def _quoted(request: str) -> str:
    """The member's words, escaped and set apart, for someone else to read."""
    return "> " + plain(request, REQUEST_LENGTH) if request.strip() else "–"


def _referral(row: ReferralRow) -> Referral:
    return Referral(row.id, row.offer_id, row.provider_id, row.state, row.created_at, row.request, row.member,
                    row.contact)

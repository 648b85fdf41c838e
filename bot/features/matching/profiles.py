"""Member profiles for matching: the stored profile with its consent history, and the guided `/profile`.

Matching is off until the member says yes; every yes and no is kept with its time, because
consent must be provable and withdrawable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogues import Dialogue
from bot.features.matching.challenges import FREE_TEXT, Challenges
from bot.features.matching.phrases import LANGUAGES, ORG_TYPES, PHRASES, REGIONS
from bot.features.matching.ranking import Member
from bot.features.matching.tables import ConsentRow, ProfileRow
from bot.messages import Choice, Reply
from bot.storage.database import Database
from knowledge.entry import Language, as_language
from knowledge.likeness import closest_label

STEPS = ("org", "region", "challenges", "offers", "languages", "consent")
MAX_REGION_WORDS = 4
MAX_REGION_LENGTH = 60
"""A region in the member's own words is a few words long: "Region Hannover", "Kreis Nordfriesland"."""


@dataclass(frozen=True)
class Profile:
    """A member's profile as the rest of the feature sees it."""

    person: str
    display_name: str
    org_type: str
    region: str
    challenges: tuple[str, ...]
    offers: tuple[str, ...]
    unmapped: tuple[str, ...]
    languages: str
    language: Language
    opted_in: bool
    paused_until: datetime | None
    active_at: datetime

    def member(self) -> Member:
        return Member(
            person=self.person,
            challenges=frozenset(self.challenges),
            offers=frozenset(self.offers),
            org_type=self.org_type,
            region=self.region,
            languages=self.languages,
            opted_in=self.opted_in,
            paused_until=self.paused_until,
            active_at=self.active_at,
        )


def profile_of(row: ProfileRow) -> Profile:
    return Profile(
        person=row.person_id,
        display_name=row.display_name,
        org_type=row.org_type,
        region=row.region,
        challenges=tuple(row.challenges),
        offers=tuple(row.offers),
        unmapped=tuple(row.unmapped),
        languages=row.languages,
        language=as_language(row.language),
        opted_in=row.opted_in,
        paused_until=row.paused_until,
        active_at=row.active_at,
    )


class Profiles:
    """Stores profiles and consents."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock

    async def get(self, person: str) -> Profile | None:
        async with self._database.transaction() as session:
            row = await session.get(ProfileRow, person)
            return None if row is None else profile_of(row)

    async def challenges_of(self, people: Collection[str]) -> dict[str, tuple[str, ...]]:
        """The challenges each of `people` named, read in batches so thousands stay cheap."""
        found: dict[str, tuple[str, ...]] = {}
        wanted = list(people)
        async with self._database.transaction() as session:
            for start in range(0, len(wanted), 500):
                rows = await session.execute(
                    select(ProfileRow.person_id, ProfileRow.challenges).where(
                        ProfileRow.person_id.in_(wanted[start : start + 500])
                    )
                )
                found.update((person, tuple(challenges)) for person, challenges in rows)
        return found

    async def all(self, session: AsyncSession) -> list[Profile]:
        """Every profile that takes part, in the caller's transaction (for a consistent round)."""
        rows = await session.scalars(select(ProfileRow).where(ProfileRow.opted_in.is_(True)))
        return [profile_of(row) for row in rows]

    async def consent_given_at(self, person: str) -> datetime | None:
        """When the member last said yes to matching, if that is still their answer."""
        async with self._database.transaction() as session:
            latest = await session.scalar(
                select(ConsentRow).where(ConsentRow.person_id == person).order_by(ConsentRow.id.desc()).limit(1)
            )
            return latest.at if latest is not None and latest.given else None

    async def save(self, person: str, display_name: str, language: Language, answers: Mapping[str, Any]) -> None:
        """Store the answers of a completed `/profile` and the consent given (or refused) with its time."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(ProfileRow, person)
            if row is None:
                row = ProfileRow(person_id=person, paused_until=None)
                session.add(row)
            row.display_name = display_name[:255]
            row.org_type = str(answers["org"])
            row.region = str(answers["region"])[:80]
            row.challenges = list(answers["challenges"])
            row.offers = list(answers["offers"])
            row.unmapped = list(answers.get("unmapped", []))
            row.languages = str(answers["languages"])
            row.language = language
            row.opted_in = bool(answers["consent"])
            row.active_at = now
            row.updated_at = now
            session.add(ConsentRow(person_id=person, given=bool(answers["consent"]), at=now))

    async def pause(self, person: str, until: datetime) -> bool:
        async with self._database.transaction() as session:
            row = await session.get(ProfileRow, person)
            if row is None:
                return False
            row.paused_until = until
            row.active_at = row.updated_at = self._clock()
            return True

    async def switch_off(self, person: str) -> bool:
        """Withdraw consent: the profile stays, the member is proposed to nobody."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(ProfileRow, person)
            if row is None:
                return False
            row.opted_in = False
            row.updated_at = now
            session.add(ConsentRow(person_id=person, given=False, at=now))
            return True

    async def touch(self, person: str, language: Language) -> None:
        """The member used matching: they count as active, and Lotse writes to them in this language."""
        async with self._database.transaction() as session:
            row = await session.get(ProfileRow, person)
            if row is not None:
                row.active_at = self._clock()
                row.language = language

    async def personal_data(self, person: str) -> dict[str, Any]:
        async with self._database.transaction() as session:
            row = await session.get(ProfileRow, person)
            consents = await session.scalars(
                select(ConsentRow).where(ConsentRow.person_id == person).order_by(ConsentRow.id)
            )
            data: dict[str, Any] = {"consents": [{"given": c.given, "at": c.at.isoformat()} for c in consents]}
            if row is not None:
                data["profile"] = {
                    "display_name": row.display_name,
                    "organisation_type": row.org_type,
                    "region": row.region,
                    "challenges": row.challenges,
                    "offers": [offer for offer in row.offers if not offer.startswith(FREE_TEXT)],
                    "offers_in_own_words": [offer.removeprefix(FREE_TEXT) for offer in row.offers
                                            if offer.startswith(FREE_TEXT)],
                    "not_matched_to_the_list": row.unmapped,
                    "languages": row.languages,
                    "language": row.language,
                    "taking_part": row.opted_in,
                    "paused_until": row.paused_until.isoformat() if row.paused_until else None,
                    "active_at": row.active_at.isoformat(),
                    "updated_at": row.updated_at.isoformat(),
                }
            return data

    async def forget(self, session: AsyncSession, person: str) -> None:
        await session.execute(delete(ProfileRow).where(ProfileRow.person_id == person))
        await session.execute(delete(ConsentRow).where(ConsentRow.person_id == person))


class ProfileQuestions:
    """The steps of `/profile`: what each asks, and how a typed answer or a tapped choice is read."""

    def __init__(self, challenges: Challenges) -> None:
        self._challenges = challenges

    def start(self) -> Dialogue:
        return Dialogue("matching", STEPS[0], {})

    def ask(self, step: str, language: Language, again: bool = False) -> Reply:
        """The question of one step; asked `again` after an answer that did not fit, without the introduction."""
        say = PHRASES.say
        if step == "org":
            key = "ask-org-type-again" if again else "ask-org-type"
            return Reply(say(key, language), self._choices(step, _org_labels(language)))
        if step == "region":
            return Reply(say("ask-region", language), self._choices(step, list(REGIONS)))
        if step == "challenges":
            lines = "\n".join(f"{n}. {c.label(language)}" for n, c in enumerate(self._challenges.all, start=1))
            return Reply(say("ask-challenges", language, list=lines))
        if step == "offers":
            return Reply(say("ask-offers", language))
        if step == "languages":
            return Reply(say("ask-languages", language),
                         self._choices(step, [LANGUAGES[code][language] for code in LANGUAGES]))
        return Reply(say("ask-consent", language),
                     self._choices(step, [say("consent-yes", language), say("consent-no", language)]))

    def answer(self, dialogue: Dialogue, text: str, picked: int | None) -> tuple[Dialogue, str | None]:
        """The dialogue after this answer, and a problem key if the answer could not be used."""
        step, data = dialogue.step, dict(dialogue.data)
        if step in ("challenges", "offers"):
            if self._challenges.numbers_off_the_list(text):
                return dialogue, "number-not-on-list"
            found, unmapped = self._challenges.read_list(text)
            if step == "challenges" and not found:
                return dialogue, "no-challenge-found"
            if step == "challenges":
                data[step] = found
                data["unmapped"] = [*data.get("unmapped", []), *unmapped]
            else:
                data[step] = [*found, *(FREE_TEXT + piece for piece in unmapped)]
        else:
            value = self._pick(step, text, picked)
            if value is None:
                return dialogue, f"expected-{step}"
            data[step] = value
        following = STEPS.index(step) + 1
        next_step = STEPS[following] if following < len(STEPS) else "done"
        return Dialogue("matching", next_step, data), None

    def _pick(self, step: str, text: str, picked: int | None) -> Any:
        options: Sequence[Any]
        labels: list[str]
        if step == "org":
            options = list(ORG_TYPES)
            labels = [" ".join(ORG_TYPES[code].values()) for code in options]
        elif step == "region":
            options, labels = list(REGIONS), list(REGIONS)
        elif step == "languages":
            options = list(LANGUAGES)
            labels = [" ".join(LANGUAGES[code].values()) for code in options]
        else:
            options, labels = [True, False], ["ja yes", "nein no"]
        number = text.strip().rstrip(".)")
        if picked is None and number.isdigit():
            picked = int(number) - 1
        if picked is not None:
            return options[picked] if 0 <= picked < len(options) else None
        found = closest_label(text, labels)
        if found is not None:
            return options[found]
        if step == "region" and _names_a_place(text):
            return text.strip()
        return None

    def _choices(self, step: str, labels: Sequence[str]) -> tuple[Choice, ...]:
        return tuple(Choice(label, f"matching:d:{step}:{index}") for index, label in enumerate(labels))


def _names_a_place(text: str) -> bool:
    """A region written in words ("Landkreis Harz"), not a question or a sentence typed at the wrong step."""
    words = text.split()
    return (0 < len(words) <= MAX_REGION_WORDS and len(text.strip()) <= MAX_REGION_LENGTH and "?" not in text
            and any(char.isalpha() for char in text) and not text.strip().isdigit())


def _org_labels(language: Language) -> list[str]:
    return [labels[language] for labels in ORG_TYPES.values()]

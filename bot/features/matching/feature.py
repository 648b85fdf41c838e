"""The matching feature as members meet it: `/profile`, `/match`, the answers to requests and
follow-ups, the offer to meet peers after an unanswered question, its part of `/mydata` and `/stats`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.config import MatchingSettings
from bot.dialogues import Dialogue, Dialogues
from bot.features.faq import Unanswered
from bot.features.faq_log import QuestionLog
from bot.features.matching.challenges import Challenges
from bot.features.matching.introductions import INTRODUCED, Introductions, Party
from bot.features.matching.phrases import LANGUAGES, ORG_TYPES, PHRASES
from bot.features.matching.profiles import Profile, ProfileQuestions, Profiles
from bot.features.matching.ranking import Member, Pool, Rules, Scored
from bot.features.matching.tables import IntroductionRow, ProfileRow
from bot.messages import Choice, Command, PersonId, Reply, escape_markdown
from bot.privacy import Pseudonyms
from bot.storage.database import Database
from bot.turn import Route, Turn
from knowledge.entry import Language

SUGGESTIONS = 3
UNANSWERED_REASONS = ("unknown", "none")
"""After these outcomes of a question Lotse offers to connect the asker with peers."""


class Matching:
    """Implements `Feature`, `UnansweredListener`, `PersonalData` and `StatsSource` for matching."""

    name = "matching"

    def __init__(self, database: Database, dialogues: Dialogues, profiles: Profiles,
                 introductions: Introductions, challenges: Challenges, pseudonyms: Pseudonyms,
                 questions: QuestionLog, settings: MatchingSettings, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._dialogues = dialogues
        self._profiles = profiles
        self._introductions = introductions
        self._challenges = challenges
        self._questions = ProfileQuestions(challenges)
        self._logged = questions
        self._pseudonyms = pseudonyms
        self._settings = settings
        self._clock = clock

    @property
    def challenges(self) -> Challenges:
        """The curated challenge list, for features that speak of the same topics (the Kompass, the check)."""
        return self._challenges

    async def challenges_of(self, people: Collection[PersonId]) -> Mapping[PersonId, Sequence[str]]:
        """Each person's challenges as digest topics (ids and the tags they stand for)."""
        named = await self._profiles.challenges_of(people)
        return {PersonId(person): self._challenges.topics(ids) for person, ids in named.items()}

    def routes(self) -> Sequence[Route]:
        return [
            Route(Command("profile", PHRASES.both("command-profile")), self._profile),
            Route(Command("match", PHRASES.both("command-match")), self._match),
        ]

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        return await self._advance(turn, dialogue, turn.text, None)

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]:
        parts = action.split(":")
        person = turn.message.sender.id
        if len(parts) == 4 and parts[1] == "d" and parts[3].isdigit():
            dialogue = await self._dialogues.current(turn.message)
            if dialogue is not None and dialogue.feature == self.name and dialogue.step == parts[2]:
                return await self._advance(turn, dialogue, "", int(parts[3]))
        elif len(parts) == 3 and parts[1] in ("y", "n") and parts[2].isdigit():
            await self._profiles.touch(person, turn.language)
            key = await self._introductions.answer(person, int(parts[2]), parts[1] == "y")
            return [Reply(PHRASES.say(key, turn.language), replaces_prompt=True)]
        elif len(parts) == 4 and parts[1] == "met" and parts[2].isdigit():
            if await self._introductions.record_met(person, int(parts[2]), parts[3]):
                return [Reply(PHRASES.say("met-thanks", turn.language), replaces_prompt=True)]
        elif len(parts) == 3 and parts[1] == "ask":
            return await self._ask(turn, parts[2])
        elif len(parts) == 4 and parts[1] == "q" and parts[2].isdigit():
            return await self._ask_for_question(turn, int(parts[2]), parts[3])
        return turn.reply("choice-expired")

    async def on_unanswered(self, turn: Turn, question: Unanswered) -> Sequence[Reply]:
        """Offer peers when the question is about a challenge that members who take part work on."""
        if question.reason not in UNANSWERED_REASONS or not self._settings.enabled:
            return []
        question_id = question.question_id
        for challenge_id in self._challenges.find(question.text)[:1]:
            asker = await self._asker(turn, challenge_id)
            if await self._candidates(asker, limit=1):
                challenge = self._challenges.get(challenge_id)
                label = challenge.label(turn.language) if challenge else challenge_id
                choice = Choice(PHRASES.say("peers-offer-choice", turn.language),
                                f"matching:q:{question_id}:{challenge_id}")
                return [Reply(PHRASES.say("peers-offer", turn.language, challenge=label), (choice,))]
        return []

    async def _profile(self, turn: Turn, rest: str) -> Sequence[Reply]:
        command, _, argument = rest.partition(" ")
        person, language = turn.message.sender.id, turn.language
        if not command:
            dialogue = self._questions.start()
            await self._dialogues.save(turn.message, dialogue)
            return [self._questions.ask(dialogue.step, language)]
        if command == "show":
            profile = await self._profiles.get(person)
            if profile is None:
                return [Reply(PHRASES.say("no-profile", language))]
            return [Reply(await self._describe(profile, language))]
        if command == "pause":
            until = _parse_date(argument)
            if until is None:
                return [Reply(PHRASES.say("pause-usage", language))]
            end_of_day = datetime.combine(until + timedelta(days=1), time(), UTC)
            if not await self._profiles.pause(person, end_of_day):
                return [Reply(PHRASES.say("no-profile", language))]
            return [Reply(PHRASES.say("paused", language, until=until.isoformat()))]
        if command == "off":
            if not await self._profiles.switch_off(person):
                return [Reply(PHRASES.say("no-profile", language))]
            return [Reply(PHRASES.say("switched-off", language))]
        return [Reply(PHRASES.say("profile-usage", language))]

    async def _advance(self, turn: Turn, dialogue: Dialogue, text: str, picked: int | None) -> Sequence[Reply]:
        language = turn.language
        following, problem = self._questions.answer(dialogue, text, picked)
        if problem is not None:
            return [Reply(PHRASES.say(problem, language)), self._questions.ask(dialogue.step, language, again=True)]
        if following.step != "done":
            await self._dialogues.save(turn.message, following)
            replies = []
            if dialogue.step in ("challenges", "offers") and len(following.data.get("unmapped", [])) > len(
                dialogue.data.get("unmapped", [])
            ):
                new = following.data["unmapped"][len(dialogue.data.get("unmapped", [])):]
                pieces = ", ".join(map(escape_markdown, new))
                replies.append(Reply(PHRASES.say("unmapped-note", language, pieces=pieces)))
            return [*replies, self._questions.ask(following.step, language)]
        await self._dialogues.end(turn.message)
        sender = turn.message.sender
        await self._profiles.save(sender.id, sender.display_name, language, following.data)
        if following.data["consent"]:
            return [Reply(PHRASES.say("profile-saved-on", language, at=_when(self._clock())))]
        return [Reply(PHRASES.say("profile-saved-off", language))]

    async def _describe(self, profile: Profile, language: Language) -> str:
        nothing = PHRASES.say("nothing", language)
        if not profile.opted_in:
            status = PHRASES.say("status-off", language)
        elif profile.paused_until is not None and profile.paused_until > self._clock():
            last_day = (profile.paused_until - timedelta(days=1)).date().isoformat()
            status = PHRASES.say("status-paused", language, until=last_day)
        else:
            given = await self._profiles.consent_given_at(profile.person)
            status = PHRASES.say("status-on", language, at=_when(given) if given else nothing)
        challenges = self._challenges.labels(profile.challenges, language)
        if profile.unmapped:
            challenges = ", ".join(filter(None, [challenges, *map(escape_markdown, profile.unmapped)]))
        return PHRASES.say(
            "profile-show", language,
            org_type=_org(profile.org_type, language), region=escape_markdown(profile.region) or nothing,
            challenges=challenges or nothing, offers=self._challenges.labels(profile.offers, language) or nothing,
            languages=LANGUAGES.get(profile.languages, LANGUAGES["both"])[language], status=status,
        )

    async def _match(self, turn: Turn, rest: str) -> Sequence[Reply]:
        """Requests waiting for the member's answer first, then up to three suggestions."""
        return [*await self._awaiting(turn), *await self._suggest(turn, rest)]

    async def _awaiting(self, turn: Turn) -> list[Reply]:
        waiting = await self._introductions.awaiting(turn.message.sender.id)
        others = {p.person: p for p in await self._profiles_of(
            [row.person_b if side == "a" else row.person_a for row, side in waiting])}
        replies = []
        for row, side in waiting:
            other = others.get(row.person_b if side == "a" else row.person_a)
            if other is not None:
                replies.append(self._introductions.request(row, side, _party(other, turn.language)))
        return replies

    async def _suggest(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        language = turn.language
        profile = await self._profiles.get(turn.message.sender.id)
        if profile is None or not profile.opted_in:
            return [Reply(PHRASES.say("match-needs-profile", language))]
        if profile.paused_until is not None and profile.paused_until > self._clock():
            last_day = (profile.paused_until - timedelta(days=1)).date().isoformat()
            return [Reply(PHRASES.say("match-paused", language, until=last_day))]
        await self._profiles.touch(profile.person, language)
        suggestions = await self._candidates(profile.member(), SUGGESTIONS)
        if not suggestions:
            return [Reply(PHRASES.say("match-none", language))]
        others = {p.person: p for p in await self._profiles_of([s.person for s in suggestions])}
        lines, choices = [], []
        for number, suggestion in enumerate(suggestions, start=1):
            other = others[suggestion.person]
            helps = suggestion.helps and PHRASES.say(
                "helps-line", language, helps=self._challenges.labels(suggestion.helps, language)
            )
            lines.append(PHRASES.say(
                "match-line", language, number=number, org_type=_org(other.org_type, language),
                region=escape_markdown(other.region) or PHRASES.say("not-stated", language),
                challenges=self._challenges.labels(suggestion.shared, language) or "–", helps=helps or "",
            ))
            choices.append(Choice(PHRASES.say("match-choice", language, number=number),
                                  f"matching:ask:{self._token(profile.person, suggestion.person)}"))
        return [Reply(PHRASES.say("match-list", language, list="\n".join(lines)), tuple(choices))]

    async def _ask(self, turn: Turn, token: str) -> Sequence[Reply]:
        """The member picked a suggestion: ask the other side (the member's own yes is the pick)."""
        profile = await self._profiles.get(turn.message.sender.id)
        if profile is None or not profile.opted_in:
            return [Reply(PHRASES.say("match-needs-profile", turn.language))]
        for suggestion in await self._candidates(profile.member(), SUGGESTIONS):
            if self._token(profile.person, suggestion.person) == token:
                [other] = await self._profiles_of([suggestion.person])
                return await self._propose(turn, "match", _party(profile, turn.language), other, suggestion)
        async with self._database.transaction() as session:
            asked = await self._introductions.pending_partners(session, profile.person)
        if any(self._token(profile.person, other) == token for other in asked):
            return [Reply(PHRASES.say("already-asked", turn.language), replaces_prompt=True)]
        return turn.reply("choice-expired")

    async def _ask_for_question(self, turn: Turn, question_id: int, challenge_id: str) -> Sequence[Reply]:
        """After an unanswered question: ask the best peer who works on that challenge."""
        question = await self._logged.question(question_id)
        if question is None or question.asker != self._pseudonyms.of(turn.message.sender.id):
            return turn.reply("choice-expired")
        asker = await self._asker(turn, challenge_id)
        candidates = await self._candidates(asker, limit=1)
        if not candidates:
            return [Reply(PHRASES.say("peers-none", turn.language), replaces_prompt=True)]
        [other] = await self._profiles_of([candidates[0].person])
        profile = await self._profiles.get(asker.person)
        sender = turn.message.sender
        first = (_party(profile, turn.language) if profile is not None
                 else Party(sender.id, sender.display_name, "", "", turn.language))
        shared = Scored(other.person, candidates[0].score, (challenge_id,), candidates[0].helps)
        return await self._propose(turn, "question", first, other, shared)

    async def _propose(self, turn: Turn, origin: str, first: Party, other: Profile,
                       suggestion: Scored) -> Sequence[Reply]:
        now = self._clock()
        async with self._database.transaction() as session:
            if await self._introductions.pending_between(session, first.person, other.person):
                return [Reply(PHRASES.say("already-asked", turn.language), replaces_prompt=True)]
            key = f"{origin}:{self._pseudonyms.of(first.person, other.person)}:{int(now.timestamp())}"
            await self._introductions.propose(
                session, key, origin, first, _party(other, other.language),
                suggestion.shared or suggestion.helps, suggestion.helps, first_agreed=True,
            )
        return [Reply(PHRASES.say("asked", turn.language), replaces_prompt=True)]

    async def _candidates(self, member: Member, limit: int) -> list[Scored]:
        now = self._clock()
        async with self._database.transaction() as session:
            profiles = await self._profiles.all(session)
            window = timedelta(days=self._settings.reintroduce_after_days)
            recent = await self._introductions.recent_pairs(session, now - window)
        rules = Rules(now, timedelta(days=self._settings.inactive_after_days), recent)
        return Pool((p.member() for p in profiles), rules).best_for(member, limit)

    async def _asker(self, turn: Turn, challenge_id: str) -> Member:
        """The asker as ranking sees them: their profile plus the question's challenge."""
        profile = await self._profiles.get(turn.message.sender.id)
        if profile is None:
            return Member(turn.message.sender.id, frozenset((challenge_id,)))
        member = profile.member()
        return Member(member.person, frozenset((challenge_id,)), member.offers, member.org_type, member.region,
                      member.languages)

    async def _profiles_of(self, people: Sequence[str]) -> list[Profile]:
        found = [await self._profiles.get(person) for person in people]
        return [profile for profile in found if profile is not None]

    def _token(self, person: str, other: str) -> str:
        """An opaque reference to a suggested member, so no person id travels in a button."""
        return self._pseudonyms.of("matching-suggestion", person, other)[:20]

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        data = await self._profiles.personal_data(person)
        data["introductions"] = await self._introductions.personal_data(person)
        return data

    async def forget(self, person: PersonId) -> None:
        async with self._database.transaction() as session:
            await self._profiles.forget(session, person)
            await self._introductions.forget(session, person)

    async def stats_section(self, language: Language, now: datetime) -> str:
        """Counts only: who asked for whom is never shown."""
        figures = await self.figures()
        return PHRASES.say("stats", language, **figures)

    async def figures(self) -> dict[str, int]:
        """Members taking part, introductions proposed and made, and whether people met."""
        async with self._database.transaction() as session:
            members = await session.scalar(
                select(func.count()).select_from(ProfileRow).where(ProfileRow.opted_in.is_(True))
            )
            proposed = await session.scalar(select(func.count()).select_from(IntroductionRow))
            introduced = await session.scalar(
                select(func.count()).select_from(IntroductionRow).where(IntroductionRow.state == INTRODUCED)
            )
            met: dict[str, int] = {}
            for column in (IntroductionRow.met_a, IntroductionRow.met_b):
                rows = await session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column))
                for answer, count in rows:
                    met[str(answer)] = met.get(str(answer), 0) + count
        return {"members": members or 0, "proposed": proposed or 0, "introduced": introduced or 0,
                "met_yes": met.get("yes", 0), "met_later": met.get("later", 0), "met_no": met.get("no", 0)}


def _party(profile: Profile, language: Language) -> Party:
    return Party(profile.person, profile.display_name, profile.org_type, profile.region, language)


def _org(code: str, language: Language) -> str:
    labels = ORG_TYPES.get(code)
    return labels[language] if labels is not None else PHRASES.say("not-stated", language)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _parse_date(text: str) -> date | None:
    """`2027-01-31` or `31.01.2027`."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None

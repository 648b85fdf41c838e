"""The Kompass as members and moderators meet it: `/kompass`, `/provider`, `/offer`, the buttons of
referrals, free questions the knowledge base could not answer, offers beside answers, its part of
`/mydata`, `/forget` and `/stats`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.dialogues import Dialogue, Dialogues
from bot.features.digest.composing import plain
from bot.features.faq import Unanswered
from bot.features.kompass.curate import FEATURE, Curating
from bot.features.kompass.directory import Directory, day, offer_token
from bot.features.kompass.model import AUDIENCES, FUNDING_TYPES, OFFER_KINDS, Found, Listing, Provider
from bot.features.kompass.phrases import PHRASES
from bot.features.kompass.questions import Asked, read_request
from bot.features.kompass.radar import FundingRadar
from bot.features.kompass.referrals import Asker, Referrals, public_contact
from bot.members import Members
from bot.messages import Choice, Command, PersonId, Reply, Sender
from bot.roles import Roles
from bot.storage.database import Database
from bot.turn import CommandAction, Route, Turn
from knowledge.entry import Entry, Language

UNANSWERED_REASONS = ("unknown", "none")
BESIDE_ANSWER = 3


class Kompass:
    """Implements `Feature`, `UnansweredListener`, the FAQ's answer hook, `PersonalData` and `StatsSource`."""

    name = FEATURE

    def __init__(self, database: Database, directory: Directory, referrals: Referrals, radar: FundingRadar,
                 roles: Roles, members: Members, dialogues: Dialogues, is_member: Callable[[str], bool]) -> None:
        self._database = database
        self.directory = directory
        self.referrals = referrals
        self.radar = radar
        self._roles = roles
        self._members = members
        self._dialogues = dialogues
        self._curating = Curating(directory.catalogue, directory, dialogues, is_member)

    def routes(self) -> Sequence[Route]:
        return [
            Route(Command("kompass", PHRASES.both("command-kompass")), self._kompass),
            Route(Command("provider", PHRASES.both("command-provider"), moderators_only=True),
                  self._for_moderators("provider")),
            Route(Command("offer", PHRASES.both("command-offer"), moderators_only=True), self._for_moderators("offer")),
        ]

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        step, _, token = dialogue.step.partition(":")
        if step in ("refer", "message"):
            await self._dialogues.end(turn.message)
            listing = await self.directory.listing_by_token(token)
            if listing is None:
                return turn.reply("choice-expired")
            text = "" if turn.text.strip() in ("-", "–") else turn.text
            return await (self._pass_on(turn, listing, text) if step == "refer" else self._message(turn, listing, text))
        if not await self._roles.is_moderator(turn.message.sender.id):
            await self._dialogues.end(turn.message)
            return PHRASES.reply("moderators-only", turn.language)
        return await self._curating.step(turn, dialogue)

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]:
        parts = action.split(":")
        person = turn.message.sender.id
        if len(parts) == 3 and parts[1] in ("r", "m"):
            listing = await self.directory.listing_by_token(parts[2])
            if listing is None:
                return turn.reply("choice-expired")
            if parts[1] == "r" and await self.referrals.pending_for(person, listing.offer.id):
                return PHRASES.reply("referral-pending", turn.language)
            step = "refer" if parts[1] == "r" else "message"
            await self._dialogues.save(turn.message, Dialogue(FEATURE, f"{step}:{parts[2]}", {}))
            return PHRASES.reply(f"ask-{step}", turn.language, provider=plain(listing.provider.name, 80))
        if len(parts) == 3 and parts[1] in ("y", "n") and parts[2].isdigit():
            referral = next((r for r in await self.referrals.of_person(person) if r.id == int(parts[2])), None)
            listing = await self.directory.listing(referral.offer_id) if referral else None
            key = await self.referrals.answer(person, int(parts[2]), parts[1] == "y", listing)
            return [Reply(PHRASES.say(key, turn.language), replaces_prompt=True)]
        return turn.reply("choice-expired")

    async def on_unanswered(self, turn: Turn, question: Unanswered) -> Sequence[Reply]:
        """A question the knowledge base could not answer that asks who helps with what, where."""
        if question.reason not in UNANSWERED_REASONS:
            return []
        asked = read_request(question.text, self.directory.topics, self.directory.regions, cue_required=True)
        if not asked.directory_like or not (asked.request.topics or asked.place):
            return []
        asked = await self._with_radar_defaults(turn, asked)
        found = await self.directory.search(asked.request)
        if not found:
            return []
        return [Reply(self._answer_text(found, asked, turn.language, "found-for-question"))]

    async def beside_answer(self, turn: Turn, entry: Entry) -> Sequence[Reply]:
        """The offers an answer entry names, shown under the answer (standing ones only)."""
        if not entry.offers:
            return []
        today, stale_before = self.directory.today(), self.directory.stale_before()
        lines = []
        for offer_id in entry.offers:
            listing = await self.directory.listing(offer_id)
            if listing is not None and not listing.offer.is_over(today):
                found = Found(listing, 0, listing.offer.checked < stale_before)
                lines.append(self.directory.line(found, turn.language))
        if not lines:
            return []
        return [Reply(PHRASES.say("beside-answer", turn.language) + "\n\n" + "\n".join(lines[:BESIDE_ANSWER]))]

    async def _kompass(self, turn: Turn, rest: str) -> Sequence[Reply]:
        verb, _, argument = rest.strip().partition(" ")
        verb, argument = verb.casefold(), argument.strip()
        if not rest.strip() or verb in ("help", "hilfe"):
            return PHRASES.reply("kompass-usage", turn.language)
        if verb in ("show", "zeige"):
            return await self._show(turn, argument)
        if verb in ("referrals", "anfragen"):
            return await self._referrals(turn)
        if verb in ("done", "erledigt") and argument.isdigit():
            done = await self.referrals.done(turn.message.sender.id, int(argument))
            return PHRASES.reply("referral-done" if done else "referral-not-yours", turn.language, id=argument)
        if verb == "radar":
            return await self._radar(turn, argument)
        asked = await self._with_radar_defaults(turn, read_request(rest, self.directory.topics,
                                                                    self.directory.regions))
        found = await self.directory.search(asked.request)
        if not found:
            return PHRASES.reply("nothing-found", turn.language, words=plain(asked.unknown_words, 60) or "–")
        return [Reply(self._answer_text(found, asked, turn.language, "found"))]

    def _answer_text(self, found: Sequence[Found], asked: Asked, language: Language, heading: str) -> str:
        directory = self.directory
        where = (directory.area_name(asked.request.keys, language) if asked.request.keys
                 else PHRASES.say("nationwide", language))
        if asked.place is not None:
            district = directory.area_name(asked.place.keys, language)
            where = asked.place.label if asked.place.label == district else f"{asked.place.label}, {district}"
        parts = [PHRASES.say(heading, language, place=plain(where, 80)),
                 "\n".join(directory.line(one, language) for one in found)]
        if not asked.request.keys:
            parts.append(PHRASES.say("hint-place", language))
        elif asked.place is not None and asked.place.approximate:
            parts.append(PHRASES.say("hint-approximate", language, postcode=asked.place.label))
        if asked.unknown_words:
            parts.append(PHRASES.say("hint-topic", language, words=plain(asked.unknown_words, 60)))
        return "\n\n".join(parts)

    async def _with_radar_defaults(self, turn: Turn, asked: Asked) -> Asked:
        """Without a place or organisation type in the words, those of the member's funding radar."""
        if asked.request.keys and asked.request.audience:
            return asked
        radar = await self.radar.get(turn.message.sender.id)
        if radar is None:
            return asked
        request = replace(asked.request, keys=asked.request.keys or radar.keys,
                          audience=asked.request.audience or radar.audience or None)
        return replace(asked, request=request)

    async def _show(self, turn: Turn, offer_id: str) -> Sequence[Reply]:
        listing = await self.directory.listing(offer_id)
        language = turn.language
        if listing is None:
            return PHRASES.reply("no-offer", language, id=plain(offer_id, 80))
        offer, provider = listing.offer, listing.provider
        directory = self.directory
        lines = [f"**{plain(offer.title, 160)}**", f"{plain(provider.name, 120)} · {OFFER_KINDS[offer.kind][language]}"]
        if offer.description:
            lines.append(offer.description)
        facts = [PHRASES.say("fact-area", language, area=directory.area_name(listing.area, language))]
        if offer.topics:
            facts.append(PHRASES.say("fact-topics", language, topics=directory.topics.labels(offer.topics, language)))
        if offer.audiences:
            facts.append(PHRASES.say("fact-audiences", language,
                                     audiences=", ".join(AUDIENCES[code][language] for code in offer.audiences)))
        if offer.eligible:
            facts.append(PHRASES.say("fact-eligible", language, eligible=plain(offer.eligible, 300)))
        if offer.funding_type:
            facts.append(PHRASES.say("fact-funding-type", language, type=FUNDING_TYPES[offer.funding_type][language]))
        upcoming = [deadline for deadline in offer.deadlines if deadline >= directory.today()]
        if upcoming:
            facts.append(PHRASES.say("fact-deadlines", language,
                                     dates=", ".join(day(deadline, language) for deadline in upcoming)))
        if offer.link:
            facts.append(PHRASES.say("fact-link", language, link=offer.link))
        facts.append(PHRASES.say("fact-contact", language, contact=public_contact(listing, language)))
        stale = offer.checked < directory.stale_before()
        facts.append(PHRASES.say("stale" if stale else "checked", language, date=day(offer.checked, language)) +
                     " · " + (directory.source(offer.source, language) or "–"))
        lines.append("\n".join(f"- {fact}" for fact in facts))
        token = offer_token(offer.id)
        choices = []
        if provider.contact_person and provider.contact_person != turn.message.sender.id:
            choices.append(Choice(PHRASES.say("choice-refer", language), f"kompass:r:{token}"))
        choices.append(Choice(PHRASES.say("choice-message", language), f"kompass:m:{token}"))
        return [Reply("\n\n".join(lines), tuple(choices))]

    async def _pass_on(self, turn: Turn, listing: Listing, text: str) -> Sequence[Reply]:
        if not text.strip():
            return PHRASES.reply("referral-empty", turn.language)
        contact = listing.provider.contact_person
        contact_language = await self._members.language_for(Sender(PersonId(contact)))
        referral = await self.referrals.pass_on(self._asker(turn), listing, text, contact_language)
        return PHRASES.reply("referral-sent", turn.language, provider=plain(listing.provider.name, 80),
                             id=referral.id)

    async def _message(self, turn: Turn, listing: Listing, text: str) -> Sequence[Reply]:
        """A message the member can send themselves, in German (the providers' language) or English."""
        await self.referrals.prepare(self._asker(turn), listing, text)
        language = turn.language
        concern = plain(text, 1500) if text.strip() else PHRASES.say("message-concern-placeholder", language)
        message = PHRASES.say("ready-message", language, offer=plain(listing.offer.title, 120),
                              provider=plain(listing.provider.name, 120), concern=concern)
        return [Reply(PHRASES.say("ready-message-intro", language, reach=public_contact(listing, language)) +
                      "\n\n```\n" + message + "\n```")]

    async def _referrals(self, turn: Turn) -> Sequence[Reply]:
        person, language = turn.message.sender.id, turn.language
        referrals = await self.referrals.of_person(person)
        if not referrals:
            return PHRASES.reply("no-referrals", language)
        lines = []
        for referral in referrals[:20]:
            listing = await self.directory.listing(referral.offer_id)
            title = plain(listing.offer.title, 80) if listing else referral.offer_id
            role = "" if referral.member == person else " " + PHRASES.say("as-contact", language)
            lines.append(f"- #{referral.id} {title}{role}: **{PHRASES.say('state-' + referral.state, language)}** "
                         f"({referral.created_at:%Y-%m-%d})")
        return [Reply(PHRASES.say("referrals", language) + "\n\n" + "\n".join(lines) + "\n\n" +
                      PHRASES.say("referrals-hint", language))]

    async def _radar(self, turn: Turn, argument: str) -> Sequence[Reply]:
        person, language = turn.message.sender.id, turn.language
        if argument.casefold() in ("off", "aus"):
            removed = await self.radar.unsubscribe(person)
            return PHRASES.reply("radar-off" if removed else "radar-none", language)
        if not argument:
            radar = await self.radar.get(person)
            if radar is None:
                return PHRASES.reply("radar-none", language)
            return [Reply(self._radar_status(radar.topics, radar.audience, radar.keys, language) + "\n\n" +
                          await self._calls_text(person, language))]
        parts = [part.strip() for part in argument.split("|")]
        asked = read_request(" ".join(parts), self.directory.topics, self.directory.regions)
        place = self.directory.regions.area(parts[1]) if len(parts) > 1 and parts[1] else asked.request.keys
        if len(parts) > 1 and parts[1] and place is None:
            return PHRASES.reply("invalid-area", language)
        keys = tuple(place or ())
        audience = asked.request.audience or ""
        await self.radar.subscribe(person, asked.request.topics, audience, keys,
                                   self.directory.area_name(keys, language) if keys else "", language)
        return [Reply(PHRASES.say("radar-saved", language) + " " +
                      self._radar_status(asked.request.topics, audience, keys, language) + "\n\n" +
                      await self._calls_text(person, language))]

    def _radar_status(self, topics: Sequence[str], audience: str, keys: Sequence[str], language: Language) -> str:
        directory = self.directory
        return PHRASES.say(
            "radar-status", language,
            topics=directory.topics.labels(topics, language) or PHRASES.say("all-topics", language),
            audience=AUDIENCES[audience][language] if audience in AUDIENCES else PHRASES.say("any-audience", language),
            place=directory.area_name(keys, language) if keys else PHRASES.say("nationwide", language))

    async def _calls_text(self, person: str, language: Language) -> str:
        radar = await self.radar.get(person)
        calls = await self.radar.calls_for(radar) if radar is not None else []
        return self.radar.section(calls, language) if calls else PHRASES.say("no-calls", language)

    def _asker(self, turn: Turn) -> Asker:
        sender = turn.message.sender
        return Asker(sender.id, sender.display_name, turn.language)

    def _for_moderators(self, kind: str) -> CommandAction:
        async def checked(turn: Turn, rest: str) -> Sequence[Reply]:
            if not await self._roles.is_moderator(turn.message.sender.id):
                return PHRASES.reply("moderators-only", turn.language)
            return await self._curating.run(turn, kind, rest)

        return checked

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        contact_for = [stored.item.id for stored in await self.directory.catalogue.list("provider")
                       if isinstance(stored.item, Provider) and stored.item.contact_person == person]
        return {"referrals": await self.referrals.personal_data(person),
                "funding_radar": await self.radar.personal_data(person),
                "contact_person_of_providers": contact_for}

    async def forget(self, person: PersonId) -> None:
        """Referrals and the radar go; a provider keeps its entry but no longer names the person."""
        async with self._database.transaction() as session:
            await self.referrals.forget(session, person)
        await self.radar.unsubscribe(person)
        catalogue = self.directory.catalogue
        for stored in await catalogue.list("provider", include_withdrawn=True):
            if isinstance(stored.item, Provider) and stored.item.contact_person == person:
                await catalogue.save(replace(stored.item, contact_person=""), "privacy:forget", action="forget")

    async def stats_section(self, language: Language, now: datetime) -> str:
        """Counts only: who asked which provider is never shown."""
        counts = await self.directory.counts()
        referrals = await self.referrals.counts()
        return PHRASES.say("stats", language, radar=await self.radar.count(), **counts,
                           **{state: count for state, count in referrals.items()})

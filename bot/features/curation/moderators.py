"""`/mod grant|revoke|list`: admins name moderators in chat; nobody grants a role to themselves."""

from __future__ import annotations

from collections.abc import Sequence

from bot.features.curation.phrases import PHRASES
from bot.messages import PersonId, Reply
from bot.platforms import Platforms
from bot.roles import RoleChange, Roles
from bot.turn import Turn


class ModeratorCommands:
    """Puts `Roles` into words; `Roles` decides who may do what and audits it."""

    def __init__(self, roles: Roles, platforms: Platforms) -> None:
        self._roles = roles
        self._platforms = platforms

    async def run(self, turn: Turn, rest: str) -> Sequence[Reply]:
        verb, _, person = rest.strip().partition(" ")
        verb, person = verb.casefold(), person.strip()
        if verb == "list":
            moderators = await self._roles.moderators()
            return PHRASES.reply("moderators", turn.language, people="\n".join(f"- {m}" for m in moderators))
        if verb not in ("grant", "revoke") or not self._platforms.knows(person):
            return PHRASES.reply("mod-usage", turn.language)
        by = turn.message.sender.id
        change = await (self._roles.grant if verb == "grant" else self._roles.revoke)(by, PersonId(person))
        if change is RoleChange.NOT_ALLOWED:
            return PHRASES.reply("admins-only", turn.language)
        if change is RoleChange.SELF:
            return PHRASES.reply("not-yourself", turn.language)
        return PHRASES.reply(f"{verb}-{change.value}", turn.language, person=person)

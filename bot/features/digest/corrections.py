"""Short correction notices to the rooms where a withdrawn or changed item already went.

Queued in the transaction that withdraws or changes the item, keyed by item, version and room,
so one change is corrected once per room however often the command is repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.digest.composing import plain
from bot.features.digest.phrases import PHRASES
from bot.features.digest.tables import DigestItemRow
from bot.messages import ChatId, Reply
from bot.outbox import enqueue
from knowledge.entry import Language

ROOM_PREFIX = "room:"


async def queue_corrections(
    session: AsyncSession,
    kind: str,
    item_id: int,
    version: int,
    title: str,
    line: Callable[[Language], str] | None,
    room_languages: Mapping[str, Language],
    now: datetime,
) -> int:
    """Queue a notice to every room whose digest had the item; `line` None means withdrawn."""
    audiences = set(await session.scalars(
        select(DigestItemRow.audience).where(DigestItemRow.kind == kind, DigestItemRow.item_id == item_id)
    ))
    queued = 0
    for audience in sorted(audiences):
        chat = audience.removeprefix(ROOM_PREFIX)
        shown = plain(title, 120)
        language = room_languages.get(chat, "de")
        if line is None:
            text = PHRASES.say("correction-withdrawn", language, title=shown)
        else:
            text = PHRASES.say("correction-changed", language, title=shown, line=line(language))
        key = f"correction:{kind}:{item_id}:v{version}:{chat}"
        queued += await enqueue(session, key, ChatId(chat), Reply(text), now)
    return queued

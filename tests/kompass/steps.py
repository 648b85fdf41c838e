"""Steps the Kompass specifications share: a small directory, talking to Lotse, delivering the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.composition import Lotse
from bot.features.kompass.files import read_items
from bot.messages import Reply
from bot.outbox import OutboxWorker
from tests.support.core import message_from
from tests.support.recording import RecordingPlatform

MODERATOR = "console:mod"
MODERATOR_ROOM = "console:moderators"
CHECKED = date(2026, 11, 1)


def provider(provider_id: str, area: str = "DE", contact_person: str = "", checked: date = CHECKED,
             name: str = "") -> str:
    lines = ["---", f"provider: {provider_id}", f"name: {name or provider_id.title()}", "kind: advice-centre",
             "website: https://example.org", "contact: info@example.org", f'area: ["{area}"]',
             "source: https://example.org/about", f"checked: {checked.isoformat()}"]
    if contact_person:
        lines.append(f"contact_person: {contact_person}")
    return "\n".join([*lines, "---", f"About {provider_id}.", ""])


def offer(offer_id: str, provider_id: str, topics: str = "funding", kind: str = "advice", area: str = "",
          audiences: str = "", deadlines: str = "", checked: date = CHECKED, title: str = "") -> str:
    lines = ["---", f"offer: {offer_id}", f"provider: {provider_id}", f"kind: {kind}",
             f"title: {title or 'Offer ' + offer_id}", f"topics: [{topics}]"]
    if audiences:
        lines.append(f"audiences: [{audiences}]")
    if area:
        lines.append(f'area: ["{area}"]')
    if deadlines:
        lines.append(f"deadlines: [{deadlines}]")
    lines += ["link: https://example.org/offer", "source: https://example.org/offer", f"checked: {checked.isoformat()}"]
    return "\n".join([*lines, "---", f"What {offer_id} does.", ""])


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


async def load(lotse: Lotse, folder: Path, files: dict[str, str]) -> None:
    """Import the files as a moderator would with `lotse kompass import`."""
    write(folder, files)
    await lotse.kompass.directory.catalogue.import_files(read_items([folder], lotse.kompass.vocabulary), by="test")


async def say(lotse: Lotse, person: str, text: str, language: str = "de") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, text, language_hint=language))


async def tap(lotse: Lotse, person: str, action: str, language: str = "de") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, action=action, language_hint=language))


async def delivered(lotse: Lotse, recipient: str) -> list[str]:
    """Deliver the outbox through recording platforms; what `recipient` got."""
    platform = RecordingPlatform()
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    return [reply.text for to, reply in platform.sent if to == recipient]


def ids_in(text: str) -> list[str]:
    """The offer ids an answer lists, in order (each line ends with `/kompass show ID`)."""
    return [line.rsplit("/kompass show ", 1)[1].rstrip("`") for line in text.splitlines() if "/kompass show " in line]

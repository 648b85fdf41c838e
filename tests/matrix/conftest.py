"""Fixtures for the Matrix adapter tests: Lotse's account, its platform, members and a scripted core."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.matrix.platform import MatrixPlatform
from bot.config import MatrixSettings
from bot.messages import Choice, Command, Conversation, IncomingMessage, Reply
from tests.matrix.members import Member
from tests.support.synapse import MatrixUser, SynapseServer

FEEDBACK = (Choice("👍", "fb:up"), Choice("👎", "fb:down"))
DID_YOU_MEAN = (Choice("Passwortmanager auswählen", "pick:manager"), Choice("Passwort vergessen", "pick:reset"))


@dataclass
class MemoryState:
    """The `PlatformState` port in memory; one instance survives a Lotse restart within a test."""

    values: dict[str, str] = field(default_factory=dict)

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def put(self, key: str, value: str) -> None:
        self.values[key] = value


class ScriptedConversation:
    """A stand-in for the core with the behaviours the adapter has to carry.

    "passwort" gets "did you mean" choices, a number or an action picks one, `/lang` is a command,
    anything else is echoed (so injected HTML comes back) with 👍/👎 feedback.
    """

    def __init__(self) -> None:
        self.received: list[IncomingMessage] = []

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        self.received.append(message)
        if message.action and message.action.startswith("pick:"):
            return [Reply(f"Antwort zu **{message.action[5:]}**", feedback=FEEDBACK)]
        if message.action and message.action.startswith("fb:"):
            return [Reply("Danke für die Rückmeldung.")]
        text = message.text
        if text.startswith("/lang"):
            return [Reply(f"Sprache: {text.removeprefix('/lang').strip() or 'de'}")]
        if text.strip() in {"1", "2"}:
            chosen = DID_YOU_MEAN[int(text) - 1]
            return [Reply(f"Antwort zu **{chosen.action[5:]}**", feedback=FEEDBACK)]
        if "passwort" in text.lower():
            return [Reply("Meintest du:", choices=DID_YOU_MEAN)]
        return [Reply(f"Echo: {text}", feedback=FEEDBACK)]

    def commands(self) -> Sequence[Command]:
        return [Command("lang"), Command("help"), Command("start")]


@dataclass
class LotseAccount:
    """Lotse's Matrix account and everything that must survive a restart of the adapter."""

    user: MatrixUser
    settings: MatrixSettings
    state: MemoryState


@pytest.fixture
async def lotse_account(synapse: SynapseServer, tmp_path: Path) -> LotseAccount:
    user = await synapse.register("lotse")
    settings = MatrixSettings(
        enabled=True,
        homeserver=synapse.url,
        user_id=user.user_id,
        password=SecretStr(user.password),
        store_dir=tmp_path / "lotse-store",
    )
    return LotseAccount(user, settings, MemoryState())


StartLotse = Callable[..., Awaitable[MatrixPlatform]]


@pytest.fixture
async def start_lotse(lotse_account: LotseAccount) -> AsyncIterator[StartLotse]:
    """Start Lotse's adapter (again): `await start_lotse()` or with another conversation/settings."""
    running: list[MatrixPlatform] = []

    async def start(
        conversation: Conversation | None = None,
        *,
        settings: MatrixSettings | None = None,
        state: MemoryState | None = None,
        **options: object,
    ) -> MatrixPlatform:
        platform = MatrixPlatform(
            settings or lotse_account.settings,
            state or lotse_account.state,
            sync_timeout_ms=5000,
            **options,  # type: ignore[arg-type]
        )
        await platform.initialize()
        running.append(platform)
        await platform.start(conversation or ScriptedConversation())
        return platform

    yield start
    for platform in running:
        await platform.shutdown()


NewMember = Callable[..., Awaitable[Member]]


@pytest.fixture
async def new_member(synapse: SynapseServer) -> AsyncIterator[NewMember]:
    members: list[Member] = []

    async def create(name: str = "anna", **options: object) -> Member:
        member = await Member.join_server(synapse, name, **options)  # type: ignore[arg-type]
        members.append(member)
        return member

    yield create
    for member in members:
        await member.close()


@dataclass
class Dm:
    """Lotse running with a scripted core, a member, and their direct chat (Lotse has joined)."""

    platform: MatrixPlatform
    member: Member
    room: str
    conversation: ScriptedConversation

    @property
    def lotse_id(self) -> str:
        return self.platform.user_id


@pytest.fixture
async def dm(start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount) -> Dm:
    conversation = ScriptedConversation()
    platform = await start_lotse(conversation)
    anna = await new_member("anna")
    room = await anna.create_room([lotse_account.user.user_id], direct=True)
    await anna.wait_joined(room, lotse_account.user.user_id)
    return Dm(platform, anna, room, conversation)

"""Network trouble, flood limits, bad tokens, failing updates and restarts."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from adapters.telegram.platform import TelegramPlatform
from bot.messages import Attachment, ChatId, PersonId, PlatformStopped, RecipientUnreachable, Reply
from tests.support.telegram_api import (
    ANNA,
    JOHN,
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    private_chat,
    running_platform,
    settings_for,
)
from tests.telegram.conftest import FAST


async def test_a_restart_neither_answers_twice_nor_loses_what_came_while_down(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        first = await api.user_says("/start")
        await api.wait_handled(first)
    await api.user_says("/help")
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        await api.wait_for("sendMessage", count=2)
        last = await api.user_says("Noch eine Frage")
        await api.wait_handled(last)
    assert [m.text for m in conversation.handled] == ["/start", "/help", "Noch eine Frage"]
    assert len(api.sent()) == 3


async def test_updates_handled_but_not_yet_confirmed_are_not_answered_again(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    """A crash after handling but before Telegram saw the new offset: Telegram sends it again."""
    answered = await api.user_says("/start")
    state.values["telegram.updates"] = f'{{"offset": 0, "done": [{answered["update_id"]}]}}'
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        last = await api.user_says("/help")
        await api.wait_handled(last)
    assert [m.text for m in conversation.handled] == ["/help"]


async def test_updates_confirmed_to_telegram_but_unfinished_at_a_crash_are_taken_up_after_the_restart(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    """The poller confirms a batch while it is still handled; what it held is answered after a crash."""
    held = {"update_id": 41, "message": api.message("/start", ANNA, private_chat(ANNA))}
    state.values["telegram.updates"] = json.dumps({"offset": 42, "done": []})
    state.values["telegram.updates.held"] = json.dumps([held])
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        await api.wait_for("sendMessage")
        last = await api.user_says("/help")
        await api.wait_handled(last)
    assert [m.text for m in conversation.handled] == ["/start", "/help"]
    assert 41 in json.loads(state.values["telegram.updates"])["done"]


async def test_updates_older_than_the_maximum_age_are_acknowledged_without_answering(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    old = await api.user_says("Frage von vorgestern", age=timedelta(hours=30))
    await api.user_says("/start")
    await api.wait_for("sendMessage")
    await api.wait_handled(old)
    assert [m.text for m in conversation.handled] == ["/start"]


async def test_a_flood_wait_is_honoured_and_the_message_still_arrives(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    api.fail("sendMessage", 429, retry_after=1)
    started = asyncio.get_running_loop().time()
    await api.user_says("/start")
    [reply] = await api.wait_for("sendMessage")
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert [c.status for c in api.called("sendMessage")] == [429, 200]
    assert reply.params["text"] == "Willkommen bei <b>Lotse</b>!"


async def test_server_errors_are_retried_with_backoff_for_polling_and_sending(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    api.fail("getUpdates", 502, times=3)
    def three_failed_polls() -> bool | None:
        return len([c for c in api.called("getUpdates") if c.status == 502]) == 3 or None

    await api.wait_until(three_failed_polls, 5, "three failed polls")
    api.fail("sendMessage", 500, times=2)
    await api.user_says("/start")
    await api.wait_for("sendMessage")
    assert [c.status for c in api.called("sendMessage")] == [500, 500, 200]


async def test_a_bad_token_stops_the_adapter_with_a_clear_message_and_no_retry_loop(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    settings = settings_for(api, token="999:revoked")
    async with running_platform(settings, state, conversation, backoff=FAST) as platform:
        with pytest.raises(PlatformStopped, match="token"):
            await asyncio.wait_for(platform.wait_stopped(), 5)
    assert [c.status for c in api.calls] == [401]


async def test_a_token_revoked_while_running_stops_polling(api: FakeBotApi, lotse: TelegramPlatform) -> None:
    api.token = "another:token"
    with pytest.raises(PlatformStopped, match="rejected the bot token"):
        await asyncio.wait_for(lotse.wait_stopped(), 5)
    assert len([c for c in api.calls if c.status == 401]) == 1


async def test_an_exception_in_one_update_is_logged_and_skipped_and_the_next_update_is_answered(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation, caplog: pytest.LogCaptureFixture
) -> None:
    """The core apologises itself (it never raises); the adapter only keeps one failure from the next."""
    await api.user_says("boom", user=ANNA)
    await api.user_says("boom", user=JOHN)
    last = await api.user_says("/start", user=ANNA)
    await api.wait_handled(last)
    assert [call.params["text"] for call in api.sent()] == ["Willkommen bei <b>Lotse</b>!"]
    assert [r.message for r in caplog.records].count(
        "Telegram: skipped update %s: RuntimeError('the knowledge base exploded')" % (last["update_id"] - 2)) == 1


async def test_send_delivers_a_message_lotse_sends_on_its_own(api: FakeBotApi, lotse: TelegramPlatform) -> None:
    await lotse.send(PersonId(f"telegram:{ANNA['id']}"), Reply("Deine Frage wurde **beantwortet**."))
    await lotse.send(ChatId("telegram:-1001000000001"), Reply("Neue Termine"))
    sent = await api.wait_for("sendMessage", count=2)
    assert [(c.params["chat_id"], c.params["text"]) for c in sent] == [
        (ANNA["id"], "Deine Frage wurde <b>beantwortet</b>."), (-1001000000001, "Neue Termine")
    ]


async def test_an_attachment_is_sent_as_a_document_after_the_text(api: FakeBotApi, lotse: TelegramPlatform) -> None:
    calendar = Attachment("lotse-event-1.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    await lotse.send(PersonId(f"telegram:{ANNA['id']}"), Reply("Ihr **Termin**", attachment=calendar))
    await api.wait_for("sendDocument")
    assert [c.params["text"] for c in api.sent(ANNA["id"])] == ["Ihr <b>Termin</b>"]
    assert api.documents == [(ANNA["id"], "lotse-event-1.ics", calendar.data)]


async def test_a_stop_lets_the_update_in_hand_finish_and_confirms_it(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        pondered = await api.user_says("slow:0.5")
        await api.wait_until(lambda: True if conversation.handled else None, 5, "the question in hand")
    assert [call.params["text"] for call in api.sent()] == ["Nach 0.5 s bedacht."]
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        await api.wait_until(
            lambda: True if any((c.params.get("offset") or 0) > pondered["update_id"]
                                for c in api.called("getUpdates")) else None, 5, "the next poll")
    assert len(conversation.handled) == 1


@pytest.mark.parametrize(
    ("status", "description", "migrate_to"),
    [
        (403, "Forbidden: bot was blocked by the user", None),
        (400, "Bad Request: group chat was upgraded to a supergroup chat", -1001000000099),
        (400, "Bad Request: chat not found", None),
    ],
    ids=["blocked", "migrated", "chat not found"],
)
async def test_a_recipient_that_cannot_be_reached_fails_the_send_at_once(
    api: FakeBotApi, lotse: TelegramPlatform, status: int, description: str, migrate_to: int | None
) -> None:
    """So the outbox fails the row instead of retrying it for hours."""
    api.fail("sendMessage", status, description=description, migrate_to=migrate_to)
    with pytest.raises(RecipientUnreachable):
        await asyncio.wait_for(lotse.send(PersonId(f"telegram:{ANNA['id']}"), Reply("Neue Termine")), 5)
    assert len(api.called("sendMessage")) == 1


async def test_a_rejected_token_is_never_written_to_the_log(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(api, token="999:secret-token-that-was-revoked")
    async with running_platform(settings, state, conversation, backoff=FAST) as platform:
        with pytest.raises(PlatformStopped) as stopped:
            await asyncio.wait_for(platform.wait_stopped(), 5)
    assert "secret-token-that-was-revoked" not in str(stopped.value)
    assert "secret-token-that-was-revoked" not in caplog.text

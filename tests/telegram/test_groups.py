"""Groups and forum topics: Lotse speaks when addressed, stays quiet otherwise, leaves where it is not enabled."""

from __future__ import annotations

from adapters.telegram.platform import TelegramPlatform
from tests.support.telegram_api import (
    FORUM,
    GROUP,
    HELPER_BOT,
    JOHN,
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    running_platform,
    settings_for,
)
from tests.telegram.conftest import FAST


async def test_a_mention_is_answered_as_a_reply_without_the_mention(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    question = await api.group_says("@LotseBot wie beantrage ich Förderung?")
    [reply] = await api.wait_for("sendMessage")
    assert conversation.handled[0].text == "wie beantrage ich Förderung?"
    assert conversation.handled[0].chat.is_direct is False
    assert conversation.handled[0].chat.id == f"telegram:{GROUP['id']}"
    assert reply.params["chat_id"] == GROUP["id"]
    assert reply.params["reply_parameters"]["message_id"] == question["message"]["message_id"]


async def test_a_reply_to_lotses_message_is_answered(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.group_says("/start@LotseBot")
    [greeting] = await api.wait_for("sendMessage")
    await api.group_says("und was kannst du noch?", reply_to=greeting.result)
    await api.wait_for("sendMessage", count=2)
    assert [m.text for m in conversation.handled] == ["/start", "und was kannst du noch?"]


async def test_commands_for_lotse_count_and_commands_for_other_bots_do_not(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.group_says("/help@HelperBot")
    await api.group_says("/help@LotseBot")
    await api.group_says("/help")
    await api.wait_for("sendMessage", count=2)
    assert [m.text for m in conversation.handled] == ["/help", "/help"]


async def test_plain_chatter_and_other_bots_are_ignored(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.group_says("Hat jemand Erfahrung mit E-Akten?")
    await api.group_says("@LotseBot ich bin auch ein Bot", user=HELPER_BOT)
    await api.user_says("hallo von einem Bot", user=HELPER_BOT)
    last = await api.group_says("Mittagessen?", user=JOHN)
    await api.wait_handled(last)
    assert conversation.handled == []
    assert api.sent() == []


async def test_replies_in_a_forum_go_to_the_topic_of_the_question(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.group_says("Antwortet hier jemand?", chat=FORUM, thread=42)
    await api.group_says("@LotseBot gibt es Förderung?", chat=FORUM, thread=42)
    [reply] = await api.wait_for("sendMessage")
    assert reply.params["message_thread_id"] == 42
    assert conversation.handled[0].chat.thread == "42"
    assert len(conversation.handled) == 1


async def test_outside_the_allowlist_lotse_says_once_that_it_is_not_enabled_and_leaves(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> None:
    settings = settings_for(api, allowed_chats=[FORUM["id"]])
    async with running_platform(settings, state, conversation, backoff=FAST):
        await api.bot_added(GROUP)
        await api.wait_for("leaveChat")
        last = await api.group_says("@LotseBot bist du da?")
        await api.wait_for("leaveChat", count=2)
        await api.wait_handled(last)
        await api.group_says("@LotseBot hallo", chat=FORUM)
        await api.wait_for("sendMessage", count=2)
    notices = [c for c in api.sent(GROUP["id"]) if "nicht freigeschaltet" in c.params["text"]]
    assert len(notices) == 1
    assert [m.chat.id for m in conversation.handled] == [f"telegram:{FORUM['id']}"]

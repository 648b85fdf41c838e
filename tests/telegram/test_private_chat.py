"""Private chats: commands, questions, "did you mean", feedback — as a member sees them."""

from __future__ import annotations

from adapters.telegram.platform import TelegramPlatform
from tests.support.telegram_api import ANNA, JOHN, FakeBotApi, ScriptedConversation


async def test_commands_are_registered_in_german_english_and_by_default(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    menus = {call.params.get("language_code"): call.params["commands"] for call in api.called("setMyCommands")}
    assert set(menus) == {"de", "en", None}
    assert {"command": "help", "description": "Was Lotse kann"} in menus["de"]
    assert {"command": "help", "description": "What Lotse can do"} in menus["en"]
    assert menus[None] == menus["en"]


async def test_start_greets_in_the_members_language(api: FakeBotApi, lotse: TelegramPlatform) -> None:
    await api.user_says("/start", user=ANNA)
    await api.user_says("/start", user=JOHN)
    german, english = (await api.wait_for("sendMessage", count=2))[:2]
    by_chat = {german.params["chat_id"]: german.params, english.params["chat_id"]: english.params}
    assert by_chat[ANNA["id"]]["text"] == "Willkommen bei <b>Lotse</b>!"
    assert by_chat[JOHN["id"]]["text"] == "Welcome to <b>Lotse</b>!"
    assert by_chat[ANNA["id"]]["parse_mode"] == "HTML"


async def test_help_answers_in_both_languages(api: FakeBotApi, lotse: TelegramPlatform) -> None:
    await api.user_says("/help", user=JOHN)
    await api.user_says("/help@LotseBot", user=ANNA)
    sent = {call.params["chat_id"]: call.params["text"] for call in await api.wait_for("sendMessage", 2)}
    assert sent[JOHN["id"]] == "I answer <i>questions</i> from the knowledge base."
    assert sent[ANNA["id"]] == "Ich beantworte <i>Fragen</i> aus der Wissensbasis."


async def test_a_question_is_answered_with_everything_the_member_wrote_escaped(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    question = 'Was heißt <b>fett</b> & <a href="https://evil.example">hier</a>?'
    await api.user_says(question)
    [answer] = await api.wait_for("sendMessage")
    assert conversation.handled[0].text == question
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; &lt;a href=" in answer.params["text"]
    assert "<a href" not in answer.params["text"]
    assert answer.result["text"].endswith(question)


async def test_answers_carry_feedback_buttons_side_by_side(api: FakeBotApi, lotse: TelegramPlatform) -> None:
    await api.user_says("Wie lange dauert das?")
    [answer] = await api.wait_for("sendMessage")
    assert answer.params["reply_markup"] == {"inline_keyboard": [[
        {"text": "👍", "callback_data": "fb:up:unknown"}, {"text": "👎", "callback_data": "fb:down:unknown"}
    ]]}


async def test_did_you_mean_offers_one_button_per_row_and_a_tap_turns_the_prompt_into_the_answer(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    await api.user_says("Welche Förderung gibt es?")
    [prompt] = await api.wait_for("sendMessage")
    rows = prompt.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in rows] == ["pick:foerder-land", "pick:foerder-eu", "none"]
    assert all(len(row) == 1 for row in rows)

    await api.user_taps("pick:foerder-eu", prompt.result)
    [edit] = await api.wait_for("editMessageText")
    assert edit.params["message_id"] == prompt.result["message_id"]
    assert edit.params["text"] == 'Für EU-Mittel siehe <a href="https://efre.example.org/?a=1&amp;b=2">EFRE</a>.'
    assert edit.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "fb:up:foerder-eu"
    assert len(api.called("answerCallbackQuery")) == 1
    assert len(api.sent()) == 1


async def test_none_of_these_queues_the_question_for_the_moderators(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.user_says("Förderung für Glasfaser?")
    [prompt] = await api.wait_for("sendMessage")
    await api.user_taps("none", prompt.result)
    [edit] = await api.wait_for("editMessageText")
    assert "Moderationsteam" in edit.params["text"]
    assert "reply_markup" not in edit.params
    assert conversation.queued == ["Förderung für Glasfaser?"]


async def test_stale_or_foreign_button_data_is_answered_politely(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    old = {"message_id": 7, "from": {"id": 123456, "is_bot": True, "first_name": "Lotse"},
           "chat": {"id": ANNA["id"], "type": "private"}, "date": 1_700_000_000, "text": "alt"}
    await api.user_taps("v0:something-from-an-old-version", old)
    [query] = await api.wait_for("answerCallbackQuery")
    [reply] = await api.wait_for("sendMessage")
    assert query.params["callback_query_id"]
    assert "gilt nicht mehr" in reply.params["text"]


async def test_feedback_is_recorded_and_a_second_tap_changes_the_vote(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.user_says("Wie lange dauert das?")
    [answer] = await api.wait_for("sendMessage")
    await api.user_taps("fb:up:unknown", answer.result)
    await api.wait_for("answerCallbackQuery")
    await api.user_taps("fb:down:unknown", answer.result)
    await api.wait_for("answerCallbackQuery", count=2)
    await api.wait_for("sendMessage", count=3)
    assert conversation.votes == {(f"telegram:{ANNA['id']}", "unknown"): "down"}

"""An end-to-end encrypted room: Lotse decrypts the question and answers encrypted."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nio.crypto.attachments import decrypt_attachment

from bot.messages import Attachment, ChatId, Reply
from tests.matrix.conftest import LotseAccount, NewMember, ScriptedConversation, StartLotse


async def test_an_encrypted_direct_chat_gets_encrypted_answers(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount, tmp_path: Path
) -> None:
    conversation = ScriptedConversation()
    platform = await start_lotse(conversation)
    anna = await new_member("anna", store=tmp_path / "anna-store")
    room = await anna.create_room([platform.user_id], direct=True, encrypted=True)
    await anna.wait_joined(room, platform.user_id)

    await anna.say(room, "Geheime Frage")
    answer = await anna.answer_from(platform.user_id, room, within_s=20)

    assert answer.body == "Echo: Geheime Frage"
    assert answer.decrypted
    assert [m.text for m in conversation.received] == ["Geheime Frage"]


async def test_without_encryption_lotse_says_so_once_in_the_room(
    start_lotse: StartLotse, new_member: NewMember, tmp_path: Path
) -> None:
    platform = await start_lotse(encryption=False)
    anna = await new_member("anna", store=tmp_path / "anna-store")
    room = await anna.create_room([platform.user_id], direct=True, encrypted=True)
    await anna.wait_joined(room, platform.user_id)

    await anna.say(room, "Erste geheime Frage")
    await anna.say(room, "Zweite geheime Frage")
    notice = await anna.answer_from(platform.user_id, room)
    await asyncio.sleep(1.5)

    assert "verschlüsselt" in notice.body
    assert len(anna.from_user(platform.user_id, room)) == 1


async def test_an_attachment_in_an_encrypted_room_is_uploaded_encrypted(
    start_lotse: StartLotse, new_member: NewMember, tmp_path: Path
) -> None:
    platform = await start_lotse(ScriptedConversation())
    anna = await new_member("anna", store=tmp_path / "anna-store")
    room = await anna.create_room([platform.user_id], direct=True, encrypted=True)
    await anna.wait_joined(room, platform.user_id)
    await anna.say(room, "Hallo")
    await anna.answer_from(platform.user_id, room, within_s=20)
    calendar = Attachment("lotse-event-1.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    await platform.send(ChatId(f"matrix:{room}"), Reply("Ihr Termin", attachment=calendar))
    file = await anna.wait_for(lambda rid, e: rid == room and getattr(e, "body", "") == calendar.filename, within_s=20)
    stored = await anna.client.download(mxc=file.url)

    assert stored.body != calendar.data
    assert decrypt_attachment(stored.body, file.key["k"], file.hashes["sha256"], file.iv) == calendar.data

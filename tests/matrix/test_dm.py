"""Direct chats: joining on invitation, answering every text, rendering answers safely."""

from __future__ import annotations

import asyncio

from bot.messages import Attachment, ChatId, PersonId, Reply
from tests.matrix.conftest import Dm, LotseAccount, NewMember, StartLotse
from tests.matrix.members import Member


async def test_invite_from_own_server_is_accepted_and_a_question_answered(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount
) -> None:
    await start_lotse()
    anna = await new_member("anna")
    lotse_id = lotse_account.user.user_id
    room = await anna.create_room([lotse_id], direct=True)
    await anna.wait_joined(room, lotse_id)

    question = await anna.say(room, "Hallo Lotse")
    answer = await anna.answer_from(lotse_id, room)

    assert answer.body.startswith("Echo: Hallo Lotse")
    content = answer.source["content"]
    assert content["msgtype"] == "m.notice"
    assert content["format"] == "org.matrix.custom.html"
    assert content["m.relates_to"]["m.in_reply_to"]["event_id"] == question


async def test_invite_from_someone_not_allowed_is_declined(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount
) -> None:
    settings = lotse_account.settings.model_copy(update={"allowed_inviters": ["@boss:elsewhere.test"]})
    await start_lotse(settings=settings)
    mallory = await new_member("mallory")
    lotse_id = lotse_account.user.user_id
    room = await mallory.create_room([lotse_id], direct=True)

    left = await mallory.wait_for(
        lambda rid, e: rid == room and getattr(e, "state_key", None) == lotse_id and e.membership == "leave"
    )

    assert left.prev_membership == "invite"


async def test_injected_html_in_a_question_is_sanitised_in_the_answer(dm: Dm) -> None:
    anna, room = dm.member, dm.room
    await anna.say(
        room,
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [Bank](javascript:alert(3)) '
        '<a href="https://evil.example">https://bank.example</a>',
    )

    answer = await anna.answer_from(dm.lotse_id, room)

    html = answer.source["content"]["formatted_body"]
    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert "javascript:" not in html.replace("[Bank](javascript:alert(3))", "")
    assert "&lt;script&gt;" in html
    assert "<script>" in answer.body


async def test_commands_reach_the_core_as_slash_commands(dm: Dm) -> None:
    anna, room = dm.member, dm.room
    await anna.say(room, "/lang en")
    await anna.say(room, "!lotse lang de")

    second = await anna.answer_from(dm.lotse_id, room, after=1)

    assert second.body == "Sprache: de"
    assert [m.text for m in dm.conversation.received] == ["/lang en", "/lang de"]


async def test_leaves_a_room_when_the_last_member_left(dm: Dm) -> None:
    await dm.member.client.room_leave(dm.room)

    for _ in range(150):
        if dm.room not in getattr(await dm.platform.client.joined_rooms(), "rooms", []):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("Lotse stayed in the room it was left alone in")


async def test_an_outbox_delivery_sent_twice_with_its_key_arrives_once(dm: Dm) -> None:
    room = ChatId(f"matrix:{dm.room}")
    await dm.platform.send(room, Reply("Wochenrückblick"), key="digest:room:2026-W48")
    await dm.platform.send(room, Reply("Wochenrückblick"), key="digest:room:2026-W48")
    await dm.platform.send(room, Reply("Ende"), key="marker")

    await dm.member.wait_for(lambda rid, e: rid == dm.room and getattr(e, "body", "") == "Ende")

    bodies = [event.body for event in dm.member.from_user(dm.lotse_id, dm.room)]
    assert bodies.count("Wochenrückblick") == 1


async def test_an_attachment_arrives_as_a_file_the_member_can_download(dm: Dm) -> None:
    calendar = Attachment("lotse-event-1.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    await dm.platform.send(ChatId(f"matrix:{dm.room}"), Reply("Ihr Termin", attachment=calendar))

    file = await dm.member.wait_for(lambda rid, e: rid == dm.room and getattr(e, "body", "") == calendar.filename)
    download = await dm.member.client.download(mxc=file.url)

    assert file.source["content"]["msgtype"] == "m.file"
    assert file.source["content"]["info"] == {"mimetype": "text/calendar", "size": len(calendar.data)}
    assert download.body == calendar.data


async def test_an_introduction_opens_one_room_with_both_members(dm: Dm, new_member: NewMember) -> None:
    ben = await new_member("ben")
    anna = dm.member
    introduction = Reply("Willkommen, ihr beiden!")
    for _ in range(2):
        await dm.platform.send(PersonId(f"matrix:{anna.user_id}"), introduction, key="matching:7:room",
                               invite=(PersonId(f"matrix:{ben.user_id}"),))

    async def invited(member: Member) -> str:
        for _ in range(100):
            rooms = [room for room in member.client.invited_rooms if room != dm.room]
            if rooms:
                return str(rooms[0])
            await asyncio.sleep(0.1)
        raise AssertionError(f"{member.user_id} was not invited")

    room = await invited(anna)
    assert await invited(ben) == room
    await ben.client.join(room)
    greeting = await ben.wait_for(lambda rid, e: rid == room and getattr(e, "body", "") == introduction.text)
    assert greeting.sender == dm.lotse_id
    assert len([r for r in anna.client.invited_rooms if r != dm.room]) == 1

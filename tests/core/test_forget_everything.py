"""`/forget` reaches everything that names the member, `/mydata` shows it, and sent messages are not kept forever."""

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from bot.audit import AuditRow
from bot.composition import Lotse
from bot.dialogues import Dialogue
from bot.messages import ChatId, PersonId, Reply
from bot.outbox import OutboxRow, enqueue
from tests.matching.steps import ANNA, BERND, Inboxes, action_of, fill_in_profile, run_matching_job, say, tap
from tests.support.core import FakeClock, message_from
from tests.support.core import mydata_document as document

ADMIN = "console:admin"


async def forget(lotse: Lotse, person: str) -> None:
    [confirm] = await say(lotse, person, "/forget")
    [done] = await tap(lotse, person, action_of(confirm, 0))
    assert done.text.startswith("Erledigt")


async def outbox_rows(lotse: Lotse) -> list[OutboxRow]:
    async with lotse.database.reading() as session:
        return list(await session.scalars(select(OutboxRow)))


async def test_mydata_shows_messages_sent_dialogues_in_other_chats_and_adapter_state(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, "digest:anna", PersonId(ANNA), Reply("Ihr Wochenrückblick"), lotse.clock())
    group = replace(message_from(ANNA, chat="telegram:-100123"), chat=replace(message_from(ANNA).chat,
                                                                              id=ChatId("telegram:-100123")))
    await lotse.dialogues.save(group, Dialogue("matching", "region", {"org": "culture"}))
    await lotse.platform_state("telegram").put("telegram.refused.1001", "2026-11-23T09:00:00+00:00")
    await lotse.platform_state("telegram").put("telegram.updates", '{"offset": 1001, "done": [1001]}')
    data = document(await say(lotse, ANNA, "/mydata"))
    assert [m["text"] for m in data["outbox"]["messages"]] == ["Ihr Wochenrückblick"]
    assert data["dialogues"]["open"] == [{"feature": "matching", "step": "region", "answers": {"org": "culture"},
                                          "updated_at": "2026-11-23T09:00:00+00:00"}]
    assert data["platform_state"] == {"telegram.refused.1001": "2026-11-23T09:00:00+00:00"}


async def test_forget_deletes_messages_dialogues_and_state_and_what_others_were_sent_about_the_member(
    lotse: Lotse,
) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, ANNA, challenges="KI")
    await fill_in_profile(lotse, BERND, challenges="KI")
    await run_matching_job(lotse)
    await inboxes.deliver()
    for person in (ANNA, BERND):
        await tap(lotse, person, action_of(inboxes.of(person)[-1]))
    assert any("1001" in row.reply["text"] for row in await outbox_rows(lotse) if row.recipient == BERND)
    in_group = replace(message_from(ANNA), chat=replace(message_from(ANNA).chat, id=ChatId("telegram:-100123")))
    await lotse.dialogues.save(in_group, Dialogue("matching", "region", {}))
    await lotse.platform_state("telegram").put("telegram.refused.1001", "2026-11-23T09:00:00+00:00")
    await lotse.platform_state("telegram").put("telegram.updates", '{"offset": 1001, "done": [1001]}')

    await forget(lotse, ANNA)

    rows = await outbox_rows(lotse)
    assert all(row.recipient != ANNA for row in rows)
    assert not any("1001" in row.reply["text"] for row in rows), "Bernd's introduction naming Anna is gone"
    assert await lotse.dialogues.current(in_group) is None
    assert await lotse.platform_state("telegram").get("telegram.refused.1001") is None
    assert await lotse.platform_state("telegram").get("telegram.updates") is not None, "the adapter's own state stays"
    data: dict[str, Any] = document(await say(lotse, ANNA, "/mydata"))
    assert data["outbox"] == {"messages": []} and data["dialogues"] == {"open": []}


async def test_a_moderator_who_is_forgotten_stays_in_the_audit_log_under_a_pseudonym(
    database_url: str, clock: FakeClock
) -> None:
    from bot.composition import assemble
    from tests.support.core import sample_settings

    lotse = await assemble(sample_settings(database_url, admins=[ADMIN]), clock)
    try:
        await say(lotse, ADMIN, f"/mod grant {ANNA}")
        await say(lotse, ANNA, "/faq add Wie gründen wir einen Verein? | | Mit einer Satzung. | verein | de")
        changes = document(await say(lotse, ANNA, "/mydata"))["audit_log"]["changes"]
        assert {change["action"] for change in changes} >= {"role.grant", "entry.create"}
        await forget(lotse, ANNA)
        assert not await lotse.roles.is_moderator(PersonId(ANNA))
        async with lotse.database.reading() as session:
            rows = list(await session.scalars(select(AuditRow)))
        assert rows and all(ANNA not in f"{row.actor} {row.subject}" for row in rows)
        pseudonym = f"pseudonym:{lotse.pseudonyms.of(ANNA)}"
        assert any(row.actor == pseudonym for row in rows) and any(row.subject == f"person:{pseudonym}" for row in rows)
    finally:
        await lotse.close()


async def test_sent_messages_are_deleted_after_the_retention_time(lotse: Lotse, clock: FakeClock) -> None:
    inboxes = Inboxes(lotse)
    async with lotse.database.transaction() as session:
        await enqueue(session, "old", PersonId(ANNA), Reply("alt"), clock())
        await enqueue(session, "later", PersonId(BERND), Reply("später"), clock(), due_at=clock.now.replace(year=2027))
    await inboxes.deliver()
    [retention] = [job for job in lotse.jobs if job.name == "outbox"]
    clock.advance(days=29)
    await retention.run_due(clock())
    assert {row.key for row in await outbox_rows(lotse)} == {"old", "later"}
    clock.advance(days=2)
    await retention.run_due(clock())
    assert {row.key for row in await outbox_rows(lotse)} == {"later"}, "unsent messages are kept"

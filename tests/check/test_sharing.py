"""Sharing a check by invitation code, the export to take to management, `/stats`, `/mydata` and `/forget`."""

from __future__ import annotations

import asyncio

from bot.composition import Lotse
from tests.check.steps import ANNA, BERND, CONSOLE, answer_statements, begin, choice, say, tap, text_of
from tests.support.core import mydata_document


async def finish(lotse: Lotse, person: str = ANNA, org: str = "municipality", region: str = "Sachsen") -> str:
    await answer_statements(lotse, person, await begin(lotse, person, org=org, region=region))
    await say(lotse, person, "Backups ohne Dienstleister prüfen")
    check = await lotse.check.store.of(person)  # type: ignore[arg-type]
    assert check is not None
    return check.code


async def test_a_colleague_joins_with_the_code_and_works_on_the_same_list(lotse: Lotse) -> None:
    code = await finish(lotse)
    replies = await say(lotse, ANNA, "/check share")
    assert f"`/check join {code}`" in replies[0].text
    assert "gemeinsamen Check" in (await say(lotse, BERND, f"/check join {code.lower()}"))[0].text
    await say(lotse, BERND, "/measures done 2")
    assert "2. ✓" in text_of(await say(lotse, ANNA, "/measures"))


async def test_each_change_is_attributed_to_the_pilot_who_made_it(lotse: Lotse) -> None:
    code = await finish(lotse)
    await say(lotse, BERND, f"/check join {code}")
    await say(lotse, BERND, "/measures drop 1")
    check = await lotse.check.store.of(BERND)  # type: ignore[arg-type]
    assert check is not None
    changes = await lotse.check.store.changes(check.id)
    [dropped] = [change for change in changes if change[2] == "measure-dropped"]
    assert dropped[1] == lotse.check.store.attribution(BERND)  # type: ignore[arg-type]
    assert dropped[1] != lotse.check.store.attribution(ANNA)  # type: ignore[arg-type]


async def test_an_unknown_code_is_refused(lotse: Lotse) -> None:
    assert "kenne ich nicht" in (await say(lotse, BERND, "/check join XXXX2222"))[0].text


async def test_the_export_is_a_markdown_file_with_result_requirements_and_measures(lotse: Lotse) -> None:
    await finish(lotse)
    [reply] = await say(lotse, ANNA, "/check export")
    assert reply.attachment is not None and reply.attachment.filename.endswith(".md")
    document = reply.attachment.data.decode()
    assert "# Digitalisierungscheck" in document
    assert "`░░░░░░░░░░ 0 %` IT-Sicherheit und Datenschutz" in document
    assert "Anforderung: Backups ohne Dienstleister prüfen" in document
    assert "1. **Zwei-Faktor-Anmeldung" in document


async def test_the_export_as_pdf_is_a_pdf_file(lotse: Lotse) -> None:
    await finish(lotse)
    [reply] = await say(lotse, ANNA, "/check export pdf")
    assert reply.attachment is not None and reply.attachment.media_type == "application/pdf"
    assert reply.attachment.data.startswith(b"%PDF-")


async def test_where_no_file_can_be_sent_the_export_comes_as_text(lotse: Lotse) -> None:
    await finish(lotse, CONSOLE)
    [reply] = await say(lotse, CONSOLE, "/check export")
    assert reply.attachment is None and "# Digitalisierungscheck" in reply.text


async def test_stats_show_figures_only_where_five_organisations_stand_behind_them(lotse: Lotse) -> None:
    for number in range(4):
        await finish(lotse, f"telegram:30{number}")
    section = await lotse.check.feature.stats_section("de", lotse.clock())
    assert "<5 begonnen, <5 abgeschlossen" in section and "Häufigste Lücken" not in section
    await finish(lotse, "telegram:304")
    section = await lotse.check.feature.stats_section("de", lotse.clock())
    assert "5 begonnen, 5 abgeschlossen" in section
    assert "Kommunalverwaltung, Sachsen: IT-Sicherheit und Datenschutz" in section


async def test_mydata_includes_the_check_and_the_measures(lotse: Lotse) -> None:
    await finish(lotse)
    document = mydata_document(await say(lotse, ANNA, "/mydata"))
    [check] = document["check"]["checks"]
    assert check["region"] == "Sachsen" and check["answers"]["security/backup"] == {"state": "n", "importance": 3}
    assert check["measures"][0]["added_by_you"] is True


async def forget(lotse: Lotse, person: str) -> None:
    replies = await say(lotse, person, "/forget")
    await tap(lotse, person, replies[-1].choices[0].action)


async def test_forget_deletes_a_check_nobody_else_shares(lotse: Lotse) -> None:
    await finish(lotse)
    await forget(lotse, ANNA)
    assert await lotse.check.store.all_checks() == []


async def test_forget_leaves_a_shared_list_to_the_others_without_the_pilots_attribution(lotse: Lotse) -> None:
    code = await finish(lotse)
    await say(lotse, BERND, f"/check join {code}")
    await forget(lotse, ANNA)
    check = await lotse.check.store.of(BERND)  # type: ignore[arg-type]
    assert check is not None and len(await lotse.check.store.measures(check.id)) == 5
    anna = lotse.check.store.attribution(ANNA)  # type: ignore[arg-type]
    assert all(change[1] != anna for change in await lotse.check.store.changes(check.id))
    assert await lotse.check.store.of(ANNA) is None  # type: ignore[arg-type]


async def test_two_pilots_answering_the_shared_check_at_once_both_keep_their_answers(lotse: Lotse) -> None:
    replies = await begin(lotse, ANNA)
    code = (await lotse.check.store.of(ANNA)).code  # type: ignore[arg-type, union-attr]
    await say(lotse, BERND, f"/check join {code}")
    bernd = await say(lotse, BERND, "/check")
    await asyncio.gather(tap(lotse, ANNA, choice(replies, ":a:0:y")),
                         tap(lotse, BERND, choice(bernd, ":a:0:p")),
                         tap(lotse, ANNA, choice(replies, ":a:0:n")))
    check = await lotse.check.store.of(ANNA)  # type: ignore[arg-type]
    assert check is not None and check.answers["strategy/mandate"] == {"state": "n"}
    changes = [change for change in await lotse.check.store.changes(check.id) if change[2] == "answered"]
    assert len(changes) == 3
    assert {change[1] for change in changes} == {lotse.check.store.attribution(ANNA),  # type: ignore[arg-type]
                                                 lotse.check.store.attribution(BERND)}  # type: ignore[arg-type]

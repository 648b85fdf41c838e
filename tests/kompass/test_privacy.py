"""`/mydata` shows a member's referrals and funding radar; `/forget` deletes them."""

from pathlib import Path

from sqlalchemy import select

from bot.composition import Lotse
from bot.outbox import OutboxRow
from tests.kompass.steps import MODERATOR, load, offer, provider, say, tap
from tests.kompass.test_referrals import ANNA, CONTACT, directory, pass_on
from tests.support.core import mydata_document


async def mydata(lotse: Lotse, person: str) -> dict[str, object]:
    return mydata_document(await say(lotse, person, "/mydata"))


async def test_mydata_shows_referrals_and_the_radar(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    await pass_on(lotse, "Unsere Anfrage")
    await say(lotse, ANNA, "/kompass radar KI | Berlin")
    data = await mydata(lotse, ANNA)
    kompass = data["kompass"]
    assert isinstance(kompass, dict)
    [referral] = kompass["referrals"]
    assert referral["request"] == "Unsere Anfrage" and referral["state"] == "sent" and referral["role"] == "member"
    assert kompass["funding_radar"]["topics"] == ["ai"] and kompass["funding_radar"]["region_keys"] == ["11000"]
    contact = (await mydata(lotse, CONTACT))["kompass"]
    assert isinstance(contact, dict)
    assert contact["contact_person_of_providers"] == ["zentrum"]
    assert contact["referrals"][0]["role"] == "provider contact"


async def test_forget_deletes_referrals_radar_and_the_contact_persons_link(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    await pass_on(lotse)
    await say(lotse, ANNA, "/kompass radar KI")
    for person in (ANNA, CONTACT):
        [confirm] = await say(lotse, person, "/forget")
        await tap(lotse, person, confirm.choices[0].action)
    for person in (ANNA, CONTACT):
        kompass = (await mydata(lotse, person))["kompass"]
        assert kompass == {"referrals": [], "funding_radar": {}, "contact_person_of_providers": []}
    [shown] = await say(lotse, MODERATOR, "/provider show zentrum")
    assert "contact_person" not in shown.text
    [answer] = await say(lotse, "console:someone", "/kompass show ki")
    assert [choice.label for choice in answer.choices] == ["Nachricht zum Selbstversenden"]


async def test_forget_leaves_other_peoples_referrals(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/p.md": provider("p"), "offers/o.md": offer("o", "p")})
    await directory(lotse, tmp_path / "more")
    await pass_on(lotse)
    [confirm] = await say(lotse, "console:bystander", "/forget")
    await tap(lotse, "console:bystander", confirm.choices[0].action)
    [status] = await say(lotse, ANNA, "/kompass referrals")
    assert "**gesendet**" in status.text


async def test_forget_deletes_the_request_that_named_the_member_to_the_contact(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    await pass_on(lotse, "Unsere Anfrage")
    [confirm] = await say(lotse, ANNA, "/forget")
    await tap(lotse, ANNA, confirm.choices[0].action)
    async with lotse.database.reading() as session:
        keys = list(await session.scalars(select(OutboxRow.key)))
    assert not [key for key in keys if key.startswith("kompass:referral:")]

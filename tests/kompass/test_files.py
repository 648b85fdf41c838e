"""Curating with files: import all or nothing with `path:line: reason`, export byte for byte, CSV in HSDS columns."""

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.composition import known_platforms, starter_folder
from bot.features.kompass import member_ids
from bot.features.kompass import starter_folder as kompass_starter
from bot.features.kompass.files import read_items
from knowledge.files import read_files
from tests.kompass.steps import offer, provider, write

HEADER = ("organization.id,organization.name,lotse.provider_kind,organization.website,service.id,service.name,"
          "lotse.offer_kind,taxonomy_term.code,service_area.name,service.fees_description,lotse.audiences,"
          "lotse.deadlines,lotse.source,service.assured_date,service.status\n")


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "lotse.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n\n[knowledge]\nload_starter = false\n\n'
                    "[kompass]\nload_starter = false\n", encoding="utf-8")
    return path


async def lotse(config: Path, *args: str) -> int:
    return await asyncio.to_thread(main, ["--config", str(config), *args])


async def test_an_import_followed_by_an_export_gives_the_files_back_byte_for_byte(
        config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await lotse(config, "kompass", "import", str(kompass_starter())) == 0
    assert "new" in capsys.readouterr().out
    assert await lotse(config, "kompass", "export", str(tmp_path / "out")) == 0
    originals = sorted(path.relative_to(kompass_starter()) for path in kompass_starter().rglob("*.md")
                       if path.name != "README.md")
    exported = sorted(path.relative_to(tmp_path / "out") for path in (tmp_path / "out").rglob("*.md"))
    assert exported == originals
    for relative in originals:
        assert (tmp_path / "out" / relative).read_bytes() == (kompass_starter() / relative).read_bytes()


async def test_a_malformed_file_names_path_and_line_and_nothing_is_imported(
        config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path / "kompass", {
        "providers/good.md": provider("good"),
        "offers/good.md": offer("good-offer", "good"),
        "offers/bad.md": offer("bad-offer", "good").replace("kind: advice", "kind: consulting")
                                                   .replace("topics: [funding]", "topics: [quantum]"),
        "offers/orphan.md": offer("orphan", "nobody"),
    })
    assert await lotse(config, "kompass", "import", str(folder)) == 1
    errors = capsys.readouterr().err.splitlines()
    bad = folder / "offers" / "bad.md"
    assert f"{bad}:4: kind: must be one of advice, training, funding, tool, network" in errors
    assert any(line.startswith(f"{bad}:6: topics: unknown quantum") for line in errors)
    assert await lotse(config, "kompass", "export", str(tmp_path / "out")) == 0
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.md"))


async def test_an_offer_of_an_unknown_provider_stops_the_import(config: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path / "kompass", {"providers/good.md": provider("good"),
                                          "offers/orphan.md": offer("orphan", "nobody")})
    assert await lotse(config, "kompass", "import", str(folder)) == 1
    orphan = folder / "offers" / "orphan.md"
    assert capsys.readouterr().err.strip() == (f"{orphan}:3: provider 'nobody' is not known (neither in this import "
                                               "nor stored)")


async def test_region_keys_must_be_official(tmp_path: Path) -> None:
    from bot.features.kompass.files import Vocabulary
    from bot.features.kompass.regions import Regions
    from knowledge.files import KnowledgeFileError

    folder = write(tmp_path, {"p.md": provider("p", area="99")})
    with pytest.raises(KnowledgeFileError) as raised:
        read_items([folder], Vocabulary(frozenset(), Regions.load().is_key, member_ids(known_platforms())))
    [problem] = raised.value.problems
    assert problem.line == 7 and problem.reason.startswith("area: 99 is not a region key")


def test_a_contact_person_is_a_member_on_a_platform_the_adapters_declare(tmp_path: Path) -> None:
    """The Kompass knows no platform by name: which ids name a member comes from `Platforms`."""
    from bot.features.kompass.files import Vocabulary
    from bot.features.kompass.model import Provider
    from bot.features.kompass.regions import Regions
    from bot.messages import PLAIN_CAPABILITIES
    from bot.platforms import Platforms
    from knowledge.files import KnowledgeFileError

    folder = write(tmp_path, {"p.md": provider("p", contact_person="signal:+491701234567")})
    known = Vocabulary(frozenset(), Regions.load().is_key, member_ids(known_platforms()))
    with pytest.raises(KnowledgeFileError) as raised:
        read_items([folder], known)
    [problem] = raised.value.problems
    assert problem.reason.startswith("contact_person: must be a Lotse member id")
    with_signal = member_ids(Platforms({"signal": PLAIN_CAPABILITIES}))
    [read] = read_items([folder], Vocabulary(frozenset(), Regions.load().is_key, with_signal))
    assert isinstance(read.item, Provider) and read.item.contact_person == "signal:+491701234567"


async def test_a_csv_in_hsds_columns_is_imported_with_names_postcodes_and_words(
        config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text(HEADER +
                   "zdi,Zentrum Digital,competence-centre,https://zdi.example,zdi-ki,KI-Sprechstunde,advice,"
                   "KI;Prozessdigitalisierung,Leipzig;01067,kostenfrei,Unternehmen,,https://zdi.example/ki,2026-11-01,active\n"
                   "zdi,Zentrum Digital,competence-centre,https://zdi.example,zdi-call,Digitalbonus,funding,"
                   "funding,Sachsen,,company,2027-03-31;2027-09-30,https://zdi.example/bonus,2026-11-01,\n"
                   "zdi,Zentrum Digital,competence-centre,https://zdi.example,zdi-old,Altes Angebot,advice,"
                   "KI,Sachsen,,,,https://zdi.example/old,2026-11-01,defunct\n", encoding="utf-8")
    assert await lotse(config, "kompass", "import", str(csv)) == 0
    assert capsys.readouterr().out.strip() == ("imported 3 providers and offers: 3 new, 0 updated, 0 unchanged, "
                                               "1 rows of inactive services left out")
    assert await lotse(config, "kompass", "export", str(tmp_path / "out")) == 0
    text = (tmp_path / "out" / "offers" / "zdi-ki.md").read_text(encoding="utf-8")
    assert 'topics: [ai, process-digitalisation]\naudiences: [company]\narea: ["14713", "14612"]\ncost: free' in text
    call = (tmp_path / "out" / "offers" / "zdi-call.md").read_text(encoding="utf-8")
    assert "deadlines: [2027-03-31, 2027-09-30]" in call and 'area: ["14"]' in call


async def test_csv_problems_name_the_line_and_the_column(config: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text(HEADER +
                   "zdi,Zentrum Digital,competence-centre,https://zdi.example,zdi-ki,KI-Sprechstunde,advice,"
                   "KI,Atlantis,,,,https://zdi.example/ki,2026-11-01,\n"
                   "zdi,Zentrum Digital,competence-centre,https://zdi.example,zdi-two,Zwei,magic,"
                   "KI,Sachsen,,,,https://zdi.example/ki,01.11.2026,\n", encoding="utf-8")
    assert await lotse(config, "kompass", "import", str(csv)) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith(f"{csv}:2: service_area.name: no region found in 'Atlantis'")
    assert f"{csv}:3: service.assured_date: '01.11.2026' is not a date such as 2027-03-31" in errors


def test_an_answer_entry_can_name_offers_to_show_beside_it(tmp_path: Path) -> None:
    entry = (tmp_path / "e.md")
    entry.write_text("---\nid: foerderung\nquestion: Wo finde ich Förderung?\ntags: [foerderung]\nlang: de\n"
                     "offers: [foerderdatenbank-suche]\n---\nIn der Förderdatenbank.\n", encoding="utf-8")
    [read] = read_files(entry)
    assert read.entry.offers == ("foerderdatenbank-suche",)
    assert starter_folder().is_dir()

"""Knowledge-base files: strict reading with path and line, and a writer that round-trips."""

from pathlib import Path

import pytest

from knowledge.entry import Entry, Status
from knowledge.files import KnowledgeFileError, export_text, load_entries, read_files, render_entry

VALID = """---
id: passwortmanager
question: Welchen Passwortmanager sollen wir einsetzen?
alternatives:
  - Empfehlung für einen Passwort-Manager
  - which password manager should we use
tags: [it-sicherheit]
lang: de
---
Die Antwort, in **Markdown**.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(KnowledgeFileError) as caught:
        read_files(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_file_becomes_an_entry(tmp_path: Path) -> None:
    [entry] = load_entries(write(tmp_path, "a.md", VALID))
    assert entry == Entry(
        id="passwortmanager",
        question="Welchen Passwortmanager sollen wir einsetzen?",
        answer="Die Antwort, in **Markdown**.",
        alternatives=("Empfehlung für einen Passwort-Manager", "which password manager should we use"),
        tags=("it-sicherheit",),
        lang="de",
        status=Status.PUBLISHED,
    )


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", VALID.replace("tags: [it-sicherheit]", "tags: [it-sicherheit"))
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:")
    assert "not valid YAML" in problem


def test_an_unknown_key_is_reported_on_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", VALID.replace("lang: de", "lang: de\nalternativs: [x]"))
    assert problems_of(path) == [f"{path}:9: unknown key 'alternativs' (known: id, question, alternatives, "
                                 "tags, lang, status, review_by, offers)"]


def test_a_missing_question_and_a_wrong_language_are_both_reported(tmp_path: Path) -> None:
    text = VALID.replace("question: Welchen Passwortmanager sollen wir einsetzen?\n", "").replace(
        "lang: de", "lang: fr"
    )
    path = write(tmp_path, "a.md", text)
    assert problems_of(path) == [f"{path}:2: missing required key 'question'", f"{path}:7: lang must be one of de, en"]


def test_a_file_without_front_matter_is_rejected_at_line_one(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "# Just a heading\n")
    assert problems_of(path) == [f"{path}:1: must start with a '---' line opening the front matter"]


def test_an_empty_answer_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", VALID.replace("Die Antwort, in **Markdown**.\n", "\n"))
    assert problems_of(path) == [f"{path}:9: the answer after the front matter is empty"]


def test_an_id_with_capitals_or_spaces_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", VALID.replace("id: passwortmanager", "id: Passwort Manager"))
    assert problems_of(path) == [f"{path}:2: id must be lowercase letters, digits and hyphens, at most 80 characters"]


def test_every_problem_in_a_folder_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "good.md", VALID)
    bad_one = write(tmp_path, "bad1.md", "no front matter")
    bad_two = write(tmp_path, "bad2.md", VALID.replace("lang: de", "lang: xx"))
    problems = problems_of(tmp_path)
    assert [p.split(":")[0] for p in problems] == [str(bad_one), str(bad_two)]


def test_the_same_id_in_two_files_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.md", VALID)
    second = write(tmp_path, "b.md", VALID)
    assert problems_of(tmp_path) == [f"{second}:2: id 'passwortmanager' is also used by {tmp_path / 'a.md'}"]


def test_text_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(VALID.encode("utf-8").replace("für".encode(), "f\xfcr".encode("latin-1")))
    assert problems_of(path) == [f"{path}:5: is not valid UTF-8"]


def test_the_canonical_text_of_an_entry_reads_back_as_the_same_entry(tmp_path: Path) -> None:
    entry = Entry(id="odd", question='Was heißt "OZG: 2.0"? #frage', answer="A\n\nB",
                  alternatives=("- mit Strich", "yes"), tags=("a,b", "c"), lang="de", status=Status.DRAFT)
    [again] = load_entries(write(tmp_path, "odd.md", render_entry(entry)))
    assert again == entry


def test_the_canonical_text_matches_the_documented_layout(tmp_path: Path) -> None:
    [entry] = load_entries(write(tmp_path, "a.md", VALID))
    assert render_entry(entry) == VALID


def test_an_export_keeps_a_differently_formatted_source_while_the_entry_is_unchanged(tmp_path: Path) -> None:
    styled = VALID.replace("tags: [it-sicherheit]", "tags:\n  - it-sicherheit")
    [file] = read_files(write(tmp_path, "a.md", styled))
    assert export_text(file.entry, file.source) == styled
    changed = Entry(**{**file.entry.__dict__, "answer": "Neu."})
    assert export_text(changed, file.source) == render_entry(changed)


@pytest.mark.parametrize("value", ["[draft]", "{draft: yes}", "3"])
def test_a_status_that_is_not_a_word_is_reported_with_its_line(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "a.md", VALID.replace("lang: de\n", f"lang: de\nstatus: {value}\n"))
    assert problems_of(path) == [f"{path}:9: status must be draft or published"]


def test_a_language_that_is_not_a_word_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", VALID.replace("lang: de\n", "lang: [de, en]\n"))
    assert problems_of(path) == [f"{path}:8: lang must be one of de, en"]

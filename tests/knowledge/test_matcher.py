"""Matching questions to knowledge-base entries: answer, offer choices, or say it is unknown."""

from dataclasses import replace

import pytest

from knowledge.entry import Entry
from knowledge.index import Index
from knowledge.matcher import DEFAULT_THRESHOLDS, Matcher, Thresholds
from knowledge.query import MAX_TOKENS, read

ENTRIES = [
    Entry(
        id="vpn-zugang",
        question="Wie richte ich den VPN-Zugang auf dem Dienstlaptop ein?",
        answer="Installieren Sie den VPN-Client aus dem Softwarecenter und melden Sie sich mit Ihrer Kennung an.",
        alternatives=("VPN-Verbindung von zuhause herstellen",),
        tags=("it-arbeitsplatz",),
    ),
    Entry(
        id="urlaubsantrag",
        question="Wo reiche ich meinen Urlaubsantrag ein?",
        answer="Urlaub beantragen Sie im Personalportal unter Abwesenheiten; die Leitung genehmigt ihn dort.",
        tags=("personal",),
    ),
    Entry(
        id="passwort-vergessen",
        question="Was tue ich, wenn ich mein Passwort vergessen habe?",
        answer="Setzen Sie es über die Selbstbedienungsseite zurück oder rufen Sie den Service-Desk an.",
        tags=("it-arbeitsplatz",),
    ),
    Entry(
        id="datenschutzschulung",
        question="Wann ist die nächste Datenschutzschulung?",
        answer="Die Pflichtschulung zum Datenschutz findet jedes Quartal online statt; Termine stehen im Intranet.",
        tags=("datenschutz",),
    ),
    Entry(
        id="kantine-speiseplan",
        question="Wo finde ich den Speiseplan der Kantine?",
        answer="Der Speiseplan hängt am Eingang und steht jeden Montag im Intranet.",
        tags=("kantine",),
    ),
    Entry(
        id="kantine-oeffnungszeiten",
        question="Wann hat die Kantine geöffnet?",
        answer="Montag bis Freitag von 11:30 bis 14:00 Uhr.",
        tags=("kantine",),
    ),
    Entry(
        id="parkplatz-strasse",
        question="Darf ich auf dem Parkplatz an der Hauptstraße parken?",
        answer="Nur mit Parkausweis; den gibt es bei der Hausverwaltung.",
        tags=("gebaeude",),
    ),
    Entry(
        id="en-meeting-room",
        question="How do I book a meeting room?",
        answer="Use the room calendar in the groupware and add the room as a resource to your invitation.",
        tags=("gebaeude",),
        lang="en",
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTRIES)


def top(matcher: Matcher, question: str) -> str | None:
    ranked = matcher.rank(question, limit=1)
    return ranked[0].entry_id if ranked else None


def test_an_entry_s_own_question_is_answered_with_it(matcher: Matcher) -> None:
    for entry in ENTRIES:
        match = matcher.match(entry.question)
        assert (match.outcome, match.entry_id) == ("answer", entry.id)


def test_umlauts_written_as_ae_oe_ue_match(matcher: Matcher) -> None:
    assert top(matcher, "wann ist die kantine geoeffnet") == "kantine-oeffnungszeiten"


def test_sharp_s_written_as_ss_matches(matcher: Matcher) -> None:
    assert top(matcher, "parken hauptstrasse") == "parkplatz-strasse"


def test_a_compound_matches_its_parts_written_apart(matcher: Matcher) -> None:
    assert top(matcher, "Datenschutz Schulung Termin") == "datenschutzschulung"


def test_a_compound_matches_its_parts_in_the_other_order(matcher: Matcher) -> None:
    assert top(matcher, "Antrag auf Urlaub einreichen") == "urlaubsantrag"


def test_a_part_of_a_compound_finds_the_compound(matcher: Matcher) -> None:
    assert top(matcher, "Schulung zum Datenschutz") == "datenschutzschulung"


def test_a_typo_still_finds_the_entry(matcher: Matcher) -> None:
    assert top(matcher, "pasword vergesen") == "passwort-vergessen"


def test_an_english_question_finds_a_german_entry_through_synonyms(matcher: Matcher) -> None:
    assert top(matcher, "I forgot my password") == "passwort-vergessen"


def test_a_german_question_finds_an_english_entry_through_synonyms(matcher: Matcher) -> None:
    assert top(matcher, "Besprechungsraum buchen") == "en-meeting-room"


def test_an_unrelated_question_is_unknown(matcher: Matcher) -> None:
    match = matcher.match("Wie wird das Wetter am Wochenende?")
    assert (match.outcome, match.entry_id, match.choices) == ("unknown", None, ())


def test_chit_chat_is_unknown(matcher: Matcher) -> None:
    assert matcher.match("Hallo, wie geht es dir?").outcome == "unknown"


def test_a_question_close_to_two_entries_offers_both(matcher: Matcher) -> None:
    match = matcher.match("Kantine")
    assert match.outcome == "choices"
    assert match.entry_id is None
    assert {choice.entry_id for choice in match.choices} == {"kantine-speiseplan", "kantine-oeffnungszeiten"}


def test_a_question_about_something_missing_is_not_answered_confidently(matcher: Matcher) -> None:
    assert matcher.match("Wann hat die Poststelle im Bürgeramt samstags geöffnet?").outcome != "answer"


def test_scores_lie_between_zero_and_one_best_first(matcher: Matcher) -> None:
    ranked = matcher.rank("Kantine Speiseplan Montag", limit=10)
    scores = [candidate.score for candidate in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_rank_respects_its_limit(matcher: Matcher) -> None:
    assert len(matcher.rank("Kantine", limit=1)) == 1


def test_an_answer_threshold_above_every_score_answers_nothing() -> None:
    strict = Matcher(ENTRIES, replace(DEFAULT_THRESHOLDS, answer=1.01))
    assert strict.match(ENTRIES[0].question).outcome == "choices"


def test_a_suggest_threshold_above_every_score_offers_nothing() -> None:
    strict = Matcher(ENTRIES, Thresholds(answer=1.01, suggest=1.01))
    assert strict.match("Kantine").outcome == "unknown"


def test_a_margin_keeps_close_calls_from_being_answered() -> None:
    lenient = Matcher(ENTRIES, Thresholds(answer=0.0, suggest=0.0, margin=0.0))
    cautious = Matcher(ENTRIES, Thresholds(answer=0.0, suggest=0.0, margin=0.2))
    assert lenient.match("Kantine").outcome == "answer"
    assert cautious.match("Kantine").outcome == "choices"


def test_max_choices_limits_the_choices() -> None:
    matcher = Matcher(ENTRIES, Thresholds(answer=1.01, suggest=0.0), max_choices=1)
    assert len(matcher.match("Kantine").choices) == 1


def test_the_matcher_knows_how_many_entries_it_holds(matcher: Matcher) -> None:
    assert len(matcher) == len(ENTRIES)


def test_an_empty_knowledge_base_knows_nothing() -> None:
    empty = Matcher([])
    assert len(empty) == 0
    assert empty.match("Wo ist die Kantine?").outcome == "unknown"
    assert empty.rank("Kantine") == []


def test_a_pasted_page_costs_what_its_first_words_cost(matcher: Matcher) -> None:
    """Matching a pasted page stays fast because only its first `MAX_TOKENS` words are read: the
    work is checked, not the wall-clock time, which depends on the machine."""
    words = "Kantine Speiseplan Urlaub Drucker Wetter Parkplatz"
    page, beginning = " ".join([words] * 400), " ".join([words] * 20)
    assert len(beginning.split()) > MAX_TOKENS
    index = Index(ENTRIES)
    assert read(index, page) == read(index, beginning)
    assert len(read(index, page).units) <= MAX_TOKENS
    assert matcher.match(page) == matcher.match(beginning)


def test_empty_and_symbol_only_questions_are_unknown(matcher: Matcher) -> None:
    assert matcher.match("").outcome == "unknown"
    assert matcher.match("?!… 🙂").outcome == "unknown"


def test_the_signals_behind_a_score_can_be_inspected(matcher: Matcher) -> None:
    signals = matcher.signals_for("Wann hat die Kantine geöffnet?", "kantine-oeffnungszeiten")
    assert signals is not None
    assert 0.9 <= signals.coverage <= 1.0
    assert matcher.signals_for("Kantine", "no-such-entry") is None


def test_words_written_apart_match_the_word_the_entry_joins(matcher: Matcher) -> None:
    assert top(matcher, "Speise Plan") == "kantine-speiseplan"


def test_an_entry_missing_a_weighty_word_of_the_question_is_offered_not_answered() -> None:
    law = Entry(id="lobby-register", question="When do the lobby register rules apply?", lang="en",
                answer="From next year.", alternatives=("does the lobby register apply to associations",))
    grants = [
        Entry(id=f"grants-{n}", question=question, answer="See the grants portal.", lang="en")
        for n, question in enumerate((
            "Where do we find funding for a new website?",
            "Which funding covers training courses?",
            "Is there funding for volunteers' laptops?",
            "Can funding pay for software licences?",
        ))
    ]
    match = Matcher([law, *grants]).match("how do we apply for funding")
    assert match.outcome != "answer"

"""A real word is no typo of a knowledge-base word (issue 14): "backen" is not "bauen", however the
entries rank, while a misspelt word is still read as the word it stands for."""

import pytest

from knowledge.entry import Entry
from knowledge.matcher import Matcher

ENTRIES = [
    Entry(
        id="netzwerk-aufbauen",
        question="Wie bauen wir ein Netzwerk von Lotsinnen auf?",
        answer="Beginnen Sie mit einem monatlichen Austausch und einer gemeinsamen Liste offener Fragen.",
        tags=("netzwerk",),
    ),
    Entry(
        id="kollegen-schulen",
        question="Wie schulen wir Kolleginnen im Umgang mit der E-Akte?",
        answer="Kurze Lernhäppchen am Arbeitsplatz wirken besser als ein langer Schulungstag.",
        tags=("qualifizierung",),
    ),
    Entry(
        id="kalender-teilen",
        question="Wie teilen wir einen Kalender im Team?",
        answer="Legen Sie einen Gruppenkalender an und geben Sie ihn dem Team frei.",
        tags=("zusammenarbeit",),
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTRIES)


@pytest.mark.parametrize("question", ["backen", "Backen wir?"])
def test_a_real_word_one_letter_from_a_known_word_carries_no_answer(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).outcome != "answer"


def test_a_misspelt_word_still_reads_as_the_word_it_stands_for(matcher: Matcher) -> None:
    match = matcher.match("Wie baun wir ein Netzwerk auf?")
    assert (match.outcome, match.entry_id) == ("answer", "netzwerk-aufbauen")

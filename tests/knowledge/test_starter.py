"""The starter knowledge base that ships with Lotse and greets every new installation."""

from collections import Counter

from bot.composition import starter_folder
from knowledge.files import load_entries
from knowledge.matcher import Matcher


def test_the_starter_knowledge_base_has_at_least_40_sound_entries() -> None:
    entries = load_entries(starter_folder())
    assert len(entries) >= 40
    languages = Counter(entry.lang for entry in entries)
    assert languages["de"] > languages["en"] > 0


def test_every_starter_question_is_answered_by_its_own_entry() -> None:
    entries = load_entries(starter_folder())
    matcher = Matcher(entries)
    wrong = {e.id: matcher.match(e.question).entry_id for e in entries if matcher.match(e.question).entry_id != e.id}
    assert wrong == {}


def test_every_starter_answer_links_only_to_https_sources() -> None:
    for entry in load_entries(starter_folder()):
        assert "](http://" not in entry.answer, entry.id

"""Free text lands on the curated challenges: labels, synonyms, typos and compounds in both languages."""

import pytest

from bot.config import MatchingSettings
from bot.features.matching.challenges import STARTER, Challenges, from_settings

CHALLENGES = Challenges(STARTER)


@pytest.mark.parametrize(
    ("text", "challenge"),
    [
        ("Wie beantrage ich Fördermittel für unser Museum?", "funding"),
        ("Förderanträge", "funding"),
        ("barrierefreie PDFs erstellen", "accessibility"),
        ("Barierefreiheit", "accessibility"),
        ("Umstieg auf die E-Akte", "e-files"),
        ("Wie schützen wir uns vor Phishing?", "it-security"),
        ("Nextcloud einführen", "cloud-open-source"),
        ("which AI tools can we use", "ai"),
        ("DSGVO und Videokonferenzen", "data-protection"),
    ],
)
def test_text_maps_to_the_challenge_it_is_about(text: str, challenge: str) -> None:
    assert CHALLENGES.find(text)[0] == challenge


def test_text_about_nothing_on_the_list_maps_to_nothing() -> None:
    assert CHALLENGES.find("Wie viele Urlaubstage habe ich?") == []


def test_an_answer_mixes_numbers_and_words_and_keeps_what_fits_nothing() -> None:
    found, unmapped = CHALLENGES.read_list("1, 3, Förderanträge und Scrum, Blumen gießen")
    assert found == ["it-security", "funding", "agile-methods"]
    assert unmapped == ["Blumen gießen"]


def test_the_configuration_replaces_the_starter_list() -> None:
    settings = MatchingSettings.model_validate(
        {"challenges": [{"id": "bees", "de": "Bienen", "en": "Bees", "synonyms": ["Imkerei"]}]}
    )
    configured = Challenges(from_settings(settings))
    assert configured.find("Imkerei im Rathaus") == ["bees"]
    assert configured.labels(["bees"], "en") == "Bees"
    assert from_settings(MatchingSettings()) == STARTER

"""Normalising German and English text so different spellings of one word meet."""

from knowledge.normaliser import Stems, Token, content_words, fold, guess_language, is_stop_word, tokenize


def test_sharp_s_is_written_as_double_s() -> None:
    assert fold("Straße") == fold("Strasse") == "strasse"


def test_umlauts_are_written_as_ae_oe_ue() -> None:
    assert fold("Größe Übung Ärger") == "groesse uebung aerger"


def test_case_and_other_accents_are_dropped() -> None:
    assert fold("CAFÉ Résumé") == "cafe resume"


def test_punctuation_separates_words() -> None:
    assert [token.surface for token in tokenize("Hallo!Wie geht's, Team?")] == ["hallo", "wie", "geht", "s", "team"]


def test_a_hyphenated_word_is_one_word_that_keeps_its_pieces() -> None:
    assert tokenize("E-Mail") == [Token("email", ("e", "mail"))]


def test_letters_and_digits_in_one_word_are_pieces() -> None:
    assert tokenize("Windows11") == [Token("windows11", ("windows", "11"))]


def test_gender_inclusive_spellings_are_one_word() -> None:
    assert [token.surface for token in tokenize("Lehrer*innen, Schüler:innen")] == ["lehrerinnen", "schuelerinnen"]


def test_stop_words_of_both_languages_are_not_content() -> None:
    assert content_words("Wie können wir die Drucker im Büro nutzen?") == ["drucker", "buero", "nutzen"]
    assert content_words("How do we set up the printers?") == ["set", "printers"]


def test_light_verbs_are_stop_words() -> None:
    assert is_stop_word("machen")
    assert not is_stop_word("drucker")


def test_inflected_forms_share_a_stem() -> None:
    stems = Stems()
    assert stems.stem("drucker", "de") == stems.stem("druckern", "de")
    assert stems.stem("printers", "en") == stems.stem("printer", "en")


def test_umlaut_spellings_share_a_stem() -> None:
    stems = Stems()
    assert stems.stem(fold("Prüfungen"), "de") == stems.stem("pruefungen", "de")


def test_short_words_and_numbers_are_not_stemmed() -> None:
    stems = Stems()
    assert stems.stem("365", "de") == "365"
    assert stems.stem("ki", "de") == "ki"


def test_german_text_is_recognised() -> None:
    assert guess_language("Wie richten wir den Drucker für das Team ein?") == "de"


def test_english_text_is_recognised() -> None:
    assert guess_language("How do we set up the printer for the team?") == "en"


def test_umlauts_point_to_german() -> None:
    assert guess_language("Drucker löschen") == "de"


def test_text_without_clear_signs_has_no_language() -> None:
    assert guess_language("ok") is None
    assert guess_language("VPN WLAN") is None

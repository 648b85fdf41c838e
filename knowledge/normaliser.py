"""Text normalisation for German and English questions: folding, tokens, stop words, stems, language.

Everything here is pure and knowledge-base independent; the index adds what depends on the
vocabulary (compounds, typo correction, synonyms).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import Stemmer

from knowledge.entry import Language

STEM_CACHE_SIZE = 200_000
"""Enough for any knowledge base's vocabulary; questions cannot grow the cache without bound."""

_FOLDS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("æ", "ae"), ("œ", "oe"), ("ø", "o"))
"""casefold() already writes ß as ss."""
_WORD = re.compile(r"[a-z0-9][a-z0-9/-]*")
_SEPARATORS = re.compile(r"[-/]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_LETTERS_DIGITS = re.compile(r"[a-z]+|[0-9]+")
_GENDER = re.compile(r"(?<=[a-z])[*:_/](?=in(?:nen)?\b)")
"""Gender-inclusive spellings ("Kolleg*innen", "Bürger:innen") are read as one word."""

STOP_WORDS_DE: frozenset[str] = frozenset(
    """
    ab aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch auf aus
    bei beim bin bis bist bitte bzw da dabei dadurch dafuer dagegen daher damit dann daran darauf
    darueber das dass dazu dem den denen denn der deren des deshalb dessen dich die dies diese
    diesem diesen dieser dieses dir doch dort du durch eben eigentlich ein eine einem einen einer eines
    einfach einige einmal er es etwa etwas euch euer eure fuer gar gegen gerade gibt gib grad habe haben
    hab hat hatte hatten halt hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer
    in ins ist ja jede jedem jeden jeder jedes jetzt kann kannst koennen koennt konnte koennte koennten
    kein keine keinem keinen keiner man manche mal mehr mein meine meinem meinen meiner meines mich mir
    mit moechte moechten muss musst muessen nach nem nen ner nicht nichts noch nun nur ob oder ohne sehr
    sei sein seine seinem seinen seiner seit sich sie sind so sollen soll sollte sollten solche sondern
    sowie ueber um und uns unser unsere unserem unseren unserer unter viel viele vom von vor waere wann
    war waren warum was weil welche welchem welchen welcher welches wem wen wenn wer werde werden wie
    wieso wieder will wir wird wirst wo wobei wodurch wofuer woher wohin womit wollen worauf woran worum
    wovon wozu wuerde wuerden
    zu zum zur zwar zwischen ganz genau eh sowas schon bzw usw z b d h ca
    machen mache machst macht machte gemacht tun tue tut getan kommen komme kommt kam gekommen
    gehen gehe geht ging gegangen nehmen nehme nimmt genommen geben gebe gab gegeben lassen lasse
    laesst gelassen kriegen krieg kriege kriegt bekommen bekomme bekommt stehen steht sagen sagt
    """.split()
)
"""Function words, plus light verbs ("machen", "gehen") that say nothing about a topic."""

STOP_WORDS_EN: frozenset[str] = frozenset(
    """
    a about above after again all am an and any are as at be because been before being below between
    both but by can could did do does doing done down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them then there these they this those through to too under until up us
    very was we were what whats when where which while who whom why will with would you your yours
    yourself yourselves s t d ll m re ve let lets get got really actually please hi hello thanks thank
    ok okay also anyone someone something anything way ever make makes made making go goes going went
    take takes took taking come comes came give gives gave want wants know put puts thing things
    """.split()
)

STOP_WORDS: frozenset[str] = STOP_WORDS_DE | STOP_WORDS_EN

# Function words that point clearly to one language; words shared by both (in, an, so, was, die) are left out.
_LANGUAGE_MARKERS: dict[Language, frozenset[str]] = {
    "de": frozenset(
        """
        der die das und ist nicht ich wir ihr sie es ein eine einen einem einer wie was wer warum wo
        welche welcher welchen welches fuer mit auf aus bei nach von zum zur den dem des sind kann koennen
        muss muessen darf duerfen brauchen sollen soll sollte gibt unser unsere unseren mein meine noch
        auch oder aber wenn dass schon mal bitte danke hallo nicht kein keine ueber bis zu im vom
        """.split()
    )
    - frozenset(["in", "an", "so", "was", "die", "also", "man", "war", "will", "hat", "bin"]),
    "en": frozenset(
        """
        the and is are not i we you they it a an how what who why where which for with on from by of
        can could should would do does did need have has our my your their this that these those to be
        there here if when about any some please thanks hello yes no into after before only just
        """.split()
    )
    - frozenset(["in", "an", "so", "was", "die", "also", "man", "war", "will", "hat", "bin"]),
}


def fold(text: str) -> str:
    """Lowercase, write umlauts as ae/oe/ue and ß as ss, drop other accents: one spelling for each word."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    for letter, spelling in _FOLDS:
        folded = folded.replace(letter, spelling)
    if folded.isascii():
        return folded
    return _COMBINING.sub("", unicodedata.normalize("NFKD", folded))


@dataclass(frozen=True)
class Token:
    """A folded word; a hyphenated word keeps its pieces so both "E-Akte" and "eakte" can match."""

    surface: str
    pieces: tuple[str, ...] = ()


def words(text: str) -> list[str]:
    """The folded words of a text as written, hyphens and all; `token` reads each of them."""
    folded = fold(text)
    if "*" in folded or ":" in folded or "_" in folded or "/" in folded:
        folded = _GENDER.sub("", folded)
    return _WORD.findall(folded)


def token(word: str) -> Token:
    """A written word as a token: a hyphenated word ("E-Akte") or one of letters and digits
    ("Office365") becomes one word that remembers its pieces."""
    if word.isalpha():
        return Token(word)
    word = word.rstrip("-/")
    pieces = _merge_digits([piece for chunk in _SEPARATORS.split(word) for piece in _LETTERS_DIGITS.findall(chunk)])
    if len(pieces) > 1:
        return Token("".join(pieces), pieces)
    return Token(word)


def tokenize(text: str) -> list[Token]:
    """Folded tokens of a text; punctuation separates words."""
    return [token(word) for word in words(text)]


def _merge_digits(pieces: list[str]) -> tuple[str, ...]:
    """Runs of numbers stay one piece, so "3-2-1-Regel" keeps "321"."""
    merged: list[str] = []
    for piece in pieces:
        if merged and piece.isdigit() and merged[-1].isdigit():
            merged[-1] += piece
        else:
            merged.append(piece)
    return tuple(merged)


def is_stop_word(word: str) -> bool:
    """Function words in either language carry no topic."""
    return word in STOP_WORDS


def content_words(text: str) -> list[str]:
    """The folded words of a text without stop words, e.g. for display or fuzzy comparison."""
    return [token.surface for token in tokenize(text) if not is_stop_word(token.surface)]


def guess_language(text: str) -> Language | None:
    """German or English from function words and German letters; None when the text gives no clear sign."""
    lowered = text.lower()
    german = sum(lowered.count(char) for char in "äöüß")
    english = 0
    for match in _WORD.finditer(fold(text)):
        for word in _SEPARATORS.split(match.group()):
            german += word in _LANGUAGE_MARKERS["de"]
            english += word in _LANGUAGE_MARKERS["en"]
    if german == english:
        return None
    return "de" if german > english else "en"


class Stems:
    """Snowball stems for both languages, cached per word because the same words recur constantly."""

    def __init__(self) -> None:
        self._stemmers: dict[Language, Stemmer.Stemmer] = {
            "de": Stemmer.Stemmer("german"),
            "en": Stemmer.Stemmer("english"),
        }
        self._cache: dict[Language, dict[str, str]] = {"de": {}, "en": {}}

    def stem(self, word: str, language: Language) -> str:
        """The stem of a folded word; digits and very short words are kept as they are."""
        cache = self._cache[language]
        cached = cache.get(word)
        if cached is None:
            if len(word) <= 3 or not word.isalpha():
                cached = word
            else:
                cached = str(self._stemmers[language].stemWord(word))
            if len(cache) >= STEM_CACHE_SIZE:
                cache.clear()
            cache[word] = cached
        return cached

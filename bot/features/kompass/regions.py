"""Where offers are and where members are: official region keys, postcodes and place names.

A service area is a list of region keys (the Amtlicher Regionalschlüssel, `DE` for all of Germany).
A key covers every longer key that starts with it, so ranking "city before state before national"
is the length of the key that covers the member's place. The data comes with the package
(`data/`, derived from GeoNames; see its README), loaded once by the composition root.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from bot.features.kompass.model import NATIONWIDE
from knowledge.entry import Language
from knowledge.normaliser import fold

KEY_LENGTHS = (2, 3, 5, 9, 12)
"""State, government region, district, municipal association, municipality."""
CUES = frozenset({"in", "im", "aus", "bei", "nahe", "um", "raum", "region", "landkreis", "kreis", "near", "around",
                  "within", "stadt", "gemeinde"})
"""Words after which a place name is taken as a place in a free question ("in Halle")."""
NATIONWIDE_WORDS = frozenset({"de", "deutschland", "bundesweit", "germany", "national", "nationwide"})
_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_ENDINGS = ("en", "er", "es", "em", "e", "n")
_MAX_WORDS = 5


@dataclass(frozen=True)
class Region:
    """A state or district with the names Lotse shows."""

    key: str
    de: str
    en: str
    kind: str
    """country, state, city (outside any district) or district."""

    def name(self, language: Language) -> str:
        return self.de if language == "de" else self.en


@dataclass(frozen=True)
class Place:
    """Where a member is, as far as Lotse can tell: region keys and the name they were found by."""

    keys: tuple[str, ...]
    label: str
    approximate: bool = False


@dataclass(frozen=True)
class Found:
    """A place found in a text, and the text's words without it (for finding the topic)."""

    place: Place | None
    rest: str


@dataclass(frozen=True)
class _Name:
    keys: tuple[str, ...]
    label: str
    rank: int
    """Which wins when two regions share a name: lower first (a city before its district)."""
    free: bool = False
    """A state's name: a place in a free question even without "in" before it."""


def level(key: str) -> int:
    """How local an area key is: 0 for all of Germany up to 5 for a municipality."""
    return KEY_LENGTHS.index(len(key)) + 1 if key != NATIONWIDE and len(key) in KEY_LENGTHS else 0


def covering_keys(keys: Iterable[str]) -> set[str]:
    """Every area key that covers one of `keys`: `DE` and each official prefix."""
    covering = {NATIONWIDE}
    for key in keys:
        covering.update(key[:length] for length in KEY_LENGTHS if length <= len(key))
    return covering


def locality(area: Sequence[str], keys: Sequence[str]) -> int | None:
    """The level of the most local key of `area` that covers the place, None when none does."""
    covering = covering_keys(keys)
    levels = [level(key) for key in area if key in covering]
    return max(levels) if levels else None


def normal(text: str) -> str:
    """Folded words separated by single spaces: how names and questions are compared."""
    return " ".join(_NOT_WORD.split(fold(text))).strip()


class Regions:
    """The states, districts, postcodes and place names Lotse knows; immutable once loaded."""

    def __init__(self, regions: Sequence[Region], postcodes: Sequence[tuple[str, str, tuple[str, ...]]],
                 places: Sequence[tuple[str, str]], aliases: Sequence[tuple[str, str]] = ()) -> None:
        self._regions = {region.key: region for region in regions}
        self._starts = [start for start, _, _ in postcodes]
        self._ranges = list(postcodes)
        self._names: dict[str, _Name] = {}
        self._adjectives: dict[str, _Name] = {}
        cities = [region for region in regions if region.kind == "city"]
        for region in cities:
            self._add(region.de, (region.key,), region.de, 0)
        for region in regions:
            if region.kind == "state":
                self._add(region.de, self._state_keys(region.key), region.de, 1, free=True)
                self._add(region.en, self._state_keys(region.key), region.de, 1, free=True)
        for alias, key in aliases:
            target = self._regions[key]
            if alias.islower():
                self._adjectives.setdefault(normal(alias), _Name(self._state_keys(key), target.de, 1, free=True))
            else:
                self._add(alias, self._state_keys(key), target.de, 1, free=True)
        for region in cities:
            self._add(_short(region.de), (region.key,), region.de, 2)
        for region in regions:
            if region.kind == "district":
                self._add(region.de, (region.key,), region.de, 2)
                self._add(_base(region.de), (region.key,), region.de, 3)
        for name, key in places:
            self._add(name, (key,), name, 4)

    @classmethod
    def load(cls, folder: Path | None = None) -> Regions:
        """The data shipped in `data/` (or another folder of the same files)."""
        folder = folder or Path(str(files("bot.features.kompass") / "data"))
        regions = [Region(NATIONWIDE, "Deutschland", "Germany", "country")]
        aliases: list[tuple[str, str]] = []
        for key, _iso, german, english, others in _rows(folder / "states.tsv"):
            regions.append(Region(key, german, english, "state"))
            aliases.extend((alias, key) for alias in others.split(",") if alias)
        for key, name, kind, _source_name in _rows(folder / "districts.tsv"):
            regions.append(Region(key, name, name, kind))
        postcodes = [(first, last, tuple(keys.split(","))) for first, last, keys in _rows(folder / "postcodes.tsv")]
        places = [(name, key) for name, key in _rows(folder / "places.tsv")]
        return cls(regions, postcodes, places, aliases)

    def get(self, key: str) -> Region | None:
        return self._regions.get(key)

    def name(self, key: str, language: Language) -> str:
        """The region's name; for keys below a district, the district's name with the key."""
        region = self._regions.get(key)
        if region is not None:
            return region.name(language)
        district = self._regions.get(key[:5])
        return f"{district.name(language)} ({key})" if district is not None else key

    def is_key(self, key: str) -> bool:
        """An official key Lotse can place: `DE`, a known state or district, or a longer key below one."""
        if key == NATIONWIDE or key in self._regions:
            return True
        if not key.isdigit() or len(key) not in KEY_LENGTHS:
            return False
        return key[:2] in self._regions if len(key) == 3 else key[:5] in self._regions

    def postcode(self, code: str) -> Place | None:
        """The districts of a postcode; a postcode not in the data gets its nearest neighbour's, marked approximate."""
        index = bisect.bisect_right(self._starts, code) - 1
        if index >= 0 and self._ranges[index][0] <= code <= self._ranges[index][1]:
            return Place(self._ranges[index][2], code)
        neighbours = [i for i in (index, index + 1) if 0 <= i < len(self._ranges)]
        for i in sorted(neighbours, key=lambda i: _distance(code, self._ranges[i])):
            first, last, keys = self._ranges[i]
            if first[:3] == code[:3] or last[:3] == code[:3]:
                return Place(keys, code, approximate=True)
        return None

    def find(self, text: str, cue_required: bool = False) -> Found:
        """The first postcode or place name in `text`. With `cue_required` (free questions) a place
        name counts only after a word like "in" or "aus", except a state's name, which always counts."""
        for match in _POSTCODE.finditer(text):
            place = self.postcode(match.group())
            if place is not None:
                return Found(place, normal(text[: match.start()] + " " + text[match.end() :]))
        words = normal(text).split()
        for start in range(len(words)):
            for length in range(min(_MAX_WORDS, len(words) - start), 0, -1):
                name = self._lookup(words[start : start + length])
                if name is None:
                    continue
                cued = start > 0 and words[start - 1] in CUES
                if cue_required and not cued and not name.free:
                    continue
                rest = words[: start - 1 if cued else start] + words[start + length :]
                return Found(Place(name.keys, name.label), " ".join(rest))
        return Found(None, " ".join(words))

    def area(self, text: str) -> tuple[str, ...] | None:
        """Region keys from what a moderator or a CSV wrote: keys, `DE`, names or postcodes, separated
        by `;` or `,`. None if one part names no region."""
        keys: list[str] = []
        for part in (piece.strip() for piece in re.split(r"[;,]", text)):
            if not part:
                continue
            if normal(part) in NATIONWIDE_WORDS:
                keys.append(NATIONWIDE)
                continue
            if self.is_key(part):
                keys.append(part)
                continue
            if _POSTCODE.fullmatch(part):
                place = self.postcode(part)
                if place is None:
                    return None
                keys.append(place.keys[0])
                continue
            name = self._lookup(normal(part).split())
            if name is None:
                return None
            keys.append(name.keys[0])
        return tuple(dict.fromkeys(keys)) or None

    def _lookup(self, words: Sequence[str]) -> _Name | None:
        phrase = " ".join(words)
        found = self._names.get(phrase)
        if found is None and len(words) == 1:
            word = words[0]
            found = self._adjectives.get(word) or next(
                (self._adjectives[word[: -len(ending)]] for ending in _ENDINGS
                 if word.endswith(ending) and word[: -len(ending)] in self._adjectives), None)
        return found

    def _state_keys(self, key: str) -> tuple[str, ...]:
        """A state's key, or for a city state (Berlin, Hamburg) the city's: it lies below both."""
        inside = [other for other in self._regions if len(other) == 5 and other.startswith(key)]
        return (inside[0],) if len(inside) == 1 else (key,)

    def _add(self, name: str, keys: tuple[str, ...], label: str, rank: int, free: bool = False) -> None:
        phrase = normal(name)
        known = self._names.get(phrase)
        if phrase and (known is None or known.rank > rank):
            self._names[phrase] = _Name(keys, label, rank, free)
        elif known is not None and free and known.keys == keys:
            self._names[phrase] = _Name(keys, known.label, known.rank, free)


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def _base(name: str) -> str:
    """A district's name without "Landkreis" or "Kreis": how people usually say it."""
    for prefix in ("Landkreis ", "Kreis "):
        name = name.removeprefix(prefix)
    return name


def _short(name: str) -> str:
    """A city's everyday name: "Frankfurt am Main" → "Frankfurt", "Halle (Saale)" → "Halle"."""
    return re.split(r" \(| am | an der | im | in der | i\.", name)[0]


def _distance(code: str, postcodes: tuple[str, str, tuple[str, ...]]) -> int:
    number = int(code)
    return min(abs(number - int(postcodes[0])), abs(number - int(postcodes[1])))

"""The Kompass's vocabulary: providers, their offers, and what a member asks for.

Frozen values free of storage, so the files, the search and the commands share them and can be
tested without a database. Topics are the ids of members' challenges (matching's list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from knowledge.entry import Language

PROVIDER_KINDS: Mapping[str, Mapping[Language, str]] = {
    "advice-centre": {"de": "Beratungsstelle", "en": "Advice centre"},
    "chamber": {"de": "Kammer", "en": "Chamber"},
    "competence-centre": {"de": "Kompetenzzentrum", "en": "Competence centre"},
    "agency": {"de": "Agentur oder Behörde", "en": "Agency or authority"},
    "association": {"de": "Verband oder Verein", "en": "Association"},
    "foundation": {"de": "Stiftung", "en": "Foundation"},
    "company": {"de": "Unternehmen", "en": "Company"},
}
OFFER_KINDS: Mapping[str, Mapping[Language, str]] = {
    "advice": {"de": "Beratung", "en": "Advice"},
    "training": {"de": "Schulung", "en": "Training"},
    "funding": {"de": "Förderprogramm", "en": "Funding programme"},
    "tool": {"de": "Werkzeug", "en": "Tool"},
    "network": {"de": "Netzwerk", "en": "Network"},
}
AUDIENCES: Mapping[str, Mapping[Language, str]] = {
    "municipality": {"de": "Kommunen", "en": "Municipalities"},
    "state": {"de": "Landes- und Bundesverwaltung", "en": "State and federal administration"},
    "culture": {"de": "Kultureinrichtungen", "en": "Cultural institutions"},
    "social": {"de": "Soziale Organisationen und Vereine", "en": "Social organisations and associations"},
    "company": {"de": "Unternehmen, KMU", "en": "Companies, SMEs"},
}
"""Target groups; the codes are matching's organisation types, so a profile's type fits directly."""
COSTS: Mapping[str, Mapping[Language, str]] = {
    "free": {"de": "kostenfrei", "en": "free of charge"},
    "mixed": {"de": "teils kostenfrei", "en": "partly free of charge"},
    "paid": {"de": "kostenpflichtig", "en": "paid"},
}
FUNDING_TYPES: Mapping[str, Mapping[Language, str]] = {
    "grant": {"de": "Zuschuss", "en": "Grant"},
    "loan": {"de": "Darlehen", "en": "Loan"},
    "voucher": {"de": "Gutschein", "en": "Voucher"},
    "prize": {"de": "Preis oder Wettbewerb", "en": "Prize or competition"},
    "in-kind": {"de": "Sachleistung", "en": "In-kind support"},
}
NATIONWIDE = "DE"
"""The service area of the whole of Germany; every other area is an official region key."""


@dataclass(frozen=True)
class Provider:
    """Who offers help: an advice centre, a chamber, a competence centre, an agency …"""

    id: str
    name: str
    kind: str
    checked: date
    """When someone last confirmed the details at the source."""
    website: str = ""
    contact: str = ""
    """How to reach the provider: an e-mail address, a phone number or a contact page."""
    contact_person: str = ""
    """A contact who is on Lotse (a platform-qualified id), for warm referrals; empty if none."""
    area: tuple[str, ...] = (NATIONWIDE,)
    description: str = ""
    source: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Offer:
    """Something a provider offers: advice, a training, a funding programme, a tool, a network.

    An empty `area` is the provider's. A funding programme with `deadlines` is a funding call: it
    drops out of answers once its last deadline has passed."""

    id: str
    provider: str
    kind: str
    title: str
    checked: date
    description: str = ""
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    cost: str = ""
    languages: tuple[Language, ...] = ("de",)
    link: str = ""
    source: str = ""
    licence: str = ""
    eligible: str = ""
    """Who may apply (funding calls)."""
    funding_type: str = ""
    deadlines: tuple[date, ...] = ()

    def next_deadline(self, today: date) -> date | None:
        """The first deadline from `today` on, if any is left."""
        return min((deadline for deadline in self.deadlines if deadline >= today), default=None)

    def is_over(self, today: date) -> bool:
        """A funding call whose every deadline has passed."""
        return bool(self.deadlines) and self.next_deadline(today) is None


Item = Provider | Offer


@dataclass(frozen=True)
class Listing:
    """An offer as members see it: with its provider and where its service area lies."""

    offer: Offer
    provider: Provider

    @property
    def area(self) -> tuple[str, ...]:
        return self.offer.area or self.provider.area


@dataclass(frozen=True)
class Found:
    """One offer in an answer: how local it is (higher is nearer), and whether it may be out of date."""

    listing: Listing
    level: int
    stale: bool


class Topic(Protocol):
    """One entry of the shared topic list (matching's challenges)."""

    @property
    def id(self) -> str: ...

    def label(self, language: Language) -> str: ...


class TopicList(Protocol):
    """The topics members name, shared with matching and the check: ids, labels, fuzzy lookup."""

    @property
    def all(self) -> tuple[Topic, ...]: ...

    def find(self, text: str) -> list[str]: ...

    def labels(self, ids: Iterable[str], language: Language) -> str: ...


@dataclass(frozen=True)
class Request:
    """What a member is looking for: topics, where, for which kind of organisation, which kinds of offer."""

    topics: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    """Region keys of the member's place; empty when no place is known."""
    audience: str | None = None
    kinds: tuple[str, ...] = ()
    """Kinds of offer the words suggest; they rank first, the others still count."""

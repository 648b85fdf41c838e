"""The Digitalisierungscheck: `/check` from where an organisation stands to a prioritised list of measures
(`/measures`), with reviews, sharing, export, and the catalogue moderators keep in `knowledge/checks/`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.dialogues import Dialogues
from bot.features.check.catalogue import CatalogueStore, read_catalogue, starter_catalogue_folder
from bot.features.check.feature import CheckFeature
from bot.features.check.links import (
    Challenges,
    EventCalendar,
    KnowledgeSearch,
    MeasureLinks,
    OfferDirectory,
    ResourceShelf,
)
from bot.features.check.review import ReviewReminders
from bot.features.check.store import CheckStore
from bot.privacy import Pseudonyms
from bot.storage.database import Database

log = logging.getLogger(__name__)

CATALOGUE_IMPORTER = "lotse:check-catalogue"


@dataclass(frozen=True)
class CheckParts:
    """What the composition root wires: the feature, its store and catalogues, and the reminder job."""

    feature: CheckFeature
    store: CheckStore
    catalogues: CatalogueStore
    reminders: ReviewReminders


def build(database: Database, dialogues: Dialogues, pseudonyms: Pseudonyms, clock: Callable[[], datetime], *,
          knowledge: KnowledgeSearch | None = None, resources: ResourceShelf | None = None,
          events: EventCalendar | None = None, offers: OfferDirectory | None = None,
          challenges: Challenges | None = None) -> CheckParts:
    store = CheckStore(database, pseudonyms, clock)
    catalogues = CatalogueStore(database, clock)
    links = MeasureLinks(knowledge, resources, events, offers, challenges, clock)
    return CheckParts(CheckFeature(store, catalogues, dialogues, links, clock), store, catalogues,
                      ReviewReminders(database))


async def load_catalogue(catalogues: CatalogueStore, folder: Path | None = None, by: str = CATALOGUE_IMPORTER) -> bool:
    """Import the catalogue in `folder` if it is a new version, all or nothing. The shipped one (no
    `folder`, at every start) is imported only once, so it never undoes a moderator's later edit."""
    catalogue = read_catalogue(folder or starter_catalogue_folder())
    imported = await catalogues.import_catalogue(catalogue, by, only_if_new=folder is None)
    if imported:
        log.info("check catalogue version %s imported", catalogue.version)
    return imported

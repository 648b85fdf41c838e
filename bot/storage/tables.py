"""Every module that owns tables, imported so that their tables are known to the metadata."""

from bot import audit, dialogues, health, knowledge_base, leases, members, outbox, privacy, roles
from bot.features import faq
from bot.features import web_signin as web
from bot.features.check import catalogue as check_catalogue
from bot.features.check import tables as check
from bot.features.curation import tables as curation
from bot.features.digest import tables as digest
from bot.features.kompass import tables as kompass
from bot.features.matching import tables as matching
from bot.storage import platform_state
from bot.storage.base import Base

TABLE_MODULES = (audit, dialogues, knowledge_base, members, outbox, privacy, roles, faq, platform_state, curation,
                 digest, matching, kompass, web, health, leases, check_catalogue, check)
metadata = Base.metadata

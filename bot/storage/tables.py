"""Every module that owns tables, imported so that their tables are known to the metadata."""

from bot import knowledge_base, members, privacy
from bot.features import faq
from bot.storage import platform_state
from bot.storage.base import Base

TABLE_MODULES = (knowledge_base, members, privacy, faq, platform_state)
metadata = Base.metadata

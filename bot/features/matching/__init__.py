"""Linking people who share a challenge: profiles, ranking, double opt-in introductions and rounds.

Read it top to bottom: `challenges` (the list and fuzzy mapping), `ranking` (pure scoring and
pairing), `profiles` (the stored profile and the guided `/profile`), `introductions` (the double
opt-in), `rounds` (the scheduled job), `feature` (commands and actions), `phrases`, `tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import MatchingSettings
from bot.dialogues import Dialogues
from bot.features.faq_log import QuestionLog
from bot.features.matching.challenges import Challenges, from_settings
from bot.features.matching.feature import Matching
from bot.features.matching.introductions import Introductions, Timing
from bot.features.matching.profiles import Profiles
from bot.features.matching.rounds import MatchRounds
from bot.platforms import Platforms
from bot.privacy import Pseudonyms
from bot.storage.database import Database

__all__ = ["MatchRounds", "Matching", "MatchingParts", "build"]


@dataclass(frozen=True)
class MatchingParts:
    """What the composition root wires: the feature (commands, listener, data holder, stats) and the job."""

    feature: Matching
    job: MatchRounds


def build(database: Database, dialogues: Dialogues, pseudonyms: Pseudonyms, settings: MatchingSettings,
          platforms: Platforms, questions: QuestionLog, clock: Callable[[], datetime]) -> MatchingParts:
    challenges = Challenges(from_settings(settings))
    profiles = Profiles(database, clock)
    timing = Timing(timedelta(days=settings.answer_within_days), timedelta(days=settings.follow_up_after_days))
    introductions = Introductions(database, challenges, timing, platforms, clock)
    feature = Matching(database, dialogues, profiles, introductions, challenges, pseudonyms, questions, settings,
                       clock)
    job = MatchRounds(database, profiles, introductions, pseudonyms, settings, clock)
    return MatchingParts(feature, job)

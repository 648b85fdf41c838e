"""`/stats` on a known set of questions: volumes, shares, open groups, 👎, stale entries, translations."""

from datetime import datetime

from bot.composition import Lotse
from bot.features.curation.stats import CurationStats
from bot.features.faq_log import QuestionLog
from knowledge.entry import Language
from tests.curation.conftest import ANNA, MONA, say, text_of
from tests.support.core import FakeClock


async def ask_a_known_set(lotse: Lotse, clock: FakeClock) -> None:
    """Week before: one answered question. This week: answered, "did you mean", unknown, and a German
    question only an English entry answers; the PDF answer gets a 👎."""
    await say(lotse, ANNA, "Wie mache ich ein PDF barrierefrei?")
    clock.advance(days=8)
    [pdf] = await say(lotse, ANNA, "Wie mache ich ein PDF barrierefrei?")
    await say(lotse, ANNA, action=pdf.feedback[1].action)
    await say(lotse, ANNA, "Welche Förderung gibt es?")
    await say(lotse, ANNA, "Wie gründen wir einen Verein?")
    await say(lotse, ANNA, "Welches Videokonferenz-Tool sollen wir nutzen?")


async def test_the_figures_of_a_known_set_of_questions(curated: Lotse, clock: FakeClock) -> None:
    await ask_a_known_set(curated, clock)
    figures = await curated.curation.stats.figures(clock.now)
    assert figures.per_week == (4, 1, 0, 0)
    assert (figures.answered_share, figures.choices_share) == (0.6, 0.2)
    assert [(group.sample, group.count) for group in figures.top_unanswered] == [
        ("Wie mache ich ein PDF barrierefrei?", 1), ("Wie gründen wir einen Verein?", 1)]
    assert figures.most_downvoted == (("barrierefreies-pdf", 1),)
    assert figures.missing_translations == (("video-conference", "de", 1),)
    assert figures.not_reviewed == ()


async def test_stats_puts_the_figures_into_words(curated: Lotse, clock: FakeClock) -> None:
    await ask_a_known_set(curated, clock)
    said = await text_of(curated, MONA, "/stats")
    assert "Fragen je Woche (neueste zuerst): 4, 1, 0, 0" in said
    assert "Beantwortet: 60 %" in said and "Mit „Meinten Sie“: 20 %" in said
    assert "- `barrierefreies-pdf`: 1× 👎" in said
    assert "- `video-conference`: 1× auf de gefragt" in said


async def test_entries_not_reviewed_for_months_are_listed_until_marked_reviewed(
    curated: Lotse, clock: FakeClock
) -> None:
    clock.advance(days=400)
    await say(curated, MONA, "/faq reviewed zwei-faktor")
    figures = await curated.curation.stats.figures(clock.now)
    assert "zwei-faktor" not in figures.not_reviewed
    assert "barrierefreies-pdf" in figures.not_reviewed


class DigestFigures:
    async def stats_section(self, language: Language, now: datetime) -> str:
        return "**Digest**\n\n- 3 digests sent"


async def test_other_features_sections_follow_the_curation_figures(curated: Lotse, clock: FakeClock) -> None:
    stats = CurationStats(curated.database, curated.knowledge_base, curated.curation.queue,
                          QuestionLog(curated.database), 12, [DigestFigures()])
    report = await stats.report("en", clock.now)
    assert report.startswith("**Figures of the last four weeks**") and report.endswith("- 3 digests sent")

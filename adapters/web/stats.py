"""Stats as charts: questions per week by outcome, share answered, top open groups, ratings, review
backlog, introductions and digests. Counts only, never names, as in `/stats`."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from adapters.web.charts import Chart, Series, single
from adapters.web.console import console_of, language_of, moderators, page
from adapters.web.render import translator

WEEKS = 12
OUTCOMES = (("answered", ("answer", "picked")), ("choices", ("choices",)), ("none", ("none",)),
            ("unknown", ("unknown",)))
"""How the logged outcomes are shown: answered (at once or after a choice), choices left open,
none of the choices fitted, nothing known."""


@moderators
async def stats(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    lotse = console.lotse
    t = translator(language_of(request))
    now = lotse.clock()
    weeks = await lotse.curation.stats.weeks(now, WEEKS)
    figures = await lotse.curation.stats.figures(now)
    ratings = await lotse.faq.ratings()
    stored = [entry for entry in await lotse.knowledge_base.all_stored() if not entry.deleted]
    due = sum(1 for entry in stored if lotse.curation.stats.review_due(entry, now))
    labels = tuple(week.start.astimezone(console.zone).strftime(t("week-label")) for week in weeks)
    charts = [
        Chart("per-week", t("chart-per-week"), labels, tuple(
            Series(t(f"outcome-{name}"), tuple(float(sum(week.outcomes.get(o, 0) for o in outcomes))
                                               for week in weeks))
            for name, outcomes in OUTCOMES)),
        Chart("answered-share", t("chart-answered-share"), labels, (
            Series(t("outcome-answered"), tuple(100.0 * week.answered / week.total if week.total else 0.0
                                                for week in weeks)),), unit="%"),
        single("top-groups", t("chart-top-groups"), t("asked"),
               [(f"#{group.id} {group.sample}", group.count) for group in figures.top_unanswered]),
        Chart("ratings", t("chart-ratings"), tuple(entry_id for entry_id, _ in _most_rated(ratings)), (
            Series(t("rating-up"), tuple(float(ratings[entry_id][0]) for entry_id, _ in _most_rated(ratings)), 0),
            Series(t("rating-down"), tuple(float(ratings[entry_id][1]) for entry_id, _ in _most_rated(ratings)), 2)),
            horizontal=True),
        single("review-backlog", t("chart-review"), t("entries"),
               [(t("review-due"), due), (t("review-fine"), len(stored) - due)]),
        single("introductions", t("chart-introductions"), t("count"),
               _labelled(t, "intro", await lotse.matching.figures())),
        single("digests", t("chart-digests"), t("count"), _labelled(t, "digest", await lotse.digest.figures(now))),
    ]
    return page(request, "stats.html", section="stats", title_key="stats-title", charts=charts, weeks=WEEKS)


def _most_rated(ratings: dict[str, tuple[int, int]], shown: int = 8) -> list[tuple[str, int]]:
    """Entries with the most 👎 first, then the most ratings."""
    order = sorted(ratings.items(), key=lambda item: (-item[1][1], -sum(item[1]), item[0]))
    return [(entry_id, down) for entry_id, (_, down) in order[:shown]]


def _labelled(t: Callable[..., str], prefix: str, figures: dict[str, int]) -> list[tuple[str, float]]:
    return [(t(f"{prefix}-{name}"), float(value)) for name, value in figures.items()]


def add_routes(app: web.Application) -> None:
    app.router.add_get("/stats", stats)

"""The check as pilots meet it: `/check` from organisation type to result, requirements and proposed
measures, `/measures` to keep the list, reviews, sharing, export, and its part of `/mydata` and `/stats`.

Every answer is stored the moment it is given, so a check can be left at any point and `/check` resumes
it, also after a restart; the open dialogue only carries free text (region, systems, requirements) here.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from bot.dialogues import Dialogue, Dialogues
from bot.features.check import export, ranking
from bot.features.check.catalogue import Catalogue, CatalogueStore
from bot.features.check.chart import bar_chart
from bot.features.check.links import Links, MeasureLinks
from bot.features.check.phrases import (
    IMPORTANCE_LABELS,
    LEVEL_LABELS,
    ORG_TYPES,
    PHRASES,
    STATE_LABELS,
    STATUS_LABELS,
    SYSTEM_KIND_LABELS,
    SYSTEMS,
)
from bot.features.check.review import change_lines, changes, review_date
from bot.features.check.scoring import (
    IMPORTANCES,
    STATES,
    DimensionScore,
    bar,
    is_answered,
    largest_gaps,
    needs_importance,
    scores,
)
from bot.features.check.store import Check, CheckStore, Measure, MeasureDraft, with_changes
from bot.messages import Attachment, Choice, Command, PersonId, Reply, escape_markdown
from bot.turn import Route, Turn
from knowledge.entry import Language

MAX_REGION = 80
MAX_REQUIREMENT = 300
MAX_TITLE = 200
MIN_ORGANISATIONS = 5
"""A figure in `/stats` is shown only when at least this many organisations stand behind it."""
STEPS = ("org", "region", "systems", "statements", "requirements", "done")


class CheckFeature:
    """Implements `Feature`, `TakesActions`, `GuidesDialogues`, `PersonalData` and `StatsSource`."""

    name = "check"

    def __init__(self, store: CheckStore, catalogues: CatalogueStore, dialogues: Dialogues, links: MeasureLinks,
                 clock: Callable[[], datetime]) -> None:
        self._store = store
        self._catalogues = catalogues
        self._dialogues = dialogues
        self._links = links
        self._clock = clock

    def routes(self) -> Sequence[Route]:
        return [
            Route(Command("check", PHRASES.both("command-check")), self._check),
            Route(Command("measures", PHRASES.both("command-measures")), self._measures),
        ]

    # /check ---------------------------------------------------------------------------------------

    async def _check(self, turn: Turn, rest: str) -> Sequence[Reply]:
        command, _, argument = rest.partition(" ")
        command = command.lower()
        person, language = turn.message.sender.id, turn.language
        if not command:
            return await self._start_or_resume(turn)
        if command == "join":
            return await self._join(turn, argument)
        check = await self._store.of(person)
        if check is None:
            return [Reply(PHRASES.say("no-check", language))]
        if command == "result":
            if check.step != "done" and check.previous is None:
                return [Reply(PHRASES.say("not-finished", language))]
            return await self._result(turn, check)
        if command == "review":
            return await self._review(turn, check)
        if command == "share":
            return [Reply(PHRASES.say("share", language, code=check.code))]
        if command == "export":
            return await self._export(turn, check, argument.strip().lower() == "pdf")
        return [Reply(PHRASES.say("check-usage", language))]

    async def _start_or_resume(self, turn: Turn) -> Sequence[Reply]:
        person = turn.message.sender.id
        check = await self._store.of(person)
        if check is None:
            catalogue = await self._catalogues.current()
            check = await self._store.start(person, turn.language, catalogue.version)
            return await self._next(turn, check)
        if check.step == "done":
            return [Reply(PHRASES.say("already-finished", turn.language))]
        return [Reply(PHRASES.say("resumed", turn.language)), *await self._next(turn, check)]

    async def _join(self, turn: Turn, code: str) -> Sequence[Reply]:
        check = await self._store.by_code(code) if code.strip() else None
        if check is None:
            return [Reply(PHRASES.say("unknown-code", turn.language))]
        await self._store.join(turn.message.sender.id, turn.language, check.id)
        return [Reply(PHRASES.say("joined", turn.language))]

    async def _review(self, turn: Turn, check: Check) -> Sequence[Reply]:
        if check.step != "done":
            return [Reply(PHRASES.say("not-finished", turn.language)), *await self._next(turn, check)]
        catalogue = await self._catalogues.current()
        check = await self._store.change(
            check.id, turn.message.sender.id, "review-started", str(check.round + 1),
            previous={"version": check.catalogue_version, "answers": dict(check.answers)},
            answers={}, requirements={}, round=check.round + 1, step="statements", finished_at=None,
            review_at=None, reminded_at=None, catalogue_version=catalogue.version)
        return [Reply(PHRASES.say("review-started", turn.language, round=check.round)),
                *await self._next(turn, check)]

    # the guided steps -----------------------------------------------------------------------------

    async def _next(self, turn: Turn, check: Check, replaces: bool = False) -> list[Reply]:
        """The question the check stands at, with the dialogue that takes its free-text answer."""
        open_now = await self._dialogues.current(turn.message)
        wanted = Dialogue(self.name, check.step, {"check": check.id})
        if open_now != wanted:
            await self._dialogues.save(turn.message, wanted)
        return [await self._prompt(turn, check, replaces)]

    async def _prompt(self, turn: Turn, check: Check, replaces: bool = False) -> Reply:
        language = turn.language
        if check.step == "org":
            choices = tuple(Choice(labels[language], f"check:o:{code}") for code, labels in ORG_TYPES.items())
            return Reply(PHRASES.say("ask-org", language), choices)
        if check.step == "region":
            return Reply(PHRASES.say("ask-region", language), replaces_prompt=replaces)
        if check.step == "systems":
            listing = "\n".join(f"{number}. {labels[language]}" for number, labels in
                                enumerate(SYSTEMS.values(), start=1))
            return Reply(PHRASES.say("ask-systems", language, list=listing))
        catalogue = await self._catalogues.version(check.catalogue_version)
        if check.step == "statements":
            return self._statement_prompt(check, catalogue, language, replaces)
        return self._requirement_prompt(check, catalogue, language)

    def _statement_prompt(self, check: Check, catalogue: Catalogue, language: Language, replaces: bool) -> Reply:
        statements = catalogue.statements()
        for index, (dimension, statement) in enumerate(statements):
            key = f"{dimension.id}/{statement.id}"
            answer = check.answers.get(key)
            if is_answered(answer):
                continue
            text = PHRASES.say("statement", language, dimension=dimension.title[language], number=index + 1,
                               total=len(statements), text=statement.text[language])
            if answer is not None:
                choices = tuple(Choice(labels[language], f"check:i:{index}:{level}")
                                for level, labels in IMPORTANCE_LABELS.items())
                return Reply(f"{text}\n\n{PHRASES.say('ask-importance', language)}", choices, replaces_prompt=replaces)
            choices = tuple(Choice(labels[language], f"check:a:{index}:{state}") for state, labels in
                            STATE_LABELS.items())
            before = (check.previous or {}).get("answers", {}).get(key)
            if before is not None and before.get("state") in STATE_LABELS:
                text += "\n\n" + PHRASES.say("last-time", language, answer=STATE_LABELS[before["state"]][language])
                choices = (Choice(PHRASES.say("still-true", language), f"check:a:{index}:k"), *choices)
            return Reply(text, choices, replaces_prompt=replaces)
        raise LookupError("every statement is answered")

    def _requirement_prompt(self, check: Check, catalogue: Catalogue, language: Language) -> Reply:
        dimension_id = self._open_requirement(check, catalogue)
        dimension = catalogue.dimension(dimension_id or "")
        assert dimension is not None
        return Reply(PHRASES.say("ask-requirement", language, dimension=dimension.title[language]))

    @staticmethod
    def _open_requirement(check: Check, catalogue: Catalogue) -> str | None:
        gaps = largest_gaps(catalogue, scores(catalogue, check.answers))
        return next((gap for gap in gaps if gap not in check.requirements), None)

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        person, language, text = turn.message.sender.id, turn.language, turn.text.strip()
        check = await self._store.of(person)
        if check is None or check.id != dialogue.data.get("check") or check.step != dialogue.step:
            await self._dialogues.end(turn.message)
            return [Reply(PHRASES.say("no-check", language))] if check is None else await self._next(turn, check)
        if check.step in ("org", "statements"):
            return await self._picked_by_number(turn, check, text)
        if check.step == "region":
            if not text or len(text) > MAX_REGION:
                return [Reply(PHRASES.say("region-invalid", language)), *await self._next(turn, check)]
            check = await self._store.change(check.id, person, "region", text, region=text, step="systems")
            return await self._next(turn, check)
        if check.step == "systems":
            systems, wrong = _systems(text)
            if wrong is not None:
                return [Reply(PHRASES.say("systems-invalid", language, number=wrong)), *await self._next(turn, check)]
            check = await self._store.change(check.id, person, "systems", ", ".join(systems), systems=systems,
                                             step="statements")
            return await self._next(turn, check)
        if check.step == "requirements":
            if len(text) > MAX_REQUIREMENT:
                return [Reply(PHRASES.say("requirement-too-long", language))]
            catalogue = await self._catalogues.version(check.catalogue_version)
            dimension = self._open_requirement(check, catalogue)
            if dimension is None:
                return await self._finish(turn, check)
            requirement = "" if text in ("", "-") else text
            check = await self._store.change(check.id, person, "requirement", dimension,
                                             requirements={**check.requirements, dimension: requirement})
            if self._open_requirement(check, catalogue) is None:
                return await self._finish(turn, check)
            return await self._next(turn, check)
        return await self._next(turn, check)

    async def _picked_by_number(self, turn: Turn, check: Check, text: str) -> Sequence[Reply]:
        """Where choices are a numbered list (Matrix), the typed number picks from the open prompt."""
        prompt = await self._prompt(turn, check)
        if text.isdigit() and 1 <= int(text) <= len(prompt.choices):
            return await self.on_action(turn, prompt.choices[int(text) - 1].action)
        return [Reply(PHRASES.say("pick-a-number", turn.language)), prompt]

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]:
        parts = action.split(":")
        person = turn.message.sender.id
        if len(parts) == 4 and parts[1] in ("a", "i") and parts[2].isdigit():
            return await self._answer(turn, int(parts[2]), parts[1], parts[3])
        check = await self._store.of(person)
        if check is None:
            return turn.reply("choice-expired")
        if len(parts) == 3 and parts[1] == "o" and parts[2] in ORG_TYPES and check.step == "org":
            check = await self._store.change(check.id, person, "org-type", parts[2], org_type=parts[2], step="region")
            return await self._next(turn, check, replaces=True)
        return turn.reply("choice-expired")

    async def _answer(self, turn: Turn, index: int, kind: str, value: str, again: bool = True) -> Sequence[Reply]:
        """A tap on a statement's answer or importance: no read before the write, which checks the tap
        against the check as stored (many pilots answer at once; see `CheckStore.answer`)."""
        check_id = await self._store.check_id_of(turn.message.sender.id)
        version = await self._store.version_of(check_id) if check_id is not None else None
        if check_id is None or version is None:
            return turn.reply("choice-expired")
        catalogue = await self._catalogues.version(version)
        statements = catalogue.statements()
        if index >= len(statements):
            return turn.reply("choice-expired")
        dimension, statement = statements[index]
        key = f"{dimension.id}/{statement.id}"

        def decide(stored: Check) -> tuple[str, dict[str, Any]] | None:
            if stored.step != "statements" or stored.catalogue_version != catalogue.version:
                return None
            if kind == "a":
                before = (stored.previous or {}).get("answers", {}).get(key)
                if value == "k" and before is not None:
                    return key, dict(before)
                return (key, {"state": value}) if value in STATES else None
            current = stored.answers.get(key)
            if current is None or not value.isdigit() or int(value) not in IMPORTANCES \
                    or not needs_importance(current.get("state", "")):
                return None
            return key, {**current, "importance": int(value)}

        stored = await self._store.answer(check_id, turn.message.sender.id, decide)
        if stored is not None and not stored[1] and stored[0].catalogue_version != version and again:
            return await self._answer(turn, index, kind, value, again=False)
        if stored is None or not stored[1]:
            return turn.reply("choice-expired")
        check = stored[0]
        if all(is_answered(check.answers.get(f"{d.id}/{s.id}")) for d, s in statements):
            return await self._statements_done(turn, check, catalogue)
        return await self._next(turn, check, replaces=True)

    async def _statements_done(self, turn: Turn, check: Check, catalogue: Catalogue) -> Sequence[Reply]:
        person = turn.message.sender.id
        check = await self._store.change(check.id, person, "statements-done", "", step="requirements")
        replies = await self._result(turn, check)
        if self._open_requirement(check, catalogue) is None:
            return [*replies, *await self._finish(turn, check, show_result=False)]
        return [*replies, *await self._next(turn, check)]

    async def _finish(self, turn: Turn, check: Check, show_result: bool = True) -> Sequence[Reply]:
        person, language, now = turn.message.sender.id, turn.language, self._clock()
        await self._dialogues.end(turn.message)
        catalogue = await self._catalogues.version(check.catalogue_version)
        found = scores(catalogue, check.answers)
        gaps = largest_gaps(catalogue, found)
        listed = {m.catalogue_id for m in await self._store.measures(check.id)}
        drafts = [MeasureDraft(m.dimension, m.title[language], m.effort, m.benefit, m.fit_for(check.org_type),
                               m.system, m.id)
                  for dimension_id in gaps for dimension in [catalogue.dimension(dimension_id)] if dimension
                  for m in dimension.measures if m.id not in listed]
        added = await self._store.add_measures(check.id, person, drafts)
        await self._arrange(check, person)
        review = review_date(now)
        check = await self._store.change(check.id, person, "finished", str(check.round), step="done",
                                         finished_at=now, review_at=review)
        replies: list[Reply] = []
        if show_result:
            replies.extend(await self._result(turn, check, with_chart=False))
        if check.previous is not None:
            before_catalogue = await self._catalogues.version(check.previous["version"])
            before = scores(before_catalogue, check.previous["answers"])
            replies.append(Reply(change_lines(changes(before, found), catalogue, language)))
        replies.append(Reply(PHRASES.say("finished", language, count=len(added),
                                         review=_day(review.date(), language))))
        return replies

    async def _arrange(self, check: Check, person: PersonId) -> None:
        """The documented order, unless the pilot moved items: then new ones stay at the end."""
        measures = await self._store.measures(check.id)
        fresh = await self._store.get(check.id)
        if fresh is not None and not fresh.manual_order:
            await self._store.order_measures(check.id, person, [m.id for m in ranking.ranked(measures)], manual=False)

    # the result -----------------------------------------------------------------------------------

    async def _result(self, turn: Turn, check: Check, with_chart: bool = True) -> list[Reply]:
        language = turn.language
        answers = check.answers if check.step in ("requirements", "done") else (check.previous or {}).get(
            "answers", {})
        version = check.catalogue_version if check.step in ("requirements", "done") else (check.previous or {}).get(
            "version", check.catalogue_version)
        catalogue = await self._catalogues.version(version)
        found = scores(catalogue, answers)
        text = self._result_text(catalogue, found, check.requirements, language)
        replies = [Reply(text)]
        if with_chart and turn.capabilities.images:
            rows = [(d.title[language], s.score) for d, s in zip(catalogue.dimensions, found, strict=True)]
            picture = await asyncio.to_thread(bar_chart, PHRASES.say("chart-title", language), rows)
            replies.append(Reply(PHRASES.say("chart-title", language),
                                 attachment=Attachment("check.png", "image/png", picture)))
        return replies

    def _result_text(self, catalogue: Catalogue, found: Sequence[DimensionScore], requirements: dict[str, str] | Any,
                     language: Language) -> str:
        bars = "\n".join(PHRASES.say("result-line", language, bar=bar(score.score),
                                     dimension=dimension.title[language])
                         for dimension, score in zip(catalogue.dimensions, found, strict=True))
        by_id = {score.dimension: score for score in found}
        lines = []
        for gap in largest_gaps(catalogue, found):
            dimension = catalogue.dimension(gap)
            assert dimension is not None
            said = requirements.get(gap, "")
            requirement = PHRASES.say("requirement", language, text=escape_markdown(said)) if said else ""
            lines.append(PHRASES.say("gap-line", language, dimension=dimension.title[language],
                                     gap=by_id[gap].gap, requirement=requirement))
        gaps = PHRASES.say("gaps", language, list="\n".join(lines)) if lines else PHRASES.say("no-gaps", language)
        return PHRASES.say("result", language, bars=bars, gaps=gaps)

    # /measures ------------------------------------------------------------------------------------

    async def _measures(self, turn: Turn, rest: str) -> Sequence[Reply]:
        person, language = turn.message.sender.id, turn.language
        check = await self._store.of(person)
        if check is None:
            return [Reply(PHRASES.say("no-check", language))]
        measures = await self._store.measures(check.id)
        words = rest.split()
        if not words:
            return [Reply(self._list(check, measures, language))]
        command = words[0].lower()
        if command == "add" and len(words) > 1:
            title = rest.partition(" ")[2].strip()
            if len(title) > MAX_TITLE:
                return [Reply(PHRASES.say("edit-invalid", language, field="title",
                                          expected=PHRASES.say("expected-text", language)))]
            await self._store.add_measures(check.id, person, [MeasureDraft("own", title, 2, 2, 2, "neutral")])
            await self._arrange(check, person)
            number = next(n for n, m in enumerate(await self._store.measures(check.id), start=1) if m.title == title)
            return [Reply(PHRASES.say("measure-added", language, number=number))]
        if command.isdigit() and len(words) == 1:
            measure = _numbered(measures, int(command))
            if measure is None:
                return [Reply(PHRASES.say("measure-unknown", language, number=command, count=len(measures)))]
            return [Reply(await self._detail(check, measure, int(command), language))]
        if command in ("done", "drop", "edit", "move") and len(words) >= 2 and words[1].isdigit():
            number = int(words[1])
            measure = _numbered(measures, number)
            if measure is None:
                return [Reply(PHRASES.say("measure-unknown", language, number=number, count=len(measures)))]
            if command == "done" and len(words) == 2:
                await self._store.edit_measure(check.id, person, with_changes(measure, status="done"), "measure-done")
                return [Reply(PHRASES.say("measure-done", language, title=escape_markdown(measure.title)))]
            if command == "drop" and len(words) == 2:
                await self._store.drop_measure(check.id, person, measure)
                return [Reply(PHRASES.say("measure-dropped", language, title=escape_markdown(measure.title)))]
            if command == "move" and len(words) == 3 and words[2].isdigit():
                order = ranking.moved(measures, number, int(words[2]))
                await self._store.order_measures(check.id, person, [m.id for m in order], manual=True)
                to = order.index(measure) + 1
                return [Reply(PHRASES.say("measure-moved", language, to=to))]
            if command == "edit" and len(words) >= 4:
                return await self._edit(turn, check, measure, words[2].lower(), rest.split(None, 3)[3])
        return [Reply(PHRASES.say("measures-usage", language))]

    async def _edit(self, turn: Turn, check: Check, measure: Measure, field: str, value: str) -> Sequence[Reply]:
        language = turn.language
        value = value.strip()
        field = EDIT_ALIASES.get(field, field)
        changes_: dict[str, Any] = {}
        expected = "expected-text"
        if field in ("title", "owner") and 0 < len(value) <= MAX_TITLE:
            changes_[field] = value
        elif field in ("effort", "benefit", "fit"):
            expected = "expected-level"
            if value in ("1", "2", "3"):
                changes_[field] = int(value)
        elif field == "system":
            expected = "expected-system"
            if value in SYSTEM_KIND_LABELS:
                changes_[field] = value
        elif field == "status":
            expected = "expected-status"
            if value in STATUS_LABELS:
                changes_[field] = value
        elif field == "review":
            expected = "expected-date"
            day = _parse_date(value)
            if day is not None:
                changes_["review_on"] = day
        else:
            return [Reply(PHRASES.say("measures-usage", language))]
        if not changes_:
            return [Reply(PHRASES.say("edit-invalid", language, field=field, expected=PHRASES.say(expected, language)))]
        edited = with_changes(measure, **changes_)
        await self._store.edit_measure(check.id, turn.message.sender.id, edited, f"measure-{field}")
        return [Reply(PHRASES.say("measure-edited", language, title=escape_markdown(edited.title)))]

    def _list(self, check: Check, measures: Sequence[Measure], language: Language) -> str:
        if not measures:
            return PHRASES.say("measures-empty", language)
        lines = [self._line(number, measure, language) for number, measure in enumerate(measures, start=1)]
        manual = PHRASES.say("manual-order", language) if check.manual_order else ""
        return PHRASES.say("measures-list", language, list="\n".join(lines), manual=manual)

    @staticmethod
    def _line(number: int, measure: Measure, language: Language) -> str:
        owner = PHRASES.say("owner", language, owner=escape_markdown(measure.owner)) if measure.owner else ""
        return PHRASES.say(
            "measure-line", language, number=number, mark="✓ " if measure.status == "done" else "",
            title=escape_markdown(measure.title), effort=LEVEL_LABELS[measure.effort][language],
            benefit=LEVEL_LABELS[measure.benefit][language], fit=LEVEL_LABELS[measure.fit][language],
            system=SYSTEM_KIND_LABELS[measure.system][language], owner=owner)

    async def _detail(self, check: Check, measure: Measure, number: int, language: Language) -> str:
        catalogue = await self._catalogues.version(check.catalogue_version)
        listed = catalogue.measure(measure.catalogue_id) if measure.catalogue_id else None
        dimension = catalogue.dimension(measure.dimension)
        topics = listed.topics if listed is not None else dimension.topics if dimension is not None else ()
        links = await self._links.for_measure(measure.title, topics, check.org_type, check.region, language, True)
        owner = PHRASES.say("owner", language, owner=escape_markdown(measure.owner)) if measure.owner else ""
        source = PHRASES.say("source", language, source=listed.source[language]) if listed is not None else ""
        return PHRASES.say(
            "measure-detail", language, number=number, title=escape_markdown(measure.title),
            dimension=dimension.title[language] if dimension else PHRASES.say("own-dimension", language),
            status=STATUS_LABELS[measure.status][language],
            review=_day(measure.review_on, language) if measure.review_on else (
                _day(check.review_at.date(), language) if check.review_at else PHRASES.say("not-set", language)),
            effort=LEVEL_LABELS[measure.effort][language], benefit=LEVEL_LABELS[measure.benefit][language],
            fit=LEVEL_LABELS[measure.fit][language], system=SYSTEM_KIND_LABELS[measure.system][language],
            owner=owner, source=source, links=_links_text(links, language))

    # export ---------------------------------------------------------------------------------------

    async def report(self, check: Check, language: Language) -> export.Report:
        """The export's content for a check, in `language` (also for `lotse check export`)."""
        finished = check.step == "done" or check.previous is None
        version = check.catalogue_version if finished else check.previous["version"]  # type: ignore[index]
        answers = check.answers if finished else check.previous["answers"]  # type: ignore[index]
        catalogue = await self._catalogues.version(version)
        found = scores(catalogue, answers)
        by_id = {s.dimension: s for s in found}
        gaps = []
        for gap in largest_gaps(catalogue, found):
            dimension = catalogue.dimension(gap)
            assert dimension is not None
            said = check.requirements.get(gap, "")
            gaps.append(f"{dimension.title[language]}: {by_id[gap].gap} %"
                        + (PHRASES.say("requirement", language, text=escape_markdown(said)) if said else ""))
        measures = await self._store.measures(check.id)
        org = ORG_TYPES.get(check.org_type, ORG_TYPES["other"])[language]
        systems = ", ".join(SYSTEMS[s][language] if s in SYSTEMS else escape_markdown(s) for s in check.systems)
        return export.Report(
            title=PHRASES.say("export-title", language),
            lines=(PHRASES.say("export-organisation", language, org_type=org,
                               region=escape_markdown(check.region) or "–"),
                   PHRASES.say("export-systems", language, systems=systems or "–"),
                   PHRASES.say("export-date", language, date=_day(self._clock().date(), language), round=check.round)),
            scores=tuple((d.title[language], s.score) for d, s in zip(catalogue.dimensions, found, strict=True)),
            gaps_heading=PHRASES.say("gaps", language, list="").split("\n")[0].strip("*: "),
            gaps=tuple(gaps),
            measures_heading=PHRASES.say("export-measures", language),
            measures=tuple(export.ReportMeasure(
                n, escape_markdown(m.title), self._line(n, m, language).split(" · ", 1)[1],
                STATUS_LABELS[m.status][language]) for n, m in enumerate(measures, start=1)),
            rule=PHRASES.say("export-rule", language),
        )

    async def _export(self, turn: Turn, check: Check, as_pdf: bool) -> Sequence[Reply]:
        report = await self.report(check, turn.language)
        if not turn.capabilities.files:
            return [Reply(PHRASES.say("export-inline", turn.language, text=export.markdown(report)))]
        if as_pdf:
            attachment = Attachment("digitalisierungscheck.pdf", "application/pdf", export.pdf(report))
        else:
            attachment = Attachment("digitalisierungscheck.md", "text/markdown",
                                    export.markdown(report).encode())
        return [Reply(PHRASES.say("export-caption", turn.language), attachment=attachment)]

    # privacy and statistics -----------------------------------------------------------------------

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        return await self._store.personal_data(person)

    async def forget(self, person: PersonId) -> None:
        await self._store.forget(person)

    async def stats_section(self, language: Language, now: datetime) -> str:
        """Counts over organisations; a figure stands only when five or more are behind it."""
        checks = await self._store.all_checks()
        started = len(checks)
        finished = sum(1 for c in checks if c.step == "done" or c.previous is not None)
        dropped = Counter(c.step for c in checks if c.step != "done" and c.previous is None)
        steps = [f"{step} ({count})" for step, count in dropped.most_common() if count >= MIN_ORGANISATIONS]
        dropoff = PHRASES.say("stats-dropoff", language, steps=", ".join(steps)) if steps else ""
        groups: dict[str, Counter[str]] = {}
        sizes: Counter[str] = Counter()
        for check in checks:
            if check.step != "done":
                continue
            catalogue = await self._catalogues.version(check.catalogue_version)
            group = f"{ORG_TYPES.get(check.org_type, ORG_TYPES['other'])[language]}, {escape_markdown(check.region)}"
            sizes[group] += 1
            groups.setdefault(group, Counter()).update(largest_gaps(catalogue, scores(catalogue, check.answers)))
        lines = []
        for group, counter in sorted(groups.items()):
            common = [dimension for dimension, count in counter.most_common(3) if count >= MIN_ORGANISATIONS]
            if sizes[group] >= MIN_ORGANISATIONS and common:
                catalogue = await self._catalogues.current()
                names = ", ".join(d.title[language] for d in (catalogue.dimension(c) for c in common) if d)
                lines.append(PHRASES.say("stats-group", language, group=group, dimensions=names))
        gaps = PHRASES.say("stats-gaps", language, list="; ".join(lines)) if lines else ""
        return PHRASES.say("stats", language, started=_at_least(started), finished=_at_least(finished),
                           dropoff=dropoff, gaps=gaps)


EDIT_ALIASES = {"titel": "title", "verantwortlich": "owner", "aufwand": "effort", "nutzen": "benefit",
                "passung": "fit", "termin": "review", "prüfen": "review"}


def _systems(text: str) -> tuple[list[str], int | None]:
    """The systems named by number or in own words; the first number not on the list, if any."""
    if text.strip() in ("", "-"):
        return [], None
    codes = list(SYSTEMS)
    found: list[str] = []
    for piece in (p.strip() for p in text.split(",")):
        if not piece:
            continue
        if piece.isdigit():
            if not 1 <= int(piece) <= len(codes):
                return [], int(piece)
            piece = codes[int(piece) - 1]
        if piece not in found:
            found.append(piece[:MAX_REGION])
    return found, None


def _at_least(count: int) -> str:
    """A count of organisations, or only that it is fewer than five."""
    return str(count) if count >= MIN_ORGANISATIONS else f"<{MIN_ORGANISATIONS}"


def _numbered(measures: Sequence[Measure], number: int) -> Measure | None:
    return measures[number - 1] if 1 <= number <= len(measures) else None


def _links_text(links: Links, language: Language) -> str:
    parts = []
    for key, lines in (("links-entries", links.entries), ("links-resources", links.resources),
                       ("links-events", links.events), ("links-offers", links.offers)):
        if lines:
            parts.append(PHRASES.say(key, language, list="\n".join(lines)))
    if links.peers_topic:
        parts.append(PHRASES.say("links-peers", language, topic=links.peers_topic))
    return "".join(parts)


def _day(day: date, language: Language) -> str:
    return day.strftime("%d.%m.%Y") if language == "de" else day.isoformat()


def _parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None

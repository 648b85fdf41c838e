"""The result and the list of measures as a document to take to management: Markdown or PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from bot.features.check.scoring import bar


@dataclass(frozen=True)
class ReportMeasure:
    number: int
    title: str
    facts: str
    status: str


@dataclass(frozen=True)
class Report:
    """Everything an export shows, already in the reader's language."""

    title: str
    lines: tuple[str, ...]
    """Organisation, systems, date."""
    scores: tuple[tuple[str, int | None], ...]
    gaps_heading: str
    gaps: tuple[str, ...]
    measures_heading: str
    measures: tuple[ReportMeasure, ...]
    rule: str


def markdown(report: Report) -> str:
    """Plain Markdown; member-written parts were escaped by the caller."""
    parts = [f"# {report.title}", "", *[f"{line}  " for line in report.lines], ""]
    parts += [f"- `{bar(score)}` {name}" for name, score in report.scores]
    parts += ["", f"## {report.gaps_heading}", "", *[f"- {gap}" for gap in report.gaps], ""]
    parts += [f"## {report.measures_heading}", "", f"*{report.rule}*", ""]
    parts += [f"{m.number}. **{m.title}** ({m.status}) · {m.facts}" for m in report.measures]
    return "\n".join(parts) + "\n"


_LATIN = str.maketrans({"–": "-", "—": "-", "−": "-", "→": "->", "×": "x", "·": "|", "’": "'", "„": '"',
                        "“": '"', "”": '"', "…": "...", "\\": ""})


def _latin(text: str) -> str:
    """The PDF's built-in fonts know Latin-1 only (umlauts and ß included)."""
    return text.translate(_LATIN).replace("**", "").encode("latin-1", "replace").decode("latin-1")


def pdf(report: Report) -> bytes:
    document = FPDF(format="A4")
    document.set_auto_page_break(True, margin=15)
    document.add_page()
    document.set_font("Helvetica", "B", 18)
    document.cell(0, 10, _latin(report.title), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "", 11)
    for line in report.lines:
        document.multi_cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    for name, score in report.scores:
        document.cell(80, 7, _latin(name[:45]))
        x, y = document.get_x(), document.get_y()
        document.set_draw_color(180, 180, 180)
        document.rect(x, y + 1, 80, 5)
        if score is not None:
            document.set_fill_color(60, 120, 180)
            document.rect(x, y + 1, 80 * score / 100, 5, style="F")
        document.set_x(x + 84)
        document.cell(0, 7, "-" if score is None else f"{score} %", new_x="LMARGIN", new_y="NEXT")
    _section(document, report.gaps_heading, report.gaps)
    _section(document, report.measures_heading,
             [report.rule, *[f"{m.number}. {m.title} ({m.status}) | {m.facts}" for m in report.measures]])
    return bytes(document.output())


def _section(document: FPDF, heading: str, lines: Sequence[str]) -> None:
    document.ln(4)
    document.set_font("Helvetica", "B", 13)
    document.cell(0, 8, _latin(heading), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", "", 11)
    for line in lines:
        document.multi_cell(0, 6, _latin(line), new_x="LMARGIN", new_y="NEXT")

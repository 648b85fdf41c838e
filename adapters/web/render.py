"""Pages from Jinja2 templates in the moderator's language; Markdown answers as safe HTML."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import nh3
from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from adapters.rendering import markdown_to_html
from adapters.web.texts import PHRASES
from knowledge.entry import Language

ALLOWED_TAGS = {"p", "strong", "em", "code", "pre", "a", "ul", "ol", "li", "br", "blockquote", "h1", "h2", "h3",
                "h4", "h5", "h6", "hr"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def markdown(text: str) -> Markup:
    """An answer as members see it, as HTML: no raw HTML from the text, links only to the web and mail."""
    html = nh3.clean(markdown_to_html(text), tags=ALLOWED_TAGS, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(html)  # cleaned by nh3 just above


class Templates:
    """The console's Jinja2 environment; every value is escaped unless it was cleaned to Markup."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._zone = zone
        self._env = Environment(loader=PackageLoader("adapters.web", "templates"),
                                autoescape=select_autoescape(("html", "svg")), undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True)
        self._env.filters["markdown"] = markdown
        self._env.filters["when"] = self.when
        self._env.filters["percent"] = lambda share: f"{round(share * 100)} %"

    def when(self, moment: datetime | date | None) -> str:
        """A moment in the community's time zone, the way both languages read it (ISO order)."""
        if moment is None:
            return "–"
        if isinstance(moment, datetime):
            return moment.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")
        return moment.isoformat()

    def page(self, template: str, language: Language, context: Mapping[str, Any], status: int = 200) -> web.Response:
        html = self._env.get_template(template).render(lang=language, t=translator(language), **context)
        response = web.Response(text=html, content_type="text/html", status=status)
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        return response


def translator(language: Language) -> Callable[..., str]:
    def t(key: str, **values: object) -> str:
        return PHRASES.say(key, language, **values)

    return t

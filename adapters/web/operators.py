"""For operators (the admins named in the configuration): adapters' and outbox state, recent errors,
the configuration without secrets, and who moderates. For every moderator: the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from pydantic import BaseModel, SecretStr

from adapters.web.console import admins, console_of, done, form_of, moderators, page, signed_in
from bot.messages import PersonId
from bot.roles import RoleChange

AUDIT_SHOWN = 100
HIDDEN = "••••••"
PLATFORMS = ("telegram", "matrix", "console")


@admins
async def operators(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    lotse = console.lotse
    now = lotse.clock()
    backlog = await lotse.outbox.backlog()
    states = console.metrics.adapter_states()
    return page(request, "operators.html", section="operators", title_key="operators-title",
                adapters=[(name, states.get(name, "starting")) for name in console.adapters],
                backlog=backlog, oldest_age=(now - backlog.oldest).total_seconds() if backlog.oldest else None,
                problems=await lotse.outbox.problems(), errors=console.errors.newest_first() if console.errors else [],
                settings=list(summary(lotse.settings)), moderators=await lotse.roles.moderators(),
                admins=set(lotse.settings.admins))


def summary(settings: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every setting as `key = value`, secrets hidden and passwords taken out of URLs."""
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from summary(value, f"{key}.")
        elif isinstance(value, SecretStr):
            yield key, HIDDEN if value.get_secret_value() else ""
        elif isinstance(value, str) and "://" in value and "@" in value:
            scheme, _, rest = value.partition("://")
            yield key, f"{scheme}://{HIDDEN}@{rest.rpartition('@')[2]}"
        else:
            yield key, _shown(value)


def _shown(value: Any) -> str:
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"), ensure_ascii=False)
    if isinstance(value, list):
        return json.dumps([item.model_dump(mode="json") if isinstance(item, BaseModel) else str(item)
                           for item in value], ensure_ascii=False)
    return str(value)


@admins
async def change_role(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    form = await form_of(request)
    person = form.get("person")
    platform, _, local = person.partition(":")
    if platform not in PLATFORMS or not local:
        raise done("/operators", "role-bad-id", id=person[:120])
    by = signed_in(request).person
    roles = console.lotse.roles
    change = await (roles.grant(by, PersonId(person)) if form.get("do") == "grant"
                    else roles.revoke(by, PersonId(person)))
    verb = "grant" if form.get("do") == "grant" else "revoke"
    key = f"role-{verb}-{change.value}" if change in (RoleChange.DONE, RoleChange.UNCHANGED) else f"role-{change.value}"
    raise done("/operators", key, id=person[:120])


@moderators
async def audit(request: web.Request) -> web.StreamResponse:
    subject = request.query.get("subject", "").strip()[:255]
    records = await console_of(request).lotse.audit_log.records(subject=subject or None, limit=AUDIT_SHOWN)
    return page(request, "audit.html", section="audit", title_key="audit-title", records=records, subject=subject,
                changed=_changed)


def _changed(before: Any, after: Any) -> str:
    """The fields a change touched, or the states it went between."""
    if isinstance(before, dict) and isinstance(after, dict):
        return ", ".join(sorted(key for key in after if before.get(key) != after.get(key)))
    if isinstance(before, dict) or isinstance(after, dict):
        return ""
    return f"{json.dumps(before, ensure_ascii=False)} → {json.dumps(after, ensure_ascii=False)}"


def add_routes(app: web.Application) -> None:
    app.router.add_get("/operators", operators)
    app.router.add_post("/operators/roles", change_role)
    app.router.add_get("/audit", audit)

"""The `lotse` command: run the bot, chat in the terminal, ask one question, move knowledge-base files."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import Coroutine, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.composition import (
    STARTUP_LOCK,
    ask_matcher,
    assemble,
    chat_accounts,
    console_account,
    run,
    utc_now,
    vector_cache,
)
from bot.config import DEFAULT_CONFIG_FILE, ConfigError, Settings, load_settings
from bot.doctor import configuration_problems, examine
from bot.health import ComponentHealth, HealthRecords, State
from bot.privacy import PseudonymKeyError
from bot.storage.database import Database
from bot.texts import say
from knowledge.entry import Entry, Language
from knowledge.files import KnowledgeFileError, load_entries, read_files, write_files
from knowledge.matcher import Explanation, Match, Matcher
from knowledge.normaliser import guess_language
from knowledge.vectors import FileVectors

T = TypeVar("T")

USAGE_ERROR = 2
DATA_ERROR = 1


def run_event_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it exists (Linux, macOS): about a tenth more Telegram updates per second."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as error:
        if args.command == "doctor":
            for finding in configuration_problems(error):
                print(finding)
            return DATA_ERROR
        for problem in error.problems:
            print(f"{error.source}: {problem}", file=sys.stderr)
        return USAGE_ERROR
    quiet = args.command in ("chat", "ask")
    logging.basicConfig(
        level=logging.WARNING if quiet else settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        status = int(run_event_loop(args.action(settings, args)))
        sys.stdout.flush()
        return status
    except KnowledgeFileError as error:
        for file_problem in error.problems:
            print(file_problem, file=sys.stderr)
        return DATA_ERROR
    except PseudonymKeyError as error:
        print(f"privacy: {error}", file=sys.stderr)
        return DATA_ERROR
    except (OperationalError, DBAPIError) as error:
        print(f"database: cannot use {_redacted(settings.database.url)}: {error}", file=sys.stderr)
        return DATA_ERROR
    except BrokenPipeError:
        return _reader_gone()
    except OSError as error:
        print(_os_problem(error), file=sys.stderr)
        return DATA_ERROR
    except KeyboardInterrupt:
        return 130


BROKEN_PIPE = 128 + 13
"""The status of a command killed by SIGPIPE, what `lotse audit | head -1` leaves like any Unix tool."""


def _reader_gone() -> int:
    """The reader of our output has gone (`| head`): stop quietly, and keep Python from complaining
    when it flushes standard output at exit."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return BROKEN_PIPE


def _os_problem(error: OSError) -> str:
    """What the operating system refused, with the file it was about: "x.md: File exists"."""
    reason = error.strerror or str(error)
    if error.filename is not None:
        return f"{error.filename}: {reason}"
    return f"lotse: {reason}"


def _version() -> str:
    try:
        return metadata.version("lotse")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lotse",
        description="Lotse: a chat assistant for communities of digital pilots.",
    )
    parser.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="TOML configuration file (default: ./lotse.toml when present, else built-in "
                        "defaults); LOTSE_... environment variables override it, nested with __")
    parser.add_argument("--version", action="version", version=f"lotse {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser("run", help="start every adapter enabled in the configuration",
                                     description="Start every enabled adapter (the console when none is).")
    run_parser.set_defaults(action=_run)

    chat = commands.add_parser("chat", help="chat with Lotse in the terminal",
                               description="Chat through the console adapter: /help shows what Lotse can do, "
                               "/quit or Ctrl-D ends the chat. With standard input that is not a terminal, read "
                               "one message per line and exit at its end.")
    chat.add_argument("--user", default=None, help="chat as console:NAME (default: console.user, 'local')")
    chat.set_defaults(action=_chat)

    ask = commands.add_parser("ask", help="answer one question (or one per line of standard input)",
                              description="Print the answer to QUESTION. Without QUESTION, read one "
                              "question per line and write one JSON line per question.")
    ask.add_argument("question", nargs="?", help="the question; omitted: read questions from standard input")
    ask.add_argument("--kb", type=Path, help="answer from this folder of Markdown files, without a database")
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ask.add_argument("--explain", action="store_true",
                     help="show why the answer won: each candidate's lexical and semantic evidence and the rule "
                     "that decided (with --json: an 'explain' object)")
    ask.set_defaults(action=_ask)

    kb = commands.add_parser("kb", help="import or export knowledge-base files",
                             description="Move knowledge-base entries between Markdown files and the database.")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kb_import = kb_commands.add_parser("import", help="import a file or folder; all or nothing",
                                       description="Import entries; any malformed file aborts the whole "
                                       "import with path:line: reason, and nothing is written.")
    kb_import.add_argument("path", type=Path)
    kb_import.set_defaults(action=_kb_import)
    kb_export = kb_commands.add_parser("export", help="write every entry to a folder",
                                       description="Write one Markdown file per entry into DIR.")
    kb_export.add_argument("dir", type=Path)
    kb_export.set_defaults(action=_kb_export)

    audit = commands.add_parser("audit", help="list the audit log, newest first",
                                description="List who changed which entry, resource, event or role, when, "
                                "with the state before and after; newest first, one JSON object per line "
                                "with --json.")
    audit.add_argument("--subject", default=None, help="only this subject, e.g. entry:ID or person:ID")
    audit.add_argument("--limit", type=int, default=100, help="at most this many records (default 100)")
    audit.add_argument("--json", action="store_true", help="print one JSON object per line")
    audit.set_defaults(action=_audit)

    db = commands.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply pending migrations",
                                     description="Apply every pending migration (also done at each start).")
    upgrade.set_defaults(action=_db_upgrade)
    status = commands.add_parser("status", help="show how each part of the running instances is doing",
                                 description="Show the state of every adapter, the outbox and the scheduler as "
                                 "the running instances record it in the database: since when, and the last "
                                 "error. Exits with 1 when a part of a running instance is not running.")
    status.add_argument("--json", action="store_true", help="print one JSON object per part")
    status.set_defaults(action=_status)
    _digest_commands(commands)
    _outbox_commands(commands)
    _kompass_commands(commands)
    _check_commands(commands)
    doctor = commands.add_parser("doctor", help="check configuration, database, platforms, clock and web",
                                 description="Check everything Lotse needs: one ✔ or ✘ line each, with what to "
                                 "do about a ✘; exit status 1 when anything is ✘.")
    doctor.set_defaults(action=_doctor)
    return parser


def _outbox_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = commands.add_parser("outbox", help="list or requeue what Lotse could not deliver",
                                 description="Messages Lotse sends on its own (digests, notices, introductions).")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True, metavar="OUTBOX_COMMAND")
    listing = outbox_commands.add_parser(
        "list", help="list the messages not sent yet",
        description="List unsent messages, oldest first: waiting, sending, failed (given up or unreachable) and "
        "interrupted (cut off by a crash on a platform that cannot drop repeats, so not sent again on its own).")
    only = listing.add_mutually_exclusive_group()
    only.add_argument("--failed", action="store_const", const="failed", dest="only", help="only failed ones")
    only.add_argument("--interrupted", action="store_const", const="interrupted", dest="only",
                      help="only interrupted ones")
    listing.add_argument("--json", action="store_true", help="print one JSON object per message")
    listing.set_defaults(action=_outbox_list)
    requeue = outbox_commands.add_parser(
        "requeue", help="send failed or interrupted messages again",
        description="Send the failed or interrupted messages with these IDs (or all of --platform, or --all) "
        "again, each recorded in the audit log. An interrupted message may have reached its recipient already.")
    requeue.add_argument("ids", nargs="*", type=int, metavar="ID")
    requeue.add_argument("--platform", default=None, help="only messages to this platform, e.g. telegram")
    requeue.add_argument("--all", action="store_true", help="every failed and interrupted message")
    requeue.set_defaults(action=_outbox_requeue)


async def _outbox_list(settings: Settings, args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        messages = await lotse.outbox.listing(args.only)
    finally:
        await lotse.close()
    for message in messages:
        if args.json:
            print(json.dumps({"id": message.id, "key": message.key, "recipient": message.recipient,
                              "state": message.state, "attempts": message.attempts, "error": message.error or None,
                              "created_at": message.created_at.isoformat(), "due_at": message.due_at.isoformat()},
                             ensure_ascii=False))
        else:
            print(f"{message.id:>6} {message.state:<11} {message.created_at:%Y-%m-%d %H:%M} {message.recipient} "
                  f"{message.key}" + (f"  ({message.error})" if message.error else ""))
    return 0


async def _outbox_requeue(settings: Settings, args: argparse.Namespace) -> int:
    if not (args.ids or args.platform or args.all):
        print("name the messages: IDs, --platform P, or --all", file=sys.stderr)
        return USAGE_ERROR
    lotse = await assemble(settings)
    try:
        requeued = await lotse.outbox.requeue("cli:outbox-requeue", ids=args.ids, platform=args.platform)
    finally:
        await lotse.close()
    missing = sorted(set(args.ids) - set(requeued))
    print(f"requeued {len(requeued)} messages; the running bot delivers them")
    if missing:
        print(f"not failed or interrupted, left alone: {', '.join(map(str, missing))}", file=sys.stderr)
    return 0


def _kompass_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kompass = commands.add_parser("kompass", help="import or export the Beratungskompass",
                                  description="Move Kompass providers and offers between files and the database.")
    kompass_commands = kompass.add_subparsers(dest="kompass_command", required=True, metavar="KOMPASS_COMMAND")
    kompass_import = kompass_commands.add_parser(
        "import", help="import a folder of Markdown files or a CSV; all or nothing",
        description="Import providers and offers from a folder (Markdown files and CSV files below it), a Markdown "
        "file or a CSV in the Open Referral HSDS columns (see README.md). Any problem aborts the whole import with "
        "path:line: reason, and nothing is written.")
    kompass_import.add_argument("path", type=Path)
    kompass_import.set_defaults(action=_kompass_import)
    kompass_export = kompass_commands.add_parser(
        "export", help="write every provider and offer to a folder",
        description="Write providers/ID.md and offers/ID.md into DIR; imported files come back byte for byte.")
    kompass_export.add_argument("dir", type=Path)
    kompass_export.set_defaults(action=_kompass_export)


def _check_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser("check", help="export a Digitalisierungscheck or import its catalogue",
                                description="The Digitalisierungscheck for operators.")
    check_commands = check.add_subparsers(dest="check_command", required=True, metavar="CHECK_COMMAND")
    check_export = check_commands.add_parser(
        "export", help="write one check's result and measures to a Markdown or PDF file",
        description="Write the check with invitation CODE to FILE: PDF when FILE ends in .pdf, else Markdown.")
    check_export.add_argument("code")
    check_export.add_argument("file", type=Path)
    check_export.add_argument("--language", choices=("de", "en"), default="de")
    check_export.set_defaults(action=_check_export)
    check_import = check_commands.add_parser(
        "import", help="import a catalogue folder (de/*.md and en/*.md); all or nothing",
        description="Read DIR/de/*.md and DIR/en/*.md; any problem aborts with path:line: reason and nothing "
        "is written. Running checks keep the catalogue version they began with.")
    check_import.add_argument("dir", type=Path)
    check_import.set_defaults(action=_check_import)


async def _check_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.features.check import export

    lotse = await assemble(settings)
    try:
        check = await lotse.check.store.by_code(args.code)
        if check is None:
            print(f"no check has the invitation code {args.code}", file=sys.stderr)
            return DATA_ERROR
        report = await lotse.check.feature.report(check, args.language)
    finally:
        await lotse.close()
    if args.file.suffix.lower() == ".pdf":
        args.file.write_bytes(export.pdf(report))
    else:
        args.file.write_text(export.markdown(report), encoding="utf-8")
    print(f"wrote check {check.code} to {args.file}")
    return 0


async def _check_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.features.check import load_catalogue
    from bot.features.check.catalogue import read_catalogue

    version = read_catalogue(args.dir).version
    lotse = await assemble(settings)
    try:
        imported = await load_catalogue(lotse.check.catalogues, args.dir, by="cli:check-import")
    finally:
        await lotse.close()
    print(f"catalogue version {version} " + ("imported" if imported else "was already the current one"))
    return 0


def _digest_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = commands.add_parser("events", help="events of the digest", description="Events of the digest.")
    events_commands = events.add_subparsers(dest="events_command", required=True, metavar="EVENTS_COMMAND")
    export = events_commands.add_parser("export-ics", help="write every event to an iCalendar file",
                                        description="Write every event (withdrawn ones as cancelled) to FILE.")
    export.add_argument("file", type=Path)
    export.set_defaults(action=_events_export)
    digest = commands.add_parser("digest", help="preview or send digests", description="Digests for operators.")
    digest_commands = digest.add_subparsers(dest="digest_command", required=True, metavar="DIGEST_COMMAND")
    preview = digest_commands.add_parser("preview", help="print the next digest of a room or member",
                                         description="Print the digest a room or member would get now.")
    audience = preview.add_mutually_exclusive_group(required=True)
    audience.add_argument("--room", help="a configured digest room, e.g. telegram:-1001234")
    audience.add_argument("--member", help="a subscribed member, e.g. matrix:@anna:example.org")
    preview.set_defaults(action=_digest_preview)
    send_now = digest_commands.add_parser("send-now", help="queue the current period's digests now",
                                          description="Compose every digest of the current period that was not "
                                          "composed yet, also for members who subscribed since it began; the "
                                          "running bot delivers them.")
    send_now.set_defaults(action=_digest_send_now)


async def _run(settings: Settings, _args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        accounts = chat_accounts(lotse)
        if any(account.platform == "console" for account in accounts) and sys.stdin.isatty():
            logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        return await run(lotse, accounts)
    finally:
        await lotse.close()


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        return await run(lotse, [console_account(args.user or settings.console.user, settings.default_language)])
    finally:
        await lotse.close()


async def _ask(settings: Settings, args: argparse.Namespace) -> int:
    if args.kb:
        entries = load_entries(args.kb)
        return _answer_all(await ask_matcher(settings.knowledge, entries, FileVectors(vector_cache(settings.knowledge)),
                                             _note), entries, settings, args)
    lotse = await assemble(settings)
    try:
        entries = await lotse.knowledge_base.published()
        matcher = await ask_matcher(settings.knowledge, entries, lotse.vectors, _note)
    finally:
        await lotse.close()
    return _answer_all(matcher, entries, settings, args)


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _answer_all(matcher: Matcher, entries: Sequence[Entry], settings: Settings, args: argparse.Namespace) -> int:
    by_id = {entry.id: entry for entry in entries}
    if args.question is not None:
        explanation = matcher.explain(args.question)
        if args.json:
            print(json.dumps(_as_json(explanation, args.explain), ensure_ascii=False))
        else:
            print(_as_text(explanation.match, by_id, guess_language(args.question) or settings.default_language))
            if args.explain:
                print(_explained(explanation))
        return 0
    for line in sys.stdin:
        question = line.strip()
        print(json.dumps(_as_json(matcher.explain(question), args.explain), ensure_ascii=False), flush=True)
    return 0


def _as_json(explanation: Explanation, explain: bool = False) -> dict[str, object]:
    match = explanation.match
    found: dict[str, object] = {
        "outcome": match.outcome,
        "id": match.entry_id if match.outcome == "answer" else None,
        "score": round(match.score, 4),
        "choices": [{"id": c.entry_id, "score": round(c.score, 4), "lexical": c.lexical, "semantic": c.semantic}
                    for c in match.choices],
    }
    if explain:
        found["explain"] = {
            "rule": explanation.path,
            "semantic_view": explanation.semantic,
            "candidates": [
                {"id": r.entry_id, "score": r.score, "lexical": round(r.lexical_score, 4), "semantic": r.semantic,
                 "standout": r.standout, "signals": None if r.lexical is None else {
                     "coverage": round(r.lexical.coverage, 3), "phrasing": round(r.lexical.phrasing, 3),
                     "fuzzy": round(r.lexical.fuzzy, 3), "missing": round(r.lexical.missing, 3),
                     "specific": r.lexical.specific}}
                for r in explanation.candidates
            ],
        }
    return found


RULES = {
    "lexical": "the lexical rules answer (score, lead and the question's words held), the semantic view "
               "does not rank another entry clearly higher and does not find this one unremarkable",
    "agreement": "both views put this entry first, the lexical view supports it, it is semantically "
                 "plausible and it clearly leads the fused ranking",
    "fused": "the semantic view puts this entry first and it stands out, the lexical view supports it "
             "and it clearly leads the fused ranking",
    "semantic": "the semantic view singles this entry out and the lexical view prefers no other",
    "none": "no rule is sure enough to answer",
}


def _explained(explanation: Explanation) -> str:
    """Why the answer won, for moderators tuning their entries."""
    view = "lexical and semantic" if explanation.semantic else "lexical only"
    lines = ["", f"why ({view}): {RULES.get(explanation.path, explanation.path)}",
             f"{'entry':<40} {'score':>6} {'lexical':>8} {'semantic':>9} {'standout':>9}  signals"]
    for reason in explanation.candidates:
        semantic = f"{reason.semantic:.4f}" if reason.semantic is not None else "-"
        standout = f"{reason.standout:.2f}" if reason.standout is not None else "-"
        signals = "-" if reason.lexical is None else (
            f"coverage {reason.lexical.coverage:.2f}, phrasing {reason.lexical.phrasing:.2f}, "
            f"fuzzy {reason.lexical.fuzzy:.2f}, missing {reason.lexical.missing:.2f}"
            + ("" if reason.lexical.specific else ", only coincidental words"))
        lines.append(f"{reason.entry_id:<40} {reason.score:>6.3f} {reason.lexical_score:>8.3f} {semantic:>9} "
                     f"{standout:>9}  {signals}")
    return "\n".join(lines)


def _as_text(match: Match, by_id: dict[str, Entry], lang: Language) -> str:
    if match.outcome == "answer" and match.entry_id in by_id:
        entry = by_id[match.entry_id]
        return f"{entry.question}\n\n{entry.answer}"
    if match.outcome == "choices":
        lines = [say("did-you-mean", lang)]
        lines.extend(f"  - {by_id[c.entry_id].question} ({c.entry_id})" for c in match.choices)
        return "\n".join(lines)
    return say("unknown-not-recorded", lang)


async def _kb_import(settings: Settings, args: argparse.Namespace) -> int:
    files = read_files(args.path)
    lotse = await assemble(settings)
    try:
        report = await lotse.knowledge_base.import_files(files, by="cli:import")
    finally:
        await lotse.close()
    print(f"imported {len(files)} entries: {len(report.created)} new, {len(report.updated)} updated, "
          f"{len(report.unchanged)} unchanged")
    return 0


async def _kb_export(settings: Settings, args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        written = write_files(await lotse.knowledge_base.with_sources(), args.dir)
    finally:
        await lotse.close()
    print(f"wrote {len(written)} entries to {args.dir}")
    return 0


async def _audit(settings: Settings, args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        records = await lotse.audit_log.records(subject=args.subject, limit=args.limit)
    finally:
        await lotse.close()
    for entry in records:
        if args.json:
            print(json.dumps({"at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
                              "subject": entry.subject, "before": entry.before, "after": entry.after},
                             ensure_ascii=False))
        else:
            print(f"{entry.at:%Y-%m-%d %H:%M:%S} {entry.actor} {entry.action} {entry.subject}"
                  f"{_change_summary(entry.before, entry.after)}")
    return 0


def _change_summary(before: object, after: object) -> str:
    """The fields that changed between two states; short states (a role) as they are; `--json` has it all."""
    if isinstance(before, dict) and isinstance(after, dict):
        changed = sorted(key for key in after if before.get(key) != after.get(key))
        return f" ({', '.join(changed)})" if changed else ""
    if isinstance(before, dict) or isinstance(after, dict) or (before is None and after is None):
        return ""
    return f" {json.dumps(before, ensure_ascii=False)} -> {json.dumps(after, ensure_ascii=False)}"


async def _doctor(settings: Settings, args: argparse.Namespace) -> int:
    from bot.composition import encoder_check, platform_checks

    source = _config_source(args.config)
    database = Database(settings.database.url)
    try:
        findings = await examine(settings, source, platform_checks(settings, database), database,
                                 encoder_check(settings.knowledge))
    finally:
        await database.close()
    for finding in findings:
        print(finding)
    return 0 if all(finding.ok for finding in findings) else DATA_ERROR


def _config_source(path: Path | None) -> str:
    if path is not None:
        return str(path)
    return str(DEFAULT_CONFIG_FILE) if DEFAULT_CONFIG_FILE.is_file() else "the built-in defaults"


async def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    database = Database(settings.database.url)
    try:
        async with database.exclusive(STARTUP_LOCK):
            await database.upgrade()
    finally:
        await database.close()
    print("database is up to date")
    return 0


async def _status(settings: Settings, args: argparse.Namespace) -> int:
    database = Database(settings.database.url)
    try:
        async with database.exclusive(STARTUP_LOCK):
            await database.upgrade()
        parts = await HealthRecords(database, utc_now).current()
    finally:
        await database.close()
    if not any(part.live for part in parts):
        print("no instance of Lotse is running on this database", file=sys.stderr)
    for part in parts:
        health = part.health
        if args.json:
            print(json.dumps({
                "instance": part.instance, "component": health.component, "state": health.state.value,
                "detail": health.detail, "since": health.since.isoformat(), "live": part.live,
                "seen_at": part.seen_at.isoformat(), "last_error": health.last_error or None,
                "last_error_at": health.last_error_at.isoformat() if health.last_error_at else None,
            }, ensure_ascii=False))
            continue
        state = health.state.value if part.live else f"gone (last seen {part.seen_at:%Y-%m-%d %H:%M:%S})"
        line = f"{health.component:<10} {state:<8} since {health.since:%Y-%m-%d %H:%M:%S}  {part.instance}"
        if health.detail:
            line += f"  {health.detail}"
        if health.last_error and health.last_error != health.detail and health.last_error_at is not None:
            line += f"  (last error {health.last_error_at:%Y-%m-%d %H:%M:%S}: {health.last_error})"
        print(line)
    live = [part for part in parts if part.live]
    return 0 if live and all(_healthy(part.health) for part in live) else DATA_ERROR


def _healthy(health: ComponentHealth) -> bool:
    """Running, standing by, or shut down on purpose (a stop without a reason)."""
    return health.state in (State.RUNNING, State.STANDBY) or (health.state is State.STOPPED and not health.detail)


async def _events_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.features.digest.calendar import to_ics

    lotse = await assemble(settings)
    try:
        events = await lotse.digest.events.all()
        args.file.write_bytes(to_ics(events, lotse.clock()))
    finally:
        await lotse.close()
    print(f"wrote {len(events)} events to {args.file}")
    return 0


async def _digest_preview(settings: Settings, args: argparse.Namespace) -> int:
    key = f"room:{args.room}" if args.room else f"member:{args.member}"
    lotse = await assemble(settings)
    try:
        text = await lotse.digest.job.preview(key, lotse.clock())
    finally:
        await lotse.close()
    if text is None:
        print(f"{key.partition(':')[2]} is neither a configured digest room nor a subscribed member",
              file=sys.stderr)
        return DATA_ERROR
    print(text)
    return 0


async def _digest_send_now(settings: Settings, _args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        queued = await lotse.digest.job.compose_due(lotse.clock(), late_subscribers=True)
    finally:
        await lotse.close()
    print(f"queued {queued} digests; the running bot delivers them")
    return 0


async def _kompass_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.features.kompass.io import read_path

    lotse = await assemble(settings)
    try:
        read = read_path(args.path, lotse.kompass)
        report = await lotse.kompass.directory.catalogue.import_files(read.files, by="cli:import")
    finally:
        await lotse.close()
    skipped = f", {read.inactive} rows of inactive services left out" if read.inactive else ""
    print(f"imported {len(read.files)} providers and offers: {len(report.created)} new, {len(report.updated)} "
          f"updated, {len(report.unchanged)} unchanged{skipped}")
    return 0


async def _kompass_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.features.kompass.files import write_items

    lotse = await assemble(settings)
    try:
        items = await lotse.kompass.directory.catalogue.with_sources()
        written = write_items(items, args.dir, lotse.kompass.vocabulary)
    finally:
        await lotse.close()
    print(f"wrote {len(written)} providers and offers to {args.dir}")
    return 0


def _redacted(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    return scheme + sep + rest


if __name__ == "__main__":
    sys.exit(main())

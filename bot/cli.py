"""The `lotse` command: run the bot, chat in the terminal, ask one question, move knowledge-base files."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.composition import assemble, enabled_platforms, run
from bot.config import ConfigError, Settings, load_settings
from bot.features.faq import thresholds_from
from bot.storage.database import Database
from bot.texts import say
from knowledge.entry import Entry, Language
from knowledge.files import KnowledgeFileError, load_entries, read_files, write_files
from knowledge.matcher import Match, Matcher
from knowledge.normaliser import guess_language

USAGE_ERROR = 2
DATA_ERROR = 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as error:
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
        return int(asyncio.run(args.action(settings, args)))
    except KnowledgeFileError as error:
        for file_problem in error.problems:
            print(file_problem, file=sys.stderr)
        return DATA_ERROR
    except (OperationalError, DBAPIError, OSError) as error:
        print(f"database: cannot use {_redacted(settings.database.url)}: {error}", file=sys.stderr)
        return DATA_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lotse",
        description="Lotse: a chat assistant for communities of digital pilots.",
    )
    parser.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="TOML configuration file (default: ./lotse.toml when present, else built-in "
                        "defaults); LOTSE_... environment variables override it, nested with __")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser("run", help="start every adapter enabled in the configuration",
                                     description="Start every enabled adapter (the console when none is).")
    run_parser.set_defaults(action=_run)

    chat = commands.add_parser("chat", help="chat with Lotse in the terminal",
                               description="Chat through the console adapter. With standard input that "
                               "is not a terminal, read one message per line and exit at its end.")
    chat.add_argument("--user", default=None, help="chat as console:NAME (default: console.user, 'local')")
    chat.set_defaults(action=_chat)

    ask = commands.add_parser("ask", help="answer one question (or one per line of standard input)",
                              description="Print the answer to QUESTION. Without QUESTION, read one "
                              "question per line and write one JSON line per question.")
    ask.add_argument("question", nargs="?", help="the question; omitted: read questions from standard input")
    ask.add_argument("--kb", type=Path, help="answer from this folder of Markdown files, without a database")
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")
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

    db = commands.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply pending migrations",
                                     description="Apply every pending migration (also done at each start).")
    upgrade.set_defaults(action=_db_upgrade)
    return parser


async def _run(settings: Settings, _args: argparse.Namespace) -> int:
    lotse = await assemble(settings)
    try:
        platforms = enabled_platforms(lotse)
        if any(platform.name == "console" for platform in platforms) and sys.stdin.isatty():
            logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        return await run(lotse, platforms)
    finally:
        await lotse.close()


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.console import ConsolePlatform

    lotse = await assemble(settings)
    try:
        return await run(lotse, [ConsolePlatform(user=args.user or settings.console.user)])
    finally:
        await lotse.close()


async def _ask(settings: Settings, args: argparse.Namespace) -> int:
    entries = load_entries(args.kb) if args.kb else await _published(settings)
    matcher = Matcher(entries, thresholds_from(settings.knowledge), settings.knowledge.max_choices)
    by_id = {entry.id: entry for entry in entries}
    if args.question is not None:
        match = matcher.match(args.question)
        if args.json:
            print(json.dumps(_as_json(match), ensure_ascii=False))
        else:
            print(_as_text(match, by_id, guess_language(args.question) or settings.default_language))
        return 0
    for line in sys.stdin:
        question = line.strip()
        print(json.dumps(_as_json(matcher.match(question)), ensure_ascii=False), flush=True)
    return 0


async def _published(settings: Settings) -> list[Entry]:
    lotse = await assemble(settings)
    try:
        return await lotse.knowledge_base.published()
    finally:
        await lotse.close()


def _as_json(match: Match) -> dict[str, object]:
    return {
        "outcome": match.outcome,
        "id": match.entry_id if match.outcome == "answer" else None,
        "score": round(match.score, 4),
        "choices": [{"id": c.entry_id, "score": round(c.score, 4)} for c in match.choices],
    }


def _as_text(match: Match, by_id: dict[str, Entry], lang: Language) -> str:
    if match.outcome == "answer" and match.entry_id in by_id:
        entry = by_id[match.entry_id]
        return f"{entry.question}\n\n{entry.answer}"
    if match.outcome == "choices":
        lines = [say("did-you-mean", lang)]
        lines.extend(f"  - {by_id[c.entry_id].question} ({c.entry_id})" for c in match.choices)
        return "\n".join(lines)
    return say("unknown", lang)


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


async def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    database = Database(settings.database.url)
    try:
        await database.upgrade()
    finally:
        await database.close()
    print("database is up to date")
    return 0


def _redacted(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    return scheme + sep + rest


if __name__ == "__main__":
    sys.exit(main())

"""The command line (SPEC §4): each command parses, calls the engine, prints.

Exit codes (README, "Exit codes"): 0 done (for ingest: every report read is
in the store); 1 an unexpected error (a bug: PEACETRACK_DEBUG=1 shows the
traceback); 2 a usage, setting, profile, model or store error, with a
message; 3 ingest stored reports but skipped some input; 4 ingest found
nothing to store (every input skipped, missing or empty); 130 interrupted;
141 the output pipe was closed (``export | head``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .errors import PeacetrackError, UsageError
from .settings import SETTINGS, Settings, load_settings

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3
EXIT_NOTHING = 4
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141  # 128 + SIGPIPE, what a Unix tool killed by a closed pipe returns
INGEST_EXIT = {"complete": EXIT_OK, "partial": EXIT_SKIPPED, "nothing": EXIT_NOTHING}
LISTS = ("issues", "actors", "profiles", "processes")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="the store: a DuckDB file (default: peacetrack.duckdb) "
                                     "or a folder of Parquet parts")
    parser.add_argument("--wait", type=int, metavar="SECONDS",
                        help="how long to wait for the store while an ingest writes it "
                             "(default: 30)")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535; 0: any free one)")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peacetrack",
        description="News reports about a peace process in; a sourced PLOVER record out.",
        epilog="Settings (defaults; peacetrack.toml or PEACETRACK_<NAME> override): " +
               "; ".join(f"{s.name}={s.default!r}" for s in SETTINGS) +
               ". Exit codes: 0 done, 2 usage or setup error, 3 some input skipped, "
               "4 nothing stored (README).")
    parser.add_argument("--version", action="version", version=f"peacetrack {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="add reports to the store and analyse them")
    ingest.add_argument("paths", nargs="+", metavar="PATH",
                        help="files or folders (.txt .html .json .jsonl), or - for stdin")
    _add_common(ingest)
    ingest.add_argument("--profile", help="process profiles: 'all' (the default: every shipped "
                                          "one), a shipped name or a YAML file, several "
                                          "separated by commas ('a,b'), or 'none'")
    ingest.add_argument("--model", help="spaCy model name or path")
    ingest.add_argument("--n-process", type=int, dest="n_process", help="worker processes")
    ingest.add_argument("--batch-size", type=int, dest="batch_size", help="reports per nlp batch")
    ingest.add_argument("--engine", choices=("local", "ray"), help="where the pipeline runs")
    ingest.add_argument("--ray-address", dest="ray_address", help="a Ray cluster address")
    ingest.add_argument("--quiet", action="store_true", help="print the summary only")
    ingest.add_argument("-o", "--output", metavar="FOLDER",
                        help="store the records as a folder of Parquet parts instead of --db "
                             "(export, report and serve read it with --db FOLDER)")

    export = commands.add_parser("export", help="write the stored records")
    _add_common(export)
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    export.add_argument("-o", "--output", help="output file (jsonl; default stdout) or folder")
    export.add_argument("--level", choices=("events", "incidents"), default="events",
                        help="events: every record of each report (default); incidents: one "
                             "record per happening across reports, with its sources")
    export.add_argument("--partition", choices=("none", "month"), default="none",
                        help="parquet: one folder of files per month (Hive-style), for big stores")

    report = commands.add_parser("report", help="write a self-contained HTML report (works offline)")
    _add_common(report)
    report.add_argument("-o", "--output", default="report.html", help="the HTML file (default: report.html)")
    report.add_argument("--profile", help="the profile naming the tracks and issues (default: the setting)")
    report.add_argument("--process", help="only the records of this process (a profile's name, or "
                                          "'other' for reports about none)")

    serve = commands.add_parser("serve", help="an interactive dashboard over the store")
    _add_common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: localhost only)")
    serve.add_argument("--port", type=_port, default=8765, help="port (default: 8765)")
    serve.add_argument("--profile", help="the profile naming the tracks and issues (default: the setting)")
    explain = commands.add_parser("explain", help="which rules and model decided an event, "
                                                  "a quote or a stance")
    explain.add_argument("record_id", metavar="ID",
                         help="an event (e-), quote (q-) or stance (s-) id, or a unique prefix")
    _add_common(explain)
    explain.add_argument("--format", choices=("text", "json"), default="text")
    _add_record_queries(commands)
    rules = commands.add_parser("rules", help="the event coder's rules: list them, run their "
                                              "examples, score them on the training split")
    rules.add_argument("action", choices=("list", "check", "report"), metavar="ACTION",
                       help="list | check (run every rule's example sentences) | report "
                            "(per-rule precision on the annotated training reports)")
    rules.add_argument("ids", nargs="*", metavar="ID", help="only these rules (check)")
    rules.add_argument("--triggers", action="store_true",
                       help="report: the trigger lexicon's entries too")
    listing = commands.add_parser("list", help="what one may filter by: issues, actors, "
                                               "profiles, processes")
    listing.add_argument("what", choices=LISTS, metavar="WHAT",
                         help="issues | actors | profiles | processes")
    _add_common(listing)
    listing.add_argument("--profile", help="the profile whose issues to list (default: the setting)")
    listing.add_argument("--format", choices=("table", "jsonl"), default="table")
    _add_profile_commands(commands)
    return parser


def _add_profile_commands(commands) -> None:
    """`profile draft`: propose a profile from a corpus, for an analyst to edit."""
    profile = commands.add_parser("profile", help="work with process profiles")
    actions = profile.add_subparsers(dest="action", required=True)
    draft = actions.add_parser("draft", help="propose a profile from a folder of reports "
                                             "(people, organisations, places, tracks, issues)")
    draft.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of reports")
    draft.add_argument("-o", "--output", required=True, metavar="FILE.yaml",
                       help="the profile to write (use it with --profile FILE.yaml)")
    draft.add_argument("--name", help="the profile's name (default: from its parties)")
    draft.add_argument("--title", help="the profile's title")
    draft.add_argument("--model", help="spaCy model name or path")


def _add_record_queries(commands) -> None:
    """`quotes` and `stances`: ask the record, with the same filters."""
    for name, helptext, who in (
            ("quotes", "who said what (filter by speaker, issue, source, dates)", "--speaker"),
            ("stances", "where each party stands on each issue", "--actor")):
        command = commands.add_parser(name, help=helptext)
        _add_common(command)
        command.add_argument(who, "--speaker" if who == "--actor" else "--actor", dest="actor",
                             help="entity id or part of a name, e.g. lavrov")
        command.add_argument("--issue", help="issue slug, e.g. lachin-corridor")
        command.add_argument("--source", help="part of the source file, URL or outlet")
        command.add_argument("--since", help="from this ISO date (inclusive)")
        command.add_argument("--until", help="up to this ISO date (inclusive)")
        command.add_argument("--format", choices=("table", "jsonl"), default="table")
        command.add_argument("--profile", help="the profile whose issues --issue may name "
                                               "(default: the setting)")
        if name == "stances":
            command.add_argument("--position", choices=("support", "oppose", "conditional", "neutral"))
            command.add_argument("--history", action="store_true",
                                 help="one row per date for an --actor and --issue")


def _settings(args: argparse.Namespace) -> Settings:
    names = {s.name for s in SETTINGS}
    return load_settings(**{k: v for k, v in vars(args).items() if k in names})


def _reader(settings: Settings):
    """The store, read-only, waiting (``wait``) while an ingest writes it."""
    from .store import open_store

    return open_store(settings.db, read_only=True, wait=settings.wait)


def _profile(settings: Settings):
    """The profile, its warnings printed once (a typo in a key is not silent)."""
    from .profile import load_profile

    profile = load_profile(settings.profile)
    for warning in profile.warnings:
        _note(f"warning: {warning}")
    return profile


def _note(message: str) -> None:
    print(f"peacetrack: {message}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import ingest
    from .progress import Progress, count_reports

    settings = _settings(args)
    if args.output:  # a Parquet folder as the store
        settings = settings.updated(db=args.output.rstrip("/") + "/")
    _profile(settings)  # checked here, before any worker starts
    progress = Progress(None if args.quiet else count_reports(args.paths))
    try:
        summary = ingest(args.paths, settings=settings,
                         on_problem=lambda p: progress.note(f"skipped {p}"),
                         on_progress=None if args.quiet else progress)
    finally:
        progress.close()
    print(f"peacetrack ingest -> {settings.db}")
    for line in summary.lines():
        print(f"  {line}")
    if summary.outcome == "nothing":
        _note("nothing was stored: every input was skipped, missing or empty (exit 4)")
    elif summary.outcome == "partial":
        _note(f"{sum(summary.skipped.values())} input(s) skipped, the rest stored (exit 3)")
    return INGEST_EXIT[summary.outcome]


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    if args.format != "jsonl" and args.output in (None, "-"):
        raise UsageError(f"--format {args.format} writes one file per kind of record: "
                         "give -o FOLDER (or -o PREFIX.{args.format})")
    if args.partition != "none" and args.format != "parquet":
        raise UsageError("--partition month writes Parquet folders: use it with --format parquet")
    settings = _settings(args)
    with _reader(settings) as store:
        written = export(store, fmt=args.format, out=args.output, level=args.level,
                         partition=args.partition)
    if written != ["-"]:
        print("\n".join(written), file=sys.stderr)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report
    from .views import Filters

    settings = _settings(args)
    profile = _profile(settings)
    with _reader(settings) as store:
        path = build_report(store, profile, args.output, filters=Filters(process=args.process))
    print(f"peacetrack report -> {path}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import make_server

    settings = _settings(args)
    try:
        server = make_server(settings.db, _profile(settings), host=args.host, port=args.port)
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {reason} "
                         "(another dashboard? choose another --port or --host)") from exc
    host, port = server.server_address[:2]
    print(f"peacetrack dashboard on http://{host}:{port}/ over {settings.db} (Ctrl-C stops it)",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    from . import queries

    settings = _settings(args)
    with _reader(settings) as store:
        filters = _checked(store, args, settings, "quotes")
        found = queries.quotes(store, filters)
        if not found:
            _note(f"no quotes match; {queries.what_there_is(store, 'quotes')}")
    _print_rows(found, args.format, ("date", "speaker", "cue", "kind", "text"), lambda q: (
        (q.get("date") or {}).get("value") or "", (q.get("speaker") or {}).get("id") or "?",
        q.get("cue") or "", "direct" if q["direct"] else "indirect", q["text"]))
    return EXIT_OK


def cmd_stances(args: argparse.Namespace) -> int:
    from . import queries

    settings = _settings(args)
    if args.history and not (args.actor and args.issue):
        raise UsageError("--history needs --actor and --issue")
    with _reader(settings) as store:
        filters = _checked(store, args, settings, "stances")
        if args.history:
            rows = [r.to_dict() for r in
                    queries.position_history(store, args.actor, args.issue, filters)]
            if not rows:
                _note(f"no stances match; {queries.what_there_is(store, 'stances')}")
            _print_rows(rows, args.format, ("date", "positions", "evidence"), lambda r: (
                r["date"] or "", ",".join(r["positions"]),
                " | ".join(e["text"] for e in r["evidence"])))
            return EXIT_OK
        found = queries.stances(store, filters)
        if not found:
            _note(f"no stances match; {queries.what_there_is(store, 'stances')}")
    _print_rows(found, args.format, ("date", "actor", "issue", "position", "evidence"), lambda s: (
        (s.get("date") or {}).get("value") or "", s["actor"].get("id") or "?", s["issue"],
        s["position"], s["evidence"]))
    return EXIT_OK


def _checked(store, args: argparse.Namespace, settings: Settings, kind: str):
    """The command's filters, checked against the store and the profile's issues."""
    from .queries import Filters, check_filters

    issues = tuple(i.id for i in _profile(settings).issues) if args.issue else ()
    filters = Filters(actor=args.actor, issue=args.issue, source=args.source, since=args.since,
                      until=args.until, position=getattr(args, "position", None))
    return check_filters(store, filters, kind=kind, issues=issues)


def cmd_explain(args: argparse.Namespace) -> int:
    import json

    from . import queries

    with _reader(_settings(args)) as store:
        record = queries.record(store, args.record_id)
    if record is None:
        raise UsageError(f"no event, quote or stance {args.record_id!r} in the store "
                         "(ids: peacetrack export)")
    if args.format == "json":
        print(json.dumps({"id": record["id"], "decided_by": record.get("decided_by", []),
                          "mentions": record.get("mentions", [])}, ensure_ascii=False))
    else:
        print("\n".join(queries.explain_lines(record)))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import rule_report
    from .analysis import Analyzer

    settings = _settings(args).updated(models="none", merge_mentions=False)
    if args.action == "list":
        from .events import EventCoder

        for rule in rule_report.list_rules(EventCoder()):
            state = " (off)" if rule["off"] else " (in code)" if rule["code"] else ""
            print(f"{rule['family']}\t{rule['id']}\t{rule['does']}{state}\t{rule['why']}")
        return EXIT_OK
    analyzer = Analyzer(settings)
    if args.action == "check":
        checks = rule_report.check_examples(analyzer, args.ids)
        failed = [c for c in checks if not c.ok]
        for check in failed:
            print(f"FAIL {check.family}/{check.rule}: {check.text!r} at {check.at!r}: "
                  f"{check.found or 'the rule did not fire'}")
        print(f"{len(checks) - len(failed)} of {len(checks)} examples: the rule fired")
        return EXIT_OK if not failed else EXIT_BUG
    from .evaluate import TRAIN_SPLIT

    root = Path.cwd()
    scores = rule_report.score_rules(analyzer, [Path(d) for d in TRAIN_SPLIT],
                                     shared=Path(os.environ.get("PEACETRACK_SHARED",
                                                                root.parent / "shared")),
                                     root=root)
    print("\n".join(rule_report.rule_lines(scores, triggers=args.triggers)))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from . import queries
    from .profile import describe_profiles

    settings = _settings(args)
    if args.what in ("profiles", "processes"):
        rows = describe_profiles(settings.profile)
        if args.what == "profiles":
            _print_rows(rows, args.format, ("name", "title", "entities", "issues", "file"),
                        lambda r: (r["name"], r["title"], r["entities"], r["issues"], r["file"]))
        else:
            _print_rows(rows, args.format, ("process", "title", "parties", "mediation tracks"),
                        lambda r: (r["name"], r["title"], ",".join(r["parties"]),
                                   "; ".join(r["tracks"])))
        return EXIT_OK
    if args.what == "issues":
        profile = _profile(settings)
        store = _reader(settings) if _store_exists(settings) else None
        try:
            rows = queries.issues(store, profile.issues)
        finally:
            if store is not None:
                store.close()
        _print_rows(rows, args.format, ("issue", "name", "stances", "in profile"), lambda r: (
            r["id"], r["name"] or "", r["stances"], "yes" if r["in_profile"] else "no"))
        return EXIT_OK
    with _reader(settings) as store:
        rows = queries.actors(store)
    _print_rows(rows, args.format, ("actor", "name", "code", "sector", "events", "quotes", "stances"),
                lambda r: (r["id"] or "", r["name"] or "", r["code"] or "", r["sector"] or "",
                           r["events"], r["quotes"], r["stances"]))
    return EXIT_OK


def _store_exists(settings: Settings) -> bool:
    from pathlib import Path

    return Path(settings.db).exists()


def _print_rows(rows: list, fmt: str, header: tuple[str, ...],
                columns: Callable[[Any], tuple]) -> None:
    """JSON lines, or a tab-separated table under a header row, text cut to one line."""
    import json

    if fmt == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    print("\t".join(header))
    for row in rows:
        print("\t".join(" ".join(str(c).split())[:160] for c in columns(row)))


def cmd_profile(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .drafting import draft_profile, write_profile

    draft = draft_profile(args.paths, settings=_settings(args), name=args.name, title=args.title)
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        write_profile(draft, out)
    print(f"peacetrack profile draft -> {path} ({len(draft['entities'])} entities, "
          f"{len(draft['issues'])} issues, {len(draft['tracks'])} tracks, "
          f"{len(draft['places'])} places): edit it, then use --profile {path}")
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "export": cmd_export, "report": cmd_report, "serve": cmd_serve,
            "quotes": cmd_quotes, "stances": cmd_stances, "explain": cmd_explain, "list": cmd_list,
            "profile": cmd_profile, "rules": cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except PeacetrackError as exc:
        _note(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _note("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except Exception as exc:
        if os.environ.get("PEACETRACK_DEBUG"):
            raise
        _note(f"unexpected error: {type(exc).__name__}: {exc} (a bug: please report it; "
              "PEACETRACK_DEBUG=1 shows the traceback)")
        return EXIT_BUG


def _silence_stdout() -> None:
    """The reader went away (``export | head``): say nothing more to it, not
    even when Python flushes standard output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())

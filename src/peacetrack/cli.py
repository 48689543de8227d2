"""The command line (SPEC §4): each command parses, calls the engine, prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import PeacetrackError
from .settings import SETTINGS, Settings, load_settings


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="the store: a DuckDB file (default: peacetrack.duckdb) "
                                     "or a folder of Parquet parts")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peacetrack",
        description="News reports about a peace process in; a sourced PLOVER record out.",
        epilog="Settings (defaults; peacetrack.toml or PEACETRACK_<NAME> override): " +
               "; ".join(f"{s.name}={s.default!r}" for s in SETTINGS))
    parser.add_argument("--version", action="version", version=f"peacetrack {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="add reports to the store and analyse them")
    ingest.add_argument("paths", nargs="+", metavar="PATH",
                        help="files or folders (.txt .html .json .jsonl), or - for stdin")
    _add_common(ingest)
    ingest.add_argument("--profile", help="process profile: a shipped name or a YAML file; 'none'")
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
    export.add_argument("--partition", choices=("none", "month"), default="none",
                        help="parquet: one folder of files per month (Hive-style), for big stores")

    report = commands.add_parser("report", help="write a self-contained HTML report (works offline)")
    _add_common(report)
    report.add_argument("-o", "--output", default="report.html", help="the HTML file (default: report.html)")
    report.add_argument("--profile", help="the profile naming the tracks and issues (default: the setting)")

    serve = commands.add_parser("serve", help="an interactive dashboard over the store")
    _add_common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: localhost only)")
    serve.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    serve.add_argument("--profile", help="the profile naming the tracks and issues (default: the setting)")
    explain = commands.add_parser("explain", help="which rules and model decided an event")
    explain.add_argument("event_id", metavar="EVENT_ID", help="an event id (or a unique prefix)")
    _add_common(explain)
    explain.add_argument("--format", choices=("text", "json"), default="text")
    _add_record_queries(commands)
    return parser


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
        if name == "stances":
            command.add_argument("--position", choices=("support", "oppose", "conditional", "neutral"))
            command.add_argument("--history", action="store_true",
                                 help="one row per date for an --actor and --issue")


def _settings(args: argparse.Namespace) -> Settings:
    names = {s.name for s in SETTINGS}
    return load_settings(**{k: v for k, v in vars(args).items() if k in names})


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import ingest
    from .progress import Progress, count_reports

    settings = _settings(args)
    if args.output:  # a Parquet folder as the store
        settings = settings.updated(db=args.output.rstrip("/") + "/")
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
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export
    from .store import open_store

    settings = _settings(args)
    with open_store(settings.db, read_only=True) as store:
        written = export(store, fmt=args.format, out=args.output, partition=args.partition)
    if written != ["-"]:
        print("\n".join(written), file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .profile import load_profile
    from .report import build_report
    from .store import open_store

    settings = _settings(args)
    with open_store(settings.db, read_only=True, wait=10) as store:
        path = build_report(store, load_profile(settings.profile), args.output)
    print(f"peacetrack report -> {path}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .profile import load_profile
    from .web import make_server

    settings = _settings(args)
    server = make_server(settings.db, load_profile(settings.profile), host=args.host, port=args.port)
    host, port = server.server_address[:2]
    print(f"peacetrack dashboard on http://{host}:{port}/ over {settings.db} (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    from . import queries
    from .store import open_store

    with open_store(_settings(args).db, read_only=True) as store:
        found = queries.quotes(store, _filters(args))
    _print_rows(found, args.format, lambda q: (
        (q.get("date") or {}).get("value") or "", (q.get("speaker") or {}).get("id") or "?",
        q.get("cue") or "", "direct" if q["direct"] else "indirect", q["text"]))
    return 0


def cmd_stances(args: argparse.Namespace) -> int:
    from . import queries
    from .store import open_store

    with open_store(_settings(args).db, read_only=True) as store:
        if args.history:
            if not (args.actor and args.issue):
                print("peacetrack: --history needs --actor and --issue", file=sys.stderr)
                return 2
            rows = [r.to_dict() for r in
                    queries.position_history(store, args.actor, args.issue, _filters(args))]
            _print_rows(rows, args.format, lambda r: (
                r["date"] or "", ",".join(r["positions"]),
                " | ".join(e["text"] for e in r["evidence"])))
            return 0
        found = queries.stances(store, _filters(args))
    _print_rows(found, args.format, lambda s: (
        (s.get("date") or {}).get("value") or "", s["actor"].get("id") or "?", s["issue"],
        s["position"], s["evidence"]))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    import json

    from . import queries
    from .store import open_store

    with open_store(_settings(args).db, read_only=True) as store:
        record = queries.event(store, args.event_id)
    if record is None:
        print(f"peacetrack: no event {args.event_id!r} in the store (ids: peacetrack export)",
              file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps({"id": record["id"], "decided_by": record.get("decided_by", []),
                          "mentions": record.get("mentions", [])}, ensure_ascii=False))
    else:
        print("\n".join(queries.explain_lines(record)))
    return 0


def _filters(args: argparse.Namespace):
    from .queries import Filters

    return Filters(actor=args.actor, issue=args.issue, source=args.source, since=args.since,
                   until=args.until, position=getattr(args, "position", None))


def _print_rows(rows: list, fmt: str, columns) -> None:
    """JSON lines, or a tab-separated table with the text cut to one line."""
    import json

    for row in rows:
        if fmt == "jsonl":
            print(json.dumps(row, ensure_ascii=False))
        else:
            print("\t".join(" ".join(str(c).split())[:160] for c in columns(row)))


COMMANDS = {"ingest": cmd_ingest, "export": cmd_export, "report": cmd_report, "serve": cmd_serve,
            "quotes": cmd_quotes, "stances": cmd_stances, "explain": cmd_explain}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except PeacetrackError as exc:
        print(f"peacetrack: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Record-for-record comparison of two versions of the engine (issue 16).

A refactoring of the rules must keep what the engine finds. ``snapshot``
ingests every shared corpus (the seeds, the demo corpus, the dev, training
and test corpora, each report with the address and date its corpus's
``index.jsonl`` lists) into its own store and exports it with
``peacetrack export``; ``diff`` compares two snapshots record by record.

    python bench/record_diff.py snapshot OUT_DIR [--rules-only | --candidates]
    python bench/record_diff.py diff BEFORE_DIR AFTER_DIR [--show 20] [--keep-rules]

``--rules-only`` runs the rules alone (``models=none``, ``merge_mentions=false``):
every candidate the rules keep, before a model decides, the finer test.
``--candidates`` analyses in this process with every candidate kept, the
vetoed ones too (``soft_vetoes``), each naming the vetoes that fired: the
finest test of the sense checks.
``diff`` leaves out of ``decided_by`` the entries that only name a rule
that fired (``anchor:``, ``governor:``, ``status:``, ``arg:``…, new in issue
16) unless ``--keep-rules``; vetoes, rewrites and scores are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = {"seeds": SHARED / "seeds", "demo": ROOT / "demo" / "corpus",
           "devcorpus": SHARED / "devcorpus", "traincorpus": SHARED / "traincorpus",
           "testcorpus": SHARED / "testcorpus"}
READ = {".txt", ".html", ".htm"}
# the decided_by entries that only name a rule that fired (issue 16)
NAMING = ("rule:", "anchor:", "governor:", "status:", "role:", "arg:")


def _jsonl_input(folder: Path, out: Path) -> None:
    """One JSON line per report, with its index entry's address and date."""
    index: dict[str, dict] = {}
    if (folder / "index.jsonl").exists():
        for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                index[entry["file"]] = entry
    with open(out, "w", encoding="utf-8") as handle:
        for path in sorted(folder.iterdir()):
            if path.suffix not in READ:
                continue
            entry = index.get(path.name, {})
            body = path.read_text(encoding="utf-8")
            record = {"id": path.name, "url": entry.get("url"), "outlet": entry.get("outlet"),
                      "title": entry.get("title"), "published": entry.get("published"),
                      "html" if path.suffix != ".txt" else "text": body}
            handle.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")


def candidates(out_dir: Path) -> None:
    """Every candidate event of every report, vetoed or not, as JSON lines."""
    sys.path.insert(0, str(ROOT / "src"))
    from peacetrack.analysis import Analyzer
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import prepare
    from peacetrack.settings import Settings

    analyzer = Analyzer(Settings().updated(models="none", merge_mentions=False))
    analyzer.soft_vetoes = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in CORPORA.items():
            source = Path(tmp) / f"{name}.jsonl"
            _jsonl_input(folder, source)
            documents = [prepare(raw) for raw in read_inputs([str(source)], max_bytes=10**7)]
            with open(out_dir / f"{name}.jsonl", "w", encoding="utf-8") as out:
                for analysis in analyzer.analyse(documents):
                    for record in analysis.records():
                        out.write(json.dumps(record, sort_keys=True) + "\n")
            print(f"{name}: {sum(1 for _ in open(out_dir / f'{name}.jsonl'))} records")


def snapshot(out_dir: Path, rules_only: bool, all_candidates: bool = False) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if all_candidates:
        candidates(out_dir)
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    if rules_only:
        env.update(PEACETRACK_MODELS="none", PEACETRACK_MERGE_MENTIONS="false")
    peacetrack = [sys.executable, "-m", "peacetrack.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in CORPORA.items():
            source, db = Path(tmp) / f"{name}.jsonl", Path(tmp) / f"{name}.duckdb"
            _jsonl_input(folder, source)
            subprocess.run([*peacetrack, "ingest", str(source), "--db", str(db), "--quiet"],
                           env=env, check=False, stdout=subprocess.DEVNULL)
            subprocess.run([*peacetrack, "export", "--db", str(db), "--format", "jsonl",
                            "-o", str(out_dir / f"{name}.jsonl")], env=env, check=True)
            print(f"{name}: {sum(1 for _ in open(out_dir / f'{name}.jsonl'))} records")


def _key(record: dict) -> tuple:
    kind = record.get("record") or record.get("kind") or "?"
    if kind == "document":
        return (kind, record.get("id"))
    return (kind, record.get("doc"), tuple(record.get("span") or ()),
            tuple(record.get("trigger_span") or ()), record.get("issue"),
            (record.get("actor") or {}).get("id") if isinstance(record.get("actor"), dict) else None)


def _load(path: Path, keep_rules: bool) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if not keep_rules and isinstance(record.get("decided_by"), list):
            record["decided_by"] = [d for d in record["decided_by"]
                                    if not str(d.get("by", "")).startswith(NAMING)]
        out.setdefault(_key(record), []).append(record)
    return out


def _fields(a: dict, b: dict) -> list[str]:
    # "source" is where the snapshot's input file was: a new folder each run
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k) and k != "source")


def diff(before: Path, after: Path, show: int, keep_rules: bool) -> int:
    changed_total = 0
    for name in CORPORA:
        a_path, b_path = before / f"{name}.jsonl", after / f"{name}.jsonl"
        if not (a_path.exists() and b_path.exists()):
            continue
        a, b = _load(a_path, keep_rules), _load(b_path, keep_rules)
        gone = [k for k in a if k not in b]
        new = [k for k in b if k not in a]
        changed = [(k, fields) for k in a if k in b
                   for x, y in zip(a[k], b[k], strict=False) if (fields := _fields(x, y))]
        fields = Counter(f for _, fs in changed for f in fs)
        kinds = Counter(k[0] for k in gone + new)
        print(f"{name}: {sum(len(v) for v in a.values())} -> {sum(len(v) for v in b.values())} "
              f"records; {len(gone)} gone, {len(new)} new, {len(changed)} changed "
              f"{dict(fields) if fields else ''} {dict(kinds) if kinds else ''}")
        for k in gone[:show]:
            print("  -", _brief(a[k][0]))
        for k in new[:show]:
            print("  +", _brief(b[k][0]))
        for k, fs in changed[:show]:
            x, y = a[k][0], b[k][0]
            print("  ~", _brief(x), {f: (x.get(f), y.get(f)) for f in fs})
        changed_total += len(gone) + len(new) + len(changed)
    print("identical" if changed_total == 0 else f"{changed_total} differences")
    return 0 if changed_total == 0 else 1


def _brief(record: dict) -> str:
    if "sentence" in record:
        return f"{record.get('doc', '')[:8]} {record.get('type')} {record.get('trigger')!r}: " \
               f"{record['sentence'][:90]!r}"
    return json.dumps(record)[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("out", type=Path)
    snap.add_argument("--rules-only", action="store_true")
    snap.add_argument("--candidates", action="store_true")
    cmp = sub.add_parser("diff")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    cmp.add_argument("--show", type=int, default=20)
    cmp.add_argument("--keep-rules", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args.out, args.rules_only, args.candidates)
        return 0
    return diff(args.before, args.after, args.show, args.keep_rules)


if __name__ == "__main__":
    raise SystemExit(main())

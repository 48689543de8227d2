"""How much English and parser grammar the Python code holds (issue 16).

For each module of ``src/peacetrack`` it counts, from the syntax tree:

- ``attrs``: reads of a token's parse or word attributes (``.dep_``,
  ``.lemma_``, ``.lower_``, ``.tag_``, ``.pos_``, ``.ent_type_``, ``.norm_``,
  ``.orth_``): every test of a label or a word goes through one;
- ``literals``: string literals that are English words or the parser's
  labels (dependency labels, part-of-speech tags, entity types) anywhere in
  code but docstrings, f-strings and mapping keys (``data["verbs"]``,
  ``.get("words")``); the record vocabulary (statuses, positions, modes,
  sectors, kinds, field names) is the data contract, not grammar, and is
  left out, as are PLOVER type names;
- ``total``: the two together, the figure the issue's bar is read on.

    python bench/parse_tests.py [--json] [--words MODULE]

``--words MODULE`` lists the literals counted in one module.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "peacetrack"
# the modules the issue names (analysis.py then held the event dates and
# places, now event_dates.py and event_places.py)
MODULES = ["events", "stances", "quotes", "places", "analysis", "actors", "roles",
           "event_dates", "event_places"]
ATTRS = {"dep_", "lemma_", "lower_", "tag_", "pos_", "ent_type_", "norm_", "orth_"}
WORD = re.compile(r"^(?:[a-z][a-z'’\-]*(?: [a-z'’\-]+)*|'s|’s|n't|'ll|'d)$")
LABEL = re.compile(r"^(?:[A-Z]{2,5}\$?|-LRB-|-RRB-)$")
# the data contract (records.py, SPEC §2): values records carry, not English tests
RECORD_VOCABULARY = {
    "occurred", "future", "hypothetical", "negated", "historical",
    "support", "oppose", "conditional", "neutral",
    "actor", "recipient", "mediator", "speaker", "issue", "event", "quote", "stance",
    "document", "person", "country", "organisation", "body", "group", "name", "role",
    "visit", "phone", "third-party", "day", "month", "year", "inferred", "text",
    "span", "id", "code", "sector", "date", "location", "status", "type", "mode", "by",
    "score", "from", "top", "p", "utf-8", "replace", "strict", "expand", "contract",
}
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "REQUEST", "REJECT", "THREATEN", "ACCUSE", "PROTEST",
          "ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "RETREAT", "AID", "COOPERATE", "CONCEDE",
          "NONE", "GOV", "CVL", "OPP", "IGO", "MIL", "REB", "JUD", "LEG", "BUS", "MED", "NGO"}
LABELS = {"VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADV", "ADP", "PART", "PRON", "DET", "NUM",
          "CCONJ", "SCONJ", "PUNCT", "SYM", "INTJ", "SPACE", "PERSON", "GPE", "LOC", "FAC",
          "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY",
          "QUANTITY", "EVENT", "LAW", "WORK_OF_ART", "LANGUAGE", "PRODUCT",
          "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "NN", "NNS", "NNP", "NNPS", "JJ",
          "JJR", "JJS", "RB", "IN", "DT", "PRP", "PRP$", "WP", "WDT", "TO", "CD", "CC", "POS",
          "ROOT"}


def _skipped_strings(tree: ast.AST) -> set[int]:
    """Ids of string nodes that are docstrings, f-string parts or mapping keys."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
        elif isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in ast.walk(node))
        elif isinstance(node, ast.Subscript):
            skip.update(id(v) for v in ast.walk(node.slice) if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("get", "setdefault", "pop", "startswith", "endswith",
                                   "split", "rsplit", "join", "replace", "strip", "rstrip",
                                   "lstrip", "removesuffix", "removeprefix", "format",
                                   "add_argument", "encode", "decode", "getattr"):
            skip.update(id(a) for a in node.args[:1] if isinstance(a, ast.Constant))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("getattr", "setattr", "hasattr", "load_lexicon", "open",
                                 "field", "print", "ValueError", "TypeError", "KeyError"):
            skip.update(id(a) for a in node.args if isinstance(a, ast.Constant))
        elif isinstance(node, ast.Dict):
            skip.update(id(k) for k in node.keys if isinstance(k, ast.Constant))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "of" and isinstance(node.func.value, ast.Name) and \
                node.func.value.id == "Stage":
            # a stage's declaration (stages.py): its name and the fields it needs and sets
            skip.update(id(v) for v in ast.walk(node) if isinstance(v, ast.Constant))
        elif isinstance(node, ast.keyword):
            pass
    return skip


def _is_grammar(value: str) -> bool:
    if value in RECORD_VOCABULARY or value in PLOVER:
        return False
    return bool(WORD.match(value)) or value in LABELS


def count(path: Path) -> dict:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _skipped_strings(tree)
    attrs = Counter()
    words = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ATTRS:
            attrs[node.attr] += 1
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                id(node) not in skip and _is_grammar(node.value):
            words[node.value] += 1
    return {"attrs": sum(attrs.values()), "literals": sum(words.values()),
            "total": sum(attrs.values()) + sum(words.values()),
            "by_attr": dict(attrs), "words": dict(words)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--words", metavar="MODULE")
    args = parser.parse_args(argv)
    if args.words:
        found = count(PACKAGE / f"{args.words}.py")["words"]
        for word, n in sorted(found.items(), key=lambda w: (-w[1], w[0])):
            print(f"{n:4d}  {word}")
        return 0
    others = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in MODULES)
    rows = {name: count(PACKAGE / f"{name}.py") for name in MODULES + others}
    if args.json:
        print(json.dumps({k: {f: v[f] for f in ("attrs", "literals", "total")}
                          for k, v in rows.items()}, indent=1))
        return 0
    print(f"{'module':<18}{'attrs':>7}{'literals':>10}{'total':>7}")
    for group, names in (("the analysis modules", MODULES), ("the rest", others)):
        for name in names:
            row = rows[name]
            if row["total"]:
                print(f"{name:<18}{row['attrs']:>7}{row['literals']:>10}{row['total']:>7}")
        sums = [sum(rows[n][f] for n in names) for f in ("attrs", "literals", "total")]
        print(f"{'= ' + group:<18}{sums[0]:>7}{sums[1]:>10}{sums[2]:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The rules as a reader sees them: listed, their examples run, scored one by
one on the annotated training reports (``peacetrack rules``, ``make
rules-report``; docs/rules.md).

Every rule file states, per rule, one or more example sentences and the word
the rule is about (``example: {text, at}``). ``check_examples`` runs each
sentence through the rules alone (every candidate kept, vetoed or not) and
says whether the rule fired there; ``score_rules`` runs the training split
and counts, for each rule, the candidates it acted on that match a gold
event of their type (a veto is right on those that match none; a status
rule on those whose gold status is the one it set).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .rules import Rule, RuleBook, tree_of

# what a rule that fires writes on a candidate's decided_by, by what it does
RECORDED = {"veto": "veto:", "rewrite": "rewrite:", "status": "status:", "governor": "governor:",
            "role": "role:", "propose": "anchor:"}


@dataclass
class ExampleCheck:
    family: str
    rule: str
    text: str
    at: str
    ok: bool
    found: str = ""  # what the rules did at the word, when the rule did not fire


@dataclass
class RuleScore:
    family: str
    rule: str
    does: str
    fired: int = 0
    right: int = 0
    examples: list[str] = field(default_factory=list)  # wrong ones, for a reader

    @property
    def precision(self) -> float | None:
        return self.right / self.fired if self.fired else None


def families(coder) -> dict[str, RuleBook]:
    """The rule files of the event coder, by family name (its file's name)."""
    books = {f"event_{name}": book for name, book in coder.rules.books().items()}
    first = next(iter(books.values()))
    books["conditions"] = RuleBook(list(first.conditions.values()), first.conditions,
                                   first.checks, first.walks)
    return books


def list_rules(coder) -> list[dict[str, Any]]:
    return [{"family": family, "id": rule.id, "does": rule.does, "why": rule.why,
             "off": rule.off, "code": rule.code, "source": rule.source}
            for family, book in families(coder).items() for rule in book]


# -- examples ------------------------------------------------------------------------

def check_examples(analyzer, only: Iterable[str] = ()) -> list[ExampleCheck]:
    """Run every rule's example sentences; ``only``: rule ids to run."""
    wanted = set(only)
    checks = []
    soft = analyzer.soft_vetoes
    analyzer.soft_vetoes = True  # every candidate kept, each naming its vetoes
    try:
        for family, book in families(analyzer.events).items():
            for rule in book:
                if rule.off or (wanted and rule.id not in wanted):
                    continue
                for example in rule.examples:
                    checks.append(_check(analyzer, family, book, rule, example))
    finally:
        analyzer.soft_vetoes = soft
    return checks


def _check(analyzer, family: str, book: RuleBook, rule: Rule, example: dict) -> ExampleCheck:
    from .ingest import RawReport
    from .pipeline import prepare

    text, at = str(example["text"]), str(example["at"])
    check = ExampleCheck(family, rule.id, text, at, ok=False)
    if rule.does == "condition":
        doc = analyzer.nlp(text)
        tokens = [t for t in doc if t.text == at]
        coder = analyzer.events
        facts = _facts_at(coder, doc, tokens[0]) if tokens else {}
        check.ok = bool(tokens) and book.condition(rule.id, tree_of(doc), tokens[0].i, facts)
        check.found = "" if tokens else f"no word {at!r} in the example"
        return check
    document = prepare(RawReport(source=f"example of {rule.id}", text=text,
                                 title=example.get("title"),
                                 published=example.get("published", "2023-07-16")))
    events = [r for r in next(analyzer.analyse([document])).records() if r["kind"] == "event"]
    here = [e for e in events if at in e["trigger"].replace("-", " ").split()
            or at in e["trigger"].split()]
    if rule.does == "skip":
        check.ok = not here
        check.found = ", ".join(f"{e['type']} {e['trigger']!r}" for e in here)
        return check
    name = RECORDED[rule.does] + rule.id
    check.ok = any(any(step["by"] == name for step in e["decided_by"]) for e in here)
    if not check.ok:
        check.found = "; ".join(f"{e['trigger']!r}: " + ", ".join(s["by"] for s in e["decided_by"])
                                for e in here) or f"no candidate at {at!r}"
    return check


def _facts_at(coder, doc, token) -> dict:
    from .events import facts_of

    for sent in doc.sents:
        if sent.start <= token.i < sent.end:
            for found in coder.triggers(sent, keep_vetoed=True):
                if found.head.i == token.i:
                    return facts_of(found)
    return {}


# -- precision on the training split --------------------------------------------------

def score_rules(analyzer, dirs: Iterable[Path], *, shared: Path, root: Path) -> list[RuleScore]:
    """Each rule's record on the gold of ``dirs``: a veto is right on a candidate
    that tells no gold event of its type, any other rule on one that does; and
    each step a quote or stance names in its ``decided_by`` (``_score_steps``)."""
    from .evaluate import Canon, _gold_offsets, _tells, analyse_gold_doc, gold_files, report_path

    canon = Canon(analyzer.profile)
    scores: dict[str, RuleScore] = {}
    does = {RECORDED[r.does] + r.id: (family, r) for family, book in families(analyzer.events).items()
            for r in book if r.does in RECORDED}
    for name, (family, rule) in does.items():
        scores[name] = RuleScore(family, rule.id, rule.does)
    soft = analyzer.soft_vetoes
    analyzer.soft_vetoes = True
    try:
        for gold_path in gold_files(dirs):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            path = report_path(gold, shared, root)
            document, _doc, analysis = analyse_gold_doc(gold, path, analyzer, metadata=True,
                                                        candidates=True)
            text = document.text
            _score_steps(analysis.records(), gold, text, canon, scores, gold_path.stem)
            located = [(g, _gold_offsets(text, g, _Misses(), gold_path.stem))
                       for g in gold.get("events", [])]
            for event in analysis.records():
                if event.get("kind") != "event":
                    continue
                record = event
                told = [g for g, offsets in located
                        if g["type"] == record["type"] and _tells(record, offsets)]
                matched = bool(told)
                # a status rule is right when the act's status is the gold one too
                status_right = any(g.get("status", "occurred") == record["status"] for g in told)
                for step in record["decided_by"]:
                    name = step["by"]
                    family, rule = does.get(name, (None, None))
                    if rule is None and not name.startswith("trigger:"):
                        continue
                    key = name
                    if key not in scores:
                        scores[key] = RuleScore(family or "triggers", name.split(":", 1)[1],
                                                rule.does if rule else "trigger")
                    score = scores[key]
                    score.fired += 1
                    right = not matched if name.startswith("veto:") else \
                        status_right if name.startswith("status:") else matched
                    score.right += right
                    if not right and len(score.examples) < 3:
                        score.examples.append(f"{gold_path.stem}: {record['type']} "
                                              f"{record['trigger']!r}")
    finally:
        analyzer.soft_vetoes = soft
    return sorted(scores.values(), key=lambda s: (s.family, s.rule))


def _score_steps(records: list[dict[str, Any]], gold: dict[str, Any], text: str, canon,
                 scores: dict[str, RuleScore], name: str) -> None:
    """The steps of each quote's and stance's ``decided_by``, scored like the
    event rules, on the evaluator's own matching: a quote's step is right
    where the quote matches a gold quote and has its speaker; a stance's
    where the stance matches a gold stance (its issue, position and holder)."""
    from .evaluate import match_quotes, match_stances

    quotes = [r for r in records if r.get("kind") == "quote"]
    stances = [r for r in records if r.get("kind") == "stance"]
    right: dict[str, bool] = {}
    for item, quote in match_quotes(text, gold.get("quotes", []), quotes)[0]:
        if quote is not None:
            right[quote["id"]] = canon(item["speaker"]) == canon.actor(quote.get("speaker"))
    for _, stance in match_stances(text, gold.get("stances", []), stances, canon)[0]:
        if stance is not None:
            right[stance["id"]] = True
    for record in quotes + stances:
        kind = record["kind"]
        label = repr(record["text"][:40]) if kind == "quote" else \
            f"{record['issue']} {record['position']}"
        for step in record.get("decided_by") or []:
            score = scores.setdefault(f"{kind}:{step['by']}", RuleScore(f"{kind}s", step["by"], "step"))
            score.fired += 1
            score.right += right.get(record["id"], False)
            if not right.get(record["id"]) and len(score.examples) < 3:
                score.examples.append(f"{name}: {label}")


class _Misses:
    """Where ``_gold_offsets`` notes an anchor it cannot find (not needed here)."""

    misses: list[str] = []


def rule_lines(scores: list[RuleScore], *, triggers: bool = False) -> list[str]:
    lines = [f"{'family':<16}{'rule':<34}{'does':<10}{'fired':>6}{'right':>6}{'prec':>7}"]
    for score in scores:
        if score.does == "trigger" and not triggers:
            continue
        precision = f"{score.precision:.2f}" if score.precision is not None else "-"
        lines.append(f"{score.family:<16}{score.rule[:33]:<34}{score.does:<10}"
                     f"{score.fired:>6}{score.right:>6}{precision:>7}")
    unfired = Counter(s.does for s in scores if not s.fired)
    if unfired:
        lines.append(f"never fired: {dict(unfired)}")
    return lines

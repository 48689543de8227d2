"""Train the learned parts (``make train``): ``python -m peacetrack.train``.

Two models, both linear and both stored as JSON (``learned.py``):

- ``events``: is a candidate an event, and of which type. The training
  split's gold (docs/annotation.md: the seeds, the demo corpus, the dev
  corpus, the training corpus) and PLOVER's gold-standard sentences
  (``../shared/plover/gsr-train.jsonl``) label the candidates the rules
  propose: a candidate is an event of type T when its sentence tells a gold
  event of type T; of another type G when its trigger lies in the words of a
  gold mention of type G and none of type T is there; else "no event".
- ``mentions``: do two candidates of one type tell the same happening (one
  record, ANNOTATION.md). Pairs of candidates that tell gold events are
  "same" when they tell the same one.

Everything is checked by cross-validation that keeps each report (and each
fold of PLOVER sentences) out of the models that score it: the event F1 of
the whole coder on held-out reports picks the regularisation and thresholds,
and is written into the model files with the hash of the data they came
from. The test split (tests/gold/testcorpus) is never read here.

Needs the ``train`` extra (scikit-learn, requirements/train.txt); applying
the models does not. Training is deterministic: the same data gives the
same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .decide import NONE, candidate_features, typed
from .evaluate import (
    Canon,
    Score,
    _gold_offsets,
    analyse_gold_doc,
    gold_files,
    plover_sentences,
    report_path,
    score_events,
)
from .learned import MODEL_DIR, LinearModel
from .mentions import SAME, merge, pair_features
from .records import PLOVER_TYPES, Document, Event

TRAIN_DIRS = ("tests/gold/seed-reports", "tests/gold/demo", "tests/gold/devcorpus",
              "tests/gold/traincorpus")
PLOVER_FILE = "plover/gsr-train.jsonl"
EVENT_CLASSES = [*PLOVER_TYPES, NONE]
PAIR_CLASSES = ["different", SAME]
PLOVER_FOLDS = 5
# A PLOVER sentence labels one event; its other candidates may be unlabelled
# events, so their "no event" label counts for less.
PLOVER_NONE_WEIGHT = 0.5
THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
MARGINS = (0.1, 0.2, 0.3, 1.0)
MERGE_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass
class Example:
    """One candidate event with its features and label."""

    group: str  # the report (or PLOVER fold) it came from: never split across folds
    features: list[str]
    label: str
    event: Event
    weight: float = 1.0
    gold_type: str | None = None  # a PLOVER sentence's type
    told: tuple[int, ...] = ()  # the gold events (indices) its sentence tells, of its type


@dataclass
class Report:
    name: str
    text: str
    gold: dict[str, Any]
    examples: list[Example] = field(default_factory=list)

    def pairs(self) -> list[tuple[list[str], str]]:
        """Merge-model examples: pairs of candidates of one type that both
        tell gold events, 'same' when they tell the same one."""
        out = []
        for i, a in enumerate(self.examples):
            for b in self.examples[i + 1:]:
                if a.event.type == b.event.type and a.told and b.told:
                    label = SAME if set(a.told) & set(b.told) else "different"
                    first, second = sorted((a.event, b.event), key=lambda e: e.span[0])
                    out.append((pair_features(first, second), label))
        return out


def data_hash(root: Path, shared: Path) -> str:
    """The hash of everything the models learn from: the gold files, their
    reports, and the PLOVER sentences."""
    digest = hashlib.sha256()
    for gold_path in gold_files(root / d for d in TRAIN_DIRS):
        digest.update(gold_path.name.encode())
        digest.update(gold_path.read_bytes())
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        digest.update(report_path(gold, shared, root).read_bytes())
    digest.update((shared / PLOVER_FILE).read_bytes())
    return digest.hexdigest()


def _label(event: Event, gold: list[dict], offsets: list[list[int]]) -> tuple[str, tuple[int, ...]]:
    start, end = event.span
    told = tuple(k for k, (g, offs) in enumerate(zip(gold, offsets, strict=True))
                 if g["type"] == event.type and any(start <= o < end for o in offs))
    if told:
        return event.type, told
    if event.trigger_span:
        t0, t1 = event.trigger_span
        for g, offs in zip(gold, offsets, strict=True):
            anchors = [g["anchor"], *(g.get("mentions") or [])]
            for o, a in zip(offs, anchors, strict=False):
                if o < t1 and t0 < o + len(a) and start <= o < end:
                    return g["type"], ()
    return NONE, ()


def collect_reports(analyzer, root: Path, shared: Path) -> list[Report]:
    """The candidates of every training report, labelled by its gold."""
    reports = []
    for gold_path in gold_files(root / d for d in TRAIN_DIRS):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        document, doc, analysis = analyse_gold_doc(gold, report_path(gold, shared, root),
                                                   analyzer, metadata=True, candidates=True)
        report = Report(gold_path.stem, document.text, gold)
        events = gold.get("events", [])
        offsets = [_gold_offsets(document.text, g, Score(), gold_path.stem) for g in events]
        for event in analysis.events:
            label, told = _label(event, events, offsets)
            report.examples.append(Example(group=gold_path.stem,
                                           features=candidate_features(event, doc),
                                           label=label, event=event, told=told))
        reports.append(report)
    return reports


def collect_plover(analyzer, shared: Path) -> list[Example]:
    """Candidates of PLOVER's gold-standard sentences, labelled by their type."""
    from .nlp import remember_text

    examples = []
    for n, row in enumerate(plover_sentences(shared / PLOVER_FILE)):
        document = Document(id=row["id"], text=row["text"], source=row["id"])
        doc = remember_text(analyzer.nlp(row["text"]), row["text"])
        words = set(str(row.get("eventText", "")).lower().split())
        for event in analyzer.analyse_doc(document, doc, candidates=True).events:
            if event.type == row["type"] or set(event.trigger.lower().split()) & words:
                label, weight = row["type"], 1.0
            else:
                label, weight = NONE, PLOVER_NONE_WEIGHT
            examples.append(Example(group=f"plover-{n % PLOVER_FOLDS}",
                                    features=candidate_features(event, doc), label=label,
                                    event=event, weight=weight, gold_type=row["type"]))
    return examples


def fit(rows: list[tuple[list[str], str, float]], classes: list[str], c: float) -> LinearModel:
    """A (multinomial) logistic regression on (features, label, weight) rows."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(f, 1) for f, _, _ in rows])
    learner = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    learner.fit(x, [label for _, label, _ in rows], sample_weight=[w for _, _, w in rows])
    seen = list(learner.classes_)
    # a binary problem has one row of weights: for the second class against the first
    coef = learner.coef_ if len(seen) > 2 else [-learner.coef_[0] / 2, learner.coef_[0] / 2]
    intercept = learner.intercept_ if len(seen) > 2 else \
        [-learner.intercept_[0] / 2, learner.intercept_[0] / 2]
    weights: dict[str, list[float]] = {}
    for j, feature in enumerate(vectorizer.get_feature_names_out()):
        row = [0.0] * len(classes)
        for k, cls in enumerate(seen):
            row[classes.index(cls)] = float(coef[k][j])
        if any(abs(w) >= 5e-3 for w in row):
            weights[str(feature)] = row
    bias = [-30.0] * len(classes)  # a class never seen in training is never chosen
    for k, cls in enumerate(seen):
        bias[classes.index(cls)] = float(intercept[k])
    return LinearModel(classes=list(classes), weights=weights, bias=bias)


def fit_events(examples: list[Example], c: float) -> LinearModel:
    return fit([(e.features, e.label, e.weight) for e in examples], EVENT_CLASSES, c)


def fit_mentions(reports: list[Report], c: float) -> LinearModel:
    return fit([(f, label, 1.0) for r in reports for f, label in r.pairs()], PAIR_CLASSES, c)


def code_report(report: Report, events: LinearModel | None, mentions: LinearModel | None,
                threshold: float, margin: float) -> list[dict[str, Any]]:
    """The records the coder gives a report's candidates with these models."""
    kept = []
    for example in report.examples:
        type_name = example.event.type
        if events is not None:
            events.params["retype_margin"] = margin
            type_name, score, _ = typed(events, example.features, type_name)
            if score < threshold:
                continue
        kept.append(replace(example.event, type=type_name, mentions=[], decided_by=[],
                            actor=list(example.event.actor),
                            recipient=list(example.event.recipient),
                            mediator=list(example.event.mediator)))
    return [e.to_dict() for e in merge(kept, mentions)]


def cross_validate(reports: list[Report], plover: list[Example], c: float, folds: int,
                   canon: Canon) -> dict[tuple[float, float, float], dict[str, float]]:
    """Event F1 of the coder on held-out reports, and PLOVER type accuracy on
    held-out sentences, per (threshold, margin, merge threshold)."""
    fold_of = {r.name: n % folds for n, r in enumerate(sorted(reports, key=lambda r: r.name))}
    results: dict[tuple[float, float, float], dict[str, Any]] = defaultdict(
        lambda: {"score": Score(), "plover_right": 0, "plover_n": 0})
    for k in range(folds):
        train = [r for r in reports if fold_of[r.name] != k]
        held = [r for r in reports if fold_of[r.name] == k]
        events = fit_events([e for r in train for e in r.examples]
                            + [e for e in plover if int(e.group[-1]) % folds != k], c)
        mentions = fit_mentions(train, c)
        held_plover = defaultdict(list)
        for e in plover:
            if int(e.group[-1]) % folds == k:
                held_plover[e.event.doc].append(e)
        for t in THRESHOLDS:
            for m in MARGINS:
                for mt in MERGE_THRESHOLDS:
                    mentions.params["threshold"] = mt
                    result = results[(t, m, mt)]
                    for report in held:
                        score_events(report.text, report.gold.get("events", []),
                                     code_report(report, events, mentions, t, m), canon,
                                     result["score"], report.name)
                    for sentence in held_plover.values():
                        result["plover_n"] += 1
                        ranked = [typed(events, e.features, e.event.type)[:2] for e in sentence]
                        ranked = [(s, ty) for ty, s in ranked if s >= t]
                        result["plover_right"] += bool(ranked) and \
                            max(ranked)[1] == sentence[0].gold_type
    return {key: {"event_f1": r["score"].events.f1, "event_precision": r["score"].events.precision,
                  "event_recall": r["score"].events.recall, "actor_f1": r["score"].actors.f1,
                  "plover_type_right": r["plover_right"] / r["plover_n"] if r["plover_n"] else 0.0}
            for key, r in results.items()}


def rules_alone(reports: list[Report], canon: Canon) -> dict[str, float]:
    """The coder's figures with no model (every candidate, merged by rule)."""
    score = Score()
    for report in reports:
        score_events(report.text, report.gold.get("events", []),
                     code_report(report, None, None, 0.0, 1.0), canon, score, report.name)
    return {"event_f1": score.events.f1, "event_precision": score.events.precision,
            "event_recall": score.events.recall, "actor_f1": score.actors.f1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peacetrack.train",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=MODEL_DIR,
                        help="the folder to write events.json and mentions.json to")
    parser.add_argument("--folds", type=int, default=10,
                        help="cross-validation folds over reports (each report held out once)")
    parser.add_argument("--c", type=float, nargs="*", default=[0.3, 0.5, 1.0],
                        help="regularisation strengths to try")
    parser.add_argument("--soft-vetoes", action="store_true",
                        help="train on the candidates the rules' sense checks drop too, with "
                             "the checks as features (an experiment: the models it writes "
                             "expect an analyzer with soft_vetoes set)")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    # one thread: on a shared machine BLAS's threads oversubscribe the cores
    # (a fit took minutes instead of seconds), and one thread is deterministic
    with threadpool_limits(limits=1):
        return _train(args)


def _train(args: argparse.Namespace) -> int:
    from .analysis import Analyzer
    from .settings import load_settings

    root = Path.cwd()
    shared = Path(os.environ.get("PEACETRACK_SHARED", root.parent / "shared"))
    analyzer = Analyzer(load_settings().updated(models="none"))
    analyzer.soft_vetoes = args.soft_vetoes
    canon = Canon(analyzer.profile)
    reports = collect_reports(analyzer, root, shared)
    plover = collect_plover(analyzer, shared)
    n_candidates = sum(len(r.examples) for r in reports)
    n_pairs = sum(len(r.pairs()) for r in reports)
    print(f"{len(reports)} reports: {n_candidates} candidates, {n_pairs} pairs; "
          f"{len(plover)} PLOVER candidates", file=sys.stderr)
    baseline = rules_alone(reports, canon)
    print("rules alone: " + " ".join(f"{k}={v:.3f}" for k, v in baseline.items()), file=sys.stderr)
    best: tuple[float, tuple[float, float, float], dict[str, float]] | None = None
    for c in args.c:
        for key, figures in sorted(cross_validate(reports, plover, c, args.folds, canon).items()):
            print(f"C={c} threshold={key[0]} margin={key[1]} merge={key[2]}: "
                  + " ".join(f"{k}={v:.3f}" for k, v in figures.items()), file=sys.stderr)
            if best is None or figures["event_f1"] > best[2]["event_f1"] + 1e-9:
                best = (c, key, figures)
    assert best is not None
    c, (threshold, margin, merge_threshold), figures = best
    digest = data_hash(root, shared)
    common = {"data_hash": digest, "reports": len(reports), "C": c,
              "trained_by": "python -m peacetrack.train",
              "cross_validation": {"folds": args.folds, "rules_alone": _rounded(baseline),
                                   **_rounded(figures)}}
    events = fit_events([e for r in reports for e in r.examples] + plover, c)
    events.params = {"threshold": threshold, "retype_margin": margin}
    events.meta = {"name": "events", "candidates": n_candidates,
                   "plover_candidates": len(plover), **common}
    mentions = fit_mentions(reports, c)
    mentions.params = {"threshold": merge_threshold}
    mentions.meta = {"name": "mentions", "pairs": n_pairs, **common}
    events.save(args.output / "events.json")
    mentions.save(args.output / "mentions.json")
    print(json.dumps(common, indent=2))
    return 0


def _rounded(figures: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in figures.items()}


if __name__ == "__main__":
    sys.exit(main())

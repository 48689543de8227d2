"""Train the event model (``make train``): ``python -m peacetrack.train``.

The training split's gold (docs/annotation.md: the seeds, the demo corpus,
the dev corpus, the training corpus) and PLOVER's gold-standard sentences
(``../shared/plover/gsr-train.jsonl``) label the candidates the rules
propose: a candidate is an event of type T when its sentence tells a gold
event of type T; of another type G when its trigger lies in the words of a
gold mention of type G and none of type T is there; else "no event". A
multinomial logistic regression learns the labels from the candidates'
features (``decide.candidate_features``).

Everything is checked by cross-validation that keeps each report (and each
fold of PLOVER sentences) out of the model that scores it: the event F1 of
the whole coder on held-out reports picks the threshold and the regularisation,
and is written into the model file with the hash of the data it came from.
The test split (tests/gold/testcorpus) is never read here.

Needs the ``train`` extra (scikit-learn); applying the model does not.
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

from .decide import DEFAULT_MODEL, NONE, EventModel, candidate_features
from .evaluate import (
    Canon,
    Score,
    _gold_offsets,
    gold_files,
    plover_sentences,
    report_path,
    score_events,
)
from .mentions import merge
from .records import PLOVER_TYPES, Event

TRAIN_DIRS = ("tests/gold/seed-reports", "tests/gold/demo", "tests/gold/devcorpus",
              "tests/gold/traincorpus")
PLOVER_FILE = "plover/gsr-train.jsonl"
CLASSES = [*PLOVER_TYPES, NONE]
PLOVER_FOLDS = 5
# A PLOVER sentence labels one event; its other candidates may be unlabelled
# events, so their "no event" label counts for less.
PLOVER_NONE_WEIGHT = 0.5


@dataclass
class Example:
    """One candidate event with its features and label."""

    group: str  # the report (or PLOVER fold) it came from: never split across folds
    features: list[str]
    label: str
    event: Event
    weight: float = 1.0
    gold_type: str | None = None  # a PLOVER sentence's type


@dataclass
class Report:
    name: str
    text: str
    gold: dict[str, Any]
    examples: list[Example] = field(default_factory=list)


def data_hash(root: Path, shared: Path) -> str:
    """The hash of everything the model learns from: gold files, their
    reports, and the PLOVER sentences."""
    digest = hashlib.sha256()
    for gold_path in gold_files(root / d for d in TRAIN_DIRS):
        digest.update(gold_path.name.encode())
        digest.update(gold_path.read_bytes())
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        digest.update(report_path(gold, shared, root).read_bytes())
    digest.update((shared / PLOVER_FILE).read_bytes())
    return digest.hexdigest()


def _label(event: Any, text: str, gold: list[dict], offsets: list[list[int]]) -> str:
    start, end = event.span
    told = [g for g, offs in zip(gold, offsets, strict=True) if any(start <= o < end for o in offs)]
    if any(g["type"] == event.type for g in told):
        return event.type
    if event.trigger_span:
        t0, t1 = event.trigger_span
        for g, offs in zip(gold, offsets, strict=True):
            anchors = [g["anchor"], *(g.get("mentions") or [])]
            for o, a in zip(offs, anchors, strict=False):
                if o < t1 and t0 < o + len(a) and start <= o < end:
                    return g["type"]
    return NONE


def collect_reports(analyzer, root: Path, shared: Path) -> list[Report]:
    """The candidates of every training report, labelled by its gold."""
    from .evaluate import analyse_gold_doc

    reports = []
    for gold_path in gold_files(root / d for d in TRAIN_DIRS):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        document, doc, analysis = analyse_gold_doc(gold, report_path(gold, shared, root),
                                                   analyzer, metadata=True, candidates=True)
        events = analysis.events
        report = Report(gold_path.stem, document.text, gold)
        scratch = Score()
        offsets = [_gold_offsets(document.text, g, scratch, gold_path.stem)
                   for g in gold.get("events", [])]
        for event in events:
            report.examples.append(Example(
                group=gold_path.stem, features=candidate_features(event, doc),
                label=_label(event, document.text, gold.get("events", []), offsets),
                event=event))
        reports.append(report)
    return reports


def collect_plover(analyzer, shared: Path) -> list[Example]:
    from .nlp import remember_text
    from .records import Document

    examples = []
    rows = plover_sentences(shared / PLOVER_FILE)
    for n, row in enumerate(rows):
        document = Document(id=row["id"], text=row["text"], source=row["id"])
        doc = remember_text(analyzer.nlp(row["text"]), row["text"])
        analysis = analyzer.analyse_doc(document, doc, candidates=True)
        words = set(str(row.get("eventText", "")).lower().split())
        for event in analysis.events:
            if event.type == row["type"] or set(event.trigger.lower().split()) & words:
                label, weight = row["type"], 1.0
            else:
                label, weight = NONE, PLOVER_NONE_WEIGHT
            examples.append(Example(group=f"plover-{n % PLOVER_FOLDS}",
                                    features=candidate_features(event, doc), label=label,
                                    event=event, weight=weight, gold_type=row["type"]))
    return examples


def fit(examples: list[Example], c: float) -> EventModel:
    """A multinomial logistic regression on the examples, as an EventModel."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(e.features, 1) for e in examples])
    y = [e.label for e in examples]
    model = LogisticRegression(C=c, max_iter=3000, tol=1e-6)
    model.fit(x, y, sample_weight=[e.weight for e in examples])
    classes = list(model.classes_)
    weights: dict[str, list[float]] = {}
    for j, feature in enumerate(vectorizer.get_feature_names_out()):
        row = [0.0] * len(CLASSES)
        for k, cls in enumerate(classes):
            row[CLASSES.index(cls)] = float(model.coef_[k, j])
        if any(abs(w) >= 1e-3 for w in row):
            weights[str(feature)] = row
    bias = [-30.0] * len(CLASSES)  # a class never seen in training is never chosen
    for k, cls in enumerate(classes):
        bias[CLASSES.index(cls)] = float(model.intercept_[k])
    return EventModel(classes=list(CLASSES), weights=weights, bias=bias)


def _apply(model: EventModel, example: Example, threshold: float, margin: float) -> str | None:
    """The type the coder would record for a candidate (None: dropped)."""
    scores = model.scores(example.features)
    own_type = example.event.type
    own = scores.get(own_type, 0.0)
    best = max((c for c in model.classes if c != NONE), key=lambda c: scores[c])
    if best != own_type and scores[best] >= own + margin:
        own_type, own = best, scores[best]
    return own_type if own >= threshold else None


def cross_validate(reports: list[Report], plover: list[Example], c: float,
                   thresholds: list[float], margins: list[float], canon: Canon,
                   folds: int) -> dict[tuple[float, float], dict[str, float]]:
    """Event F1 of the coder on held-out reports, and the PLOVER type
    accuracy on held-out sentences, per (threshold, margin)."""
    groups = sorted({r.name for r in reports})
    fold_of = {name: n % folds for n, name in enumerate(groups)}
    plover_fold = {f"plover-{k}": k % folds for k in range(PLOVER_FOLDS)}
    results: dict[tuple[float, float], dict[str, Any]] = {
        (t, m): {"score": Score(), "plover_right": 0, "plover_n": 0}
        for t in thresholds for m in margins}
    for k in range(folds):
        train = [e for r in reports if fold_of[r.name] != k for e in r.examples]
        train += [e for e in plover if plover_fold[e.group] != k]
        model = fit(train, c)
        held = [r for r in reports if fold_of[r.name] == k]
        held_plover = defaultdict(list)
        for e in plover:
            if plover_fold[e.group] == k:
                held_plover[e.event.doc].append(e)
        for (t, m), result in results.items():
            for report in held:
                kept = []
                for example in report.examples:
                    type_name = _apply(model, example, t, m)
                    if type_name is not None:
                        kept.append(replace(example.event, type=type_name, mentions=[],
                                            decided_by=[], actor=list(example.event.actor),
                                            recipient=list(example.event.recipient),
                                            mediator=list(example.event.mediator)))
                predicted = [e.to_dict() for e in merge(kept)]
                score_events(report.text, report.gold.get("events", []), predicted, canon,
                             result["score"], report.name)
            for examples in held_plover.values():
                result["plover_n"] += 1
                kept = [(model.scores(e.features), _apply(model, e, t, m)) for e in examples]
                kept = [(scores[ty], ty) for scores, ty in kept if ty is not None]
                if kept:
                    result["plover_right"] += max(kept)[1] == examples[0].gold_type
    return {key: {"event_f1": r["score"].events.f1, "event_precision": r["score"].events.precision,
                  "event_recall": r["score"].events.recall, "actor_f1": r["score"].actors.f1,
                  "plover_type_right": r["plover_right"] / r["plover_n"] if r["plover_n"] else 0.0}
            for key, r in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peacetrack.train",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--folds", type=int, default=10,
                        help="cross-validation folds over reports (each report held out once)")
    parser.add_argument("--c", type=float, nargs="*", default=[0.3, 1.0, 3.0],
                        help="regularisation strengths to try")
    args = parser.parse_args(argv)

    from .analysis import Analyzer
    from .settings import load_settings

    root = Path.cwd()
    shared = Path(os.environ.get("PEACETRACK_SHARED", root.parent / "shared"))
    analyzer = Analyzer(load_settings().updated(event_model="none"))
    canon = Canon(analyzer.profile)
    reports = collect_reports(analyzer, root, shared)
    plover = collect_plover(analyzer, shared)
    n_train = sum(len(r.examples) for r in reports)
    print(f"{len(reports)} reports ({n_train} candidates), {len(plover)} PLOVER candidates",
          file=sys.stderr)
    thresholds = [0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55]
    margins = [0.1, 0.2, 0.3, 1.0]
    best: tuple[float, tuple[float, float], dict[str, float]] | None = None
    for c in args.c:
        results = cross_validate(reports, plover, c, thresholds, margins, canon, args.folds)
        for key, figures in sorted(results.items()):
            print(f"C={c} threshold={key[0]} margin={key[1]}: "
                  + " ".join(f"{k}={v:.3f}" for k, v in figures.items()), file=sys.stderr)
            if best is None or figures["event_f1"] > best[2]["event_f1"] + 1e-9:
                best = (c, key, figures)
    assert best is not None
    c, (threshold, margin), figures = best
    model = fit([e for r in reports for e in r.examples] + plover, c)
    model.threshold, model.retype_margin = threshold, margin
    model.meta = {"data_hash": data_hash(root, shared), "reports": len(reports),
                  "candidates": n_train, "plover_candidates": len(plover), "C": c,
                  "cross_validation": {"folds": args.folds, **{k: round(v, 4) for k, v in figures.items()}},
                  "trained_by": "python -m peacetrack.train"}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(model.to_json(), indent=None, sort_keys=True) + "\n",
                           encoding="utf-8")
    print(json.dumps(model.meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score the engine against hand-written gold annotations (docs/annotation.md).

``python -m peacetrack.evaluate [GOLD_DIR ...]`` prints precision, recall
and F1 per event type, actor F1 on matched events, status accuracy, date and
place accuracy, quote F1 with speaker accuracy, and stance F1. The test
suite holds these figures to the floors in ``tests/eval_baseline.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any

from .dates import days_covered
from .profile import NON_STATE_SECTORS

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    events: Tally = field(default_factory=Tally)
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    actors: Tally = field(default_factory=Tally)
    actor_parties: Tally = field(default_factory=Tally)  # the same, a person counting as its state
    status: Counter = field(default_factory=Counter)   # right / total on matched events
    dates: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)
    quotes: Tally = field(default_factory=Tally)
    speakers: Counter = field(default_factory=Counter)
    stances: Tally = field(default_factory=Tally)
    stance_parties: Tally = field(default_factory=Tally)
    mediators: Tally = field(default_factory=Tally)  # on matched events whose gold has one
    fusion: Counter = field(default_factory=Counter)  # (gold same, fused) over pairs of reports
    undated_published: Counter = field(default_factory=Counter)  # inputs that carry no date
    matches: list[tuple[dict, dict]] = field(default_factory=list)  # (gold event, record)
    speaker_parties: Counter = field(default_factory=Counter)
    published: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        def ratio(c: Counter) -> float:
            return c["right"] / c["total"] if c["total"] else 0.0
        return {
            "event_f1": self.events.f1, "event_precision": self.events.precision,
            "event_recall": self.events.recall, "actor_f1": self.actors.f1,
            "actor_party_f1": self.actor_parties.f1,
            "status_accuracy": ratio(self.status), "date_accuracy": ratio(self.dates),
            # of the gold-dated events the engine dated at all: right at the
            # precision it stated (an honest "month" is right; a wrong day is not)
            "date_resolved": self.dates["resolved"] / self.dates["total"]
            if self.dates["total"] else 0.0,
            "date_right_at_precision": self.dates["consistent"] / self.dates["resolved"]
            if self.dates["resolved"] else 0.0,
            "place_accuracy": ratio(self.places), "quote_f1": self.quotes.f1,
            "speaker_accuracy": ratio(self.speakers),
            "speaker_party_accuracy": ratio(self.speaker_parties), "stance_f1": self.stances.f1,
            "stance_party_f1": self.stance_parties.f1,
            "mediator_f1": self.mediators.f1,
            # of the gold-dated matched events: right at the precision stated, unresolved = wrong
            "date_right_of_dated": self.dates["consistent"] / self.dates["total"]
            if self.dates["total"] else 0.0,
            "published_month_of_undated": ratio(self.undated_published),
            "fusion_f1": _pair_f1(self.fusion), "lookalikes_fused": float(self.fusion["lookalike"]),
            "published_accuracy": ratio(self.published),
            "published_honest": self.published["honest"] / self.published["total"]
            if self.published["total"] else 0.0,
        }


# -- locating anchors ------------------------------------------------------

def _normal(text: str) -> tuple[str, list[int]]:
    """Whitespace-collapsed, quote-folded text and the map back to offsets."""
    out, where = [], []
    previous_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate(text: str, anchor: str) -> int | None:
    """The offset of an anchor in the document text (None if absent)."""
    normal, where = _normal(text)
    key = _WS.sub(" ", anchor.translate(_QUOTES)).strip()
    at = normal.find(key)
    if at < 0:
        at = normal.lower().find(key.lower())
    return where[at] if at >= 0 else None


# -- identity of actors ----------------------------------------------------

class Canon:
    """Maps actor ids to what an analyst would call the same actor: a body of a
    state ('russian-foreign-ministry') counts as the state; 'code:AZE' as
    Azerbaijan."""

    def __init__(self, profile) -> None:
        self.entities = profile.entities
        self.by_code = {e.code: e.id for e in profile.entities.values()
                        if e.kind == "country" and e.code}

    def __call__(self, actor_id: str | None, code: str | None = None,
                 sector: str | None = None) -> str:
        if actor_id is None or actor_id == "?":
            return _group_key(code, sector) or (f"code:{code}" if code else "?")
        if actor_id.startswith("code:"):
            _, code, *rest = actor_id.split(":")
            return _group_key(code, rest[0] if rest else None) or \
                self.by_code.get(code, f"code:{code}")
        entity = self.entities.get(actor_id)
        if entity is not None and entity.kind == "country" and _group_key(code, sector):
            return _group_key(code, sector)  # "Armenian protesters": ARM CVL, not the state
        if entity is not None and entity.kind != "person":
            if entity.part_of:
                return self(entity.part_of)
            # a group of a state that acts apart from it ('karabakh-authorities',
            # AZE REB) is itself; the state's organs and forces are the state
            if entity.kind not in ("country", "organisation") and entity.code in self.by_code \
                    and entity.sector not in NON_STATE_SECTORS:
                return self.by_code[entity.code]
        return actor_id

    def actor(self, actor: dict[str, Any] | None) -> str:
        if not actor:
            return "?"
        return self(actor.get("id"), actor.get("code"), actor.get("sector"))

    def party(self, actor_id: str | None, code: str | None = None) -> str:
        """The side an actor acts for, as PLOVER codes it: a person or body
        counts as its state or organisation ('ilham-aliyev', 'Baku' and
        'azerbaijan' are all AZE). Gold files differ on whether a named
        leader or the state is the actor; this identity does not."""
        if actor_id and actor_id.startswith("code:"):
            _, code, *rest = actor_id.split(":")
            return _group_key(code, rest[0] if rest else None) or code
        entity = self.entities.get(actor_id or "")
        if entity is not None:
            if entity.part_of:
                return self.party(entity.part_of)
            if entity.kind == "person" and entity.offices:
                latest = max(entity.offices, key=lambda o: o.start or "")
                # a rebel leader or de facto official acts for the group, not the state
                if latest.sector in NON_STATE_SECTORS and latest.sector != "OPP":
                    return entity.id
                return latest.code or entity.code or entity.id
            if entity.kind not in ("country", "organisation") and \
                    entity.sector in NON_STATE_SECTORS:
                return entity.id  # 'karabakh-authorities' is not Azerbaijan's side
            return entity.code or entity.id
        return code or actor_id or "?"

    def actor_party(self, actor: dict[str, Any] | None) -> str:
        if not actor:
            return "?"
        group = _group_key(actor.get("code"), actor.get("sector"))
        if group and (actor.get("id") is None or
                      getattr(self.entities.get(actor["id"]), "kind", None) == "country"):
            return group
        if actor.get("id") in self.entities:
            return self.party(actor["id"])
        return actor.get("code") or actor.get("id") or "?"


def _group_key(code: str | None, sector: str | None) -> str | None:
    """A group inside a state that acts apart from its government
    (ANNOTATION.md: "Groups inside a recognised state take that state's code
    with their own sector"): 'code:AZE:REB', 'code:ARM:CVL'. Such a group is
    not its state: Karabakh's de facto forces are not Azerbaijan's."""
    if code and sector in NON_STATE_SECTORS:
        return f"code:{code}:{sector}"
    return None


# -- scoring one report ----------------------------------------------------

def _containing(records: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    return [r for r in records if r["span"][0] <= offset < r["span"][1]]


def _gold_offsets(text: str, item: dict, score: Score, name: str) -> list[int]:
    """Where a gold event's mentions are: its anchor's and its other mentions'."""
    offsets = []
    for anchor in [item["anchor"], *(item.get("mentions") or [])]:
        offset = locate(text, anchor)
        if offset is None:
            score.misses.append(f"{name}: anchor not found: {anchor!r}")
        else:
            offsets.append(offset)
    return offsets


def _spans(event: dict) -> list[tuple[int, int]]:
    """The sentences a predicted event is told in: its own and its mentions'."""
    spans = [tuple(event["span"])]
    spans += [tuple(m["span"]) for m in event.get("mentions") or []]
    return spans


def _tells(event: dict, offsets: list[int]) -> bool:
    return any(s <= o < e for s, e in _spans(event) for o in offsets)


def score_events(text: str, gold: list[dict], predicted: list[dict], canon: Canon,
                 score: Score, name: str) -> None:
    """One gold record per real-world event (ANNOTATION.md): a predicted event
    matches it when it has its type and one of its sentences tells one of
    the gold event's mentions. Each gold event matches once, so a mention the
    engine left as a record of its own counts as an extra."""
    located = [(item, _gold_offsets(text, item, score, name)) for item in gold]
    candidates = {id(item): [e for e in predicted if e["type"] == item["type"] and _tells(e, offsets)]
                  for item, offsets in located}
    unmatched = list(predicted)
    # the gold events with fewest candidates choose first
    for item, _offsets in sorted(located, key=lambda pair: len(candidates[id(pair[0])])):
        options = [e for e in candidates[id(item)] if any(e is u for u in unmatched)]
        if not options:
            score.events.fn += 1
            score.by_type[item["type"]].fn += 1
            score.misses.append(f"{name}: missed {item['type']} at {item['anchor']!r}")
            continue
        best = max(options, key=lambda e: _overlap(item, e, canon))
        unmatched = [u for u in unmatched if u is not best]
        score.events.tp += 1
        score.by_type[item["type"]].tp += 1
        _score_matched(item, best, canon, score)
    for event in unmatched:
        score.events.fp += 1
        score.by_type[event["type"]].fp += 1
        score.misses.append(f"{name}: extra {event['type']} {event['trigger']!r} "
                            f"in {event['sentence'][:70]!r}")


def _roles(record: dict, canon: Canon, gold: bool) -> set[tuple[str, str]]:
    out = set()
    for role in ("actor", "recipient", "mediator"):
        for actor in record.get(role, []) or []:
            out.add((role, canon(actor) if gold else canon.actor(actor)))
    return out


def _role_parties(record: dict, canon: Canon, gold: bool) -> set[tuple[str, str]]:
    out = set()
    for role in ("actor", "recipient", "mediator"):
        for actor in record.get(role, []) or []:
            out.add((role, canon.party(actor) if gold else canon.actor_party(actor)))
    return out


def _overlap(gold: dict, event: dict, canon: Canon) -> int:
    return len(_roles(gold, canon, True) & _roles(event, canon, False))


def _pair_f1(counts: Counter) -> float:
    tp, fp, fn = counts[(True, True)], counts[(False, True)], counts[(True, False)]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _score_matched(gold: dict, event: dict, canon: Canon, score: Score) -> None:
    score.matches.append((gold, event))
    if gold.get("mediator"):
        want = {canon(m) for m in gold["mediator"]}
        got = {canon.actor(m) for m in event.get("mediator") or []}
        score.mediators.tp += len(want & got)
        score.mediators.fp += len(got - want)
        score.mediators.fn += len(want - got)
    want, got = _roles(gold, canon, True), _roles(event, canon, False)
    if want != got:
        score.misses.append(f"actors {event['type']} {event['trigger']!r}: "
                            f"missing {sorted(want - got)} extra {sorted(got - want)}")
    score.actors.tp += len(want & got)
    score.actors.fp += len(got - want)
    score.actors.fn += len(want - got)
    want, got = _role_parties(gold, canon, True), _role_parties(event, canon, False)
    score.actor_parties.tp += len(want & got)
    score.actor_parties.fp += len(got - want)
    score.actor_parties.fn += len(want - got)
    _check(score, score.status, "status", event, gold.get("status", "occurred"), event["status"],
           gold.get("status", "occurred") == event["status"])
    if gold.get("date"):
        got = event.get("date")
        _check(score, score.dates, "date", event, gold["date"], got,
               _same_date(gold["date"], got))
        if got and got.get("value"):
            score.dates["resolved"] += 1
            right = _date_consistent(gold["date"], got)
            score.dates["consistent"] += right
            if not right:
                score.misses.append(f"wrong date {event['type']} {event['trigger']!r}: "
                                    f"want {gold['date']!r} got {got!r}")
    if gold.get("location"):
        got = (event.get("location") or {}).get("name")
        _check(score, score.places, "place", event, gold["location"], got,
               _same_place(gold["location"], event.get("location")))


def _check(score: Score, tally: Counter, what: str, event: dict, want: Any, got: Any,
           right: bool) -> None:
    """Count one judged field of a matched event; list it when wrong."""
    tally["total"] += 1
    tally["right"] += right
    if not right:
        score.misses.append(f"{what} {event['type']} {event['trigger']!r}: want {want!r} got {got!r}")


def _same_date(gold: dict, got: dict | None) -> bool:
    if not got or not got.get("value"):
        return False
    return got["value"] == gold["value"] and got.get("precision") == gold.get("precision")


def _date_consistent(gold: dict, got: dict) -> bool:
    """Right at the stated precision: the engine's days hold the gold ones
    (honestly coarser) or lie within them (finer but true)."""
    g0, g1 = days_covered(gold["value"], gold.get("end"))
    p0, p1 = days_covered(got["value"], got.get("end"))
    return (p0 <= g0 and g1 <= p1) or (g0 <= p0 and p1 <= g1)


def _same_place(gold: str, got: dict | None) -> bool:
    if not got:
        return False
    names = {str(got.get(key) or "").lower() for key in ("name", "text", "city")} - {""}
    return gold.lower() in names or any(gold.lower() in n or (n and n in gold.lower())
                                        for n in names)


def match_quotes(text: str, gold: list[dict], predicted: list[dict]
                 ) -> tuple[list[tuple[dict, dict | None]], list[dict]]:
    """Each gold quote with the predicted quote that holds its anchor (each
    used once), and the predicted quotes left over."""
    unmatched = list(predicted)
    pairs: list[tuple[dict, dict | None]] = []
    for item in gold:
        offset = locate(text, item["anchor"])
        candidates = _containing(unmatched, offset) if offset is not None else []
        best = candidates[0] if candidates else None
        if best is not None:
            unmatched.remove(best)
        pairs.append((item, best))
    return pairs, unmatched


def score_quotes(text: str, gold: list[dict], predicted: list[dict], canon: Canon,
                 score: Score) -> None:
    pairs, unmatched = match_quotes(text, gold, predicted)
    for item, best in pairs:
        if best is None:
            score.quotes.fn += 1
            continue
        score.quotes.tp += 1
        score.speakers["total"] += 1
        right = canon(item["speaker"]) == canon.actor(best.get("speaker"))
        score.speakers["right"] += right
        if not right:
            score.misses.append(f"speaker: want {item['speaker']!r} got "
                                f"{canon.actor(best.get('speaker'))!r} at {item['anchor']!r}")
        score.speaker_parties["total"] += 1
        score.speaker_parties["right"] += \
            canon.party(item["speaker"]) == canon.actor_party(best.get("speaker"))
    score.quotes.fp += len(unmatched)


def match_stances(text: str, gold: list[dict], predicted: list[dict], canon: Canon, *,
                  parties: bool = False) -> tuple[list[tuple[dict, dict | None]], list[dict]]:
    """Each gold stance with the predicted stance of its issue, position and
    actor (as an entity, or with ``parties`` as the side it acts for) that
    one of its anchors' sentences tells (each used once), and those left over."""
    identity, actor_of = (canon.party, canon.actor_party) if parties else (canon, canon.actor)
    unmatched = list(predicted)
    pairs: list[tuple[dict, dict | None]] = []
    for item in gold:
        offsets = [o for o in (locate(text, a) for a in [item["anchor"], *(item.get("mentions") or [])])
                   if o is not None]
        who = identity(item["actor"])
        best = next((s for s in unmatched if s["issue"] == item["issue"]
                     and s["position"] == item["position"] and _tells(s, offsets)
                     and actor_of(s["actor"]) == who), None)
        if best is not None:
            unmatched = [u for u in unmatched if u is not best]
        pairs.append((item, best))
    return pairs, unmatched


def score_stances(text: str, gold: list[dict], predicted: list[dict], canon: Canon,
                  score: Score) -> None:
    """One gold record per actor, issue and position (ANNOTATION.md): a
    predicted stance matches it when it has its issue, position and actor and
    one of its sentences holds one of the gold record's anchors. Scored twice:
    actors as entities, and as the side they act for."""
    for tally, parties in ((score.stances, False), (score.stance_parties, True)):
        pairs, unmatched = match_stances(text, gold, predicted, canon, parties=parties)
        for item, best in pairs:
            if best is not None:
                tally.tp += 1
                continue
            tally.fn += 1
            if not parties:
                score.misses.append(f"missed stance {item['actor']} {item['issue']} "
                                    f"{item['position']} at {item['anchor']!r}")
        tally.fp += len(unmatched)
        if not parties:
            for stance in unmatched:
                score.misses.append(f"extra stance {canon.actor(stance['actor'])} {stance['issue']} "
                                    f"{stance['position']} in {stance.get('evidence', '')[:70]!r}")


def score_published(gold: dict | None, got: dict, score: Score) -> None:
    """Right, or honestly coarser: a year that contains the gold month counts."""
    if not gold or not gold.get("value"):
        return
    score.published["total"] += 1
    value = got.get("value") or ""
    right = bool(value) and (gold["value"].startswith(value) or value.startswith(gold["value"]))
    score.published["right"] += right
    # honest: right, or no value at all with bounds that hold the true date
    low, high = got.get("earliest") or "", got.get("latest") or "9999"
    score.published["honest"] += right or (not value and low[:len(gold["value"])] <= gold["value"]
                                           <= high[:len(gold["value"])])


# -- running ---------------------------------------------------------------

def gold_files(dirs: Iterable[Path], only: Iterable[str] = ()) -> list[Path]:
    """The gold files of ``dirs``; ``only``: those whose name (without .json)
    matches one of these shell patterns ('1[3-9]_*')."""
    patterns = list(only)
    return sorted(p for d in dirs for p in sorted(d.glob("*.json"))
                  if not patterns or any(fnmatch(p.stem, pattern) for pattern in patterns))


def report_path(gold: dict, shared: Path, root: Path) -> Path:
    file = gold["file"]
    return root / file if file.startswith("demo/") else shared / file


@cache
def _index(folder: Path) -> dict[str, dict[str, Any]]:
    """A corpus's index.jsonl (beside its reports), by file name: what a
    crawler gave each report (to tell the reports that came with no date)."""
    index = folder / "index.jsonl"
    if not index.is_file():
        return {}
    entries = (json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()
               if line.strip())
    return {entry["file"]: entry for entry in entries if "file" in entry}


def analyse_gold_doc(gold: dict, path: Path, analyzer, *, metadata: bool = False,
                     candidates: bool = False):
    """The document, its parse and the engine's analysis for one gold report.
    ``metadata`` gives the report what its corpus's index (``index.jsonl``
    beside it) says of it, read as ``peacetrack ingest`` reads it (address,
    outlet, title, publication date); without it the engine reads the file
    alone."""
    from .ingest import RawReport, read_inputs
    from .nlp import remember_text
    from .pipeline import prepare

    items = [i for i in read_inputs([str(path)], max_bytes=10_000_000, with_metadata=metadata)
             if isinstance(i, RawReport)]
    if "line" in gold:
        items = [i for i in items if i.source.endswith(f":{gold['line']}")]
    if "published" in gold.get("given", {}):
        items[0].published = gold["given"]["published"]
    document = prepare(items[0])
    doc = remember_text(analyzer.nlp(document.text), document.text)
    return document, doc, analyzer.analyse_doc(document, doc, candidates=candidates)


def analyse_gold(gold: dict, path: Path, analyzer, *, metadata: bool = False) -> list[dict[str, Any]]:
    """The engine's records for one gold report (see ``analyse_gold_doc``)."""
    return analyse_gold_doc(gold, path, analyzer, metadata=metadata)[2].records()


def evaluate(dirs: Iterable[Path], *, analyzer=None, shared: Path | None = None,
             root: Path | None = None, metadata: bool = False, only: Iterable[str] = ()) -> Score:
    from .analysis import Analyzer
    from .settings import load_settings

    root = root or Path.cwd()
    shared = shared or Path(os.environ.get("PEACETRACK_SHARED", root.parent / "shared"))
    analyzer = analyzer or Analyzer(load_settings())
    canon = Canon(analyzer.profile)
    score = Score()
    outlets: dict[str, str | None] = {}
    published: dict[str, dict[str, Any]] = {}
    for gold_path in gold_files(dirs, only):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        path = report_path(gold, shared, root)
        records = analyse_gold(gold, path, analyzer, metadata=metadata)
        document = records[0]
        outlets[document["id"]] = document.get("outlet") or gold_path.stem
        published[document["id"]] = document["published"]
        by_kind = defaultdict(list)
        for record in records[1:]:
            by_kind[record["kind"]].append(record)
        name = gold_path.stem
        score_events(document["text"], gold.get("events", []), by_kind["event"], canon, score, name)
        score_quotes(document["text"], gold.get("quotes", []), by_kind["quote"], canon, score)
        score_stances(document["text"], gold.get("stances", []), by_kind["stance"], canon, score)
        score_published(gold.get("published"), document["published"], score)
        given = (_index(path.parent).get(path.name, {}).get("published") if metadata else None) \
            or gold.get("given", {}).get("published")
        if not given and gold.get("published"):  # the input carries no date: the engine's own
            got = document["published"].get("value") or ""
            score.undated_published["total"] += 1
            score.undated_published["right"] += len(got) >= 7 and \
                got[:7] == gold["published"]["value"][:7]
    score_fusion(score, outlets, published)
    return score


def score_fusion(score: Score, outlets: dict[str, str | None],
                 published: dict[str, dict[str, Any]]) -> None:
    """Pairwise fusion of events across reports: the matched events are fused
    into incidents as the store fuses them, and each pair of gold events of
    different reports is counted as (same gold incident, fused). Pairs that
    look alike (same type, different incidents) and are fused are counted
    apart as ``lookalike``."""
    from .incidents import fuse

    records = [dict(event) for _, event in score.matches]
    fuse(records, [], outlets, published)
    labelled = [(gold, record) for (gold, _), record in zip(score.matches, records, strict=True)
                if gold.get("incident")]
    for i, (gold_a, a) in enumerate(labelled):
        for gold_b, b in labelled[i + 1:]:
            if a["doc"] == b["doc"]:
                continue
            same, fused = gold_a["incident"] == gold_b["incident"], a["incident"] == b["incident"]
            score.fusion[(same, fused)] += 1
            if not same and fused and gold_a["type"] == gold_b["type"]:
                score.fusion["lookalike"] += 1


def print_score(score: Score, *, misses: bool = False, out=sys.stdout) -> None:
    print(f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}", file=out)
    for name in sorted(score.by_type):
        t = score.by_type[name]
        print(f"{name:<10} {t.precision:6.2f} {t.recall:6.2f} {t.f1:6.2f} "
              f"{t.tp + t.fn:5d} {t.tp + t.fp:5d}", file=out)
    t = score.events
    print(f"{'ALL':<10} {t.precision:6.2f} {t.recall:6.2f} {t.f1:6.2f} "
          f"{t.tp + t.fn:5d} {t.tp + t.fp:5d}", file=out)
    for key, value in score.figures().items():
        print(f"{key:<20} {value:.3f}", file=out)
    if misses:
        print("\n".join(score.misses), file=out)


# -- PLOVER's gold-standard sentences --------------------------------------

# PLOVER 0.5 names in the gold-standard records -> the 16 types of SPEC §2
PLOVER_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT",
                  "INVESTIGATE": "ACCUSE"}


def plover_sentences(path: Path) -> list[dict[str, Any]]:
    """The gold-standard records of ``path`` (one JSON a line), types renamed."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    for row in rows:
        row["type"] = PLOVER_RENAMES.get(row["event"], row["event"])
    return rows


def score_plover(rows: list[dict[str, Any]], analyzer) -> dict[str, float]:
    """The share of sentences whose first-ranked event has the gold type
    (``type_right``), and whose events include it at all (``type_found``)."""
    from .records import Document

    right = found = 0
    for row in rows:
        document = Document(id=row["id"], text=row["text"], source=row["id"])
        events = next(analyzer.analyse([document])).events
        ranked = sorted(events, key=lambda e: -e.confidence)
        right += bool(ranked) and ranked[0].type == row["type"]
        found += any(e.type == row["type"] for e in events)
    n = len(rows) or 1
    return {"sentences": len(rows), "type_right": right / n, "type_found": found / n}


# -- checking gold files ----------------------------------------------------

GENERIC_ISSUES = ("ceasefire", "peace-talks", "peace-agreement", "prisoners",
                  "troop-withdrawal", "humanitarian-access", "disarmament")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_SECTORS = {"GOV", "LEG", "MIL", "REB", "OPP", "CVL", "MED", "IGO", "NGO", "BUS"}


class _GoldCheck:
    """The checks of one gold file; problems go to ``errors`` and ``warnings``."""

    def __init__(self, name: str, text: str, known: set[str], errors: list[str],
                 warnings: list[str]) -> None:
        self.name, self.text, self.known = name, text, known
        self.normal = _normal(text)[0].lower()
        self.errors, self.warnings = errors, warnings

    def anchor(self, value: Any, where: str) -> None:
        if not isinstance(value, str) or not value.strip():
            self.errors.append(f"{self.name}: {where}: empty anchor")
            return
        if locate(self.text, value) is None:
            self.errors.append(f"{self.name}: {where}: anchor not found: {value!r}")
            return
        key = _WS.sub(" ", value.translate(_QUOTES)).strip().lower()
        if self.normal.count(key) > 1:
            self.warnings.append(f"{self.name}: {where}: anchor found more than once: {value!r}")

    def actor(self, value: Any, where: str) -> None:
        if value == "?" or value in self.known:
            return
        if isinstance(value, str) and value.startswith("code:"):
            parts = value.split(":")
            if len(parts) in (2, 3) and re.fullmatch(r"[A-Z]{2,5}", parts[1]) and \
                    (len(parts) == 2 or parts[2] in _SECTORS):
                return
            self.errors.append(f"{self.name}: {where}: bad code actor {value!r}")
        elif isinstance(value, str) and _SLUG.match(value):
            self.warnings.append(f"{self.name}: {where}: id in no data file: {value!r}")
        else:
            self.errors.append(f"{self.name}: {where}: bad actor id {value!r}")

    def date(self, value: Any, where: str) -> None:
        if not isinstance(value, dict) or not _ISO.match(str(value.get("value", ""))) or \
                value.get("precision") not in ("day", "month", "year") or \
                len(value["value"]) != {"day": 10, "month": 7, "year": 4}[value["precision"]]:
            self.errors.append(f"{self.name}: {where}: bad date {value!r}")

    def gold(self, gold: dict[str, Any], issues: set[str]) -> None:
        from .records import PLOVER_TYPES, POSITIONS, STATUSES

        if gold.get("published") is not None:
            self.date(gold["published"], "published")
        for n, event in enumerate(gold.get("events", []), 1):
            where = f"event {n}"
            self.anchor(event.get("anchor"), where)
            for mention in event.get("mentions", []) or []:
                self.anchor(mention, f"{where} mention")
            if event.get("type") not in PLOVER_TYPES:
                self.errors.append(f"{self.name}: {where}: bad type {event.get('type')!r}")
            if event.get("status", "occurred") not in STATUSES:
                self.errors.append(f"{self.name}: {where}: bad status {event.get('status')!r}")
            for role in ("actor", "recipient", "mediator"):
                for value in event.get(role, []) or []:
                    self.actor(value, f"{where} {role}")
            if event.get("date") is not None:
                self.date(event["date"], where)
        for n, quote in enumerate(gold.get("quotes", []), 1):
            self.anchor(quote.get("anchor"), f"quote {n}")
            self.actor(quote.get("speaker"), f"quote {n} speaker")
        for n, stance in enumerate(gold.get("stances", []), 1):
            self.anchor(stance.get("anchor"), f"stance {n}")
            for mention in stance.get("mentions", []) or []:
                self.anchor(mention, f"stance {n} mention")
            self.actor(stance.get("actor"), f"stance {n} actor")
            if stance.get("issue") not in issues:
                self.errors.append(f"{self.name}: stance {n}: unknown issue {stance.get('issue')!r}")
            if stance.get("position") not in POSITIONS:
                self.errors.append(f"{self.name}: stance {n}: bad position {stance.get('position')!r}")


def check_gold(dirs: Iterable[Path], *, shared: Path | None = None,
               root: Path | None = None) -> tuple[list[str], list[str]]:
    """Errors (a gold file that cannot be scored right) and warnings (ids no
    data file knows, anchors found more than once) for the gold files in
    ``dirs`` (docs/annotation.md)."""
    from .ingest import RawReport, read_inputs
    from .pipeline import prepare
    from .profile import load_profile

    root = root or Path.cwd()
    shared = shared or Path(os.environ.get("PEACETRACK_SHARED", root.parent / "shared"))
    profile = load_profile("all")  # every shipped profile's entities and issues
    known = set(profile.entities)
    issues = {i.id for i in profile.issues} | set(GENERIC_ISSUES)
    errors: list[str] = []
    warnings: list[str] = []
    for gold_path in gold_files(dirs):
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            errors.append(f"{gold_path.name}: not JSON: {exc}")
            continue
        path = report_path(gold, shared, root)
        if not path.is_file():
            errors.append(f"{gold_path.name}: no report at {path}")
            continue
        items = [i for i in read_inputs([str(path)], max_bytes=10_000_000)
                 if isinstance(i, RawReport)]
        if "line" in gold:
            items = [i for i in items if i.source.endswith(f":{gold['line']}")]
        text = prepare(items[0]).text
        _GoldCheck(gold_path.name, text, known, errors, warnings).gold(gold, issues)
    return errors, warnings


TRAIN_SPLIT = ("tests/gold/seed-reports", "tests/gold/demo", "tests/gold/devcorpus",
               "tests/gold/traincorpus")
TEST_SPLIT = ("tests/gold/testcorpus",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peacetrack.evaluate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path,
                        help="gold folders (default: the training split, then the test split)")
    parser.add_argument("--split", choices=("train", "test", "both"), default="both",
                        help="which split to score when no folder is given")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="score only the gold files whose name matches this shell pattern "
                             "(repeatable), e.g. --only '1[3-9]_*' --only '2?_*' for the test "
                             "split's reports on other processes")
    parser.add_argument("--misses", action="store_true", help="list missed and extra events")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--file-alone", action="store_true",
                        help="read each report from its file alone, without what its corpus's "
                             "index.jsonl says of it")
    parser.add_argument("--with-metadata", action="store_true",
                        help="(the default) give each report what its corpus's index says of it "
                             "(address, outlet, title, date), as `peacetrack ingest` reads it")
    parser.add_argument("--plover", type=Path, nargs="?", const=Path("../shared/plover/gsr-train.jsonl"),
                        help="score PLOVER gold-standard sentences (one JSON a line) instead")
    parser.add_argument("--check", action="store_true",
                        help="check the gold files (anchors found, values valid, ids known) "
                             "instead of scoring")
    args = parser.parse_args(argv)
    splits = {"train": TRAIN_SPLIT, "test": TEST_SPLIT}
    if args.dirs:
        runs = {"gold": args.dirs}
    else:
        runs = {name: [Path(d) for d in dirs] for name, dirs in splits.items()
                if args.split in (name, "both")}
    if args.check:
        errors, warnings = check_gold([d for dirs in runs.values() for d in dirs])
        for line in warnings:
            print(f"warning: {line}")
        for line in errors:
            print(f"error: {line}")
        print(f"{len(errors)} errors, {len(warnings)} warnings")
        return 1 if errors else 0
    if args.plover:
        from .analysis import Analyzer
        from .settings import load_settings

        figures = score_plover(plover_sentences(args.plover), Analyzer(load_settings()))
        print(json.dumps(figures, indent=2))
        return 0
    out = {}
    for name, dirs in runs.items():
        score = evaluate(dirs, metadata=not args.file_alone, only=args.only)
        out[name] = score.figures()
        if not args.json:
            print(f"== {name} ({', '.join(str(d) for d in dirs)})")
            print_score(score, misses=args.misses)
    if args.json:
        print(json.dumps(out if len(out) > 1 else next(iter(out.values())), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

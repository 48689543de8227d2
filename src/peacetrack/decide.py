"""The learned decision on each candidate event: is it an event, of which type.

The trigger lexicon and the argument rules propose candidates (one per
trigger); a model trained on the project's gold (``python -m
peacetrack.train``, ``make train``) scores each candidate over the 16 PLOVER
types and "no event", from features the parse already gives: the trigger's
lemma and part of speech, its place in the clause, what governs it, its
negation and modality, whether it sits in a quote or a headline, how many
actors the rules found, and the words around it. A candidate the model
calls "no event" is dropped; one it gives another type with a clear margin
is re-typed. Every kept event records what decided it (``decided_by``).

The model is a small JSON file (``data/models/events.json``): its classes,
its weights per feature, the threshold chosen by cross-validation, and the
hash of the data it was trained on. Applying it needs no learning library.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from .nlp import entities_in, sentence_number, sentence_of
from .records import Event

NONE = "NONE"
MODEL_DIR = Path(__file__).parent / "data" / "models"
DEFAULT_MODEL = MODEL_DIR / "events.json"
# quotation marks that open or close a direct quote (any style)
QUOTE_MARKS = set('"“”«»„')
MODAL_LEMMAS = {"will", "would", "shall", "should", "can", "could", "may", "might", "must"}


# -- features ----------------------------------------------------------------

def _trigger_token(event: Event, doc: Doc) -> Token | None:
    if event.trigger_span is None:
        return None
    span = doc.char_span(*event.trigger_span, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _in_quote(token: Token, sent: Span) -> bool:
    """Whether an odd number of quotation marks opens before the token in its
    paragraph (a direct quote can run over sentences)."""
    doc = token.doc
    marks = 0
    i = token.i - 1
    while i >= 0 and "\n" not in doc[i].text_with_ws:
        if doc[i].text in QUOTE_MARKS:
            marks += 1
        i -= 1
    return marks % 2 == 1


def _headline(sent: Span) -> bool:
    """The first line of a report when it reads as a title (no final stop)."""
    text = sent.text.strip()
    return sent.start == 0 and bool(text) and text[-1] not in ".!?\"”"


def _path_up(token: Token, steps: int = 3) -> list[str]:
    labels, node = [], token
    for _ in range(steps):
        if node.head.i == node.i:
            labels.append("ROOT")
            break
        labels.append(node.dep_)
        node = node.head
    return labels


def _clause_verb(token: Token) -> Token:
    node = token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _bucket(n: int) -> str:
    return str(n) if n < 2 else "2+"


def candidate_features(event: Event, doc: Doc) -> list[str]:
    """What the model sees of one candidate: names of the features that fire."""
    token = _trigger_token(event, doc)
    feats = [f"rule={event.type}", f"n_actor={_bucket(len(event.actor))}",
             f"n_recipient={_bucket(len(event.recipient))}",
             f"has_mediator={bool(event.mediator)}", f"status={event.status}",
             f"mode={event.mode}", f"conf={round(event.confidence, 1)}"]
    sectors = {a.sector for a in event.actor if a.sector}
    feats += [f"actor_sector={s}" for s in sorted(sectors)]
    if any(a.id is None and a.code is None for a in event.actor):
        feats.append("actor_unresolved")
    if token is None:
        return feats
    sent = sentence_of(token)
    lemma = token.lemma_.lower()
    trigger_words = event.trigger.lower().split()
    feats += [f"lemma={lemma}", f"pos={token.pos_}", f"tag={token.tag_}", f"dep={token.dep_}",
              f"rule_lemma={event.type}|{lemma}", f"trigger_len={min(len(trigger_words), 3)}",
              f"head={token.head.lemma_.lower()}", f"head_dep={token.head.dep_}",
              f"rule_head={event.type}|{token.head.lemma_.lower()}",
              "path=" + ">".join(_path_up(token))]
    if len(trigger_words) > 1:
        feats.append(f"trigger={' '.join(trigger_words)}")
    verb = _clause_verb(token)
    if verb.i != token.i:
        feats += [f"governor={verb.lemma_.lower()}", f"rule_governor={event.type}|{verb.lemma_.lower()}"]
    children = list(token.children) + (list(verb.children) if verb.i != token.i else [])
    for child in children:
        dep, clemma = child.dep_, child.lemma_.lower()
        if dep == "neg":
            feats.append("negated")
        elif dep in ("aux", "auxpass") and clemma in MODAL_LEMMAS:
            feats.append(f"modal={clemma}")
        elif dep in ("det", "poss") and token.pos_ == "NOUN":
            feats.append(f"det={clemma if dep == 'det' else 'poss'}")
        elif dep == "mark":
            feats.append(f"mark={clemma}")
        elif dep in ("nsubj", "nsubjpass"):
            feats.append(f"subj_ent={child.ent_type_ or child.pos_}")
        elif dep in ("dobj", "pobj", "attr"):
            feats.append(f"obj={clemma}")
        elif dep == "prep":
            feats.append(f"prep={clemma}")
    # the verb that embeds the trigger's clause ("said that ...", "agreed to ...")
    if verb.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj") and verb.head.i != verb.i:
        feats += [f"embedded_by={verb.dep_}|{verb.head.lemma_.lower()}"]
    if token.pos_ == "NOUN" and token.tag_ == "NNS":
        feats.append("plural_noun")
    if token.i > 0:
        feats.append(f"prev={doc[token.i - 1].lemma_.lower()}")
    if token.i + 1 < len(doc):
        feats.append(f"next={doc[token.i + 1].lemma_.lower()}")
    if token.is_title and token.i > sent.start:
        feats.append("capitalised")
    if _in_quote(token, sent):
        feats.append("in_quote")
    if _headline(sent):
        feats.append("headline")
    feats.append(f"sent_index={min(sentence_number(token), 5)}")
    feats.append(f"sent_len={min(len(sent) // 15, 4)}")
    ents = {e.label_ for e in entities_in(sent)}  # Span.ents walks the whole report's entities
    feats += [f"sent_ent={label}" for label in sorted(ents & {"PERSON", "GPE", "NORP", "ORG", "DATE"})]
    return feats


# -- the model -----------------------------------------------------------------

@dataclass
class EventModel:
    """A multinomial logistic model over the 16 types and NONE, as data."""

    classes: list[str]
    weights: dict[str, list[float]]  # feature -> one weight per class
    bias: list[float]
    threshold: float = 0.5  # the least score of the kept type (chosen by cross-validation)
    retype_margin: float = 0.2  # another type must beat the rule's by this much
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"events-model@{str(self.meta.get('data_hash', '?'))[:12]}"

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        logits = list(self.bias)
        for feature in set(features):
            row = self.weights.get(feature)
            if row is not None:
                for k, w in enumerate(row):
                    logits[k] += w
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def to_json(self) -> dict[str, Any]:
        return {"format": "peacetrack-event-model/1", "classes": self.classes,
                "threshold": self.threshold, "retype_margin": self.retype_margin,
                "meta": self.meta, "bias": [round(b, 4) for b in self.bias],
                "weights": {f: [round(w, 4) for w in row] for f, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventModel:
        return cls(classes=list(data["classes"]), weights=dict(data["weights"]),
                   bias=list(data["bias"]), threshold=float(data["threshold"]),
                   retype_margin=float(data.get("retype_margin", 0.2)), meta=data.get("meta", {}))


@cache
def load_event_model(path: str | None) -> EventModel | None:
    """The model at ``path`` ('default': the shipped one; 'none': no model)."""
    if path in (None, "none", ""):
        return None
    file = DEFAULT_MODEL if path == "default" else Path(path)
    if not file.is_file():
        return None
    return EventModel.from_json(json.loads(file.read_text(encoding="utf-8")))


# -- deciding ------------------------------------------------------------------

def decide(events: Sequence[Event], doc: Doc, model: EventModel | None) -> list[Event]:
    """Keep the candidates the model calls events, with the type it gives
    them; record the rule and the model's scores on each (``decided_by``)."""
    if model is None:
        return list(events)
    kept = []
    for event in events:
        scores = model.scores(candidate_features(event, doc))
        own = scores.get(event.type, 0.0)
        best = max((c for c in model.classes if c != NONE), key=lambda c: scores[c])
        if best != event.type and scores[best] >= own + model.retype_margin:
            event.decided_by.append({"by": "model:retype", "from": event.type})
            event.type, event.mode, own = best, None, scores[best]
        top = sorted(((round(p, 3), c) for c, p in scores.items()), reverse=True)[:3]
        event.decided_by.append({"by": model.name, "score": round(own, 3),
                                 "top": [{"type": c, "p": p} for p, c in top]})
        if own < model.threshold:
            continue
        event.confidence = own
        kept.append(event)
    return kept

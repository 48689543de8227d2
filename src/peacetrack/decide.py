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

The model is a small JSON file (``data/models/events.json``, see
``learned.py``): its classes, its weights per feature, the threshold and
re-typing margin chosen by cross-validation, and the hash of the data it was
trained on.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from .learned import LinearModel
from .nlp import entities_in, sentence_number, sentence_of
from .records import Event
from .rules import tree_of

NONE = "NONE"
# quotation marks that open or close a direct quote (any style)
QUOTE_MARKS = set('"“”«»„')
QUOTED = "peacetrack.quoted"
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
    return _quoted(token.doc)[token.i]


def _quoted(doc: Doc) -> list[bool]:
    """For each token, whether an odd number of quotation marks comes before it
    since the last line break, read once per doc from the tree's words (a
    token's trailing whitespace is one space at most: a line break is a
    token of its own)."""
    quoted = doc.user_data.get(QUOTED)
    if quoted is None or len(quoted) != len(doc):
        quoted, marks = [], 0
        for word in tree_of(doc).text:
            quoted.append(marks % 2 == 1)
            if "\n" in word:
                marks = 0
            elif word in QUOTE_MARKS:
                marks += 1
        doc.user_data[QUOTED] = quoted
    return quoted


def _headline(sent: Span) -> bool:
    """The first line of a report when it reads as a title (no final stop)."""
    if sent.start != 0:
        return False
    text = sent.text.strip()
    return bool(text) and text[-1] not in ".!?\"”"


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
    for step in event.decided_by:  # the sense checks and rewrites the rules applied
        rule = step["by"]
        if rule.startswith(("veto:", "rewrite:")):
            feats += [rule, f"{event.type}|{rule}"]
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


# -- deciding ------------------------------------------------------------------

def typed(model: LinearModel, features: list[str], rule_type: str) -> tuple[str, float, dict[str, float]]:
    """The type the model gives a candidate the rules typed ``rule_type``, its
    score, and every class's score: another type replaces the rule's only
    when it scores higher by the model's ``retype_margin``."""
    scores = model.scores(features)
    own = scores.get(rule_type, 0.0)
    best = max((c for c in model.classes if c != NONE), key=lambda c: scores[c])
    if best != rule_type and scores[best] >= own + model.params.get("retype_margin", 1.0):
        return best, scores[best], scores
    return rule_type, own, scores


def decide(events: Sequence[Event], doc: Doc, model: LinearModel | None) -> list[Event]:
    """Keep the candidates the model calls events, with the type it gives
    them; record the rule and the model's scores on each (``decided_by``)."""
    if model is None:
        return list(events)
    kept = []
    threshold = model.params.get("threshold", 0.0)
    for event in events:
        type_name, score, scores = typed(model, candidate_features(event, doc), event.type)
        if type_name != event.type:
            event.decided_by.append({"by": "model:retype", "from": event.type})
            event.type, event.mode = type_name, None
        top = sorted(((round(p, 3), c) for c, p in scores.items()), reverse=True)[:3]
        event.decided_by.append({"by": model.name, "score": round(score, 3),
                                 "top": [{"type": c, "p": p} for p, c in top]})
        if score < threshold:
            continue
        event.confidence = score
        kept.append(event)
    return kept

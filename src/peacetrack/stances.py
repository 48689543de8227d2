"""Where each party stands on each issue of the profile (SPEC §2 stance).

An issue is named by one of its profile aliases (``IssueCues``, a
PhraseMatcher built once per process). Its holder comes, strongest first,
from the quote the mention is in (the speaker), the event it is part of
("urged Azerbaijan to reopen the Lachin Corridor": the requester), or the
subject of the clause that governs it ("Baku insists such guarantees ...").
The position comes from the event type or the cue words of the clause
(``speech.yaml``: stance).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .actors import DocActors, Mention
from .lexicons import load_lexicon
from .nlp import sentence_of, text_of
from .profile import Profile
from .quotes import Attributor, quote_date, speech_lexicon
from .records import Actor, DateValue, Event, Quote, Stance

# PLOVER types whose actor is for the act the issue names ("agreed to restore
# railway links", "urged Baku to reopen the corridor"), or against it.
SUPPORTING = {"AGREE", "SUPPORT", "REQUEST", "CONCEDE", "COOPERATE", "RETREAT", "AID",
              "ACCUSE", "CONSULT"}
OPPOSING = {"REJECT", "PROTEST", "THREATEN", "SANCTION", "COERCE"}
NEGATORS = {"not", "n't", "no", "nothing", "never", "without"}


@dataclass(frozen=True)
class StanceWords:
    """Cue words per position (speech.yaml: stance)."""

    oppose: frozenset[str]
    support: frozenset[str]
    conditional: frozenset[str]
    conditional_phrases: tuple[str, ...]
    oppose_phrases: tuple[str, ...]
    neutral_phrases: tuple[str, ...]

    def cue(self, token: Token) -> bool:
        """Whether a word marks a position (support, oppose or a condition)."""
        return token.lemma_.lower() in self.support | self.oppose | self.conditional or \
            token.lower_ in self.support | self.oppose | self.conditional


@cache
def stance_words() -> StanceWords:
    data = load_lexicon("speech")["stance"]
    return StanceWords(
        oppose=frozenset(data["oppose"]["verbs"]) | frozenset(data["oppose"]["words"]),
        support=frozenset(data["support"]["verbs"]) | frozenset(data["support"]["words"]),
        conditional=frozenset(data["conditional"]["words"]),
        conditional_phrases=tuple(data["conditional"]["phrases"]),
        oppose_phrases=tuple(data["oppose"]["phrases"]),
        neutral_phrases=tuple(data["neutral"]["phrases"]))


class IssueCues:
    """The profile's issues and aliases as one lowercase phrase matcher."""

    def __init__(self, profile: Profile, vocab) -> None:
        from spacy.lang.en import English

        tokenizer = English().tokenizer  # patterns tokenised as documents are
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for issue in profile.issues:
            phrases = dict.fromkeys([issue.name, *issue.aliases])
            self.matcher.add(issue.id, [Doc(vocab, words=[t.text for t in tokenizer(p)])
                                        for p in phrases])

    def find(self, doc: Doc) -> list[tuple[str, Span]]:
        """(issue id, span) for each longest alias match, in text order."""
        found = [(doc.vocab.strings[m], doc[s:e]) for m, s, e in self.matcher(doc)]
        found += _definite(doc, found)
        found.sort(key=lambda f: (f[1].start, -len(f[1])))
        out: list[tuple[str, Span]] = []
        for issue, span in found:
            if out and span.start < out[-1][1].end and out[-1][0] == issue:
                continue
            out.append((issue, span))
        return out


def _definite(doc: Doc, named: list[tuple[str, Span]]) -> list[tuple[str, Span]]:
    """'the corridor', 'the treaty' after 'the Lachin corridor', 'a peace
    treaty': a definite head noun points back to the issue last named with it."""
    heads: dict[str, list[tuple[int, str]]] = {}
    for issue, span in named:
        if len(span) > 1 and span[-1].pos_ == "NOUN":
            heads.setdefault(span[-1].lemma_.lower(), []).append((span.end, issue))
    taken = {i for _, span in named for i in range(span.start, span.end)}
    out = []
    for token in doc:
        earlier = [issue for end, issue in heads.get(token.lemma_.lower(), []) if end <= token.i]
        if earlier and token.i not in taken and token.pos_ == "NOUN" and \
                any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children):
            out.append((earlier[-1], doc[token.i:token.i + 1]))
    return out


@cache
def issue_cues(profile: Profile, vocab) -> IssueCues:
    """One matcher per profile and vocabulary for the process's lifetime."""
    return IssueCues(profile, vocab)


# -- holders -------------------------------------------------------------------

def _quote_holders(span: Span, quotes: list[Quote]) -> list[tuple[Actor, Quote]]:
    return [(q.speaker, q) for q in quotes if q.speaker is not None and
            q.span[0] <= span.start_char < q.span[1]]


def _event_holders(span: Span, events: list[Event]) -> list[tuple[Actor, Event]]:
    """Actors of the event whose clause holds the issue mention."""
    out = []
    for event in events:
        if event.type not in SUPPORTING | OPPOSING:
            continue
        trigger = event.trigger_span or event.span
        if event.span[0] <= span.start_char < event.span[1] and trigger[0] <= span.start_char:
            out += [(actor, event) for actor in event.actor]
    return out


def _clause_holders(span: Span, who: Attributor,
                    words: StanceWords) -> tuple[list[Mention], Span | None]:
    """The subject of the nearest verb above the mention that has one, when
    the way up passes a stance cue ('ready to begin the delimitation'); with
    that verb's clause. Narrative ('Russia has brought peacekeepers') is none."""
    node: Token = span.root
    cued = False
    for _ in range(8):
        cued = cued or words.cue(node)
        if node.pos_ in ("VERB", "AUX", "ADJ"):
            found = [m for m in who.subject(node) if m.actor.id or m.actor.code]
            if found:
                clause = node.doc[node.left_edge.i:node.right_edge.i + 1]
                return (found, clause) if cued or any(words.cue(t) for t in node.children) \
                    else ([], None)
        if node.head.i == node.i:
            break
        node = node.head
    return [], None


# -- positions -----------------------------------------------------------------

def position(clause: Span, words: StanceWords, default: str = "support") -> str:
    """The position the clause's cue words give ('support' when none)."""
    text = f" {clause.text.lower()} "
    if any(f" {p} " in text for p in words.neutral_phrases):
        return "neutral"
    if any(f" {p} " in text for p in words.conditional_phrases) or \
            any(t.lower_ in words.conditional for t in clause):
        return "conditional"
    if any(f" {p} " in text for p in words.oppose_phrases):
        return "oppose"
    for token in clause:
        if token.lower_ in words.oppose or token.lemma_.lower() in words.oppose:
            negated = any(t.lower_ in NEGATORS for t in clause.doc[max(token.i - 2, 0):token.i])
            return "support" if negated else "oppose"
    return default


# -- records ---------------------------------------------------------------------

def find_stances(doc: Doc, actors: DocActors, events: list[Event], quotes: list[Quote],
                 profile: Profile, *, doc_id: str, published: DateValue,
                 cues: IssueCues | None = None) -> list[Stance]:
    """One stance per holder, issue and sentence."""
    cues = cues or issue_cues(profile, doc.vocab)
    who = Attributor(doc, actors, speech_lexicon())
    words = stance_words()
    seen: set[tuple[str, str, int]] = set()
    stances: list[Stance] = []
    for issue, span in cues.find(doc):
        sent = sentence_of(span.root)
        for actor, pos in _holders(span, events, quotes, who, words):
            key = (actor.id or f"code:{actor.code}", issue, sent.start)
            if key in seen:
                continue
            seen.add(key)
            stances.append(_record(doc, doc_id, sent, actor, issue, pos, published))
    return stances


def _holders(span: Span, events: list[Event], quotes: list[Quote], who: Attributor,
             words: StanceWords) -> list[tuple[Actor, str]]:
    """Who holds a position on the issue named at ``span``, and which."""
    sent = sentence_of(span.root)
    by_clause, clause = _clause_holders(span, who, words)
    if by_clause and clause is not None:  # 'Aliyev said Baku was ready to …': Baku
        return [(m.actor, position(clause, words)) for m in by_clause]
    by_event = _event_holders(span, events)
    if by_event:
        return [(actor, _event_position(event, sent, words)) for actor, event in by_event]
    # inside a quote with no named subject ('we are ready'): the speaker's
    return [(actor, position(sent, words)) for actor, _ in _quote_holders(span, quotes)]


def _event_position(event: Event, sent: Span, words: StanceWords) -> str:
    base = "oppose" if event.type in OPPOSING else "support"
    if event.status == "negated":
        base = "support" if base == "oppose" else "oppose"
    found = position(sent, words, default=base)
    return found if found in ("conditional", "neutral") else base


def _record(doc: Doc, doc_id: str, sent: Span, actor: Actor, issue: str, pos: str,
            published: DateValue) -> Stance:
    start, end = sent.start_char, sent.end_char
    while end > start and text_of(doc)[end - 1].isspace():
        end -= 1
    holder = actor.id or actor.code or actor.text
    digest = hashlib.sha1(f"{doc_id}:{start}:{end}:{issue}:{holder}".encode()).hexdigest()
    return Stance(id="s-" + digest[:16], doc=doc_id, span=(start, end), actor=actor, issue=issue,
                  position=pos, evidence=text_of(doc)[start:end],
                  date=quote_date(doc, start, published))

"""PLOVER event coding, sentence by sentence, from the trigger lexicon.

Finding (``EventCoder.triggers``) is separate from building records
(``EventCoder.code``). A verb trigger takes its actor from the subject (or
the ``by``-phrase of a passive) and its recipient from the positions its
lexicon entry names; a noun trigger ("talks", "the exchange of detained
persons") is an event only when the sentence reports it happening (a light
verb "held talks", an occurrence verb "fighting took place", or a time).
Mediators come from the mediation cues ("EU-mediated", "with the mediation
of Russia", "organised by Michel", "X, who mediated the discussions").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from spacy.tokens import Doc, Span, Token

from .actors import DocActors, Mention, unique_actors
from .lexicons import language_path, load_lexicon
from .nlp import sentence_of, text_of, words_of
from .records import Actor, DateValue, Event
from .rules import Compiler, Rule, RuleBook, read_rules, tree_of
from .walks import Grammar, grammar

# Types whose clausal complement is their content, not a second act
# ("offered to host", "urged X to reopen", "threatened to cut").
EMBEDDING_TYPES = {"AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE"}
FORCE_TYPES = {"ASSAULT", "COERCE", "SANCTION", "THREATEN", "MOBILIZE"}
# acts aimed, when nothing else names whom, at whom their content act is for
CONTENT_RECIPIENT_TYPES = {"AGREE", "REJECT"}


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry (docs/events.md)."""

    type: str
    lemmas: tuple[str, ...]
    pos: str
    mode: str | None = None
    recipient: tuple[str, ...] = ("dobj",)
    embeds: bool = False
    context: tuple[str, ...] = ()
    confidence: float = 0.7
    passive_actor: bool = True
    passive_type: str | None = None  # the type when the verb is passive with no act embedded
    # its embedded act, when that is an event, is the event ("decided to close the road")
    defers: bool = False
    # an event even in the passive with no one named ("it was agreed to", "had been agreed upon")
    unnamed: bool = False
    # a meeting only with someone met: a with/to party or a subject of several ("they talked")
    needs_party: bool = False
    needs_object: bool = False  # "Azerbaijan closed the road", not "the centre will close"
    # object lemmas that make the word no act ("asked a question"); "*": any object
    not_objects: frozenset[str] = frozenset()
    # with a that-clause and no must/should in it, the word asserts ("insisted that it does not")
    asserts: bool = False

    @property
    def id(self) -> str:
        """The rule's name in ``decided_by``: its type, words and part of speech."""
        return f"trigger:{self.type}/{' '.join(self.lemmas)}/{self.pos}"


@dataclass
class Found:
    """A trigger found in a sentence, before its record is built."""

    trigger: Trigger
    head: Token
    tokens: list[Token]
    governor: Token | None = None  # the light/occurrence verb of a noun trigger
    rivals: frozenset[int] = frozenset()  # tokens of the other candidate acts in the sentence
    # the rules that would drop it ("aim", "names-document", …): with a learned model
    # they are features it weighs (decide.py), without one they drop the candidate
    vetoes: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)  # the other rules that decided it


@dataclass
class Lexicon:
    by_lemma: dict[str, list[Trigger]] = field(default_factory=dict)  # every lemma of an entry
    event_nouns: frozenset[str] = frozenset()  # single-word noun triggers
    mediation_verbs: frozenset[str] = frozenset()
    mediation_nouns: frozenset[str] = frozenset()
    mediation_hyphenated: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    occurrence_verbs: frozenset[str] = frozenset()
    container_nouns: frozenset[str] = frozenset()
    willingness: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset()
    visited: frozenset[str] = frozenset()
    occasion_preps: frozenset[str] = frozenset()
    occasion_types: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    figurative: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    signing_verbs: frozenset[str] = frozenset()
    turning_verbs: frozenset[str] = frozenset()
    agreement_nouns: frozenset[str] = frozenset()
    joining_verbs: frozenset[str] = frozenset()
    agentless: frozenset[str] = frozenset()
    aim_nouns: frozenset[str] = frozenset()
    aim_adjectives: frozenset[str] = frozenset()
    obligation: frozenset[str] = frozenset()
    nominal_gerund_preps: frozenset[str] = frozenset()
    status: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    frames: dict[str, frozenset[str]] = field(default_factory=dict)  # event_frames.yaml

    @cached_property
    def mediation_cues(self) -> frozenset[str]:
        """Every mediation word (read once the lexicon is loaded)."""
        return self.mediation_hyphenated | self.mediation_verbs | self.mediation_nouns

    def words(self) -> dict[str, frozenset[str]]:
        """The word lists the rule files name (``"@name"``): event_frames.yaml's,
        status_cues.yaml's as ``status.group`` ("future.verbs"), and those read
        from the trigger lexicon."""
        out = dict(self.frames)
        for status, groups in self.status.items():
            out.update({f"{status}.{group}": words for group, words in groups.items()})
        out.update(event_nouns=self.event_nouns, mediation_verbs=self.mediation_verbs,
                   noun_trigger_lemmas=frozenset(
                       lemma for lemma, entries in self.by_lemma.items()
                       if any(t.pos == "NOUN" for t in entries)),
                   border_nouns=frozenset(load_lexicon("places")["border_nouns"]),
                   mediation_nouns=self.mediation_nouns,
                   mediation_hyphenated=self.mediation_hyphenated,
                   mediation_cues=self.mediation_cues)
        return out


EVENT_RULES = ("anchors", "vetoes", "governors", "status", "rewrites", "roles")


@dataclass
class EventRules:
    """The event coder's rule files (data/languages/<lang>/rules/event_*.yaml)."""

    anchors: RuleBook
    vetoes: RuleBook
    governors: RuleBook
    status: RuleBook
    rewrites: RuleBook
    roles: RuleBook
    grammar: Grammar

    def books(self) -> dict[str, RuleBook]:
        return {name: getattr(self, name) for name in EVENT_RULES}


def load_event_rules(lexicon: Lexicon, language: str = "en") -> EventRules:
    """Compile the rule files once per process, checking every name they use."""
    walks = grammar(language)
    relations = {**walks.relations(), "governor": _governor_relation}
    folder = language_path(language, "rules")
    written = read_rules(folder / "conditions.yaml")
    compiler = Compiler(lexicon.words(), walks=relations,
                        conditions=[str(r.get("id")) for r in written if isinstance(r, dict)])
    conditions = {r.id: r for r in compiler.rules(folder / "conditions.yaml", written)}
    books = {}
    for name in EVENT_RULES:
        path = folder / f"event_{name}.yaml"
        books[name] = RuleBook(compiler.rules(path, read_rules(path)), conditions, walks=relations)
    return EventRules(**books, grammar=walks)


def _governor_relation(tree, i, facts) -> list[int]:
    """The verb that reports a noun trigger as happening (a relation of the rules)."""
    governor = facts.get("governor")
    return [governor] if governor is not None else []


def _entry(rule: Rule) -> Trigger:
    """The lexicon entry a ``propose`` rule gives its candidate."""
    entry = rule.sets["entry"]
    return Trigger(type=entry["type"], lemmas=tuple(str(entry["lemma"]).split()),
                   pos=entry.get("pos", "VERB"), recipient=tuple(entry.get("recipient", ())),
                   embeds=bool(entry.get("embeds", False)),
                   confidence=float(entry.get("confidence", 0.7)))


def facts_of(found: Found, **more) -> dict:
    """What the rules' ``when`` may ask of a candidate."""
    trigger = found.trigger
    return {"type": trigger.type, "pos": trigger.pos, "mode": trigger.mode,
            "confidence": trigger.confidence, "words": len(found.tokens),
            "governed": found.governor is not None,
            "governor": found.governor.i if found.governor is not None else None,
            "needs_object": trigger.needs_object, "needs_party": trigger.needs_party,
            "asserts": trigger.asserts, "passive_actor": trigger.passive_actor,
            "unnamed": trigger.unnamed, "not_objects": trigger.not_objects,
            "any_object_banned": "*" in trigger.not_objects,
            "has_passive_type": bool(trigger.passive_type), "passive_type": trigger.passive_type,
            "recipient": frozenset(trigger.recipient), "recipient_object": "dobj" in trigger.recipient,
            **more}


def load_event_lexicon() -> Lexicon:
    data = load_lexicon("triggers")
    frames = load_lexicon("event_frames")
    lexicon = Lexicon(
        light_verbs=frozenset(frames["light_verbs"]),
        occurrence_verbs=frozenset(frames["occurrence_verbs"]),
        container_nouns=frozenset(frames["container_nouns"]),
        willingness=frozenset(frames.get("willingness_adjectives", [])),
        audience=frozenset(frames.get("audience_nouns", [])),
        visited=frozenset(frames.get("visited_nouns", [])),
        occasion_preps=frozenset(frames.get("occasion_preps", [])),
        occasion_types=frozenset(frames.get("occasion_types", [])),
        naming_verbs=frozenset(frames.get("naming_verbs", [])),
        figurative=frozenset(frames.get("figurative_objects", [])),
        documents=frozenset(frames.get("document_nouns", [])),
        signing_verbs=frozenset(frames.get("signing_verbs", [])),
        turning_verbs=frozenset(frames.get("turning_verbs", [])),
        agreement_nouns=frozenset(frames.get("agreement_nouns", [])),
        joining_verbs=frozenset(frames.get("joining_verbs", [])),
        agentless=frozenset(frames.get("agentless_words", [])),
        aim_nouns=frozenset(frames.get("aim_nouns", [])),
        aim_adjectives=frozenset(frames.get("aim_adjectives", [])),
        obligation=frozenset(frames.get("obligation_words", [])),
        nominal_gerund_preps=frozenset(frames.get("nominal_gerund_preps", [])),
        status=_status_cues(load_lexicon("status_cues")),
        frames={k: frozenset(str(w).lower() for w in v) for k, v in frames.items()
                if isinstance(v, list)},
    )
    for type_name, entries in data.items():
        if type_name == "MEDIATION":
            lexicon.mediation_verbs, lexicon.mediation_nouns, lexicon.mediation_hyphenated = \
                _mediation(entries)
            continue
        for entry in entries or []:
            trigger = _trigger(type_name, entry)
            for lemma in trigger.lemmas:
                lexicon.by_lemma.setdefault(lemma, []).append(trigger)
    lexicon.event_nouns = frozenset(lemma for lemma, triggers in lexicon.by_lemma.items()
                                    if any(t.pos == "NOUN" and len(t.lemmas) == 1 for t in triggers))
    return lexicon


def _trigger(type_name: str, entry: dict) -> Trigger:
    lemmas = tuple(str(entry["lemma"]).lower().split())
    pos = str(entry.get("pos", "VERB")).upper()
    recipient = entry.get("recipient")
    return Trigger(
        type=type_name, lemmas=lemmas, pos=pos, mode=entry.get("mode"),
        recipient=tuple(recipient) if recipient is not None else (("dobj",) if pos == "VERB" else ()),
        embeds=bool(entry.get("embeds", False)), context=tuple(entry.get("context", []) or []),
        confidence=float(entry.get("confidence", 0.7)),
        passive_actor=bool(entry.get("passive_actor", True)),
        passive_type=entry.get("passive_type"),
        defers=bool(entry.get("defers", False)),
        unnamed=bool(entry.get("unnamed", False)),
        needs_party=bool(entry.get("needs_party", False)),
        needs_object=bool(entry.get("needs_object", False)),
        not_objects=frozenset(entry.get("not_objects", []) or []),
        asserts=bool(entry.get("asserts", False)),
    )


def _mediation(entries) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Mediation cues: verbs ('mediated by'), nouns ('the mediation of', 'the
    help of') and hyphenated participles ('EU-mediated'); weak cues left out."""
    def lemmas(items, floor: float = 0.5) -> set[str]:
        return {str(i["lemma"]).lower() for i in items or []
                if isinstance(i, dict) and float(i.get("confidence", 0.7)) >= floor}

    verbs = lemmas(entries.get("verbs"))
    nouns = lemmas(entries.get("nouns"))
    for phrase in entries.get("phrases", []) or []:
        words = str(phrase.get("text", "")).lower().split()
        if float(phrase.get("confidence", 0.7)) >= 0.55 and len(words) >= 2 and words[-1] == "of":
            nouns.add(words[-2].removesuffix("s"))  # "with the help of" -> help
    return frozenset(verbs), frozenset(nouns), frozenset(lemmas(entries.get("hyphenated")))


def _status_cues(data: dict) -> dict[str, dict[str, frozenset[str]]]:
    out: dict[str, dict[str, frozenset[str]]] = {}
    for status, groups in (data or {}).items():
        if isinstance(groups, dict):
            out[status] = {k: frozenset(str(w).lower() for w in (v or [])) for k, v in groups.items()}
    return out


class EventCoder:
    def __init__(self, lexicon: Lexicon | None = None, language: str = "en") -> None:
        self.lexicon = lexicon or load_event_lexicon()
        self.rules = load_event_rules(self.lexicon, language)
        self.grammar = self.rules.grammar
        # the lemmas a trigger can be anchored on: other tokens match nothing
        self.anchors = frozenset(self.lexicon.by_lemma) | self.lexicon.willingness
        self.proposals = {r.id: _entry(r) for r in self.rules.anchors if r.does == "propose"}
        vetoes = [r for r in self.rules.vetoes if not r.code]
        self.trigger_vetoes = [r for r in vetoes if r.sets.get("phase", "trigger") == "trigger"]
        self.event_vetoes = [r for r in vetoes if r.sets.get("phase") == "event"]
        self.negation = [r for r in self.rules.status if r.sets.get("pass") == "negation"]
        self.mood = [r for r in self.rules.status if r.sets.get("pass") == "mood"]
        self.container = self.rules.governors.by_id["container"]
        self.governing = [r for r in self.rules.governors if r.id != "container"]
        self.answered = load_lexicon("event_frames")["answered"]

    # -- finding ----------------------------------------------------------
    def triggers(self, sent: Span, *, keep_vetoed: bool = False) -> list[Found]:
        found: list[Found] = []
        doc, lemmas, anchors = sent.doc, words_of(sent.doc)[1], self.anchors
        for i in range(sent.start, sent.end):
            if lemmas[i] not in anchors:
                continue  # no entry starts here (see _match)
            match = self._match(doc[i])
            if match is not None and (keep_vetoed or not match.vetoes):
                found.append(match)
        for item in found:
            item.rivals = frozenset(t.i for other in found if other is not item for t in other.tokens)
        return self._prune(found)

    def _match(self, token: Token) -> Found | None:
        """The best lexicon entry anchored on this token (longer entries first),
        unless an anchor rule skips the word or proposes its own entry
        (event_anchors.yaml); with every sense check that fires on it
        (event_vetoes.yaml)."""
        tree = tree_of(token.doc)
        decided = self.rules.anchors.first(tree, token.i, {})
        if decided is not None:
            rule, nodes = decided
            if rule.does == "skip":
                return None
            words = [token.doc[nodes[name]] for name in rule.sets["words"]]
            return Found(self.proposals[rule.id], token, words, fired=[f"anchor:{rule.id}"])
        pos = _pos(token, self.grammar)
        if pos is None:
            return None
        best: Found | None = None
        near: list[Token] | None = None  # the same for every entry: found once
        for trigger in self.lexicon.by_lemma.get(token.lemma_.lower(), []):
            if trigger.pos != pos:
                continue
            if near is None and len(trigger.lemmas) > 1:
                near = [t for t in _near(token, self.grammar) if not self._proviso(t)]
            parts = _other_lemmas(token, trigger.lemmas, near, self.grammar)
            if parts is None:
                continue
            if best is None or (len(trigger.lemmas), trigger.confidence) > \
                    (len(best.trigger.lemmas), best.trigger.confidence):
                best = Found(trigger, token, [token, *parts])
        if best is None:
            return None
        if pos == "NOUN":
            best.governor = self._governor(token, best)
        facts = facts_of(best)
        best.vetoes += [rule.id for rule in self.trigger_vetoes
                        if self.rules.vetoes.fires(rule, tree, token.i, facts) is not None]
        return best

    def _governor(self, noun: Token, found: Found) -> Token | None:
        """The verb that reports a noun event as happening, if any
        (event_governors.yaml): asked of the noun, or of the container noun it
        hangs on; a conjoined noun asks its first conjunct."""
        tree, book = tree_of(noun.doc), self.rules.governors
        hop = book.fires(self.container, tree, noun.i, {})
        node = hop["container"] if hop is not None else noun.i
        decided = book.first(tree, node, {}, self.governing)
        if decided is not None:
            rule, nodes = decided
            if hop is not None:
                found.fired.append(f"governor:{self.container.id}")
            found.fired.append(f"governor:{rule.id}")
            return noun.doc[nodes[rule.takes]]
        if tree.dep[node] in self.grammar.labels.conjunct:
            return self._governor(noun.doc[tree.head[node]], found)
        return None

    def _prune(self, found: list[Found]) -> list[Found]:
        """One event per act: an embedded act, or a noun its verb trigger governs,
        is the outer trigger's content, not a second event; but under a
        negating verb ('refused to support') the inner act stays, negated."""
        owner = {t.i: f for f in found for t in f.tokens}
        negators = self.lexicon.status["negated"]["verbs"]
        refusing = self.lexicon.frames.get("refusing_verbs", frozenset())
        labels = self.grammar.labels
        dropped: set[int] = set()
        for item in found:
            first = owner.get(item.head.head.i) if item.head.dep_ in labels.conjunct else None
            if first is not None and first is not item and first.trigger.type == item.trigger.type \
                    and item.trigger.pos == "NOUN" and first.trigger.pos == "NOUN":
                dropped.add(id(item))  # "bloodshed and artillery duels": one act named twice
                continue
            governor = item.governor
            if governor is not None and governor.i in owner:
                if governor.dep_ in labels.clause_modifier and governor.head.i == item.head.i:
                    dropped.add(id(owner[governor.i]))  # "talks hosted by Putin": the talks
                else:
                    dropped.add(id(item))  # "signed an agreement": the verb is the event
                    continue
            outer = _embedding(item.head, owner, self.lexicon, self.grammar)
            if outer is None and item.head.dep_ in labels.participle_or_infinitive:
                outer = owner.get(item.head.head.i)
                if outer is not None and outer.trigger.type != item.trigger.type:
                    continue
            if outer is None or outer is item:
                continue
            lemma = outer.head.lemma_.lower()
            if (lemma in negators and lemma not in refusing) or outer.trigger.defers:
                # "failed to agree", "denied shelling": the act, negated; but refusing
                # ("rejected Armenia's demand", "refused to support") is the act (REJECT)
                dropped.add(id(outer))
            elif outer.trigger.type == item.trigger.type and \
                    item.head.dep_ in labels.participle_or_infinitive:
                if not any(c.dep_ in labels.active_or_passive_subject for c in item.head.children):
                    dropped.add(id(outer))  # "reacted angrily, accusing Russia of…": the specific act
                # "X accused Y, while Z blamed W": two acts by two actors
            elif outer.trigger.embeds or outer.trigger.type in EMBEDDING_TYPES:
                dropped.add(id(item))
        kept: list[Found] = []
        covered: set[int] = set()
        for item in sorted(found, key=lambda f: (id(f) in dropped, -len(f.tokens))):
            if item.head.i in covered:
                continue  # the same multi-word trigger seen from another word
            if id(item) in dropped:
                item.vetoes.append("content-of-another")
            else:
                covered.update(t.i for t in item.tokens)
            kept.append(item)
        return sorted(kept, key=lambda f: f.head.i)

    # -- building ---------------------------------------------------------
    def code(self, doc: Doc, actors: DocActors, *, doc_id: str,
             published: DateValue | None = None, title: str | None = None,
             keep_vetoed: bool = False) -> list[Event]:
        """One candidate event per trigger. ``keep_vetoed``: keep the candidates a
        sense check would drop, each saying which (``veto:…`` in ``decided_by``),
        for a learned model to weigh; else they are dropped."""
        events: list[Event] = []
        text, title = text_of(doc), (title or "").strip()
        for sent in doc.sents:
            restated = bool(title) and text[sent.start_char:sent.end_char].strip() == title
            if restated and not keep_vetoed:
                continue  # a headline restates the lead: coding it would count the act twice
            for found in self.triggers(sent, keep_vetoed=keep_vetoed):
                if restated:
                    found.vetoes.append("headline-restates")
                event = self._event(doc, sent, found, actors, doc_id)
                if event is not None and found.vetoes and not keep_vetoed:
                    continue
                if event is not None:
                    _answer_earlier(event, found, events, self.answered)
                    events += _separately(event, found, self.lexicon.frames["separately_words"])
            self._attach_later_mediators(sent, actors, events)
        return events

    def _event(self, doc: Doc, sent: Span, found: Found, actors: DocActors,
               doc_id: str) -> Event | None:
        trigger, head = found.trigger, found.head
        status, status_rule = self._status(found)
        if status_rule is not None:
            found.fired.append(f"status:{status_rule}")
        type_name = trigger.type
        rewrites: list[str] = []
        actor_heads, recipient_heads = self._arguments(found)
        convened = self._convened(found)
        if convened is not None:  # "Michel intends to organise a meeting between A and B"
            if not convened[0]:
                found.vetoes.append("mediator-only")  # "Michel, who mediated the discussions"
            actor_heads, recipient_heads = convened
        # a host who convenes others' talks ("Putin hosted talks between A and B")
        # mediates them: its guests are the convened meeting's sides, not the host's
        hosting = convened is None and not trigger.passive_actor and not self._passive(head)
        if hosting:  # "Putin hosted Aliyev": the guest acts, the host receives (PLOVER CONSULT)
            actor_heads, recipient_heads = recipient_heads, actor_heads
        actor_list = self._first_actors(actor_heads, actors)
        if not actor_list and trigger.pos == "VERB" and not self._passive(head):
            actor_list = _adjacent_actor(head, actors, self.grammar)  # a misparsed subject right before the verb
        recipients = [a for a in unique_actors(self._actors(recipient_heads, actors))
                      if a.id is None or a.id not in {x.id for x in actor_list}]
        if not recipients and type_name in CONTENT_RECIPIENT_TYPES and trigger.pos == "VERB":
            # "agreed to host an EU mission", "agreed to hand villages back to Azerbaijan",
            # "refused to support Armenia": whom the promised or refused act is for
            own = {a.id for a in actor_list}
            for group in ("promised-object", "promised-partner"):  # its object, then its with/to
                heads = self._role(group, head, found)
                recipients = [a for a in unique_actors(self._actors(heads, actors)) if a.id not in own]
                if recipients:
                    break
        hosted_talks = hosting and len({a.code or a.id for a in actor_list}) >= 2
        if hosted_talks:  # a host of two parties' talks is their mediator
            recipients, hosts = [], recipients
        mediators = self._mediators(sent, found, actors, acted=bool(actor_list))
        if hosted_talks:
            mediators = hosts + mediators
        if convened is not None:
            mediators = self._actors(self.grammar.subject_chain(head)[:1], actors) + mediators
        elif trigger.pos == "NOUN" and found.governor is not None and \
                found.governor.lemma_.lower() in self.lexicon.mediation_verbs:
            # "he intended to organise a fresh meeting between Aliyev and Pashinyan"
            own = {a.id for a in actor_list}
            mediators = [m for m in self._first_actors(self.grammar.subject_chain(found.governor), actors)
                         if m.id not in own] + mediators
        mediators = unique_actors(mediators)
        mediator_ids = {m.id for m in mediators if m.id}
        recipients = [r for r in recipients if r.id not in mediator_ids]  # "with the help of X"
        signing = self._signing(found) if len(actor_list) >= 2 and \
            type_name in ("SUPPORT", "AGREE") else None
        if signing is not None:
            # "A and B signed a statement with Putin": a third signer, not whom
            # it was signed with ("A signed a deal with B")
            cosigners = [a for a in self._actors(self._role("cosigner", signing, found), actors)
                         if a.id not in mediator_ids]
            actor_list = unique_actors(actor_list + cosigners)
            recipients = [r for r in recipients if r.id not in {a.id for a in cosigners}]
        skip = {a.id for a in actor_list + recipients if a.id}
        mediators = [m for m in mediators if m.id not in skip]
        mode = trigger.mode
        if type_name == "CONSULT" and mediators and mode in (None, "third-party"):
            mode = "third-party"
        type_name, mode, status = self._rewrite(found, type_name, mode, status, rewrites)
        facts = facts_of(found, type=type_name, status=status,
                         named=bool(actor_list or recipients or mediators))
        found.vetoes += [rule.id for rule in self.event_vetoes
                         if self.rules.vetoes.fires(rule, tree_of(doc), head.i, facts) is not None]
        tokens = sorted(found.tokens, key=lambda t: t.i)
        if found.governor is not None and abs(found.governor.i - head.i) <= 3:
            tokens = sorted({*tokens, found.governor}, key=lambda t: t.i)
        trigger_span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        confidence = trigger.confidence * (1.0 if actor_list else 0.75) * \
            (1.0 if found.governor is not None or trigger.pos == "VERB" else 0.9)
        return Event(
            id=_event_id(doc_id, trigger_span, type_name), doc=doc_id,
            span=(sent.start_char, sent.end_char),
            sentence=text_of(doc)[sent.start_char:sent.end_char],  # Span.text re-joins tokens
            trigger=text_of(doc)[trigger_span[0]:trigger_span[1]], type=type_name, mode=mode,
            context=list(trigger.context), actor=actor_list, recipient=recipients,
            mediator=mediators, status=status, confidence=min(confidence, 0.99),
            trigger_span=trigger_span,
            governor_span=(found.governor.idx, found.governor.idx + len(found.governor))
            if found.governor is not None else None,
            decided_by=[{"by": trigger.id, "score": round(trigger.confidence, 3)}]
            + [{"by": rule} for rule in found.fired + rewrites]
            + [{"by": f"veto:{v}"} for v in found.vetoes],
        )

    def _signing(self, found: Found) -> Token | None:
        """The signing verb the act is told by: the trigger itself, or the verb
        whose document states it ('signed a statement with Putin to restore
        ties')."""
        found_words = self._role("signing-verb", found.head, found)
        return found_words[0] if found_words else None

    def _role(self, group: str, token: Token, found: Found, **facts) -> list[Token]:
        """The words a group of role rules finds at the token (event_roles.yaml),
        each rule that found one recorded on the candidate."""
        tree = tree_of(token.doc)
        words, fired = self.rules.roles.collect(group, tree, token.i, facts_of(found, **facts))
        found.fired += [f"role:{r}" for r in fired if f"role:{r}" not in found.fired]
        return [token.doc[i] for i in words]

    def _arguments(self, found: Found) -> tuple[list[Token], list[Token]]:
        head, trigger = found.head, found.trigger
        if trigger.pos == "NOUN":
            return self._noun_arguments(found)
        actor_heads = self.grammar.subject_chain(head)
        recipients: list[Token] = []
        for where in trigger.recipient:
            for token in found.tokens:  # "held talks with X": the noun of the entry has it
                recipients += self._role("recipient", token, found, where=where)
        if self._passive_turn(found):  # "the US is encouraged by the efforts of Armenia and Azerbaijan"
            return self._role("view-holder", head, found), self._role("view-object", head, found)
        if self._passive(head):
            actor_heads = self._role("passive-actor", head, found)
            recipients += self._role("passive-recipient", head, found)
        return actor_heads, recipients

    def _convened(self, found: Found) -> tuple[list[Token], list[Token]] | None:
        """For a mediation verb whose object is an event noun ('mediated the
        discussions', 'organise a meeting between A and B'): the meeting's
        own participants; None when the trigger is not such a verb."""
        if found.trigger.pos != "VERB" or not self.rules.roles.condition(
                "convenes", tree_of(found.head.doc), found.head.i, facts_of(found)):
            return None
        return self._role("convened", found.head, found), []

    def _noun_arguments(self, found: Found) -> tuple[list[Token], list[Token]]:
        noun, governor = found.head, found.governor
        actor_heads = self._role("noun-actor", noun, found)
        recipients = self._role("noun-recipient", noun, found)
        mediating = governor is not None and governor.lemma_.lower() in self.lexicon.mediation_verbs \
            and governor.lemma_.lower() not in self.lexicon.frames["light_verbs"]
        if governor is not None and governor.i != noun.i and not actor_heads and not mediating:
            # (the subject of "Qatar brokered a truce" is its mediator, not its actor)
            if self._passive_subject(governor):
                actor_heads = self._role("reporter-actor", governor, found)
            elif noun.dep_ not in self.grammar.labels.active_or_passive_subject:
                actor_heads = self.grammar.subject_chain(governor)[:1]
            recipients += self._role("reporter-recipient", governor, found)
        if not actor_heads and found.trigger.type in FORCE_TYPES:
            # "fighting on the border of Armenia and Azerbaijan"
            actor_heads = self._role("border-sides", noun, found)
        if not actor_heads and not (governor is not None and governor.dep_ in
                                    self.grammar.labels.clause_modifier and
                                    self.grammar.in_object(noun)):
            # "after talks hosted by Putin, the leaders pledged…": they talked; but "initialled
            # the text of the agreement finalised in March" names no one who finalised it
            clause = self.grammar.clause_verb(noun)
            if clause is not None and clause is not governor:
                actor_heads = self.grammar.subject_chain(clause)
        return actor_heads, recipients

    def _passive_subject(self, verb: Token) -> bool:
        return self.rules.roles.condition("has_passive_subject", tree_of(verb.doc), verb.i, {})

    def _first_actors(self, heads: list[Token], actors: DocActors) -> list[Actor]:
        """The actors of the first candidate (subject chain) that names any."""
        for head in heads:
            found = unique_actors(self._actors([head], actors))
            if found:
                return found
        return []

    def _actors(self, heads: Iterable[Token], actors: DocActors) -> list[Actor]:
        out: list[Actor] = []
        walks = self.grammar
        for head in heads:
            named = _named_by(head, actors, walks)
            for token in [named, *walks.later_conjuncts(named)]:  # "their ministers, A and B"
                mention = _mention_for(token, actors, walks)
                if mention is None:
                    continue
                out += mention.actors
                # "a delegation of the government and the ELN": the of-phrase's conjuncts too
                out += [a for g in walks.of_objects(token) if actors.at(g) is mention
                        for c in walks.later_conjuncts(g) if actors.at(c) is not None
                        for a in actors.at(c).actors]
                # "Russia, Ukraine exchanged prisoners": another actor of its kind set beside it
                out += [a for c in walks.children(token, walks.labels.apposition) if c.i > token.i
                        and (other := actors.at(c)) is not None and other is not mention
                        and other.kind == mention.kind and other.actor.id != mention.actor.id
                        for a in other.actors]
        return out

    def _mediators(self, sent: Span, found: Found, actors: DocActors, *,
                   acted: bool = False) -> list[Actor]:
        """Third parties the sentence names as mediating the trigger's act: the
        mediation cues of its clause (triggers.yaml MEDIATION) not hanging on
        another act or on a condition, their mediators found by the role rules
        (event_roles.yaml: groups mediator, mediator-noun)."""
        out: list[Actor] = []
        lexicon = self.lexicon
        cues, forms = lexicon.mediation_cues, lexicon.frames["mediation_cue_forms"]
        if acted:  # a third party taking part in an act others do (event_frames.yaml)
            cues = cues | frozenset(lexicon.frames["participation_cues"])
        lower, lemmas = words_of(sent.doc)
        verbs = lexicon.mediation_hyphenated | lexicon.mediation_verbs
        if not any((lemmas[i] in cues or lower[i] in forms or i in actors.prefixed)
                   and (i != found.head.i or lemmas[i] in verbs) for i in range(sent.start, sent.end)):
            return out  # no cue in the sentence: its clause need not be walked
        tree = tree_of(sent.doc)
        for token in _clause_tokens(found.head, sent, self.grammar):
            i = token.i
            if self._under_proviso(tree, i):
                continue  # "provided that solutions are found with the help of X": a condition
            if i in actors.prefixed and i != found.head.i and \
                    _participle_of(lower[i].rsplit("-", 1)[1], lexicon.mediation_hyphenated) and \
                    not self._under_other_noun(token, found):
                out += actors.prefixed[i].actors  # "U.S.-hosted talks" as one word
                continue
            verbal = lemmas[i] in verbs
            # the trigger itself may be the cue only as a verb: "talks mediated by the AU"
            if (lemmas[i] not in cues and lower[i] not in forms) or \
                    (i == found.head.i and not verbal) or self._under_other_noun(token, found):
                continue
            group = "mediator" if verbal else "mediator-noun"
            out += self._actors(self._role(group, token, found), actors)
        return out

    def _under_proviso(self, tree, i: int) -> bool:
        """Whether a token hangs under a condition: one of its ancestors is a
        ``proviso`` or has one among its children before it."""
        book = self.rules.vetoes
        head, children = tree.head, tree.children
        while head[i] != i:
            i = head[i]
            if book.condition("proviso", tree, i, {}) or \
                    any(book.condition("proviso", tree, c, {}) for c in children[i] if c < i):
                return True
        return False

    def _proviso(self, token: Token) -> bool:
        """'provided (that) they ...': a condition, not an act of providing."""
        return self.rules.vetoes.condition("proviso", tree_of(token.doc), token.i, {})

    def _under_other_noun(self, token: Token, found: Found) -> bool:
        """Whether a cue hangs on another act than the trigger ('accused Russia of
        failing the Moscow-brokered ceasefire': Moscow mediated the ceasefire)."""
        own = {t.i for t in found.tokens} | ({found.governor.i} if found.governor is not None else set())
        path: list[Token] = []
        node = token.head
        for _ in range(10):
            if node.i in own:
                break
            if node.head.i == node.i:
                return False
            path.append(node)
            node = node.head
        else:
            return False
        # an event noun on the way, other than the trigger's own complement ("met for
        # talks mediated by X"), owns the cue
        # -- except a frame the act is done under ("agreed to stop fighting under a
        # deal brokered by Moscow": Moscow brokered the agreement)
        nouns = [n for n in path if n.pos_ in self.grammar.labels.noun
                 and (n.i in found.rivals or n.lemma_.lower() in self.lexicon.event_nouns)
                 and not self._frame_of_act(n, own)]
        return any(path.index(n) < len(path) - 2 for n in nouns)

    def _frame_of_act(self, noun: Token, own: set[int]) -> bool:
        """'under a deal' hanging on the act itself or on the verbs it governs
        ('agreed to stop fighting under a deal'), not on another noun ('its
        obligations under a ceasefire')."""
        labels = self.grammar.labels
        if noun.dep_ not in labels.preposition_object or \
                noun.head.lower_ not in self.lexicon.frames["frame_preps"]:
            return False
        node = noun.head.head
        for _ in range(6):
            if node.i in own:
                return True
            if node.pos_ not in labels.verb or node.dep_ not in labels.act_continued_by:
                return False
            node = node.head
        return False

    def _attach_later_mediators(self, sent: Span, actors: DocActors, events: list[Event]) -> None:
        """'Michel, who mediated the discussions, said…': the mediator of the last
        consultation that has none, within the two sentences before."""
        doc, lemmas = sent.doc, words_of(sent.doc)[1]
        for i in range(sent.start, sent.end):
            if lemmas[i] not in self.lexicon.mediation_verbs:
                continue
            token = doc[i]
            labels = self.grammar.labels
            own_subject = any(c.dep_ in labels.subject for c in token.children)
            who = [token.head] if token.dep_ in labels.relative_clause else \
                self.grammar.subject_chain(token)[:1] if own_subject else []
            if who:  # "Michel, who mediated …" or the mediating verb's own subject
                mediators = self._actors(who, actors)
                recent = [e for e in events if e.type == "CONSULT" and not e.mediator
                          and 0 <= sent.start_char - e.span[1] < 600]
                if mediators and recent:
                    target = recent[-1]
                    ids = {a.id for a in target.actor + target.recipient}
                    target.mediator = [m for m in mediators if m.id not in ids]
                    if target.mediator:
                        target.mode = target.mode or "third-party"

    def _status(self, found: Found) -> tuple[str, str | None]:
        """The act's status and the rule that set it (event_status.yaml): the
        negation rules over the act's verbs first, then verb by verb the
        first mood rule that fires; else occurred."""
        head = found.head
        tree, book = tree_of(head.doc), self.rules.status
        facts = facts_of(found)
        nodes = [head.i] + ([found.governor.i] if found.governor is not None else []) + \
            [t.i for t in self.grammar.control_chain(head)]
        for rule in self.negation:
            for node in nodes if rule.sets.get("scope") == "act" else nodes[:1]:
                if book.fires(rule, tree, node, facts) is not None:
                    return rule.sets["status"], rule.id
        for node in nodes:
            decided = book.first(tree, node, facts, self.mood)
            if decided is not None:
                return decided[0].sets["status"], decided[0].id
        return "occurred", None

    def _rewrite(self, found: Found, type_name: str, mode: str | None, status: str,
                 rewrites: list[str]) -> tuple[str, str | None, str]:
        """The type rewrites that fire, in order, each seeing what the ones
        before it set (event_rewrites.yaml)."""
        tree, book = tree_of(found.head.doc), self.rules.rewrites
        for rule in book:
            facts = facts_of(found, type=type_name, status=status)
            if book.fires(rule, tree, found.head.i, facts) is None:
                continue
            new = rule.sets["type"]
            type_name = facts["passive_type"] if new == "$passive_type" else new
            mode, status = None, rule.sets.get("status", status)
            rewrites.append(f"rewrite:{rule.id}")
        return type_name, mode, status

    def _passive_turn(self, found: Found) -> bool:
        """A passive that changes the entry's type and roles (rewrite passive-type):
        the subject holds the view, the by-phrase is what it is held of."""
        rule = self.rules.rewrites.by_id["passive-type"]
        return self.rules.rewrites.fires(rule, tree_of(found.head.doc), found.head.i,
                                         facts_of(found)) is not None

    def _passive(self, token: Token) -> bool:
        return self.rules.vetoes.condition("passive", tree_of(token.doc), token.i, {})


# -- helpers on the parse ------------------------------------------------

def _pos(token: Token, walks: Grammar) -> str | None:
    """A token's part of speech as the trigger lexicon names it: VERB or NOUN."""
    if token.pos_ in walks.labels.verb:
        return "VERB"
    if token.pos_ in walks.labels.noun:
        return "NOUN"
    return None


def _near(token: Token, walks: Grammar) -> list[Token]:
    """Children, grandchildren through non-clausal children, and the head."""
    out = list(token.children)
    for child in token.children:
        if child.dep_ in walks.labels.near:
            out += list(child.children)
    if token.head.i != token.i:
        out.append(token.head)
    return out


def _other_clause(token: Token, anchor: Token, walks: Grammar) -> bool:
    """A verb in a clause of its own under (or over) the anchor: 'demanded that
    Azerbaijan withdraw' is no withdrawn demand."""
    links = walks.labels.clause_links
    return token.pos_ in walks.labels.verb and (
        (token.head.i == anchor.i and token.dep_ in links) or
        (anchor.head.i == token.i and anchor.dep_ in links))


def _other_lemmas(anchor: Token, lemmas: tuple[str, ...], near: list[Token] | None,
                  walks: Grammar) -> list[Token] | None:
    """Distinct tokens near the anchor for the entry's other lemmas
    ('held talks', 'talks were held', 'exchange of prisoners'), or None.
    ``near``: the anchor's ``_near`` tokens, when already found."""
    rest = list(lemmas)
    rest.remove(anchor.lemma_.lower())
    if not rest:
        return []
    if near is None:
        near = _near(anchor, walks)
    parts: list[Token] = []
    for lemma in rest:
        match = next((t for t in near if t.lemma_.lower() == lemma and t not in parts
                      and t is not anchor and not _other_clause(t, anchor, walks)), None)
        if match is None and anchor.i + 1 < len(anchor.doc) and \
                anchor.doc[anchor.i + 1].lemma_.lower() == lemma:
            match = anchor.doc[anchor.i + 1]  # "handed over 15 detainees": a misattached particle
        if match is None:
            return None
        parts.append(match)
    return parts


def _embedding(token: Token, owner: dict[int, Found], lexicon: Lexicon,
               walks: Grammar) -> Found | None:
    """The trigger whose content this act is ('offered to host', 'expressed its
    readiness to conduct talks', 'pledged to work towards setting up a
    commission to delimit'): the nearest owner up the chain that embeds, or the
    nearest owner when none does. Adjuncts of time and place are not content."""
    labels = walks.labels
    node = token
    nearest: Found | None = None
    for _ in range(6):
        purpose = node.dep_ in labels.adverbial_clause and any(
            c.dep_ in labels.auxiliary and c.lower_ in walks.words.infinitive_marks
            for c in node.children)
        if node.dep_ not in labels.content_links and not purpose or node.head.i == node.i:
            break
        if node.dep_ in labels.preposition and node.lower_ in lexicon.frames["adjunct_preps"]:
            break
        node = node.head
        found = owner.get(node.i)
        if found is not None and found.head.i != token.i:
            nearest = nearest or found
            if found.trigger.embeds or found.trigger.type in EMBEDDING_TYPES or \
                    found.head.lemma_.lower() in lexicon.frames["embedding_negators"]:
                return found
    return nearest


@cache
def _default_rules() -> EventRules:
    return load_event_rules(load_event_lexicon())


def imperative(verb: Token) -> bool:
    """A command: a bare verb that heads its sentence with no subject ('Recognize
    our territorial integrity, sign a peace agreement'): conditions.yaml."""
    return _default_rules().vetoes.condition("imperative", tree_of(verb.doc), verb.i, {})


def _adjacent_actor(verb: Token, actors: DocActors, walks: Grammar) -> list[Actor]:
    """An actor mention ending just before the verb in its sentence, or making
    up the whole of a fragment the parser split off just before it."""
    i = verb.i - 1
    start = sentence_of(verb).start
    while i >= start and (verb.doc[i].pos_ in walks.labels.adverbial or
                          verb.doc[i].lower_ in walks.words.apostrophes):
        i -= 1
    if i < start and start > 0 and verb.doc[start - 1].dep_ in walks.labels.root and \
            not verb.doc[start - 1].is_punct and not list(verb.doc[start - 1].children):
        i = start - 1  # a subject the parser cut off as a sentence of its own ("– Azerbaijan | handed")
    mention = actors.by_token.get(i) if i >= 0 and (i >= start or i == start - 1) else None
    return mention.actors if mention is not None else []


def _named_by(token: Token, actors: DocActors, walks: Grammar) -> Token:
    """The token, or, when it names no one, the name set beside it ('his
    Azerbaijani counterpart, Jeyhun Bayramov')."""
    if actors.at(token) is not None:
        return token
    return next((c for c in walks.children(token, walks.labels.apposition)
                 if actors.at(c) is not None), token)


def _mention_for(token: Token, actors: DocActors, walks: Grammar) -> Mention | None:
    """The actor mention at a token, or inside its noun phrase: a name before it
    ('the Azerbaijani ministry'), an of/by/from-phrase ('representatives of
    Baku', 'a request by Azerbaijan'; but by or from only a known actor)."""
    mention = actors.at(_named_by(token, actors, walks))
    if mention is not None:
        return mention
    for child in walks.children(token, walks.labels.owner_modifiers):
        found = actors.at(child) if child.i < token.i else None
        if found is not None:
            return found
    for pobj in walks.prep_objects(token, walks.words.owner_preps):
        found = actors.at(pobj)
        if found is not None and (pobj.head.lower_ in walks.words.genitive_preps or
                                  found.actor.id or found.actor.code):
            return found
    return None


def _participle_of(word: str, lemmas: frozenset[str]) -> bool:
    """Whether a word is the past participle of one of the lemmas ('hosted')."""
    return any(word in (lemma + "d", lemma + "ed", lemma[:-1] + "ied" if lemma.endswith("y") else "")
               for lemma in lemmas)


def _clause_tokens(head: Token, sent: Span, walks: Grammar) -> list[Token]:
    """The tokens of the trigger's clause (mediation cues are looked for here)."""
    root = head
    while root.dep_ not in walks.labels.root and root.head.i != root.i and \
            root.dep_ in walks.labels.within_clause:
        root = root.head
    return [t for t in root.subtree if sent.start <= t.i < sent.end]


def _answer_earlier(event: Event, found: Found, earlier: list[Event], answered: dict) -> None:
    """An answer to an earlier act ('Baku dismissed the claims', 'accepted the
    offer') is addressed to that act's author, when it names none itself
    (event_frames.yaml ``answered``: the noun answered -> the type of its act)."""
    if event.recipient or event.type not in answered["answer_types"]:
        return
    acts = dict(answered["acts"])  # a table of words, read whole
    objects = [c for t in found.tokens for c in [t, *t.children]
               if c.lemma_.lower() in acts and c.pos_ == "NOUN"]
    if not objects:
        return
    wanted = acts[objects[0].lemma_.lower()]
    for previous in reversed(earlier[-8:]):
        if previous.type == wanted and previous.actor and event.span[0] - previous.span[1] < 800:
            ids = {a.id for a in event.actor}
            event.recipient = [a for a in previous.actor if a.id is None or a.id not in ids]
            return


def _separately(event: Event, found: Found, separately: frozenset[str]) -> list[Event]:
    """'Putin held separate talks with Aliyev and Pashinyan': one act per partner."""
    words = {c.lower_ for t in [*found.tokens, found.head.head] for c in t.children}
    if not words & separately or len(event.recipient) < 2:
        return [event]
    out = []
    for n, recipient in enumerate(event.recipient):
        key = f"{event.id}:{n}"
        out.append(replace(event, id="e-" + hashlib.sha1(key.encode()).hexdigest()[:16],
                           recipient=[recipient], decided_by=[*event.decided_by]))
    return out


def _event_id(doc_id: str, span: tuple[int, int], type_name: str) -> str:
    key = f"{doc_id}:{span[0]}:{span[1]}:{type_name}"
    return "e-" + hashlib.sha1(key.encode()).hexdigest()[:16]

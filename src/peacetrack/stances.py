"""Where each party stands on each issue of the profile (SPEC §2 stance).

An issue is named by one of its profile aliases (``IssueCues``, a
PhraseMatcher built once per process), by a word pointing back to one ("the
corridor", "this issue"), or by a mediation track's talks ("hosting another
round of talks in Washington"). Its holder comes, strongest first, from the
clause that governs the mention ("Baku insists such guarantees ..."; the actors
of the event whose verb that is, so "Aliyev and Pashinyan agreed to ..." gives
both), from the event the mention is part of ("urged Azerbaijan to reopen the
Lachin Corridor": the requester), or from the quote it is in (the speaker).
The position comes from the cue words on the way from the mention up to the
holder's verb (``positions.yaml``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .actors import DocActors, Mention
from .lexicons import load_lexicon
from .nlp import determined, pattern_words, sentence_of, syntax_of, text_of, with_words, words_of
from .profile import Profile
from .quotes import Attributor, quote_date, speech_lexicon
from .records import Actor, DateValue, Event, Quote, Stance
from .walks import grammar

# PLOVER types whose actor states a position on what the event names: for it
# ("agreed to restore railway links", "urged Baku to reopen the corridor") or
# against it ("rejected any arrangement"). Acts (RETREAT, AID, CONSULT, COERCE
# ...) are what parties do, not what they say they want, and give no stance.
SUPPORTING = {"AGREE", "SUPPORT", "REQUEST"}
OPPOSING = {"REJECT", "PROTEST"}
# the parser's labels and the grammar words (data/languages/en: labels.yaml, words.yaml)
L = grammar().labels
W = grammar().words
STRENGTH = {"conditional": 3, "neutral": 2, "oppose": 1, "support": 0}


@dataclass(frozen=True)
class StanceWords:
    """Cue words per position (positions.yaml)."""

    oppose: frozenset[str]
    support: frozenset[str]
    conditional: frozenset[str]
    conditional_phrases: tuple[str, ...]
    oppose_phrases: tuple[str, ...]
    neutral_phrases: tuple[str, ...]
    support_phrases: tuple[str, ...] = ()
    evaluative: frozenset[str] = frozenset()
    turning: frozenset[str] = frozenset()
    shaping: frozenset[str] = frozenset()
    modals: frozenset[str] = frozenset()
    addressed: frozenset[str] = frozenset()
    desire: frozenset[str] = frozenset()
    aims: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    mediation: frozenset[str] = frozenset()
    hosting: frozenset[str] = frozenset()
    circumstance: frozenset[str] = frozenset()
    outsiders: frozenset[str] = frozenset()
    judging: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    signing: frozenset[str] = frozenset()
    questions: frozenset[str] = frozenset()
    acts: frozenset[str] = frozenset()  # cue verbs that are no cue words
    failing: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    contents: frozenset[str] = frozenset()
    occasions: frozenset[str] = frozenset()

    def has(self, token: Token, words: frozenset[str]) -> bool:
        return token.lemma_.lower() in words or token.lower_ in words

    def cue(self, token: Token) -> bool:
        """Whether a word marks a position (support, oppose, a condition or a
        judgement); 'asked about the withdrawal' is a question, no request."""
        if self.question(token):
            return False
        if token.pos_ in L.adjective and token.dep_ in L.adjective_complement and self.has(token, self.acts):
            return False  # 'the road was open': a state described, not an act wanted
        return self.has(token, self.support | self.oppose | self.conditional | self.evaluative)

    def question(self, token: Token) -> bool:
        """'when asked about the withdrawal': a question, no request."""
        return self.has(token, self.addressed) and any(c.lower_ in self.questions
                                                       for c in token.children)

    def judgement(self, token: Token) -> bool:
        return self.has(token, self.evaluative) and not self.has(
            token, self.support | self.oppose | self.conditional)


@cache
def stance_words() -> StanceWords:
    data = load_lexicon("positions")
    oppose, support, conditional = data["oppose"], data["support"], data["conditional"]
    return StanceWords(
        oppose=frozenset(oppose["verbs"]) | frozenset(oppose["words"]),
        support=frozenset(support["verbs"]) | frozenset(support["words"]),
        conditional=frozenset(conditional["words"]),
        conditional_phrases=tuple(conditional["phrases"]),
        oppose_phrases=tuple(oppose["phrases"]),
        neutral_phrases=tuple(data["neutral"]["phrases"]),
        support_phrases=tuple(support.get("phrases", [])),
        evaluative=frozenset(data.get("evaluative", [])),
        turning=frozenset(oppose.get("turning", [])),
        shaping=frozenset(conditional.get("shaping", [])),
        modals=frozenset(conditional.get("modals", [])),
        addressed=frozenset(data.get("addressed", [])),
        desire=frozenset(data.get("desire", [])),
        aims=frozenset(data.get("aims", [])),
        references=frozenset(data.get("references", [])),
        mediation=frozenset(data.get("mediation", [])),
        hosting=frozenset(data.get("hosting", [])),
        circumstance=frozenset(data.get("circumstance", [])),
        outsiders=frozenset(data.get("outsiders", [])),
        judging=frozenset(data.get("judging", [])),
        goals=frozenset(data.get("goals", [])),
        signing=frozenset(data.get("signing", [])),
        questions=frozenset(data.get("questions", [])),
        failing=frozenset(data.get("failing", [])),
        acts=(frozenset(support["verbs"]) | frozenset(oppose["verbs"])) -
        frozenset(support["words"]) - frozenset(oppose["words"]),
        documents=frozenset(data.get("documents", [])),
        contents=frozenset(data.get("contents", [])),
        occasions=frozenset(data.get("occasions", [])))


# -- issues ----------------------------------------------------------------------

class IssueCues:
    """The profile's issues and aliases as one lowercase phrase matcher."""

    def __init__(self, profile: Profile, vocab) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        # the head noun of each alias ('road' of 'Lachin road', 'withdrawal' of
        # 'withdrawal of peacekeepers'): 'the road' may point back to the issue
        self.heads: dict[str, set[str]] = {}
        # a keyword ('negotiations', 'deal') names an issue by itself; one two
        # issues of the profile share names neither
        by_word: dict[str, set[str]] = {}
        for issue in profile.issues:
            for word in issue.keywords:
                by_word.setdefault(word.lower(), set()).add(issue.id)
        self.keywords = {w: next(iter(ids)) for w, ids in by_word.items() if len(ids) == 1}
        for issue in profile.issues:
            phrases = dict.fromkeys([issue.name, *issue.aliases])
            self.matcher.add(issue.id, [Doc(vocab, words=list(pattern_words(p)))  # as documents are
                                        for p in phrases])
            for phrase in issue.aliases:
                words = [w.lower() for w in pattern_words(phrase)]
                genitive = [n for n, w in enumerate(words) if w in W.genitive_preps]
                # 'of' after the first word: the word before the first 'of'
                head = words[genitive[0] - 1] if genitive and genitive[-1] > 0 else words[-1]
                if len(words) > 1 and head.isalpha():
                    self.heads.setdefault(head, set()).add(issue.id)

    def find(self, doc: Doc) -> list[tuple[str, Span, str]]:
        """(issue id, span, how it was named) for each longest alias match, in
        text order; how: ``alias``, ``keyword``, ``definite`` ('the corridor'),
        ``reference`` ('this issue') or ``implied`` ('the signing')."""
        found = [(doc.vocab.strings[m], doc[s:e]) for m, s, e in self.matcher(doc)]
        kinds = ["alias"] * len(found)

        def add(kind: str, more: list[tuple[str, Span]]) -> None:
            found.extend(more)
            kinds.extend([kind] * len(more))

        add("keyword", _keywords(doc, found, self.keywords))
        add("definite", _definite(doc, found, self.heads))
        add("reference", _references(doc, found, stance_words()))
        add("implied", _implied(doc, found, stance_words()))
        ordered = sorted(zip(found, kinds, strict=True), key=lambda f: (f[0][1].start, -len(f[0][1])))
        out: list[tuple[str, Span, str]] = []
        for (issue, span), kind in ordered:
            if out and span.start < out[-1][1].end and out[-1][0] == issue:
                continue
            out.append((issue, span, kind))
        return out


def _keywords(doc: Doc, named: list[tuple[str, Span]],
              keywords: dict[str, str]) -> list[tuple[str, Span]]:
    """A keyword of an issue outside any alias ('resume the negotiations',
    'signed the deal'): a noun or verb, not part of a name. Whether anyone
    takes a position on it is for the holder's clause to say. Not when it
    says when something happened ('during the talks', 'under a deal'), nor
    when it has a content of its own ('an agreement on a new border policy',
    'a deal to dissolve the group'): that names another thing."""
    if not keywords:
        return []
    taken = {i for _, span in named for i in range(span.start, span.end)}
    pos = syntax_of(doc).pos
    words = stance_words()
    out = []
    for i in with_words(doc, keywords):
        if i in taken or pos[i] not in L.noun_or_verb:
            continue
        token = doc[i]
        if token.dep_ in L.preposition:
            continue  # a verb form used as a preposition names nothing: 'according to'
        if _circumstance(token, words) or (token.pos_ in L.common_noun and any(
                c.dep_ in L.clause_modifier or (c.dep_ in L.preposition and c.lower_ in words.contents)
                for c in token.children)):
            continue
        issue = keywords.get(token.lemma_.lower()) or keywords.get(token.lower_)
        if issue:
            out.append((issue, doc[i:i + 1]))
    return out


def _definite(doc: Doc, named: list[tuple[str, Span]],
              alias_heads: dict[str, set[str]] | None = None) -> list[tuple[str, Span]]:
    """'the corridor', 'the treaty' after 'the Lachin corridor', 'a peace
    treaty': a definite head noun points back to the issue last named with it.
    A bare 'the road', 'the withdrawal' (no modifier of its own) points back
    to the issue named last before it, in this sentence or the two before, that
    has an alias with that head ('Lachin road', 'withdrawal of peacekeepers')."""
    heads: dict[str, list[tuple[int, str]]] = {}
    for issue, span in named:
        if len(span) > 1 and span[-1].pos_ in L.common_noun:
            heads.setdefault(span[-1].lemma_.lower(), []).append((span.end, issue))
    taken = {i for _, span in named for i in range(span.start, span.end)}
    out = []
    pos = syntax_of(doc).pos
    for i in sorted(determined(doc, W.definite_determiners)):
        if i in taken or pos[i] not in L.common_noun:
            continue
        token = doc[i]
        earlier = [issue for end, issue in heads.get(token.lemma_.lower(), []) if end <= token.i]
        if not earlier and alias_heads and not any(
                c.dep_ in L.noun_qualifiers
                for c in token.children):
            issues = alias_heads.get(token.lower_, set())
            sent = sentence_of(token)
            start = sent.start
            for _ in range(2):
                start = sentence_of(doc[start - 1]).start if start > 0 else start
            earlier = [issue for issue, span in sorted(named, key=lambda n: n[1].end)
                       if issue in issues and start <= span.start and span.end <= token.i]
        if earlier:
            out.append((earlier[-1], doc[token.i:token.i + 1]))
            # the same bare noun later in the report keeps its referent
            heads.setdefault(token.lemma_.lower(), []).append((token.i + 1, earlier[-1]))
    return out


def _references(doc: Doc, named: list[tuple[str, Span]],
                words: StanceWords) -> list[tuple[str, Span]]:
    """'this issue', 'this item': the issue named last before, in the same
    sentence or the one before it."""
    taken = {i for _, span in named for i in range(span.start, span.end)}
    out = []
    this = determined(doc, W.demonstratives)
    lemmas = words_of(doc)[1]
    for i in sorted(this):
        if i in taken or lemmas[i] not in words.references:
            continue
        token = doc[i]
        sent = sentence_of(token)
        before = sentence_of(doc[sent.start - 1]) if sent.start > 0 else sent
        earlier = [(span.end, issue) for issue, span in named
                   if before.start <= span.start and span.end <= token.i]
        if earlier:
            out.append((max(earlier)[1], doc[token.i:token.i + 1]))
    return out


def _implied(doc: Doc, named: list[tuple[str, Span]],
             words: StanceWords) -> list[tuple[str, Span]]:
    """'Baku would sign only after ...', 'consultations on the date for the
    signing': signing with nothing signed named is signing the document
    (treaty, agreement) last named before it."""
    documents = sorted(((span.end, issue) for issue, span in named
                        if words.has(span[-1], words.documents)), key=lambda d: d[0])
    taken = {i for _, span in named for i in range(span.start, span.end)}
    out = []
    for i in with_words(doc, words.signing):
        if i in taken:
            continue
        token = doc[i]
        if token.pos_ in L.full_verb:
            bare = not any(c.dep_ in L.object_links or
                           (c.dep_ in L.preposition and c.lower_ in W.object_particles)
                           for c in token.children) and token.dep_ not in L.noun_modifying_verb
        else:  # 'the signing', not 'the signing of the declaration'
            bare = token.pos_ in L.common_noun and not any(c.dep_ in L.noun_specifiers
                                                           for c in token.children) and \
                any(c.dep_ in L.determiner and c.lower_ in W.definite_article for c in token.children)
        earlier = [issue for end, issue in documents if end <= token.i]
        if bare and earlier:
            out.append((earlier[-1], doc[token.i:token.i + 1]))
    return out


class TrackCues:
    """The profile's mediation tracks: who mediates each, and where."""

    def __init__(self, profile: Profile) -> None:
        self.by_mediator: dict[str, str] = {}
        self.by_place: dict[str, str] = {}
        self.profile_tracks = list(profile.tracks)
        for track in profile.tracks:
            if not track.issue:
                continue
            for mediator in track.mediators:
                self.by_mediator.setdefault(mediator, track.issue)
            for place in track.places:
                self.by_place.setdefault(place.lower(), track.issue)
        self.part_of = {e.id: e.part_of for e in profile.entities.values() if e.part_of}
        # a mediating state's or organisation's officials ('Zakharova', code RUS)
        self.by_code: dict[str, str] = {}
        for entity in profile.entities.values():
            if entity.code and entity.kind in ("country", "body", "organisation") and \
                    entity.id in self.by_mediator and entity.sector in (None, "IGO", "GOV"):
                self.by_code.setdefault(entity.code, self.by_mediator[entity.id])
        self.issues = {t.issue for t in profile.tracks if t.issue}
        self.parties = set(profile.countries)

    def at_work(self, actors: DocActors) -> bool:
        """Whether a report is about the profile's process (one of its parties
        acts in it): a mediator of this process thanked or blamed in a report
        on another conflict mediates something else."""
        return not self.parties or any(
            a.code in self.parties for m in actors.mentions for a in m.actors)

    def of_actor(self, actor: Actor) -> str | None:
        """The track an actor mediates (a body of a mediating state counts as it)."""
        key = actor.id or ""
        return self.by_mediator.get(key) or self.by_mediator.get(self.part_of.get(key, ""))

    def own(self, actor: Actor) -> str | None:
        """The track of the mediator an actor speaks for: its own, or its state's."""
        return self.of_actor(actor) or self.by_code.get(actor.code or "")

    def in_doc(self, doc: Doc, actors: DocActors, named: list[tuple[str, Span]]) -> list[str]:
        """The tracks a report speaks of: a mediator acting in it, a venue or a
        track named (what 'Western mediators', 'partners' refer to there)."""
        found = {self.of_actor(a) for m in actors.mentions for a in m.actors}
        words = set(words_of(doc)[0])
        text = f" {text_of(doc).lower()} "
        found |= {issue for place, issue in self.by_place.items()
                  if place.split()[0] in words and f" {place}" in text}
        found |= {issue for issue, _ in named if issue in self.issues}
        return [t.issue for t in self.profile_tracks if t.issue in found]

    def find(self, doc: Doc, who: Attributor, words: StanceWords,
             taken: set[int]) -> list[tuple[str, Span]]:
        """'Russia's engagement', 'mediation efforts of the US and the EU',
        'talks in Washington': (track issue, span) for each; '@host' for the
        object of 'host', whose track is its host's."""
        out: list[tuple[str, Span]] = []
        pos = syntax_of(doc).pos
        for i in with_words(doc, words.mediation):
            if i in taken or pos[i] not in L.noun:
                continue
            token = doc[i]
            if _circumstance(token, words):
                continue
            span = doc[token.i:token.i + 1]
            if token.dep_ in L.any_object and words.has(token.head, words.hosting):
                out.append(("@host", span))
                continue
            issues = self._named(token, who)
            if not issues and _outside(token, words):
                issues = ["@others"]
            out += [(issue, span) for issue in issues]
        return out

    def judged(self, doc: Doc, who: Attributor, words: StanceWords,
               taken: set[int]) -> list[tuple[str, Span]]:
        """'accused the European Union and the United States of ...', 'thanked
        Trump': a mediator praised or blamed by name is its mediation judged."""
        out: list[tuple[str, Span]] = []
        syntax = syntax_of(doc)
        dep, head = syntax.dep, syntax.head
        judging = set(with_words(doc, words.judging))
        for i, d in enumerate(dep):
            if d not in L.direct_object or i in taken or head[i] not in judging:
                continue
            token = doc[i]
            for mention in who.group(token):
                for actor in mention.actors:
                    issue = self.of_actor(actor)
                    if issue:
                        out.append((issue, doc[mention.start:mention.end]))
        return out

    def _named(self, token: Token, who: Attributor) -> list[str]:
        near = [c for c in token.children if c.dep_ in L.owner_modifiers or c.dep_ in L.mediator_links]
        near += [g for c in near if c.dep_ in L.mediator_links for g in c.children]
        near += [g for c in near if c.dep_ in L.preposition_or_agent for g in c.children]
        if token.dep_ in L.attribute:  # 'the United States has been an important partner'
            near += [c for c in token.head.children if c.dep_ in L.active_or_passive_subject]
        if token.dep_ in L.direct_object:  # 'to hold another round of talks on December 15 in Brussels'
            places = [c for c in token.head.children if c.dep_ in L.preposition]
            places += [p for c in places for g in c.children for p in g.children
                       if p.dep_ in L.preposition]
            near += [g for c in places if c.lower_ in W.place_preps for g in c.children
                     if g.dep_ in L.preposition_object]
        issues: list[str] = []
        for other in near:
            for actor in _actors(who.group(other)):
                issue = self.of_actor(actor)
                if issue and issue not in issues:
                    issues.append(issue)
            if other.dep_ in L.preposition_object and other.head.lower_ in W.place_preps:
                issue = self.by_place.get(other.text.lower())
                if issue and issue not in issues:
                    issues.append(issue)
        return issues



def _outside(token: Token, words: StanceWords) -> bool:
    """'Western mediators', 'efforts by partners', 'other international
    players', 'any efforts': mediation by others than the speaker's side."""
    near = [token, *(c for c in token.children if c.dep_ in L.noun_dependents)]
    near += [g for c in near if c.dep_ in L.preposition and c.lower_ in W.owner_preps
             for g in c.children if g.dep_ in L.preposition_object]
    near += [g for c in near if c.dep_ in L.preposition_object for g in c.children
             if g.dep_ in L.owner_modifiers]
    return any(words.has(t, words.outsiders) for t in near)


def _circumstance(token: Token, words: StanceWords, which: frozenset[str] | None = None) -> bool:
    """'after talks hosted by Putin', 'on the sidelines of the summit': when
    or where something happened, not what anyone wants of the talks."""
    node = token
    while node.head.i != node.i and node.pos_ not in L.verb:
        if node.dep_ in L.preposition_object and node.head.lower_ in (words.circumstance if which is None else which):
            return True
        node = node.head
    return False


@cache
def issue_cues(profile: Profile, vocab) -> IssueCues:
    """One matcher per profile and vocabulary for the process's lifetime."""
    return IssueCues(profile, vocab)


# -- holders -------------------------------------------------------------------

@dataclass
class Governor:
    """The clause above an issue mention that states someone's position."""

    verb: Token
    holders: list[Actor]
    path: list[Token]        # from the mention's root up to the verb
    judgement: bool          # only evaluative cues: the speaker's view


def _quote_holders(span: Span, quotes: list[Quote]) -> list[Actor]:
    return [q.speaker for q in quotes if q.speaker is not None and
            q.span[0] <= span.start_char < q.span[1]]


def _actors(mentions: list[Mention]) -> list[Actor]:
    return [a for m in mentions for a in m.actors if a.id or a.code]


def _own_subject(node: Token, span: Span, who: Attributor, words: StanceWords,
                 issues: frozenset[int] = frozenset()) -> list[Actor]:
    """The actors a verb's own subject names ('the main task for Yerevan is':
    Yerevan), else its agent ('was proposed by Baku')."""
    # an issue is no holder ('the expected Brussels meeting will bring ...')
    subjects = [c for c in node.children if c.dep_ in L.active_or_passive_subject and c not in span
                and c.i not in issues]
    for child in subjects:
        found = _actors(who.group(child))
        if found:
            return found
        if words.has(child, words.aims):
            for prep in (c for c in child.children
                         if c.dep_ in L.preposition and c.lower_ in W.benefactive_preps):
                found = _actors([m for g in prep.children if g.dep_ in L.preposition_object
                                 for m in who.group(g)])
                if found:
                    return found
    if subjects:
        return []
    if node.dep_ in L.conjunct and node.head.pos_ in L.verb and node.head.i != node.i:
        # 'X accused Baku of ... and called on Y to reopen the road': X calls
        return _own_subject(node.head, span, who, words, issues)
    return _actors(who.subject(node, depth=3))  # 'agent': 'proposed by Baku'


def _governor(span: Span, who: Attributor, words: StanceWords,
              issues: frozenset[int] = frozenset()) -> Governor | None:
    """The nearest verb above the mention with an actor for subject, when the
    way up passes a stance cue ('ready to begin the delimitation'). A verb
    wanted of another party ('wants Armenia to sign') passes to the wanter.
    Narrative ('Russia has brought peacekeepers') is none; so is a cue above
    a reporting verb ('urged X and said Y': Y is a report, not a call).
    A cue noun's owner holds it ('the separatists' calls for ...')."""
    node: Token = span.root
    path: list[Token] = []
    for _ in range(12):
        path.append(node)
        if node.pos_ in L.common_noun and words.cue(node) and node not in span:
            owners = _actors([m for c in _owners(node) for m in who.group(c)])
            if owners:
                return Governor(node, owners, path, words.judgement(node))
        if node.pos_ in L.predicate:
            wanted = (node.dep_ in L.clausal_complement and words.has(node.head, words.desire)) or \
                (node.dep_ in L.clause_modifier and node.head.pos_ in L.common_noun and
                 words.cue(node.head))
            found = [] if wanted else _own_subject(node, span, who, words, issues)
            if found:
                # 'the main task for Yerevan is to ...': the aim states the position
                goals = [c for c in node.children if c.dep_ in L.active_or_passive_subject
                         and words.has(c, words.goals)]
                cues = [t for t in (*path, *(c for c in node.children
                                            if c.dep_ in L.predicate_complements))
                        if words.cue(t) and (t not in span or t.pos_ in L.full_verb)] + goals
                if not cues and not _neutral(path, words):
                    return None
                return Governor(node, found, path, all(words.judgement(t) for t in cues))
            if _reports(node, who) and not any(words.cue(t) for t in path):
                return None
        if node.head.i == node.i:
            break
        node = node.head
    return None


def _owners(noun: Token) -> list[Token]:
    """Who a cue noun belongs to: 'Russia's proposal', 'a U.S. proposal', 'the
    Egyptian proposal', 'a proposal by Qatar', 'calls from Kyiv'."""
    out = [c for c in noun.children if c.dep_ in L.owner_modifiers]
    out += [g for c in noun.children if c.dep_ in L.preposition_or_agent and c.lower_ in W.origin_preps
            for g in c.children if g.dep_ in L.preposition_object]
    return out


def _neutral(path: list[Token], words: StanceWords) -> bool:
    """Whether the clause below the holder's verb leaves the issue to others
    ('said that the withdrawal was a matter for Russia and Azerbaijan')."""
    below = path[-2] if len(path) > 1 else path[-1]
    text = f" {below.doc[below.left_edge.i:below.right_edge.i + 1].text.lower()} "
    return any(f" {p} " in text for p in words.neutral_phrases)


def _reports(verb: Token, who: Attributor) -> bool:
    return verb.pos_ in L.full_verb and who.is_speech(verb, who.lexicon.reporting)


def _addressee(span: Span, words: StanceWords) -> bool:
    """'called on Russian peacekeepers to ...', 'urged the EU to ...': the
    mention is whom a request goes to, not what it is about."""
    root = span.root
    if root.dep_ in L.direct_object and words.has(root.head, words.addressed):
        return True
    return root.dep_ in L.preposition_object and root.head.lower_ in W.addressee_preps and \
        words.has(root.head.head, words.addressed)


def _event_of(token: Token, events: list[Event]) -> Event | None:
    """The stance-bearing event whose trigger holds the token."""
    for event in events:
        trigger = event.trigger_span or event.span
        if event.type in SUPPORTING | OPPOSING and event.actor and \
                trigger[0] <= token.idx < trigger[1]:
            return event
    return None


def _trigger_root(doc: Doc, event: Event) -> Token | None:
    trigger = event.trigger_span or event.span
    found = doc.char_span(*trigger, alignment_mode="expand")
    return found.root if found is not None else None


def _event_holders(span: Span, events: list[Event], who: Attributor | None = None) -> list[Event]:
    """Events whose trigger governs the mention ('rejected any arrangement ...');
    not through a speech verb ('dismissed the accusation, saying the road was
    open': what is said there is a report, not what is rejected)."""
    out = []
    for event in events:
        if event.type not in SUPPORTING | OPPOSING or not event.actor:
            continue
        if not event.span[0] <= span.start_char < event.span[1]:
            continue
        root = _trigger_root(span.doc, event)
        if root is not None and stance_words().question(root):
            continue
        if root is not None and (root.i in range(span.start, span.end) or any(
                c.dep_ in L.topic_links and (c.is_ancestor(span.root) or c.i == span.root.i)
                and not (who is not None and _reports(c, who))
                for c in root.children)):
            out.append(event)
    return out


# -- positions -----------------------------------------------------------------

def position(clause: Span, words: StanceWords, default: str = "support") -> str:
    """The position the clause's cue words give ('support' when none)."""
    return _position(clause, clause.root, clause, words, default, turns_in=list(clause)) or default


def _position(mention: Span, top: Token, clause: Span, words: StanceWords,
              default: str = "support", *, count_top: bool = True,
              turns_in: list[Token] | None = None) -> str | None:
    """The position on the issue named at ``mention`` that the clause up to
    its holder's verb ``top`` states: neutral ('a matter for'), conditional
    (a condition on it, 'as long as'; or terms set on it, 'the treaty must
    rest on ...'), oppose (an odd number of turns on the way up: 'rejected',
    'is against', 'not'), else ``default``. An issue inside the condition is
    the holder's terms, not a position of its own (None)."""
    text = f" {clause.text.lower()} "
    if any(f" {p} " in text for p in words.neutral_phrases):
        return "neutral"
    condition = _condition_start(clause, words)
    if condition is not None:
        return None if condition <= mention.start else "conditional"
    if _shaped(mention, words):
        return "conditional"
    if any(f" {p} " in text for p in words.support_phrases):
        return "support"
    if any(f" {p} " in text for p in words.oppose_phrases):
        return "oppose" if default == "support" else default
    path = turns_in or _path(mention.root, top)
    if not turns_in and _failed(path, words):
        return None
    turns = sum(1 for t in (path if count_top or turns_in else path[:-1])
                if words.has(t, words.oppose | words.turning) or
                # 'not easy', 'not managed to' deny a fact, not a position
                ((words.cue(t) or t.i == top.i) and
                 any(c.dep_ in L.negation or c.lower_ in W.negators for c in t.children)))
    if turns % 2:
        return "support" if default == "oppose" else "oppose"
    return default


def _failed(path: list[Token], words: StanceWords) -> bool:
    """'the parties had failed to settle the issue of prisoners': a failure
    told is a fact, no position on what was not done; unless someone is
    blamed for it ('accused Moscow of failing to keep the road open')."""
    for n, token in enumerate(path):
        if token.pos_ in L.full_verb and words.has(token, words.failing):
            return not any(words.has(t, words.judging) for t in path[n + 1:])
    return False


def _path(node: Token, top: Token) -> list[Token]:
    out = [node]
    while node.i != top.i and node.head.i != node.i:
        node = node.head
        out.append(node)
    return out


def _condition_start(clause: Span, words: StanceWords) -> int | None:
    """Where a condition begins in the clause ('provided that', 'as long as')."""
    lowered = [t.lower_ for t in clause]
    for phrase in words.conditional_phrases:
        parts = phrase.split()
        for i in range(len(lowered) - len(parts) + 1):
            if lowered[i:i + len(parts)] == parts:
                return clause.start + i
    for token in clause:
        if token.lower_ in words.conditional and (token.dep_ in L.condition_links
                                                  or token.lower_ not in W.ambiguous_conditionals):
            return token.i
    return None


def _shaped(mention: Span, words: StanceWords) -> bool:
    """'the treaty must rest on ...', 'such guarantees must be provided at the
    national level': the issue is the subject of terms set on it."""
    root = mention.root
    head = root.head
    return root.dep_ in L.active_or_passive_subject and words.has(head, words.shaping) and \
        any(c.dep_ in L.auxiliary_verb and c.lower_ in words.modals for c in head.children)


def _event_position(event: Event, mention: Span, clause: Span, words: StanceWords) -> str | None:
    base = "oppose" if event.type in OPPOSING else "support"
    if event.status == "negated":
        base = "support" if base == "oppose" else "oppose"
    root = _trigger_root(mention.doc, event) or clause.root
    if _failed([root, root.head], words):
        return None  # 'had failed to settle the issue': a fact told, no position
    return _position(mention, root, clause, words, default=base, count_top=False)


# -- records ---------------------------------------------------------------------

def find_stances(doc: Doc, actors: DocActors, events: list[Event], quotes: list[Quote],
                 profile: Profile, *, doc_id: str, published: DateValue,
                 cues: IssueCues | None = None) -> list[Stance]:
    """One stance per holder, issue and sentence; a conditional position on
    an issue in a sentence outweighs a plain one."""
    cues = cues or issue_cues(profile, doc.vocab)
    who = Attributor(doc, actors, speech_lexicon())
    words = stance_words()
    tracks = TrackCues(profile)
    named_as = [(issue, span, kind) for issue, span, kind in cues.find(doc)
                if not _in_name(span, actors)]
    named = [(issue, span) for issue, span, _ in named_as]
    how_named = {(issue, span.start, span.end): kind for issue, span, kind in named_as}
    taken = {i for _, span in named for i in range(span.start, span.end)}
    found: dict[tuple[str, str, int], tuple[Actor, str, Span, str, list[dict[str, str]]]] = {}
    at_work = tracks.at_work(actors)
    in_doc = tracks.in_doc(doc, actors, named) if at_work else []
    judged = tracks.judged(doc, who, words, taken) if at_work else []
    for named_issue, span in named + tracks.find(doc, who, words, taken) + judged:
        sent = sentence_of(span.root)
        # a line with no closing mark states no position (a caption, a subhead, a menu),
        # but the report's title, its first line, does: its body's restatement is merged
        # into the title's record (one_per_position)
        if (_headline(doc, sent) and sent.start_char > 0) or \
                (_addressee(span, words) and (named_issue, span) not in judged):
            continue
        if (named_issue, span) in named and _circumstance(span.root, words, words.occasions):
            continue  # 'during the talks', 'under the ceasefire': when, not what is wanted
        if (named_issue, span) in judged:
            holders = [(a, pos, ("judges-mediator", None)) for a, pos in _judges(span, who, words)]
            cue = "mediator-judged"
        else:
            holders = _holders(span, events, quotes, who, words, frozenset(taken))
            cue = how_named.get((named_issue, span.start, span.end), "track")
        for actor, pos, how in holders:
            holder = {"by": f"holder:{how[0]}", **({"verb": how[1]} if how[1] else {})}
            steps = [{"by": f"issue:{cue}", "words": span.text}, holder]
            for issue in _resolve(named_issue, actor, tracks, in_doc):
                key = (actor.id or f"code:{actor.code}", issue, sent.start)
                if key not in found or STRENGTH[pos] > STRENGTH[found[key][3]]:
                    found[key] = (actor, issue, sent, pos, steps)
    # a holder with neither an identity nor a code is no party anyone can follow
    records = [_record(doc, doc_id, sent, actor, issue, pos, published, steps)
               for actor, issue, sent, pos, steps in found.values() if actor.id or actor.code]
    return one_per_position(records)


def one_per_position(stances: list[Stance]) -> list[Stance]:
    """One record per actor, issue and position in a report (ANNOTATION.md):
    the first statement, with the others as its mentions."""
    kept: dict[tuple[str, str, str], Stance] = {}
    for stance in sorted(stances, key=lambda s: s.span[0]):
        key = (stance.actor.id or stance.actor.code or stance.actor.text, stance.issue,
               stance.position)
        if key in kept:
            kept[key].mentions.append({"evidence": stance.evidence, "span": list(stance.span)})
        else:
            kept[key] = stance
    return list(kept.values())


def _resolve(issue: str, actor: Actor, tracks: TrackCues, in_doc: list[str]) -> list[str]:
    """The issues a track mention names for this holder: talks it offers to
    host are its own track's; others' mediation ('Western mediators') is each
    other track the report speaks of, when the holder mediates itself."""
    if issue == "@host":
        own = tracks.of_actor(actor)
        return [own] if own else []
    if issue == "@others":
        own = tracks.own(actor)
        return [t for t in in_doc if t != own] if own else []
    return [issue]


def _judges(span: Span, who: Attributor, words: StanceWords) -> list[tuple[Actor, str]]:
    """Who praises or blames the mediator named at ``span``, and so its mediation."""
    node = span.root
    while node.dep_ in L.conjunct and node.head.i != node.i:
        node = node.head
    verb = node.head
    pos = "support" if words.has(verb, words.support) else "oppose"
    acts = [g for v in (verb, *(c for c in verb.children if c.dep_ in L.conjunct))
            for c in v.children if c.dep_ in L.preposition and c.lower_ in W.reason_preps
            for g in c.children if g.dep_ in L.preposition_complement]
    if pos == "oppose" and any(words.has(t, words.failing) or any(
            c.dep_ in L.negation for c in t.children) for t in acts):
        return []  # 'accused Moscow of failing to fulfil its role': a call on it to act
    if any(c.dep_ in L.negation or c.lower_ in W.negators for c in verb.children):
        pos = "support" if pos == "oppose" else "oppose"
    judged = {a.id for m in who.group(span.root) for a in m.actors}
    return [(a, pos) for a in _actors(who.subject(verb)) if a.id not in judged]


def _in_name(span: Span, actors: DocActors) -> bool:
    """An alias written as part of a longer proper name ('the Collective
    Security Treaty Organization'): what an actor is called, not the issue.
    A name that spells the issue out in lowercase ('the working group on
    unblocking economic and transport ties') still names it."""
    mention = actors.at(span[0])
    return mention is not None and mention.start <= span.start and \
        span.end <= mention.end and mention.end - mention.start > len(span) and \
        all(t.is_title or not t.is_alpha for t in span)


def _headline(doc: Doc, sent: Span) -> bool:
    """A title line (no closing punctuation, a line of its own)."""
    text = text_of(doc)
    stripped = text[sent.start_char:sent.end_char].rstrip()
    after = text[sent.start_char + len(stripped):sent.start_char + len(stripped) + 1]
    return bool(stripped) and stripped[-1] not in ".!?\"”’')»:;…" and after in ("\n", "")


def _holders(span: Span, events: list[Event], quotes: list[Quote], who: Attributor,
             words: StanceWords, issues: frozenset[int] = frozenset()
             ) -> list[tuple[Actor, str, tuple[str, str | None]]]:
    """Who holds a position on the issue named at ``span``, which, and how
    they were found (the record's ``holder:`` step, with the verb it read)."""
    if _aside(span, words):
        return []
    sent = sentence_of(span.root)
    speakers = _quote_holders(span, quotes)
    governor = _governor(span, who, words, issues)
    found: list[tuple[Actor, str | None]] = []
    how, verb = "none", None
    if (asked := _asked_of(span, events)) is not None:
        # 'calls for Moscow to ensure the reopening of ...': the caller's position
        clause = span.doc[asked[1].left_edge.i:asked[1].right_edge.i + 1]
        pos = _event_position(asked[0], span, clause, words)
        found, how, verb = [(a, pos) for a in asked[0].actor], "asks-for", asked[1].lemma_
    elif governor is not None:
        clause = span.doc[governor.verb.left_edge.i:governor.verb.right_edge.i + 1]
        event = _event_of(governor.verb, events)
        verb = governor.verb.lemma_
        if governor.judgement:  # 'X said A and B made real progress towards ...': X's view
            speaks = _speaks(governor.verb, who)
            holders = governor.holders if speaks else speakers
            found = [(a, _position(span, governor.verb, clause, words)) for a in holders]
            how = "judgement-of-speaker" if speaks else "judgement-in-quote"
        elif event is not None:  # its actors, with the subject's conjuncts it may lack
            pos = _event_position(event, span, clause, words)
            found, how = [(a, pos) for a in _union(event.actor, governor.holders)], "governing-event"
        else:
            pos = _position(span, governor.verb, clause, words)
            found, how = [(a, pos) for a in governor.holders], "governing-verb"
    elif by_event := _event_holders(span, events, who):
        found = [(actor, _event_position(event, span, sent, words))
                 for event in by_event for actor in event.actor]
        how = "event-about-it"
    elif _cued(span, sent.root, words, who):
        # inside a quote with no named subject ('we are ready'): the speaker's
        found = [(actor, _position(span, sent.root, sent, words)) for actor in speakers]
        how = "quote-speaker"
    return [(a, pos, (how, verb)) for a, pos in found if pos is not None]


def _asked_of(span: Span, events: list[Event]) -> tuple[Event, Token] | None:
    """A mention inside a 'for X to do ...' clause hanging from a call or
    demand ('calls for Moscow to ensure the reopening of the land link'): X is
    asked, the event's actor wants it."""
    node = span.root
    for _ in range(12):
        if node.pos_ in L.verb:
            if not any(c.dep_ in L.marker and c.lower_ in W.infinitive_subject_marks
                       for c in node.children):
                return None
            event = _event_of(node.head, events)
            return (event, node.head) if event is not None else None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _union(first: list[Actor], more: list[Actor]) -> list[Actor]:
    ids = set(_ids(first))
    return [*first, *(a for a in more if _ids([a])[0] not in ids)]


def _cued(span: Span, top: Token, words: StanceWords, who: Attributor) -> bool:
    """Whether a cue word lies on the way from the mention up to ``top``, or
    next to it ('is within reach', 'is ready'); or the mention has terms set on it."""
    if _shaped(span, words):
        return True
    for token in _path(span.root, top):
        if token not in span and _reports(token, who):
            return False  # what the speaker reports, with no cue of its own
        if words.has(token, words.shaping) and \
                any(c.dep_ in L.auxiliary_verb and c.lower_ in words.modals for c in token.children):
            return True  # what 'the treaty must rest on' is asked for
        near = [c for c in token.children if c.dep_ not in L.other_clause_links]
        near += [g for c in near for g in c.children if g.dep_ not in L.other_clause_links]
        if words.cue(token) or any(words.cue(t) for t in near if t not in span):
            return True
    return False


def _after_comma(clause: Token) -> bool:
    """A non-restrictive clause (', which ...'): background, not the thing named."""
    first = clause.left_edge
    return first.i > 0 and first.doc[first.i - 1].text == ","


def _aside(span: Span, words: StanceWords) -> bool:
    """A mention that describes rather than is argued about: in a non-restrictive
    relative clause with no cue ('the route, which is under the control of
    Russian peacekeepers'; 'a ceasefire brokered by ...'), or the doer of a
    passive ('supported by Russian peacekeepers')."""
    node = span.root
    for _ in range(12):
        if node.dep_ in L.agent:
            return True
        if words.cue(node):
            return False
        if node.dep_ in L.relative_clause and node.pos_ in L.verb and _after_comma(node) and \
                not any(words.cue(c) for c in node.children if c.dep_ in L.predicate_complements):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _ids(actors: list[Actor]) -> list[str]:
    return [a.id or f"code:{a.code}" for a in actors]


def _speaks(verb: Token, who: Attributor) -> bool:
    """'Blinken noted significant progress': the subject judges, in words."""
    return who.is_speech(verb, who.lexicon.direct)


def _record(doc: Doc, doc_id: str, sent: Span, actor: Actor, issue: str, pos: str,
            published: DateValue, decided_by: list[dict[str, str]] | None = None) -> Stance:
    start, end = sent.start_char, sent.end_char
    while end > start and text_of(doc)[end - 1].isspace():
        end -= 1
    holder = actor.id or actor.code or actor.text
    digest = hashlib.sha1(f"{doc_id}:{start}:{end}:{issue}:{holder}".encode()).hexdigest()
    return Stance(id="s-" + digest[:16], doc=doc_id, span=(start, end), actor=actor, issue=issue,
                  position=pos, evidence=text_of(doc)[start:end],
                  date=quote_date(doc, start, published), decided_by=list(decided_by or []))

"""The parse walks the stages share ("the subject of this verb", "what this
preposition governs"), keyed to a language's label set.

The labels come from ``data/languages/<lang>/labels.yaml`` (grouped by what
is asked of them: ``subject``, ``object``, ``passive_marks`` ...) and the
grammar words from its ``words.yaml`` (relative pronouns, object-control
verbs); a language with another parser label set changes those files, not
this module. Each walk is also a relation the rule files may use
(``verb >subject who``, see ``rules.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import SimpleNamespace
from typing import Any

from spacy.tokens import Token

from .lexicons import load_language_data
from .rules import Tree


class Grammar:
    """One language's labels and grammar words, and the walks over its parses."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.labels = SimpleNamespace(**{k: frozenset(v) for k, v in
                                         load_language_data(language, "labels").items()})
        self.words = SimpleNamespace(**{k: frozenset(str(w).lower() for w in v) for k, v in
                                        load_language_data(language, "words").items()})

    # -- the subject of a verb -------------------------------------------------------
    def own_subject(self, verb: Token) -> Token | None:
        """The verb's own active subject; a relative pronoun stands for its noun."""
        for child in verb.children:
            if child.dep_ in self.labels.active_subject:
                return self._resolved(verb, child)
        return None

    def subject_chain(self, verb: Token) -> list[Token]:
        """Candidate subjects of a verb, nearest first: its own, then those it
        inherits through xcomp, conj, participles and complement clauses;
        'urged Azerbaijan to reopen': the object of a control verb."""
        labels = self.labels
        out: list[Token] = []
        node = verb
        for _ in range(5):
            subjects = [c for c in node.children if c.dep_ in labels.subject
                        and not (c.dep_ in labels.passive_subject and node.i == verb.i)]
            if subjects:
                out.append(self._resolved(node, subjects[0]))
            elif node.dep_ in labels.relative_clause:
                out.append(node.head)
            if node.dep_ not in labels.subject_inherited_through or node.head.i == node.i:
                break
            if node.dep_ in labels.open_complement and \
                    node.head.lemma_.lower() in self.words.object_control_verbs:
                objects = [c for c in node.head.children if c.dep_ in labels.object]
                if objects:
                    out.append(objects[0])
                    break
            node = node.head
        return out

    def subject(self, verb: Token) -> Token | None:
        """The verb's own subject, else the nearest it inherits."""
        return self.own_subject(verb) or next(iter(self.subject_chain(verb)), None)

    def _resolved(self, verb: Token, subject: Token) -> Token:
        if subject.lower_ in self.words.relative_pronouns and \
                verb.dep_ in self.labels.relative_clause:
            return verb.head
        return subject

    # -- children and phrases --------------------------------------------------------
    def children(self, token: Token, group: frozenset[str]) -> list[Token]:
        """The token's children with one of the group's labels."""
        return [c for c in token.children if c.dep_ in group]

    def prep_objects(self, token: Token, words: frozenset[str] | None = None) -> list[Token]:
        """What the token's prepositions govern ('the mediation of Russia'); only
        those of the prepositions in ``words`` when given."""
        labels = self.labels
        return [g for p in token.children if p.dep_ in labels.preposition and
                (words is None or p.lower_ in words)
                for g in p.children if g.dep_ in labels.preposition_object]

    def of_objects(self, token: Token) -> list[Token]:
        """What the token's of-phrases govern ('representatives of Baku')."""
        return self.prep_objects(token, self.words.genitive_preps)

    def later_conjuncts(self, token: Token) -> list[Token]:
        """The words coordinated with the token after it ('A and B': B of A).
        The parser sometimes leaves a coordination split: 'Minister A and
        Minister B reached' gives A an 'and' but makes B a second subject of
        the verb, not A's conjunct; that B is taken as coordinated too."""
        out = [t for t in token.conjuncts if t.i > token.i]
        if out or token.head.i == token.i or \
                not any(c.dep_ in self.labels.coordinator and c.i > token.i for c in token.children):
            return out
        split = next((s for s in token.head.children if s.i > token.i and s.dep_ == token.dep_), None)
        return [split, *(t for t in split.conjuncts if t.i > split.i)] if split is not None else out

    def objects(self, verb: Token) -> list[Token]:
        """What a verb acts on: its objects, then what its prepositions govern."""
        labels = self.labels
        return [c for c in verb.children if c.dep_ in labels.complement_object] + \
            [g for p in verb.children if p.dep_ in labels.prepositions_to_objects
             for g in p.children if g.dep_ in labels.preposition_object]

    def acted_on(self, verb: Token) -> list[Token]:
        """What a verb acts on: its objects, and the noun a reduced participle
        describes ('information offered by X': X offered information)."""
        labels = self.labels
        out = self.objects(verb)
        if verb.dep_ in labels.clause_modifier and verb.tag_ in labels.past_participle and \
                not any(c.dep_ in labels.own_clause for c in verb.children):
            out.append(verb.head)
        return out

    def governing_verb(self, token: Token) -> Token | None:
        """The verb whose complement the token is ('plan to meet', 'prepare for
        talks'), if any."""
        labels = self.labels
        node = token
        if node.dep_ in labels.preposition_object and node.head.dep_ in labels.preposition:
            node = node.head
        if node.dep_ in labels.governs_act_through and node.head.i != node.i:
            return node.head
        return None

    def noun_phrase(self, noun: Token) -> list[Token]:
        """The noun's own modifiers and those of its of-phrases ("the meeting of the
        leaders of the three countries held on…": the parser often hangs 'held'
        on the last noun)."""
        out = list(noun.children)
        for obj in self.of_objects(noun):
            out += self.noun_phrase(obj)
        return out

    def coordinated_head(self, verb: Token) -> Token:
        """The first of coordinated verbs ('to negotiate and make compromises')."""
        labels = self.labels
        while verb.dep_ in labels.conjunct and verb.head.i != verb.i and \
                verb.head.pos_ in labels.full_verb:
            verb = verb.head
        return verb

    def clause_verb(self, token: Token) -> Token | None:
        """The verb of the clause a word is in ("held … talks"), not a participle
        modifying a noun on the way."""
        labels = self.labels
        node = token
        for _ in range(6):
            if node.head.i == node.i:
                return node if node.pos_ in labels.verb else None
            node = node.head
            if node.pos_ in labels.verb and node.dep_ not in labels.noun_modifier_clause:
                return node
        return None

    def in_object(self, noun: Token) -> bool:
        """Whether a noun is its clause verb's object, or inside it through
        of-phrases ('initialled the text of the agreement')."""
        labels = self.labels
        node = noun
        for _ in range(4):
            if node.dep_ in labels.object:
                return True
            if node.dep_ in labels.preposition_object and \
                    node.head.lower_ in self.words.genitive_preps and \
                    node.head.head.pos_ in labels.noun:
                node = node.head.head
                continue
            return False
        return False

    def control_chain(self, token: Token) -> list[Token]:
        """The verbs an infinitive act hangs from ('will continue to provide',
        'is expected to try to reach'): their tense and mood are the act's."""
        chain = []
        node = token
        while node.dep_ in self.labels.open_complement and node.head.i != node.i and len(chain) < 3:
            node = node.head
            if node.lemma_.lower() in self.words.politeness_verbs:
                break
            chain.append(node)
        return chain

    # -- as relations of the rule files --------------------------------------------
    def relations(self) -> dict[str, Any]:
        """The walks as relations over a parse's indexes (``rules.Walk``)."""
        def each(walk):
            def relation(tree: Tree, i: int, facts: Mapping[str, Any]) -> list[int]:
                found = walk(tree.doc[i])
                if found is None:
                    return []
                if isinstance(found, Token):
                    return [found.i]
                return [t.i for t in found]
            return relation

        return {"subject_chain": each(self.subject_chain), "own_subject": each(self.own_subject),
                "subject": each(self.subject), "objects": each(self.objects),
                "noun_phrase": each(self.noun_phrase), "acted_on": each(self.acted_on),
                "governing_verb": each(self.governing_verb),
                "coordinated_head": each(self.coordinated_head),
                "control_chain": each(self.control_chain)}


@cache
def grammar(language: str = "en") -> Grammar:
    return Grammar(language)

"""The model's attribute rules and lemmas applied by table look-up.

spaCy's ``attribute_ruler`` (in en_core_web_sm: 179 rules that map each
fine-grained tag to its part of speech and morphology, plus a few word
exceptions) runs a Matcher over every document and then sets each match in
a Python loop: about a fifth of the whole parse on this machine. Its rules
look at one or two tokens and at five of their attributes, so the answer
depends only on those attributes: it is computed once per distinct token
and written back in one array. The result is the same annotation
(``tests/test_attribute_lookup.py`` compares both on every seed and
dev-corpus report). A model whose rules use anything else keeps its own
ruler.

The rule lemmatizer likewise builds a Token for every word of every
document to find a lemma it has cached by (word, part of speech,
morphology): here that look-up reads the token array, and only a word not
seen before is lemmatized by the model's own lemmatizer.
"""

import re
from collections.abc import Callable
from typing import NamedTuple

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

# what a rule may look at: the column of each attribute in the token array
FEATURES = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
READ = [LOWER, TAG, DEP, IS_SPACE]
# what a rule may set (the array written back)
WRITTEN = [TAG, POS, MORPH, LEMMA, DEP]
CACHE_LIMIT = 100_000  # distinct tokens remembered

Predicate = Callable[[tuple], bool]


class Unsupported(ValueError):
    """A rule this look-up cannot read: the model's own ruler is kept."""


def _value_test(spec) -> Callable[[object], bool]:
    if isinstance(spec, (str, bool)):
        return lambda value: value == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (operator, argument), = spec.items()
        if operator == "IN":
            allowed = frozenset(argument)
            return lambda value: value in allowed
        if operator == "NOT_IN":
            banned = frozenset(argument)
            return lambda value: value not in banned
        if operator == "REGEX":
            pattern = re.compile(argument)
            return lambda value: isinstance(value, str) and pattern.search(value) is not None
    raise Unsupported(f"rule value {spec!r}")


def _token_test(token_pattern: dict) -> Predicate:
    tests = []
    for name, spec in token_pattern.items():
        if name not in FEATURES:
            raise Unsupported(f"rule attribute {name!r}")
        tests.append((FEATURES[name], _value_test(spec)))
    return lambda features: all(test(features[column]) for column, test in tests)


class AttributeLookup:
    """Applies an AttributeRuler's rules with the same precedence (rules in the
    order they were added, a later rule overriding an earlier one)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs            # per rule: {attribute id: value}, normalised
        self.single: list[tuple[int, Predicate]] = []        # (rule, test) on one token
        self.multi: list[tuple[int, list[Predicate], int]] = []  # (rule, tests, target)
        for rule, entry in enumerate(ruler.patterns):
            index = ruler.indices[rule]
            for pattern in entry["patterns"]:
                tests = [_token_test(token) for token in pattern]
                if len(tests) == 1 and index in (0, -1):
                    self.single.append((rule, tests[0]))
                elif -len(tests) <= index < len(tests):
                    self.multi.append((rule, tests, index % len(tests)))
                else:
                    raise Unsupported(f"rule index {index}")
        for rule_attrs in self.attrs:
            if set(rule_attrs) - set(WRITTEN):
                raise Unsupported(f"rule sets {sorted(rule_attrs)}")
        self.columns = [{WRITTEN.index(a): v for a, v in rule_attrs.items()}
                        for rule_attrs in self.attrs]
        self._tokens: dict[tuple, _Token] = {}   # attribute hashes -> what the rules say

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        tokens = [self._token(tuple(key)) for key in doc.to_array(READ).tolist()]
        values = doc.to_array(WRITTEN)
        later: dict[int, list[int]] = {}   # token -> rules of several tokens that set it
        for start, token in enumerate(tokens):
            for m in token.heads:
                rule, tests, target = self.multi[m]
                end = start + len(tests)
                if end <= len(tokens) and all((m, k) in tokens[start + k].fits
                                              for k in range(1, len(tests))):
                    later.setdefault(start + target, []).append(rule)
        for i, token in enumerate(tokens):
            if i in later:
                self._apply(values[i], sorted(set(token.rules) | set(later[i])))
            else:
                for column, value in token.sets:
                    values[i, column] = value
        doc.from_array(WRITTEN, values)
        return doc

    def _apply(self, row, rules) -> None:
        for rule in rules:
            for column, value in self.columns[rule].items():
                row[column] = value

    def _token(self, key: tuple) -> "_Token":
        found = self._tokens.get(key)
        if found is None:
            strings = self.vocab.strings
            if len(self._tokens) >= CACHE_LIMIT:  # a bound on memory over a long run
                self._tokens.clear()
            lower, tag, dep, is_space = key
            features = (strings[lower], strings[tag] if tag else "",
                        strings[dep] if dep else "", bool(is_space))
            rules = tuple(rule for rule, test in self.single if test(features))
            merged: dict[int, int] = {}
            for rule in rules:
                merged.update(self.columns[rule])
            fits = frozenset((m, k) for m, (_, tests, _) in enumerate(self.multi)
                             for k, test in enumerate(tests) if test(features))
            found = self._tokens[key] = _Token(
                rules, tuple(merged.items()), tuple(m for m, k in fits if k == 0), fits)
        return found


class _Token(NamedTuple):
    """What the rules say of one distinct token."""

    rules: tuple[int, ...]              # one-token rules that fit, in order
    sets: tuple[tuple[int, int], ...]   # (column, value) they set, later ones winning
    heads: tuple[int, ...]              # rules of several tokens it can start
    fits: frozenset                     # (rule of several tokens, position) it fits


class LemmaLookup:
    """The model's rule lemmatizer, asked once per distinct (word, part of
    speech, morphology); a lemma already set (by an attribute rule) is kept,
    as the lemmatizer itself does."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise Unsupported(f"lemmatizer mode {lemmatizer.mode!r}")
        self.lemmatizer = lemmatizer
        self._lemmas: dict[tuple, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = self._lemmas.get(key)
            if found is None:
                if len(self._lemmas) >= CACHE_LIMIT:
                    self._lemmas.clear()
                found = self._lemmas[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


@Language.factory("peacetrack_attribute_lookup", default_config={"source": "attribute_ruler"})
def make_attribute_lookup(nlp: Language, name: str, source: str) -> "AttributeLookup":
    # (no postponed annotations in this module: spaCy reads the factory's types)
    return AttributeLookup(nlp.get_pipe(source))


@Language.factory("peacetrack_lemma_lookup", default_config={"source": "lemmatizer"})
def make_lemma_lookup(nlp: Language, name: str, source: str) -> "LemmaLookup":
    return LemmaLookup(nlp.get_pipe(source))


def use_lookup(nlp: Language) -> list[str]:
    """Put the look-ups in the place of the model's attribute ruler and
    lemmatizer, each where it can read the model's rules. Says which."""
    replaced = []
    for source, kind, factory, name in (
            ("attribute_ruler", AttributeRuler, "peacetrack_attribute_lookup", "peacetrack_attributes"),
            ("lemmatizer", Lemmatizer, "peacetrack_lemma_lookup", "peacetrack_lemmas")):
        if source not in nlp.pipe_names or not isinstance(nlp.get_pipe(source), kind):
            continue
        try:
            nlp.add_pipe(factory, name=name, after=source, config={"source": source})
        except Unsupported:
            continue
        nlp.remove_pipe(source)
        replaced.append(source)
    return replaced

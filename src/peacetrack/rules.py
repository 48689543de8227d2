"""Rules as data: patterns over the parse, each with an id, what it does and
an example, applied by one generic matcher (docs/rules.md).

A rule file (``data/languages/<lang>/rules/*.yaml``) is a list of rules::

    - id: naming
      does: veto
      why: with an object complement the verb names, it does not ask
      example: {text: "Baku called the move illegal.", at: called}
      when: {pos: VERB}                # facts of the candidate (optional)
      pattern:                         # spaCy DependencyMatcher, one line a node
        - trigger: {LEMMA: "@naming_verbs"}
        - trigger > object: {DEP: [dobj, oprd]}
      unless:                          # patterns (or condition names) that must not match
        - [trigger > agent: {DEP: agent}]

A pattern is spaCy's ``DependencyMatcher`` format written one node a line:
the first line names the anchor (the token the rule is asked about); each
other line is ``LEFT OP RIGHT: ATTRS`` with spaCy's relation operators
(``>`` child, ``<`` head, ``>>`` descendant, ``<<`` ancestor, ``.``/``;``
next/previous word, ``.*``/``;*`` later/earlier in the sentence, ``$+``,
``$-``, ``$++``, ``$--`` siblings, ``>+``, ``>-``, ``>++``, ``>--``, ``<+``,
``<-``, ``<++``, ``<--``) or a named walk of the language (``>subject``,
``>objects``, ``>governor``: ``walks.py``). ATTRS are the Matcher's token
attributes (``LOWER``, ``LEMMA`` — in lower case —, ``POS``, ``TAG``,
``DEP``, ``ENT_TYPE``, ``TEXT``, ``IS_PUNCT``, ``IS_TITLE``, ``IS_SPACE``), a value being
a string, a list (any of), ``{IN: ...}``, ``{NOT_IN: ...}``, ``"@list"`` (a
word list of the language, ``words``), ``"$fact"`` (a fact of the
candidate, such as its entry's ``not_objects``) or, under ``_``, a named
condition (``{_: {passive: true}}``). ``to_dependency_matcher`` writes a
rule's patterns in spaCy's own dict form.

A rule fires at a token when one of its alternatives (``any:``, else the
rule itself) holds: its ``when`` facts hold, its pattern matches there, and
none of its ``unless`` entries does. Matching is anchored: a rule is only
ever asked about one token, so a sentence costs a few walks, not a pass of
a matcher over the document.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    TAG,
)
from spacy.tokens import Doc

from .errors import ProfileError
from .lexicons import yaml_where

TREE = "peacetrack.tree"
ATTRIBUTES = {"LOWER": "lower", "LEMMA": "lemma", "POS": "pos", "TAG": "tag", "DEP": "dep",
              "ENT_TYPE": "ent", "TEXT": "text", "ORTH": "text", "IS_PUNCT": "is_punct",
              "IS_TITLE": "is_title", "IS_SPACE": "is_space"}
DOES = {"veto", "skip", "propose", "status", "rewrite", "governor", "role", "condition"}
# the keys of a rule that say when it fires; any other key is what it sets
STRUCTURE = {"id", "does", "why", "example", "examples", "when", "pattern", "unless", "any",
             "takes", "disabled", "code", "__line__"}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class RuleError(ProfileError):
    """A rule file that cannot be read: the message names the file, line and rule."""


# -- the parse as plain lists ------------------------------------------------------

@dataclass
class Tree:
    """One document's parse as lists by token index, read once per document
    (spaCy makes a new Token object on every ``doc[i]``)."""

    doc: Doc
    text: list[str]
    lower: list[str]
    lemma: list[str]  # in lower case
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent: list[str]
    head: list[int]
    is_punct: list[bool]
    is_title: list[bool]
    is_space: list[bool]
    children: list[list[int]]
    sent_start: list[int]
    sent_end: list[int]
    # what a rule book's conditions answered at a token, with no facts
    # (``RuleBook.condition``): the same question comes from many stages
    memo: dict = field(default_factory=dict)


def tree_of(doc: Doc) -> Tree:
    tree = doc.user_data.get(TREE)
    if tree is not None and len(tree.head) == len(doc):
        return tree
    strings = doc.vocab.strings
    array = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, IS_PUNCT, IS_TITLE,
                           IS_SPACE])
    names: dict[int, str] = {0: ""}
    columns = [array[:, k].tolist() for k in range(array.shape[1])]
    for column in columns[:7]:
        for key in set(column):
            if key not in names:
                names[key] = strings[key]
    text, lower, lemma, pos, tag, dep, ent = ([names[k] for k in column] for column in columns[:7])
    lemma = [w.lower() for w in lemma]
    head = [i + (k - 2**64 if k >= 2**63 else k) for i, k in enumerate(columns[7])]
    children: list[list[int]] = [[] for _ in head]
    for i, h in enumerate(head):
        if h != i:
            children[h].append(i)
    sent_start, sent_end = [0] * len(head), [0] * len(head)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            sent_start[i], sent_end[i] = sent.start, sent.end
    tree = Tree(doc, text, lower, lemma, pos, tag, dep, ent, head,
                [bool(k) for k in columns[8]], [bool(k) for k in columns[9]],
                [bool(k) for k in columns[10]], children, sent_start, sent_end)
    doc.user_data[TREE] = tree
    return tree


# -- relations: spaCy's operators, on indexes ----------------------------------------

def _descendants(tree: Tree, i: int) -> list[int]:
    out, stack = [], list(reversed(tree.children[i]))
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(reversed(tree.children[j]))
    return sorted(out)


def _ancestors(tree: Tree, i: int) -> list[int]:
    out = []
    while tree.head[i] != i:
        i = tree.head[i]
        out.append(i)
    return out


def _siblings(tree: Tree, i: int) -> list[int]:
    h = tree.head[i]
    return [j for j in tree.children[h] if j != i] if h != i else []


OPERATORS: dict[str, Callable[[Tree, int], list[int]]] = {
    ">": lambda t, i: t.children[i],
    "<": lambda t, i: [t.head[i]] if t.head[i] != i else [],
    ">>": _descendants,
    "<<": _ancestors,
    ".": lambda t, i: [i + 1] if i + 1 < t.sent_end[i] else [],
    ";": lambda t, i: [i - 1] if i - 1 >= t.sent_start[i] else [],
    ".*": lambda t, i: list(range(i + 1, t.sent_end[i])),
    ";*": lambda t, i: list(range(t.sent_start[i], i)),
    "$+": lambda t, i: [j for j in _siblings(t, i) if j == i + 1],
    "$-": lambda t, i: [j for j in _siblings(t, i) if j == i - 1],
    "$++": lambda t, i: [j for j in _siblings(t, i) if j > i],
    "$--": lambda t, i: [j for j in _siblings(t, i) if j < i],
    ">+": lambda t, i: [j for j in t.children[i] if j == i + 1],
    ">-": lambda t, i: [j for j in t.children[i] if j == i - 1],
    ">++": lambda t, i: [j for j in t.children[i] if j > i],
    ">--": lambda t, i: [j for j in t.children[i] if j < i],
    "<+": lambda t, i: [t.head[i]] if t.head[i] == i + 1 else [],
    "<-": lambda t, i: [t.head[i]] if t.head[i] == i - 1 else [],
    "<++": lambda t, i: [t.head[i]] if t.head[i] > i else [],
    "<--": lambda t, i: [t.head[i]] if t.head[i] < i else [],
}

# A walk of the language as a relation: (tree, index, facts) -> indexes.
Walk = Callable[[Tree, int, Mapping[str, Any]], list[int]]
# A condition written in code: (tree, index, facts) -> bool.
Check = Callable[[Tree, int, Mapping[str, Any]], bool]


# -- compiled rules ---------------------------------------------------------------

@dataclass(frozen=True)
class Test:
    """One attribute test of a node: ``column`` of the tree against ``values``."""

    column: str
    values: frozenset | str | bool | None  # None with ``fact``: read from the facts
    negate: bool = False
    fact: str | None = None
    condition: str | None = None

    def holds(self, tree: Tree, i: int, facts: Mapping[str, Any], book: RuleBook) -> bool:
        if self.condition is not None:
            return book.condition(self.condition, tree, i, facts) is bool(self.values)
        value = getattr(tree, self.column)[i]
        wanted = self.values
        if self.fact is not None:
            wanted = facts.get(self.fact) or frozenset()
        if isinstance(wanted, (frozenset, set)):
            found = value in wanted
        else:
            found = value == wanted
        return found is not self.negate


@dataclass(frozen=True)
class Node:
    name: str
    left: int  # index of the node it hangs on (-1 for the anchor)
    relation: str  # a spaCy operator or a walk name
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Pattern:
    nodes: tuple[Node, ...]
    source: tuple  # the pattern as written, for to_dependency_matcher

    def names(self) -> list[str]:
        return [n.name for n in self.nodes]

    @cached_property
    def gate(self) -> tuple[tuple[str, frozenset | str | bool | None, bool, bool], ...]:
        """The first node's tests that read only the tree (no fact, no
        condition) as (column, values, is a set, negate): checked inline before
        any other, most candidate tokens fail one."""
        return tuple((t.column, t.values, isinstance(t.values, (frozenset, set)), t.negate)
                     for t in self.nodes[0].tests if t.fact is None and t.condition is None)


def _opens(pattern: Pattern, tree: Tree, i: int) -> bool:
    """Whether token ``i`` passes the tests of the pattern's first node that
    read the tree alone (``Pattern.gate``)."""
    for column, values, is_set, negate in pattern.gate:
        value = getattr(tree, column)[i]
        if ((value in values) if is_set else (value == values)) is negate:  # type: ignore[operator]
            return False
    return True


@dataclass(frozen=True)
class Alternative:
    when: tuple[tuple[str, Callable[[Any], bool]], ...]
    pattern: Pattern | None
    unless: tuple[Pattern | str, ...]


@dataclass(frozen=True)
class Rule:
    """One rule: what it does and when it fires (``sets``: what it sets)."""

    id: str
    does: str
    why: str
    examples: tuple[Mapping[str, Any], ...]
    alternatives: tuple[Alternative, ...]
    sets: Mapping[str, Any] = field(default_factory=dict)
    takes: str | None = None  # the node a governor, role or proposal rule returns
    source: str = ""
    off: bool = False
    code: bool = False  # a check the engine makes in code, listed here to be named and scored


class RuleBook:
    """The rules of one family (a file) with the conditions and walks they use."""

    def __init__(self, rules: list[Rule], conditions: Mapping[str, Rule] | None = None,
                 checks: Mapping[str, Check] | None = None,
                 walks: Mapping[str, Walk] | None = None) -> None:
        self.rules = rules
        self.by_id = {r.id: r for r in rules}
        self.groups: dict[str, list[Rule]] = {}
        for rule in rules:
            if rule.sets.get("group"):
                self.groups.setdefault(rule.sets["group"], []).append(rule)
        self.conditions = dict(conditions or {})
        self.checks = dict(checks or {})
        self.walks = dict(walks or {})

    def __iter__(self):
        return iter(self.rules)

    # -- matching ------------------------------------------------------------
    def match(self, pattern: Pattern, tree: Tree, anchor: int, facts: Mapping[str, Any],
              *, every: bool = False) -> list[tuple[int, ...]]:
        """The bindings of the pattern's nodes with its first node at ``anchor``
        (the first one found, or ``every`` one), in the parse's order."""
        if not _opens(pattern, tree, anchor):
            return []
        nodes = pattern.nodes
        if not all(t.holds(tree, anchor, facts, self) for t in nodes[0].tests):
            return []
        bound = [anchor] + [0] * (len(nodes) - 1)
        out: list[tuple[int, ...]] = []

        def extend(k: int) -> bool:
            if k == len(nodes):
                out.append(tuple(bound))
                return not every
            node = nodes[k]
            left = bound[node.left]
            walk = self.walks.get(node.relation)
            found = walk(tree, left, facts) if walk is not None else \
                OPERATORS[node.relation](tree, left)
            for j in found:
                if all(t.holds(tree, j, facts, self) for t in node.tests):
                    bound[k] = j
                    if extend(k + 1):
                        return True
            return False

        extend(1)
        return out

    def holds(self, alternative: Alternative, tree: Tree, i: int,
              facts: Mapping[str, Any]) -> tuple[int, ...] | None:
        if not all(check(facts.get(key)) for key, check in alternative.when):
            return None
        if alternative.pattern is None:
            binding: tuple[int, ...] = (i,)
        else:
            found = self.match(alternative.pattern, tree, i, facts)
            if not found:
                return None
            binding = found[0]
        for other in alternative.unless:
            if isinstance(other, str):
                if self.condition(other, tree, i, facts):
                    return None
            elif self.match(other, tree, i, facts):
                return None
        return binding

    def fires(self, rule: Rule, tree: Tree, i: int,
              facts: Mapping[str, Any]) -> dict[str, int] | None:
        """The nodes' tokens when the rule fires at token ``i``, else None."""
        if rule.off or rule.code:
            return None
        for alternative in rule.alternatives:
            if alternative.pattern is not None and not _opens(alternative.pattern, tree, i):
                continue  # its first node cannot be this token
            binding = self.holds(alternative, tree, i, facts)
            if binding is not None:
                names = alternative.pattern.names() if alternative.pattern else ["anchor"]
                return dict(zip(names, binding, strict=True))
        return None

    def every(self, rule: Rule, tree: Tree, i: int, facts: Mapping[str, Any]) -> list[int]:
        """Every token the rule's ``takes`` node binds at ``i``, in order, across
        its alternatives (no token twice)."""
        out: list[int] = []
        if rule.off or rule.code:
            return out
        for alternative in rule.alternatives:
            if not all(check(facts.get(key)) for key, check in alternative.when) or \
                    alternative.pattern is None:
                continue
            if any((self.condition(o, tree, i, facts) if isinstance(o, str)
                    else self.match(o, tree, i, facts)) for o in alternative.unless):
                continue
            at = alternative.pattern.names().index(rule.takes)
            for binding in self.match(alternative.pattern, tree, i, facts, every=True):
                if binding[at] not in out:
                    out.append(binding[at])
        return out

    def collect(self, group: str, tree: Tree, i: int,
                facts: Mapping[str, Any]) -> tuple[list[int], list[str]]:
        """The words a group of ``role`` rules finds at ``i``, rule after rule
        in the order written, and the ids of the rules that found any. A rule
        with ``else_of: ID`` is asked only when rule ID found nothing."""
        out: list[int] = []
        fired: list[str] = []
        for rule in self.groups.get(group, ()):
            if rule.sets.get("else_of") in fired:
                continue
            found = self.every(rule, tree, i, facts)
            if found:
                fired.append(rule.id)
                out += found
        return out, fired

    def first(self, tree: Tree, i: int, facts: Mapping[str, Any],
              rules: Iterable[Rule] | None = None) -> tuple[Rule, dict[str, int]] | None:
        for rule in self.rules if rules is None else rules:
            found = self.fires(rule, tree, i, facts)
            if found is not None:
                return rule, found
        return None

    def all(self, tree: Tree, i: int, facts: Mapping[str, Any]) -> list[tuple[Rule, dict[str, int]]]:
        return [(rule, found) for rule in self.rules
                if (found := self.fires(rule, tree, i, facts)) is not None]

    def condition(self, name: str, tree: Tree, i: int, facts: Mapping[str, Any]) -> bool:
        if facts:
            return self._condition(name, tree, i, facts)
        key = (id(self), name, i)  # a condition of the tree alone: asked once per token
        answer = tree.memo.get(key)
        if answer is None:
            answer = tree.memo[key] = self._condition(name, tree, i, facts)
        return answer

    def _condition(self, name: str, tree: Tree, i: int, facts: Mapping[str, Any]) -> bool:
        check = self.checks.get(name)
        if check is not None:
            return check(tree, i, facts)
        return self.fires(self.conditions[name], tree, i, facts) is not None


# -- reading rule files -------------------------------------------------------------

class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML with each mapping's line kept (``__line__``) for messages."""


def _mapping_with_line(loader, node, deep=False):
    mapping = loader.construct_mapping(node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_rules(path: Path) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_LineLoader)  # noqa: S506 (a safe loader)
    except FileNotFoundError as exc:
        raise RuleError(f"{path}: no such rule file") from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"{yaml_where(path, exc)}: malformed YAML ({exc})") from exc
    if not isinstance(data, list):
        raise RuleError(f"{path}: a rule file is a list of rules")
    return data


class Compiler:
    """Turns rules as written into ``Rule``s, checking every name they use."""

    def __init__(self, words: Mapping[str, Iterable[str]], walks: Iterable[str] = (),
                 conditions: Iterable[str] = ()) -> None:
        self.words = {k: frozenset(v) for k, v in words.items()}
        self.walks = set(walks)
        self.conditions = set(conditions)
        self.words_used: set[str] = set()

    def rules(self, path: Path, written: list[dict[str, Any]]) -> list[Rule]:
        out, seen = [], set()
        for raw in written:
            where = f"{path.name}:{raw.get('__line__', '?') if isinstance(raw, dict) else '?'}"
            if not isinstance(raw, dict) or not raw.get("id"):
                raise RuleError(f"{where}: a rule needs an id")
            rule = self.rule(raw, f"{where} (rule {raw['id']})")
            if rule.id in seen:
                raise RuleError(f"{rule.source}: a second rule with this id")
            seen.add(rule.id)
            out.append(rule)
        return out

    def rule(self, raw: Mapping[str, Any], where: str) -> Rule:
        odd = [k for k in raw if not isinstance(k, str)]
        if odd:
            raise RuleError(f"{where}: a key reads as {odd[0]!r}: YAML reads on, off, yes and no "
                            f"as true or false, write them in quotes")
        does = raw.get("does")
        if does not in DOES:
            raise RuleError(f"{where}: 'does' must be one of {', '.join(sorted(DOES))}")
        examples = raw.get("examples") or ([raw["example"]] if raw.get("example") else [])
        if not examples:
            raise RuleError(f"{where}: a rule needs an example sentence (example: {{text, at}})")
        for example in examples:
            if not isinstance(example, dict) or not example.get("text") or not example.get("at"):
                raise RuleError(f"{where}: an example is {{text: a sentence, at: its trigger word}}")
        # the rule's own when/pattern/unless hold for each of its alternatives
        shared = {k: raw[k] for k in ("when", "pattern", "unless") if raw.get(k)}
        alternatives = [_merged(shared, a) for a in raw["any"]] if raw.get("any") else [raw]
        compiled = tuple(self.alternative(a, where) for a in alternatives)
        takes = raw.get("takes")
        if takes is not None and not all(a.pattern is not None and takes in a.pattern.names()
                                         for a in compiled):
            raise RuleError(f"{where}: 'takes: {takes}' names no node of its pattern")
        sets = {k: _plain(v) for k, v in raw.items() if k not in STRUCTURE}
        return Rule(id=str(raw["id"]), does=does, why=str(raw.get("why", "")).strip(),
                    examples=tuple({k: v for k, v in e.items() if k != "__line__"}
                                   for e in examples),
                    alternatives=compiled, sets=sets, takes=takes, source=where,
                    off=bool(raw.get("disabled", False)), code=bool(raw.get("code", False)))

    def alternative(self, raw: Mapping[str, Any], where: str) -> Alternative:
        when = tuple((str(k), self.fact_test(v, where)) for k, v in (raw.get("when") or {}).items()
                     if k != "__line__")
        pattern = self.pattern(raw["pattern"], where) if raw.get("pattern") else None
        unless = []
        for other in raw.get("unless") or []:
            if isinstance(other, str):
                if other not in self.conditions:
                    raise RuleError(f"{where}: no condition named {other!r}")
                unless.append(other)
            else:
                unless.append(self.pattern(other, where))
        return Alternative(when, pattern, tuple(unless))

    def fact_test(self, value: Any, where: str) -> Callable[[Any], bool]:
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "__line__"}
            if set(value) == {"IN"}:
                allowed = set(value["IN"])
                return lambda got: got in allowed
            if set(value) == {"NOT_IN"}:
                banned = set(value["NOT_IN"])
                return lambda got: got not in banned
            if len(value) == 1 and next(iter(value)) in COMPARE:
                op, bound = next(iter(value.items()))
                return lambda got: got is not None and COMPARE[op](got, bound)
            raise RuleError(f"{where}: a 'when' value is a value, {{IN: [...]}}, {{NOT_IN: [...]}} "
                            f"or {{'<': number}}")
        if isinstance(value, list):
            allowed = set(value)
            return lambda got: got in allowed
        return lambda got: got == value

    def pattern(self, raw: Any, where: str) -> Pattern:
        if not isinstance(raw, list) or not raw:
            raise RuleError(f"{where}: a pattern is a list of nodes")
        nodes: list[Node] = []
        names: list[str] = []
        for line in raw:
            items = [(k, v) for k, v in line.items() if k != "__line__"] \
                if isinstance(line, dict) else []
            if len(items) != 1:
                raise RuleError(f"{where}: a pattern node is one 'NAME: ATTRS' or "
                                f"'LEFT OP NAME: ATTRS' line")
            key, attrs = items[0]
            parts = str(key).split()
            if not nodes:
                if len(parts) != 1:
                    raise RuleError(f"{where}: a pattern starts with its anchor (one name)")
                left, relation, name = -1, "", parts[0]
            else:
                if len(parts) != 3:
                    raise RuleError(f"{where}: {key!r} is not 'LEFT OP NAME'")
                if parts[0] not in names:
                    raise RuleError(f"{where}: {parts[0]!r} is no earlier node of the pattern")
                relation = parts[1]
                if relation not in OPERATORS and not (relation.startswith(">") and
                                                      relation[1:] in self.walks):
                    raise RuleError(f"{where}: {relation!r} is neither a spaCy relation "
                                    f"operator nor a walk ({', '.join(sorted(self.walks))})")
                left, name = names.index(parts[0]), parts[2]
                relation = relation if relation in OPERATORS else relation[1:]
            names.append(name)
            nodes.append(Node(name, left, relation, self.tests(attrs or {}, where)))
        return Pattern(tuple(nodes), tuple(raw))

    def tests(self, attrs: Mapping[str, Any], where: str) -> tuple[Test, ...]:
        out = []
        for attr, value in attrs.items():
            if attr == "__line__":
                continue
            if attr == "_":
                for name, wanted in value.items():
                    if name == "__line__":
                        continue
                    if name not in self.conditions:
                        raise RuleError(f"{where}: no condition named {name!r}")
                    out.append(Test("", bool(wanted), condition=name))
                continue
            column = ATTRIBUTES.get(attr)
            if column is None:
                raise RuleError(f"{where}: unknown token attribute {attr!r} "
                                f"(one of {', '.join(ATTRIBUTES)})")
            out.append(self.test(column, value, where))
        return tuple(out)

    def test(self, column: str, value: Any, where: str) -> Test:
        negate = False
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "__line__"}
            if set(value) not in ({"IN"}, {"NOT_IN"}):
                raise RuleError(f"{where}: an attribute value is a string, a list, "
                                f"{{IN: ...}} or {{NOT_IN: ...}}")
            negate = "NOT_IN" in value
            value = value.get("IN", value.get("NOT_IN"))
        if isinstance(value, str) and value.startswith("$"):
            return Test(column, None, negate, fact=value[1:])
        if isinstance(value, bool):
            return Test(column, value, negate)
        if isinstance(value, (list, str)) and (isinstance(value, list) or value.startswith("@")):
            return Test(column, self.word_set(value if isinstance(value, list) else [value], where),
                        negate)
        return Test(column, str(value), negate)

    def word_set(self, values: list[Any], where: str) -> frozenset[str]:
        out: set[str] = set()
        for value in values:
            if isinstance(value, bool) or value is None:
                raise RuleError(f"{where}: a word list holds {value!r}: YAML reads on, off, yes, "
                                f"no and null as values, write them in quotes ('on')")
            value = str(value)
            if value.startswith("@"):
                if value[1:] not in self.words:
                    raise RuleError(f"{where}: no word list named {value[1:]!r}")
                self.words_used.add(value[1:])
                out |= self.words[value[1:]]
            else:
                out.add(value)
        return frozenset(out)


def _plain(value: Any) -> Any:
    """A value as written, without the line numbers the loader adds."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _merged(shared: Mapping[str, Any], alternative: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(alternative)
    out["when"] = {**(shared.get("when") or {}), **(alternative.get("when") or {})}
    out["unless"] = [*(shared.get("unless") or []), *(alternative.get("unless") or [])]
    out["pattern"] = alternative.get("pattern") or shared.get("pattern")
    return out


def to_dependency_matcher(pattern: Pattern, words: Mapping[str, Iterable[str]]) -> list[dict]:
    """A compiled pattern in spaCy's ``DependencyMatcher`` form (walks and
    conditions as ``_`` extension attributes, word lists spelled out)."""
    out: list[dict] = []
    for node, raw in zip(pattern.nodes, pattern.source, strict=True):
        attrs = {k: v for k, v in next(iter((k, v) for k, v in raw.items()
                                            if k != "__line__"))[1].items() if k != "__line__"} \
            if raw else {}
        spelled: dict[str, Any] = {}
        for attr, value in attrs.items():
            if attr == "_":
                spelled["_"] = {k: v for k, v in value.items() if k != "__line__"}
                continue
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if k != "__line__"}
                key = next(iter(value))
                spelled[attr] = {key: _spell(value[key], words)}
            elif isinstance(value, list) or (isinstance(value, str) and value.startswith("@")):
                spelled[attr] = {"IN": _spell(value, words)}
            else:
                spelled[attr] = value
        if node.left < 0:
            out.append({"RIGHT_ID": node.name, "RIGHT_ATTRS": spelled})
        else:
            out.append({"LEFT_ID": pattern.nodes[node.left].name, "REL_OP": node.relation,
                        "RIGHT_ID": node.name, "RIGHT_ATTRS": spelled})
    return out


def _spell(value: Any, words: Mapping[str, Iterable[str]]) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for v in values:
        out += sorted(words[v[1:]]) if isinstance(v, str) and v.startswith("@") else [v]
    return out

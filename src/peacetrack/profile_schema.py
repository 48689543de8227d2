"""What a profile may hold (docs/profiles.md), as data, and the check of a
profile file against it (issue 17).

A profile is read as YAML nodes first, so that every message names the key
and the line: a wrong type is an error (``ProfileError``, all of them at
once), an unknown key or value a warning. YAML aliases are bounded: a file
whose aliases expand it past MAX_VALUES values (a "billion laughs") or refer
to themselves is refused before anything is built from it.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ProfileError
from .lexicons import yaml_where
from .records import PLOVER_TYPES

# Values a profile may expand to through its aliases; the shipped profile
# has ~4,000. A billion laughs in ten lines has 10^9.
MAX_VALUES = 200_000
# Errors listed in one message; the rest are counted.
MAX_ERRORS = 20

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TAG = "tag:yaml.org,2002:"
# A profile is read with PyYAML's Python parser, not libyaml's: on a file
# nested 100,000 levels deep libyaml overflows the C stack (the process dies),
# where Python raises RecursionError. ~0.2 s for the shipped profile, once.
_LOADER = yaml.SafeLoader
# The profiles shipped with peacetrack are ours: libyaml reads them, 10x faster.
_SHIPPED_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SHIPPED = Path(__file__).parent / "data" / "profiles"


# -- the shape, as data ------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """A string; ``choices``: the values the engine knows (others are warned of)."""

    choices: tuple[str, ...] = ()
    strict: bool = False  # another value is an error, not a warning


@dataclass(frozen=True)
class Number:
    low: float
    high: float


@dataclass(frozen=True)
class Flag:
    pass


@dataclass(frozen=True)
class Day:
    """An ISO date at any precision (2004, 2004-03, 2004-03-09)."""


@dataclass(frozen=True)
class ListOf:
    item: Any


@dataclass(frozen=True)
class Mapping:
    what: str  # "an entity", for messages
    keys: dict[str, Any]
    required: frozenset[str] = field(default_factory=frozenset)


SECTORS = ("GOV", "LEG", "MIL", "REB", "OPP", "CVL", "MED", "IGO", "NGO", "BUS")
KINDS = ("person", "body", "country", "group", "organisation")
TEXTS = ListOf(Text())

OFFICE = Mapping("an office", {
    "code": Text(), "sector": Text(SECTORS), "role": Text(), "from": Day(), "to": Day(),
    "head": Flag()})
BODY = Mapping("a body", {"name": Text(), "sector": Text(SECTORS), "aliases": TEXTS})
ENTITY = Mapping("an entity", {
    "id": Text(), "name": Text(), "kind": Text(KINDS, strict=True), "code": Text(),
    "sector": Text(SECTORS), "role": Text(), "gender": Text(("m", "f")), "aliases": TEXTS,
    "demonyms": TEXTS, "metonyms": TEXTS, "capital": Text(), "capital_metonym": Flag(),
    "capital_aliases": TEXTS, "seats": TEXTS, "offices": ListOf(OFFICE), "part_of": Text(),
    "called": TEXTS, "bodies": ListOf(BODY)}, frozenset({"id"}))
ISSUE = Mapping("an issue", {"id": Text(), "name": Text(), "aliases": TEXTS, "statement": Text(),
                             "keywords": TEXTS},
                frozenset({"id"}))
TRACK = Mapping("a track", {
    "id": Text(), "name": Text(), "issue": Text(), "mediators": TEXTS, "places": TEXTS},
    frozenset({"id"}))
PLACE = Mapping("a place", {
    "name": Text(), "aliases": TEXTS, "country": Text(), "lat": Number(-90, 90),
    "lon": Number(-180, 180), "city": Text(), "people": Text(), "held_by": Text(),
    "held_until": Day()}, frozenset({"name"}))
HAPPENING = Mapping("a happening", {
    "id": Text(), "name": Text(), "type": Text(PLOVER_TYPES, strict=True), "date": Day(),
    "end": Day(), "place": Text(), "participants": TEXTS, "mediators": TEXTS,
    "aliases": TEXTS}, frozenset({"id", "type", "date"}))
PROFILE = Mapping("a profile", {
    "name": Text(), "title": Text(), "countries": TEXTS, "parties": TEXTS,
    "entities": ListOf(ENTITY),
    "issues": ListOf(ISSUE), "tracks": ListOf(TRACK), "places": ListOf(PLACE),
    "chronology": ListOf(HAPPENING)})


# -- the check -------------------------------------------------------------------

def read_profile(path: Path) -> tuple[dict[str, Any], list[str]]:
    """A profile file's data (keys with no value left out) and its warnings;
    ``ProfileError`` naming every wrong key and its line. The same text is
    parsed once per process (every process's analyser reads its profile)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: no such profile (a shipped name, or a YAML file)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the profile ({exc})") from exc
    data, warnings = _read_checked(str(path), text)
    return copy.deepcopy(data), list(warnings)


@lru_cache(maxsize=32)
def _read_checked(path_text: str, text: str) -> tuple[dict[str, Any], list[str]]:
    path = Path(path_text)
    shipped = path.resolve().parent == _SHIPPED.resolve()
    try:
        loader = (_SHIPPED_LOADER if shipped else _LOADER)(text)  # parsed once: checked, then built
    except yaml.YAMLError as exc:  # a character YAML does not allow
        raise ProfileError(f"{yaml_where(path, exc)}: malformed YAML "
                           f"({getattr(exc, 'problem', None) or exc})") from exc
    try:
        try:
            root = loader.get_single_node()
        except RecursionError as exc:
            raise ProfileError(f"{path}: nested too deep to be a profile") from exc
        except yaml.YAMLError as exc:
            raise ProfileError(f"{yaml_where(path, exc)}: malformed YAML "
                               f"({getattr(exc, 'problem', None) or exc})") from exc
        if root is None or (root.tag == _TAG + "null"):
            raise ProfileError(f"{path}: the profile is empty (docs/profiles.md shows what it holds)")
        _bound_aliases(root, path)
        check = _Check(path)
        check.node(root, PROFILE, "")
        if check.errors:
            shown = check.errors[:MAX_ERRORS]
            more = len(check.errors) - len(shown)
            raise ProfileError(f"{path}: not a valid profile:\n  " + "\n  ".join(shown) +
                               (f"\n  ... and {more} more" if more > 0 else ""))
        try:
            data = _without_nulls(loader.construct_document(root))
        except RecursionError as exc:  # under a key the check skipped
            raise ProfileError(f"{path}: nested too deep to be a profile") from exc
        except yaml.YAMLError as exc:  # a tag no safe loader builds ("!!python/object")
            raise ProfileError(f"{path}: {getattr(exc, 'problem', None) or exc}") from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not any(data.get(k) for k in ("entities", "issues", "tracks", "places")):
        check.warnings.append(f"{path}: the profile defines no entities, issues, tracks or places")
    return data, check.warnings


def _bound_aliases(root: yaml.Node, path: Path) -> None:
    """Refuse aliases that refer to themselves or expand the file past MAX_VALUES."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # iterative: a file may nest deeper than Python's recursion
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_VALUES:
                raise ProfileError(
                    f"{path}:{node.start_mark.line + 1}: YAML aliases expand the profile past "
                    f"{MAX_VALUES:,} values; write the values out (a profile needs few aliases)")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise ProfileError(f"{path}:{node.start_mark.line + 1}: a YAML alias refers to "
                               "the value that holds it")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _Check:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def where(self, node: yaml.Node, at: str) -> str:
        return f"{self.path}:{node.start_mark.line + 1}: {at or 'the profile'}"

    def node(self, node: yaml.Node, spec: Any, at: str) -> None:
        if node.tag == _TAG + "null":
            return  # no value: as if the key were absent
        if isinstance(spec, Mapping):
            self.mapping(node, spec, at)
        elif isinstance(spec, ListOf):
            if not isinstance(node, yaml.SequenceNode):
                self.wrong(node, at, "a list")
                return
            for n, item in enumerate(node.value):
                self.node(item, spec.item, f"{at}[{n}]")
        elif isinstance(spec, Text):
            if node.tag != _TAG + "str":
                self.wrong(node, at, "text")
            elif spec.choices and node.value not in spec.choices:
                message = f"{self.where(node, at)}: {node.value!r} is not one of " + ", ".join(spec.choices)
                (self.errors if spec.strict else self.warnings).append(message)
        elif isinstance(spec, Number):
            if node.tag not in (_TAG + "int", _TAG + "float"):
                self.wrong(node, at, "a number")
            elif not spec.low <= float(node.value) <= spec.high:
                self.errors.append(f"{self.where(node, at)}: {node.value} is outside "
                                   f"{spec.low:g}..{spec.high:g}")
        elif isinstance(spec, Flag):
            if node.tag != _TAG + "bool":
                self.wrong(node, at, "true or false")
        elif isinstance(spec, Day):
            if node.tag not in (_TAG + "timestamp", _TAG + "str", _TAG + "int") or \
                    not _ISO_DATE.match(str(node.value)[:10]):
                self.wrong(node, at, "an ISO date (2004, 2004-03 or 2004-03-09)")

    def mapping(self, node: yaml.Node, spec: Mapping, at: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, at, spec.what + " (a mapping of keys to values)")
            return
        seen = set()
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":  # "<<: *base": the keys of another mapping
                for merged in getattr(value_node, "value", None) \
                        if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                    self.mapping(merged, spec, at)
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{at}.{key}" if at else str(key)
            if key not in spec.keys:
                close = difflib.get_close_matches(str(key), list(spec.keys), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(spec.keys)
                self.warnings.append(f"{self.where(key_node, at)}: unknown key {key!r} in "
                                     f"{spec.what}, ignored ({hint})")
                continue
            seen.add(key)
            self.node(value_node, spec.keys[key], where)
        for key in sorted(spec.required - seen):
            self.errors.append(f"{self.where(node, at)}: {spec.what} needs {key!r}")

    def wrong(self, node: yaml.Node, at: str, expected: str) -> None:
        got = node.value if isinstance(node, yaml.ScalarNode) else \
            ("a list" if isinstance(node, yaml.SequenceNode) else "a mapping")
        got = repr(got) if isinstance(node, yaml.ScalarNode) else got
        if len(got) > 60:
            got = got[:57] + "..."
        self.errors.append(f"{self.where(node, at)}: expected {expected}, got {got}")


def _without_nulls(value: Any) -> Any:
    """The data with keys that have no value left out ('aliases:' alone)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value

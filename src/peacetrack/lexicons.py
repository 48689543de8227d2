"""Loading the data files shipped in ``peacetrack/data`` (lexicons, profiles)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ProfileError

# libyaml's parser where PyYAML was built with it: the same documents, about
# 7 times faster (each worker process reads ~350 KB of lexicons at start).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(*parts: str) -> Path:
    return Path(str(resources.files("peacetrack").joinpath("data", *parts)))


class Tracked(dict):
    """A lexicon's mapping that notes which of its keys the engine reads, so a
    test can name every key no one reads (tests/test_lexicons.py): reading a
    key (``[]``, ``get``) or every key (``items``, iteration) marks it; asking
    ``in`` does not."""

    def __init__(self, data: dict) -> None:
        super().__init__(data)
        self.read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __iter__(self):
        self.read.update(dict.keys(self))
        return super().__iter__()

    def items(self):
        self.read.update(dict.keys(self))
        return super().items()

    def values(self):
        self.read.update(dict.keys(self))
        return super().values()


def tracked(data: Any) -> Any:
    """A parsed YAML document with each mapping ``Tracked``."""
    if isinstance(data, dict):
        return Tracked({k: tracked(v) for k, v in data.items()})
    if isinstance(data, list):
        return [tracked(v) for v in data]
    return data


def unread_keys(data: Any, path: str = "") -> list[str]:
    """The keys of a tracked document no one read (``a.b``; ``a[].c`` for a
    key of the mappings in list ``a`` that none of them had read)."""
    out: list[str] = []
    if isinstance(data, Tracked):
        for key, value in dict.items(data):
            where = f"{path}.{key}" if path else str(key)
            out += [where] if key not in data.read else unread_keys(value, where)
    elif isinstance(data, list):
        entries = [d for d in data if isinstance(d, Tracked)]
        present = {k for d in entries for k in dict.keys(d)}
        read = {k for d in entries for k in d.read}
        out += [f"{path}[].{k}" for k in sorted(present - read, key=str)]
        for entry in entries:
            for key in read & set(dict.keys(entry)):
                out += [o for o in unread_keys(dict.__getitem__(entry, key),
                                               f"{path}[].{key}") if o not in out]
    return out


@cache
def load_lexicon(name: str) -> Any:
    """A lexicon by name (``data/lexicons/NAME.yaml``), parsed once per process."""
    return tracked(load_yaml(data_path("lexicons", f"{name}.yaml")))


class WordLists(Mapping):
    """Word lists by name, in lower case, read from lexicon mappings as they
    are asked for (``"future.verbs"``: the ``verbs`` of a lexicon's ``future``
    group), then from lists the engine derives (``derived``)."""

    def __init__(self, *sources: dict, derived: Mapping[str, frozenset[str]] | None = None) -> None:
        self.sources = sources
        self.derived = dict(derived or {})
        self._cache: dict[str, frozenset[str]] = {}

    def __getitem__(self, name: str) -> frozenset[str]:
        found = self._cache.get(name)
        if found is not None:
            return found
        if name in self.derived:
            found = frozenset(self.derived[name])
        else:
            found = self._read(name)
        self._cache[name] = found
        return found

    def _read(self, name: str) -> frozenset[str]:
        for source in self.sources:
            node: Any = source
            for part in name.split("."):
                if not isinstance(node, dict) or part not in node:
                    break
                node = node[part]
            else:
                if isinstance(node, list):
                    return frozenset(str(w).lower() for w in node)
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        try:
            self[str(name)]
        except KeyError:
            return False
        return True

    def __iter__(self):
        yield from self.derived
        for source in self.sources:
            yield from _names(source, "")

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _names(node: dict, prefix: str):
    for key, value in dict.items(node):
        if isinstance(value, list):
            yield f"{prefix}{key}"
        elif isinstance(value, dict):
            yield from _names(value, f"{prefix}{key}.")


DEFAULT_LANGUAGE = "en"


def language_path(language: str, *parts: str) -> Path:
    """A language's data (``data/languages/LANG/...``); a language with no
    folder of its own reads English's (docs/rules.md: adding a language)."""
    folder = data_path("languages", language)
    if not folder.is_dir():
        folder = data_path("languages", DEFAULT_LANGUAGE)
    return folder.joinpath(*parts)


@cache
def load_language_data(language: str, name: str) -> Any:
    """A language's data file by name (``data/languages/LANG/NAME.yaml``), parsed once."""
    return tracked(load_yaml(language_path(language, f"{name}.yaml")))


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_SAFE_LOADER)
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: no such file") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"{yaml_where(path, exc)}: malformed YAML ({exc})") from exc


def yaml_where(path: Path, exc: yaml.YAMLError) -> str:
    """'file:line' of a YAML error (the file alone when it has no line)."""
    mark = getattr(exc, "problem_mark", None)
    return f"{path}:{mark.line + 1}" if mark else str(path)

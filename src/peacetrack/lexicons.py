"""Loading the data files shipped in ``peacetrack/data`` (lexicons, profiles)."""

from __future__ import annotations

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


@cache
def load_lexicon(name: str) -> Any:
    """A lexicon by name (``data/lexicons/NAME.yaml``), parsed once per process."""
    return load_yaml(data_path("lexicons", f"{name}.yaml"))


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
    return load_yaml(language_path(language, f"{name}.yaml"))


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_SAFE_LOADER)
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: no such file") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ProfileError(f"{where}: malformed YAML ({exc})") from exc

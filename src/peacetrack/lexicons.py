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

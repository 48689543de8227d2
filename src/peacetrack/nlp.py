"""The one place the spaCy model is loaded (once per process and name)."""

from __future__ import annotations

from functools import cache

from .errors import ModelError


@cache
def load_model(name: str):
    """The spaCy pipeline ``name`` (a package or path); loaded once per process."""
    import spacy

    try:
        return spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(name, exc) from exc

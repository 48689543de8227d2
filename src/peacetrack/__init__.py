"""peacetrack: news reports about a peace process in, a sourced record out.

>>> import peacetrack
>>> records = peacetrack.analyse("Aliyev and Pashinyan met in Brussels on Saturday.",
...                              published="2023-07-16")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def analyse(text: str, *, published: str | None = None, html: str | None = None,
            settings: Any = None) -> list[dict[str, Any]]:
    """The records (SPEC §2) for one report given as a string, without a store."""
    from .ingest import RawReport
    from .pipeline import prepare
    from .records import Problem
    from .settings import load_settings

    settings = settings or load_settings()
    document = prepare(RawReport(source="<string>", text=text, html=html, published=published))
    if isinstance(document, Problem):
        raise ValueError(str(document))
    analyzer = _analyzer(settings)
    return next(analyzer.analyse([document])).records()


_ANALYZERS: dict[Any, Any] = {}


def _analyzer(settings: Any):
    """One Analyzer per settings in this process (the model loads once)."""
    from .analysis import Analyzer

    if settings not in _ANALYZERS:
        _ANALYZERS[settings] = Analyzer(settings)
    return _ANALYZERS[settings]


def ingest(paths, **kwargs):
    """Ingest reports into a store: see ``peacetrack.pipeline.ingest``."""
    from .pipeline import ingest as _ingest

    return _ingest(paths, **kwargs)


__all__ = ["analyse", "ingest", "__version__"]

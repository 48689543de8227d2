"""Executors run the analysis stage over batches of documents.

They share one interface (``map``: batches of documents in, batches of
analyses out, in order), like httpx transports: the pipeline does not know
where the work runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from ..records import Analysis, Document
from ..settings import Settings


class Executor(Protocol):
    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Analysis]]: ...


def make_executor(settings: Settings) -> Executor:
    if settings.engine == "ray":
        from .ray import RayExecutor
        return RayExecutor(settings)
    from .local import LocalExecutor
    return LocalExecutor(settings)

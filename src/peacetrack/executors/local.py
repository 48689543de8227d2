"""The local executor: this process, or a pool of worker processes."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator

from ..analysis import Analyzer
from ..records import Analysis, Document
from ..settings import Settings

_worker: Analyzer | None = None  # one per worker process, set by its initializer


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Analyzer(settings)


def _analyse_batch(batch: list[Document]) -> list[Analysis]:
    assert _worker is not None
    return list(_worker.analyse(batch))


class LocalExecutor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Analysis]]:
        if self.settings.n_process <= 1:
            analyzer = Analyzer(self.settings)
            for batch in batches:
                yield list(analyzer.analyse(batch))
            return
        context = multiprocessing.get_context("spawn")
        with context.Pool(self.settings.n_process, initializer=_init_worker,
                          initargs=(self.settings,)) as pool:
            yield from _bounded(pool, _split(batches, self.settings.batch_size),
                                limit=2 * self.settings.n_process)


def _bounded(pool, batches: Iterable[list[Document]], *, limit: int) -> Iterator[list[Analysis]]:
    """In order, with at most ``limit`` batches in flight (Pool.imap would read
    the whole input ahead and hold it in memory)."""
    pending: deque = deque()
    for batch in batches:
        pending.append(pool.apply_async(_analyse_batch, (batch,)))
        if len(pending) >= limit:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _split(batches: Iterable[list[Document]], size: int) -> Iterator[list[Document]]:
    for batch in batches:
        for i in range(0, len(batch), size):
            yield batch[i:i + size]

"""The local executor: this process, or a pool of worker processes.

The calling process never imports the analysis (spaCy, the model, the
lexicons): the workers load it, so the pool starts at once and the caller
stays light while it reads, cleans and stores.
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import PeacetrackError
from ..records import Analysis, Document
from ..settings import Settings

if TYPE_CHECKING:
    from ..analysis import Analyzer

# Batches a worker analyses before a fresh one replaces it: what a long run
# leaves behind in a worker (new words in the model's vocabulary, a fragmented
# heap) is dropped every few thousand reports, for a new model load (~3.5 CPU s).
WORKER_BATCHES = 250

_worker: Analyzer | None = None  # one per worker process, set by its initializer
_failure: BaseException | None = None  # why the initializer could not build it


def _init_worker(settings: Settings) -> None:
    # An exception escaping a Pool initializer makes the pool start a new worker
    # in its place, forever: keep it, and raise it with the first batch instead.
    global _worker, _failure
    try:
        from ..analysis import Analyzer

        _worker = Analyzer(settings)
    except Exception as exc:  # re-raised with the first batch
        _failure = exc


def _analyse_batch(batch: list[Document]) -> list[Analysis]:
    if _worker is None:
        raise _portable(_failure or RuntimeError("the analysis worker did not start"))
    return list(_worker.analyse(batch))


def _portable(exc: BaseException) -> BaseException:
    """The exception, or one with its message where it cannot be unpickled in the
    caller (a result the pool cannot unpickle stops it from returning any)."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        kind = PeacetrackError if isinstance(exc, PeacetrackError) else RuntimeError
        return kind(str(exc))


class LocalExecutor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Analysis]]:
        batches = iter(batches)
        first = next(batches, None)
        if first is None:  # nothing to analyse (e.g. only near-duplicates): no model, no pool
            return
        batches = itertools.chain([first], batches)
        if self.settings.n_process <= 1:
            from ..analysis import Analyzer

            analyzer = None  # loaded with the first batch: a run with nothing new loads no model
            for batch in batches:
                analyzer = analyzer or Analyzer(self.settings)
                yield list(analyzer.analyse(batch))
            return
        context = multiprocessing.get_context("spawn")
        with context.Pool(self.settings.n_process, initializer=_init_worker,
                          initargs=(self.settings,), maxtasksperchild=WORKER_BATCHES) as pool:
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

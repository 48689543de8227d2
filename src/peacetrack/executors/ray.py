"""The Ray executor: the same analysis stages as Ray Data ``map_batches``.

``peacetrack ingest --engine ray`` runs here. The calling process still reads,
cleans and de-duplicates (ordered, cheap work that needs the store); the
prepared documents go to the cluster window by window, each window one Ray
Data dataset whose ``map_batches`` runs the very ``Analyzer`` the local
executor runs, in Ray worker processes that keep their Analyzer (model,
profile, gazetteer) between windows. While one window is analysed, the next
is prepared, so the cluster is not left waiting for the reader.

The cluster: ``--ray-address`` (the ``ray_address`` setting), else the
``RAY_ADDRESS`` environment variable, else a local cluster started here.
Every node needs peacetrack and the spaCy model installed
(``pip install 'peacetrack[ray]'`` and requirements/model.txt).
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any

from ..errors import MissingExtra
from ..records import Analysis, Document
from ..settings import Settings

# Documents per dataset, per Ray worker: large enough that starting a dataset
# (well under a second) is small beside analysing it, small enough that two
# windows (one analysed, one being prepared) are all the driver holds.
WINDOW_PER_WORKER = 128


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401  (the [data] part of the extra)
    except ImportError as exc:
        raise MissingExtra("ray", "ray[data]") from exc
    return ray


class RayExecutor:
    """Batches of documents in, batches of analyses out, in order (see Executor)."""

    def __init__(self, settings: Settings) -> None:
        self.ray = _ray()
        self.settings = settings
        self.workers = max(settings.n_process, 1)
        self.window = WINDOW_PER_WORKER * self.workers

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Analysis]]:
        windows = _windows(batches, self.window)
        first = next(windows, None)
        if first is None:  # nothing to analyse: no cluster to join
            return
        connect(self.settings)
        with ThreadPoolExecutor(1, thread_name_prefix="peacetrack-ray") as runner:
            running: Future | None = None
            for window in itertools.chain([first], windows):
                submitted = runner.submit(self.analyse, window)
                if running is not None:
                    yield from running.result()
                running = submitted
            if running is not None:
                yield from running.result()

    def analyse(self, window: list[list[Document]]) -> list[list[Analysis]]:
        """One window through ``map_batches`` on the cluster; its batches in order.

        A row is one nlp batch (cut as the local executor cuts them), pickled:
        Arrow cannot hold Documents, and each batch is parsed whole."""
        chunks = list(_split(window, self.settings.batch_size))
        rows = [{"i": i, "documents": pickle.dumps(chunk)} for i, chunk in enumerate(chunks)]
        data = self.ray.data.from_items(rows, override_num_blocks=len(rows))
        analysed = data.map_batches(
            analyse_rows, fn_kwargs={"settings": self.settings}, batch_size=1,
            batch_format="numpy", compute=self.ray.data.TaskPoolStrategy(size=self.workers),
            num_cpus=1)
        out: list[list[Analysis] | None] = [None] * len(chunks)
        for batch in analysed.iter_batches(batch_format="numpy", batch_size=None):
            for i, analyses in zip(batch["i"], batch["analyses"], strict=True):
                out[int(i)] = pickle.loads(analyses)
        if any(a is None for a in out):
            raise RuntimeError("a batch came back from the Ray cluster without its analyses")
        return _unsplit(window, out)  # type: ignore[arg-type]


def analyse_rows(rows: dict[str, Any], *, settings: Settings) -> dict[str, Any]:
    """The map_batches function, run in a Ray worker: the local executor's stages."""
    analyzer = _analyzer(settings)
    out = [pickle.dumps(list(analyzer.analyse(pickle.loads(documents))))
           for documents in rows["documents"]]
    return {"i": rows["i"], "analyses": out}


@cache
def _analyzer(settings: Settings):
    """One Analyzer per worker process and settings (Ray reuses its workers)."""
    from ..analysis import Analyzer

    return Analyzer(settings)


def connect(settings: Settings) -> None:
    """Join the cluster named by the settings or RAY_ADDRESS, else start a local one."""
    ray = _ray()
    if not ray.is_initialized():
        address = settings.ray_address or os.environ.get("RAY_ADDRESS")
        if not address:
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a private local cluster
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    # peacetrack draws its own progress (progress.py); Ray Data's bars and
    # per-dataset notices would interleave with it, once per window.
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False


def _windows(batches: Iterable[list[Document]], size: int) -> Iterator[list[list[Document]]]:
    """Whole input batches grouped into windows of about ``size`` documents."""
    window: list[list[Document]] = []
    count = 0
    for batch in batches:
        window.append(batch)
        count += len(batch)
        if count >= size:
            yield window
            window, count = [], 0
    if window:
        yield window


def _split(window: list[list[Document]], size: int) -> Iterator[list[Document]]:
    for batch in window:
        for start in range(0, len(batch), size):
            yield batch[start:start + size]


def _unsplit(window: list[list[Document]], chunks: list[list[Analysis]]) -> list[list[Analysis]]:
    """The chunks' analyses joined back into the window's input batches."""
    flat = [analysis for chunk in chunks for analysis in chunk]
    out, start = [], 0
    for batch in window:
        out.append(flat[start:start + len(batch)])
        start += len(batch)
    return out

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

import os
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
        connect(self.settings)
        with ThreadPoolExecutor(1, thread_name_prefix="peacetrack-ray") as runner:
            running: tuple[list[list[Document]], Future] | None = None
            for window in _windows(batches, self.window):
                submitted = (window, runner.submit(self.analyse, _flatten(window)))
                if running is not None:
                    yield from _regroup(*running)
                running = submitted
            if running is not None:
                yield from _regroup(*running)

    def analyse(self, documents: list[Document]) -> list[Analysis]:
        """One window of documents through ``map_batches`` on the cluster, in order."""
        data = self.ray.data.from_items(
            [{"i": i, "document": d} for i, d in enumerate(documents)],
            override_num_blocks=max(1, min(len(documents) // self.settings.batch_size,
                                           4 * self.workers)))
        analysed = data.map_batches(
            analyse_batch, fn_kwargs={"settings": self.settings},
            batch_size=self.settings.batch_size, batch_format="numpy",
            concurrency=self.workers, num_cpus=1)
        out: list[Analysis | None] = [None] * len(documents)
        for batch in analysed.iter_batches(batch_format="numpy", batch_size=None):
            for i, analysis in zip(batch["i"], batch["analysis"], strict=True):
                out[int(i)] = analysis
        assert all(a is not None for a in out), "a document came back without its analysis"
        return out  # type: ignore[return-value]


def analyse_batch(batch: dict[str, Any], *, settings: Settings) -> dict[str, Any]:
    """The map_batches function, run in a Ray worker: the local executor's stages."""
    import numpy as np

    documents = list(batch["document"])
    analyses = np.empty(len(documents), dtype=object)  # not np.array: keep the objects whole
    analyses[:] = list(_analyzer(settings).analyse(documents))
    return {"i": batch["i"], "analysis": analyses}


@cache
def _analyzer(settings: Settings):
    """One Analyzer per worker process and settings (Ray reuses its workers)."""
    from ..analyse import Analyzer

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
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # peacetrack draws its own (progress.py)
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


def _flatten(window: list[list[Document]]) -> list[Document]:
    return [document for batch in window for document in batch]


def _regroup(window: list[list[Document]], result: Future) -> Iterator[list[Analysis]]:
    """The window's analyses cut back into its input batches."""
    analyses = result.result()
    start = 0
    for batch in window:
        yield analyses[start:start + len(batch)]
        start += len(batch)

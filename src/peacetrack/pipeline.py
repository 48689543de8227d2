"""The main job: reports in, analysed records stored (SPEC §1, §4 ingest).

Cheap, ordered work (reading, cleaning, identity, duplicates) runs here in
the calling process; language analysis runs in an executor (local
processes or Ray), batch by batch; each batch is stored in one transaction.
Nothing is held per corpus: memory stays flat however many reports come.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from . import clean, dates
from .ingest import RawReport, read_inputs
from .records import Analysis, Document, Problem
from .settings import Settings
from .store import Store, bands, open_store


@dataclass
class Summary:
    """What one ingest run did (printed at the end, stored in ``runs``)."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    events: int = 0
    quotes: int = 0
    stances: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def outcome(self) -> str:
        """'complete': every report read is in the store (stored now or before);
        'partial': some input was skipped; 'nothing': no report is in the store
        from this run (every input was skipped, or there was none)."""
        if self.stored + self.already_stored == 0:
            return "nothing"
        return "partial" if sum(self.skipped.values()) else "complete"

    def as_dict(self) -> dict:
        return {"read": self.read, "stored": self.stored, "already_stored": self.already_stored,
                "near_duplicates": self.near_duplicates, "events": self.events,
                "quotes": self.quotes, "stances": self.stances,
                "skipped": dict(self.skipped), "seconds": round(self.seconds, 2)}

    def lines(self) -> list[str]:
        rate = self.stored / self.seconds if self.seconds else 0.0
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(self.skipped.items()))
        return [
            f"reports read: {self.read}",
            f"stored: {self.stored} ({self.near_duplicates} near-duplicates), "
            f"already stored: {self.already_stored}",
            f"skipped: {skipped}" + (f" ({reasons})" if reasons else ""),
            f"events: {self.events}, quotes: {self.quotes}, stances: {self.stances}",
            f"seconds: {self.seconds:.1f} ({rate:.1f} reports/s)",
        ]


def prepare(raw: RawReport) -> Document | Problem:
    """Clean one raw report into a Document with its identity and date."""
    if raw.html and not raw.text:
        cleaned = clean.html_to_text(raw.html)
    else:
        cleaned = clean.strip_boilerplate(raw.text or "")
    if not cleaned.text.strip():
        return Problem(raw.source, None, "empty", "skipped: no report text after clean-up")
    published = dates.resolve_published(given=raw.published, text=cleaned.text, html=raw.html,
                                         url=raw.url)
    return Document(
        id=clean.content_id(cleaned.text), text=cleaned.text, source=raw.source, ref=raw.ref,
        url=raw.url, outlet=raw.outlet or cleaned.outlet, title=raw.title or cleaned.title, published=published,
        language=raw.language or "en", removed_chars=cleaned.removed_chars,
        fingerprint=clean.simhash(cleaned.text))


class Deduplicator:
    """Exact and near-duplicate detection against the store and this run.

    Costs two store queries per batch of reports, never a pass over the corpus."""

    def __init__(self, store: Store, bits: int) -> None:
        self.store = store
        self.bits = bits
        self.seen_ids: set[str] = set()
        self.bands: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def check_batch(self, documents: list[Document]) -> list[str]:
        """For each document in turn: 'new', 'known' (exact), or 'near' (sets
        ``duplicate_of``). The store is asked once for the whole batch (it does
        not change while a batch is checked)."""
        known = self.store.known_ids([d.id for d in documents])
        candidates = [d for d in documents if d.id not in known and d.id not in self.seen_ids]
        stored = dict(zip((id(d) for d in candidates), self.store.near_duplicates_of(
            [d.fingerprint or 0 for d in candidates], self.bits), strict=True))
        return [self._verdict(d, known, stored) for d in documents]

    def _verdict(self, document: Document, known: set[str], stored: dict[int, str | None]) -> str:
        if document.id in self.seen_ids or document.id in known:
            return "known"
        self.seen_ids.add(document.id)
        fingerprint = document.fingerprint or 0
        original = self._near_in_run(fingerprint) or stored[id(document)]
        if original is not None:
            document.duplicate_of = original
            return "near"
        for key in enumerate(bands(fingerprint)):
            self.bands.setdefault(key, []).append((fingerprint, document.id))
        return "new"

    def forget(self, documents: Sequence[Document]) -> None:
        """Drop documents now in the store (its queries find them from here on):
        what the run remembers is the reports in flight, not the corpus."""
        gone = {d.id for d in documents}
        self.seen_ids -= gone
        for document in documents:
            for key in enumerate(bands(document.fingerprint or 0)):
                kept = [entry for entry in self.bands.get(key, ()) if entry[1] not in gone]
                if kept:
                    self.bands[key] = kept
                else:
                    self.bands.pop(key, None)

    def _near_in_run(self, fingerprint: int) -> str | None:
        for key in enumerate(bands(fingerprint)):
            for other, doc_id in self.bands.get(key, []):
                if clean.hamming(other, fingerprint) <= self.bits:
                    return doc_id
        return None


def prepared(raws: Iterable[RawReport | Problem], summary: Summary,
             on_problem: Callable[[Problem], None] | None = None) -> Iterator[Document]:
    """Clean documents; bad input is counted and reported, never raised."""
    for raw in raws:
        if not isinstance(raw, Problem):
            summary.read += 1
            raw = prepare(raw)
        if isinstance(raw, Problem):
            summary.skipped[raw.reason] += 1
            summary.problems.append(raw)
            if on_problem:
                on_problem(raw)
            continue
        yield raw


def new_batches(documents: Iterable[Document], store: Store, dedupe: Deduplicator,
                summary: Summary, size: int) -> Iterator[list[Document]]:
    """Batches of documents the store does not have; the duplicate checks of a
    batch share one store session."""
    for batch in batched(documents, size):
        with store.session():
            verdicts = dedupe.check_batch(batch)
        summary.already_stored += verdicts.count("known")
        summary.near_duplicates += verdicts.count("near")
        fresh = [d for d, v in zip(batch, verdicts, strict=True) if v != "known"]
        if fresh:
            yield fresh


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(paths: Iterable[str], *, settings: Settings, executor=None,
           on_problem: Callable[[Problem], None] | None = None,
           on_progress: Callable[[Summary], None] | None = None) -> Summary:
    """Read, analyse and store every report under ``paths``; never stops on bad input.

    The store is a DuckDB file or a Parquet folder (``open_store``). A file is
    open only to check duplicates and to write a batch, so a dashboard can read
    it while the batch after is analysed."""
    from .executors import make_executor

    summary = Summary()
    started = time.perf_counter()
    executor = executor or make_executor(settings)
    store = open_store(settings.db, wait=float(settings.wait), hold=False)
    try:
        _run(paths, store, executor, settings, summary, started, on_problem, on_progress)
    finally:
        store.close()
    return summary


class ProblemLog:
    """A run's skipped inputs, written to the store as they are met: with each
    batch written, and every FLUSH_PROBLEMS problems or FLUSH_SECONDS seconds
    in between (a run killed midway keeps them)."""

    FLUSH_PROBLEMS = 64
    FLUSH_SECONDS = 2.0

    def __init__(self, store: Store, run: int, clock=time.monotonic) -> None:
        self.store, self.run, self.clock = store, run, clock
        self.pending: list[Problem] = []
        self.flushed = clock()

    def add(self, problem: Problem) -> None:
        self.pending.append(problem)
        if len(self.pending) >= self.FLUSH_PROBLEMS or \
                self.clock() - self.flushed >= self.FLUSH_SECONDS:
            with self.store.session():
                self.write()

    def write(self) -> None:
        """Write what is pending (inside a store session)."""
        self.store.record_problems(self.run, self.pending)
        self.pending = []
        self.flushed = self.clock()


def _run(paths: Iterable[str], store: Store, executor, settings: Settings, summary: Summary,
         started: float, on_problem: Callable[[Problem], None] | None,
         on_progress: Callable[[Summary], None] | None) -> None:
    with store.session():
        run = store.start_run()
    log = ProblemLog(store, run)

    def problem(found: Problem) -> None:
        log.add(found)
        if on_problem:
            on_problem(found)

    status = "failed"
    try:
        dedupe = Deduplicator(store, settings.near_duplicate_bits)
        documents = prepared(read_inputs(paths, max_bytes=settings.max_bytes), summary, problem)
        batches = new_batches(documents, store, dedupe, summary, settings.write_batch)
        for analyses in batched(analysed(batches, executor), settings.write_batch):
            _count(summary, analyses)
            summary.seconds = time.perf_counter() - started
            with store.session():
                store.write(analyses)
                log.write()
                store.update_run(run, summary.as_dict())
            dedupe.forget([a.document for a in analyses])
            if on_progress:
                on_progress(summary)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        summary.seconds = time.perf_counter() - started
        _finish(store, run, summary, log, status)


def _finish(store: Store, run: int, summary: Summary, log: ProblemLog, status: str) -> None:
    """The run's row and last problems; a run that failed still tries to say so."""
    try:
        with store.session():
            store.finish_run(run, summary.as_dict(), log.pending, status=status)
    except Exception:
        if status == "finished":
            raise  # a failing store on a failed run must not hide the first error


def analysed(batches: Iterable[list[Document]], executor) -> Iterator[Analysis]:
    """Each document's analysis, in input order. Near-duplicates (found before
    any parsing) go around the executor: they are stored with ``duplicate_of``
    and never parsed, and an input of nothing but duplicates starts no worker."""
    waiting: deque[Document] = deque()

    def originals() -> Iterator[list[Document]]:
        for batch in batches:
            waiting.extend(batch)
            fresh = [d for d in batch if d.duplicate_of is None]
            if fresh:
                yield fresh

    for analysis in _flat(executor.map(originals())):
        while waiting and waiting[0].duplicate_of is not None:
            yield Analysis(waiting.popleft())
        waiting.popleft()  # the document this analysis is of
        yield analysis
    while waiting:
        yield Analysis(waiting.popleft())


def _flat(batches: Iterable[list[Analysis]]) -> Iterator[Analysis]:
    for batch in batches:
        yield from batch


def _count(summary: Summary, analyses: list[Analysis]) -> None:
    summary.stored += len(analyses)
    summary.events += sum(len(a.events) for a in analyses)
    summary.quotes += sum(len(a.quotes) for a in analyses)
    summary.stances += sum(len(a.stances) for a in analyses)

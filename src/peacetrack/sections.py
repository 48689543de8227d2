"""Long reports, analysed section by section (issue 17).

spaCy refuses a text over ``nlp.max_length`` (E088: 1,000,000 characters),
its memory grows with a text's length, and some of the coder's passes
compare every event or actor mention of a report with every other. A report
longer than ``section_chars`` is therefore cut into sections
(``nlp.pieces``: at paragraph breaks, else sentence ends, else spaces), and
each section is parsed and analysed as a report of its own, with the whole
report's date, title and source; its records are then moved into the whole
report: every span is shifted by where its section starts, so each offset
points into the report as stored, which stays one document. A report of
~800 words has ~5,000 characters: the default of 50,000 leaves every news
report whole, and the cost of a long one grows with its number of sections,
that is linearly (bench/RESULTS.md).

What a section cannot see is the section before it: a pronoun or a title
("the minister") that opens a section refers back only within it, and one
event told in two sections is two records.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .nlp import pieces
from .records import Analysis, Document

# Characters per report in a parse batch: a batch holds at most batch_size
# reports and batch_size × BATCH_CHARS characters (~80,000 by default, what 16
# news reports of ~800 words make; the parser needs ~0.3 GB for that).
BATCH_CHARS = 5_000
SECTION_SEPARATOR = "@"  # a section's own id: "<document id>@<first character>"


def sections(text: str, limit: int) -> list[tuple[int, str]]:
    """The text's sections, each with the offset of its first character."""
    out, start = [], 0
    for piece in pieces(text, limit):
        out.append((start, piece))
        start += len(piece)
    return out


def analyse_in_sections(analyzer, documents: Sequence[Document], *,
                        limit: int) -> Iterator[Analysis]:
    """``Analyzer.analyse``: one Analysis per document, in order. The sections
    of all documents are parsed in batches of at most ``batch_size`` texts and
    ``batch_size`` × BATCH_CHARS characters (the parser's memory grows with the
    characters of a batch), and each is analysed as soon as it is parsed: a
    long report is never held parsed whole."""
    numbered = ((n, start, piece) for n, document in enumerate(documents)
                for start, piece in sections(document.text, limit))
    parsed = _parsed(analyzer.nlp, numbered, analyzer.settings.batch_size)
    for n, group in itertools.groupby(parsed, key=lambda item: item[0]):
        document = documents[n]
        if len(document.text) <= limit:
            (_, _, _, doc), = group
            yield analyzer.analyse_doc(document, doc)
            continue
        yield combine(document, [(start, analyzer.analyse_doc(section_of(document, start, piece), doc))
                                 for _, start, piece, doc in group])


def _parsed(nlp, numbered: Iterable[tuple[int, int, str]],
            batch_size: int) -> Iterator[tuple[int, int, str, Any]]:
    budget = batch_size * BATCH_CHARS
    batch: list[tuple[int, int, str]] = []
    chars = 0
    for item in itertools.chain(numbered, [None]):
        if batch and (item is None or len(batch) >= batch_size or chars + len(item[2]) > budget):
            docs = nlp.pipe([piece for _, _, piece in batch], batch_size=len(batch))
            yield from ((*entry, doc) for entry, doc in zip(batch, docs, strict=True))
            batch, chars = [], 0
        if item is not None:
            batch.append(item)
            chars += len(item[2])


def section_of(document: Document, start: int, text: str) -> Document:
    """A section as a document: the report's metadata, its own text and id
    (so that record ids, made from the document id and offsets, differ
    between sections)."""
    return dataclasses.replace(document, id=f"{document.id}{SECTION_SEPARATOR}{start}", text=text)


def combine(document: Document, parts: list[tuple[int, Analysis]]) -> Analysis:
    """The analyses of a report's sections as the report's: spans shifted into
    the whole text, ``doc`` the report's id. The publication date is the one
    the first section settled on (the lead, where datelines and bylines are)."""
    whole = dataclasses.replace(document, published=parts[0][1].document.published)
    out = Analysis(whole)
    for start, part in parts:
        section_id = part.document.id
        for name in ("events", "quotes", "stances"):
            getattr(out, name).extend(
                _moved(record, start, section_id, document.id) for record in getattr(part, name))
    return out


def _moved(value: Any, shift: int, old_id: str, new_id: str, key: str = "") -> Any:
    """A copy of a record with every span (a field or key named ``span`` or
    ``*_span``) shifted and the section's id replaced by the report's; any
    record kind or field added later is moved the same way."""
    if key == "span" or key.endswith("_span"):
        if isinstance(value, (tuple, list)) and len(value) == 2 and \
                all(isinstance(v, int) for v in value):
            return type(value)(v + shift for v in value)
    if isinstance(value, str):
        return new_id if value == old_id else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _moved(getattr(value, f.name), shift, old_id, new_id, f.name)
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {k: _moved(v, shift, old_id, new_id, k if isinstance(k, str) else "")
                for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, shift, old_id, new_id) for v in value]
    if isinstance(value, tuple):
        return tuple(_moved(v, shift, old_id, new_id) for v in value)
    return value

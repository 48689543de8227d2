"""Language analysis of documents: one Analyzer per process, model loaded once.

The stages are small and pass plain data: actors -> events (with dates and
places) -> quotes -> stances.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .actors import ActorFinder
from .events import EventCoder
from .nlp import load_model
from .profile import load_profile
from .records import Analysis, Document
from .settings import Settings


class Analyzer:
    """Everything a worker needs, built once per process from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = load_model(settings.model)
        self.profile = load_profile(settings.profile)
        self.actors = ActorFinder(self.profile, self.nlp.vocab)
        self.events = EventCoder()

    def analyse(self, documents: Sequence[Document]) -> Iterator[Analysis]:
        texts = (d.text for d in documents)
        for document, doc in zip(documents, self.nlp.pipe(texts, batch_size=self.settings.batch_size),
                                 strict=True):
            yield self.analyse_doc(document, doc)

    def analyse_doc(self, document: Document, doc) -> Analysis:
        if document.duplicate_of is not None:
            return Analysis(document)  # a near-duplicate is recorded, not counted twice
        actors = self.actors.find(doc, document.published)
        events = self.events.code(doc, actors, doc_id=document.id, published=document.published)
        return Analysis(document, events=events)

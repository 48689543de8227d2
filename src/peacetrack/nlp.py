"""The one place the spaCy model is loaded (once per process and name)."""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .errors import ModelError


@Language.component("peacetrack_line_breaks", assigns=["token.is_sent_start"])
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings, datelines and list items of a
    report are not run into the next paragraph (the parser keeps these)."""
    for token in doc[:-1]:
        if _breaks(token):
            doc[token.i + 1].is_sent_start = True
            # and no one-word "sentence" right after it, which the sm parser
            # otherwise tends to cut ("Baku | and Yerevan have…")
            if token.i + 2 < len(doc) and not _breaks(doc[token.i + 1]):
                doc[token.i + 2].is_sent_start = False
    return doc


SENT_INDEX = "peacetrack.sentences"
TEXT = "peacetrack.text"
ENTS = "peacetrack.ents"
DASHES = {"–", "—", "-", "--"}


@Language.component("peacetrack_datelines", assigns=["token.is_sent_start"])
def datelines(doc: Doc) -> Doc:
    """A wire dateline ('BRUSSELS, Dec 15 (Reuters) –') is not the subject of the
    lead sentence: the lead starts after its dash."""
    for start in [0] + [t.i + 1 for t in doc[:-1] if _breaks(t)]:
        if start >= len(doc) or not _is_city(doc[start]):
            continue
        for token in doc[start + 1:start + 14]:
            if token.text in DASHES and token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
                break
            if "\n" in token.text_with_ws:
                break
    return doc


def _is_city(token) -> bool:
    return len(token.text) >= 3 and token.text.isupper() and token.is_alpha


def _breaks(token) -> bool:
    return "\n" in token.text or "\n" in token.whitespace_


def text_of(doc: Doc) -> str:
    """The document's text. spaCy's ``Doc.text`` joins every token on each call;
    the analysis stores the text it parsed once (``remember_text``)."""
    text = doc.user_data.get(TEXT)
    return text if text is not None else doc.text


def remember_text(doc: Doc, text: str) -> Doc:
    doc.user_data[TEXT] = text
    return doc


def entities_in(span: Span) -> list[Span]:
    """The named entities inside a span. ``Span.ents`` walks every entity of the
    document on each call; the document's entities are read once here."""
    doc = span.doc
    ents = doc.user_data.get(ENTS)
    if ents is None:
        ents = doc.user_data[ENTS] = list(doc.ents)
    return [e for e in ents if e.start >= span.start and e.end <= span.end]


def sentence_of(token: Token) -> Span:
    """The sentence of a token. spaCy's ``Token.sent`` walks the sentences from
    the start each time (quadratic over a report); this indexes them once per doc."""
    doc = token.doc
    index = doc.user_data.get(SENT_INDEX)
    if index is None or len(index[0]) != len(doc):
        sentences = list(doc.sents)
        owner = [0] * len(doc)
        for n, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                owner[i] = n
        index = doc.user_data[SENT_INDEX] = (owner, sentences)
    owner, sentences = index
    return sentences[owner[token.i]]


@cache
def load_model(name: str):
    """The spaCy pipeline ``name`` (a package or path); loaded once per process."""
    import spacy

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(name, exc) from exc
    before = "parser" if "parser" in nlp.pipe_names else None
    for name in ("peacetrack_line_breaks", "peacetrack_datelines"):
        if before:
            nlp.add_pipe(name, before=before)
        else:
            nlp.add_pipe(name, first=True)
    return nlp

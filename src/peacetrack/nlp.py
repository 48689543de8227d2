"""The one place the spaCy model is loaded (once per process and name)."""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

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


def _breaks(token) -> bool:
    return "\n" in token.text or "\n" in token.whitespace_


@cache
def load_model(name: str):
    """The spaCy pipeline ``name`` (a package or path); loaded once per process."""
    import spacy

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(name, exc) from exc
    before = "parser" if "parser" in nlp.pipe_names else None
    if before:
        nlp.add_pipe("peacetrack_line_breaks", before=before)
    else:
        nlp.add_pipe("peacetrack_line_breaks", first=True)
    return nlp

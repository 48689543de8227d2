"""The one place the spaCy model is loaded (once per process and name)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import deque
from functools import cache, lru_cache
from typing import NamedTuple

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, POS
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
WORDS = "peacetrack.words"
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
    document on each call; the document's entities are read once here, and
    the first one inside the span found by bisection."""
    doc = span.doc
    index = doc.user_data.get(ENTS)
    if index is None:
        ents = list(doc.ents)
        index = doc.user_data[ENTS] = (ents, [e.start for e in ents])
    ents, starts = index
    out = []
    # entities do not overlap and come in order: their ends rise with their starts
    for ent in ents[bisect.bisect_left(starts, span.start):]:
        if ent.end > span.end:
            break
        out.append(ent)
    return out


def words_of(doc: Doc) -> tuple[list[str], list[str]]:
    """Each token's ``lower_`` and ``lemma_.lower()``, read once per doc.

    Stages that look for a few words scan these lists and build a Token only
    where a word fits (a Token is a new object on every ``doc[i]``)."""
    words = doc.user_data.get(WORDS)
    if words is None or len(words[0]) != len(doc):
        strings = doc.vocab.strings
        array = doc.to_array([LOWER, LEMMA])
        lowered: dict[int, str] = {}
        for key in set(array.ravel().tolist()):
            lowered[key] = strings[key].lower()
        lower = [lowered[k] for k in array[:, 0].tolist()]
        lemma = [lowered[k] for k in array[:, 1].tolist()]
        words = doc.user_data[WORDS] = (lower, lemma)
    return words


SYNTAX = "peacetrack.syntax"


class Syntax(NamedTuple):
    """Per token: ``pos_``, ``dep_``, head index, and whether it is in a named entity."""

    pos: list[str]
    dep: list[str]
    head: list[int]
    in_entity: list[bool]


def syntax_of(doc: Doc) -> Syntax:
    """The document's parse as plain lists, read once per doc (a Token is a new
    object on every ``doc[i]``)."""
    syntax = doc.user_data.get(SYNTAX)
    if syntax is None or len(syntax.pos) != len(doc):
        strings = doc.vocab.strings
        array = doc.to_array([POS, DEP, HEAD, ENT_TYPE])
        names: dict[int, str] = {}
        for key in set(array[:, :2].ravel().tolist()):
            names[key] = strings[key] if key else ""
        pos = [names[k] for k in array[:, 0].tolist()]
        dep = [names[k] for k in array[:, 1].tolist()]
        # HEAD is stored relative to the token (as an unsigned array)
        head = [i + (k - 2**64 if k >= 2**63 else k) for i, k in enumerate(array[:, 2].tolist())]
        syntax = doc.user_data[SYNTAX] = Syntax(pos, dep, head,
                                                [k != 0 for k in array[:, 3].tolist()])
    return syntax


def with_words(doc: Doc, words) -> list[int]:
    """Indexes of the tokens whose lower-case form or lemma is in ``words``."""
    lower, lemma = words_of(doc)
    return [i for i, (word, lem) in enumerate(zip(lower, lemma, strict=True))
            if word in words or lem in words]


def determined(doc: Doc, determiners) -> set[int]:
    """Indexes of the tokens with a ``det`` child among ``determiners`` ('the', 'this')."""
    lower, _ = words_of(doc)
    syntax = syntax_of(doc)
    dep, head = syntax.dep, syntax.head
    return {head[i] for i, d in enumerate(dep) if d == "det" and lower[i] in determiners}


def _sentence_index(doc: Doc) -> tuple[list[int], list[Span]]:
    """Each token's sentence number and the sentences, built once per doc:
    spaCy's ``Token.sent`` and ``Doc.sents`` walk the document on each call."""
    index = doc.user_data.get(SENT_INDEX)
    if index is None or len(index[0]) != len(doc):
        sentences = list(doc.sents)
        owner = [0] * len(doc)
        for n, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                owner[i] = n
        index = doc.user_data[SENT_INDEX] = (owner, sentences)
    return index


def sentence_of(token: Token) -> Span:
    """The sentence of a token."""
    owner, sentences = _sentence_index(token.doc)
    return sentences[owner[token.i]]


def sentence_number(token: Token) -> int:
    """The index of a token's sentence in its document."""
    return _sentence_index(token.doc)[0][token.i]


def sentences_before(token: Token, count: int) -> list[Span]:
    """The ``count`` sentences just before the token's own, in text order."""
    owner, sentences = _sentence_index(token.doc)
    n = owner[token.i]
    return sentences[max(0, n - count):n]


# The most characters of a piece (``sections.py``): spaCy refuses a text over
# ``nlp.max_length`` (E088, 1,000,000 characters), and its memory grows with
# the text. A cut falls at a paragraph break first (a line break ends a
# sentence anyway, ``line_breaks``).
PIECE_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")


def pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """The text cut into pieces of at most ``limit`` characters that join back
    into it exactly: at the last paragraph break of each window, else its last
    sentence end, else its last space, else (one 'word' longer than the limit)
    at the limit, never between a letter and its combining mark. Linear in the
    text: each window is searched once."""
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit)
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def _cut(text: str, start: int, end: int) -> int:
    """Where the piece ``text[start:end]`` ends: after the whitespace of the
    latest break in its second half, so the next piece starts with a word."""
    floor = start + (end - start) // 2  # no tiny pieces
    newline = text.rfind("\n", floor, end)
    if newline >= 0:
        return _after_space(text, newline, end)
    for pattern in (_SENTENCE_END, _WHITESPACE):
        last = deque(pattern.finditer(text, floor, end), maxlen=1)
        if last:
            return last[0].end()
    cut = end
    while cut > floor + 1 and unicodedata.combining(text[cut]):
        cut -= 1  # keep a letter with its accents
    return cut if cut > start else end


def _after_space(text: str, at: int, end: int) -> int:
    while at < end and text[at].isspace():
        at += 1
    return at


@cache
def load_model(name: str, attribute_lookup: bool = True):
    """The spaCy pipeline ``name`` (a package or path); loaded once per process.
    With ``attribute_lookup`` its attribute rules and rule lemmatizer run as
    table look-ups (``attribute_lookup.py``: the same annotation, faster)."""
    import spacy

    from .attribute_lookup import use_lookup

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(name, exc) from exc
    if attribute_lookup:
        use_lookup(nlp)
    before = "parser" if "parser" in nlp.pipe_names else None
    for name in ("peacetrack_line_breaks", "peacetrack_datelines"):
        if before:
            nlp.add_pipe(name, before=before)
        else:
            nlp.add_pipe(name, first=True)
    return nlp


@cache
def _blank_english() -> Language:
    from spacy.lang.en import English

    return English()


@lru_cache(maxsize=200_000)
def pattern_words(text: str) -> tuple[str, ...]:
    """A pattern phrase's words, tokenised as documents are (English rules),
    once per process: every process's analyser adds the same generic names."""
    return tuple(t.text for t in _blank_english().make_doc(text))

"""Boilerplate removal, normalisation and fingerprints (SPEC §1, §2 document).

Web pages go through trafilatura; plain-text reports (and what trafilatura
keeps) lose the clutter lines scraped pages carry. Both record how many
characters were dropped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

from .lexicons import load_lexicon

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?\"”’»:;,]\s*$")
_CAPITALISED = re.compile(r"^[A-Z][\w'’-]*$|^[A-Z]{2,}$")
_SEPARATORS = re.compile(r"\s+[|•·]\s+")
_SOURCE_LINE = re.compile(r"^source\s*:\s*(\S.{0,60})$", re.IGNORECASE)
_FUNCTION_WORDS = {"a", "an", "the", "to", "of", "in", "on", "for", "with", "and", "or",
                   "is", "are", "was", "were", "by", "at", "as", "from", "that", "after"}


@dataclass
class CleanText:
    text: str
    removed_chars: int
    title: str | None = None
    outlet: str | None = None  # from a "Source: X" line


@dataclass(frozen=True)
class Boilerplate:
    lines: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    tag_words: frozenset[str]


@cache
def boilerplate() -> Boilerplate:
    data = load_lexicon("boilerplate")
    return Boilerplate(
        lines=frozenset(s.lower() for s in data["lines"]),
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in data["patterns"]),
        tag_words=frozenset(w.lower() for w in data["tag_words"]),
    )


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of a cleaned text starts. The clean-up leaves one
    paragraph per line, with or without a blank line between (web pages come
    out without one), so a paragraph is a non-empty line."""
    starts, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(at)
        at += len(line) + 1
    return starts or [0]


def normalise(text: str) -> str:
    """NFC, one kind of newline, single spaces inside lines, at most one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def is_boilerplate(line: str, rules: Boilerplate) -> bool:
    key = line.strip().rstrip(":|»›").strip().lower()
    if not key:
        return False
    parts = [p for p in _SEPARATORS.split(line) if p.strip()]
    if len(parts) > 1:  # "Trending | Share this article"
        return all(is_boilerplate(p, rules) for p in parts)
    if key in rules.lines or any(p.search(line) for p in rules.patterns):
        return True
    return is_tag_line(line, rules)


def is_tag_line(line: str, rules: Boilerplate) -> bool:
    """A row of category tags: capitalised words, no verbs' company, no punctuation."""
    words = line.split()
    if len(words) < 4 or _SENTENCE_END.search(line) or "," in line:
        return False
    if any(w.lower() in _FUNCTION_WORDS for w in words):
        return False
    if not all(_CAPITALISED.match(w) for w in words):
        return False
    return any(w.lower() in rules.tag_words for w in words)


def strip_boilerplate(text: str) -> CleanText:
    """Drop clutter lines and repeated short lines (a title printed twice)."""
    rules = boilerplate()
    kept: list[str] = []
    seen_short: set[str] = set()
    title = outlet = None
    for line in normalise(text).split("\n"):
        key = line.strip().lower()
        source = _SOURCE_LINE.match(line.strip())
        if source:
            outlet = outlet or source.group(1).strip()
            continue
        if is_boilerplate(line, rules) or _is_section_label(line, kept):
            continue
        if key and len(key) < 200 and not _SENTENCE_END.search(key[-1:] or " "):
            if key in seen_short:
                continue  # a repeated title or heading
            seen_short.add(key)
        if not any(k.strip() for k in kept) and _looks_like_title(key):
            title = line.strip()
        kept.append(line)
    cleaned = _BLANKS.sub("\n\n", "\n".join(kept)).strip()
    return CleanText(cleaned, max(0, len(text) - len(cleaned)), title, outlet)


def _is_section_label(line: str, kept: list[str]) -> bool:
    """A one- or two-word line above everything else ('Armenia', 'World News')."""
    words = line.split()
    return 0 < len(words) <= 2 and not any(k.strip() for k in kept) and \
        not _SENTENCE_END.search(line)


def _looks_like_title(key: str) -> bool:
    return 3 <= len(_WORD.findall(key)) and len(key) < 200 and not _SENTENCE_END.search(key)


def html_to_text(html: str) -> CleanText:
    """The article text of a web page (trafilatura), then line clean-up."""
    import trafilatura  # heavy import: only when a page comes

    body = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    page_text = visible_text(html)
    cleaned = strip_boilerplate(body)
    # the page's own tags before anything read off its text (SPEC §1: never clutter)
    title = (meta.title if meta and meta.title else None) or cleaned.title
    outlet = (meta.sitename if meta and meta.sitename else None) or cleaned.outlet
    return CleanText(cleaned.text, max(0, len(page_text) - len(cleaned.text)), title, outlet)


def visible_text(html: str) -> str:
    """All text a reader of the page would see, clutter included (for counting)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    for node in tree.xpath("//script|//style|//noscript|//template"):
        node.drop_tree()
    return normalise(tree.text_content())


def content_id(text: str) -> str:
    """Documents are identified by content: case and spacing do not count."""
    key = " ".join(_WORD.findall(text.lower()))
    return "d-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def simhash(text: str, *, shingle: int = 3) -> int:
    """A 64-bit SimHash over word shingles: near-duplicate texts differ in few bits."""
    words = _WORD.findall(text.lower())
    grams = [" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))]
    digests = b"".join(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest() for g in grams)
    # Each gram's 64 bits, most significant first (the digest read big-endian).
    # A bit is set where more grams have it than not (weight +1 / -1 per gram):
    # counted in one vectorised pass rather than 64 Python steps per gram.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(len(grams), 8), axis=1)
    majority = (2 * bits.sum(axis=0, dtype=np.int64) > len(grams)).astype(np.uint8)
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()

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


def lead_end(text: str) -> int:
    """Where a report's lead ends: its first paragraph, and the next one too
    when the first is a headline (no closing stop)."""
    starts = paragraph_starts(text) + [len(text)]
    first = text[starts[0]:starts[1]].strip()
    lead = 2 if first and first[-1] not in ".!?\"”»" and len(starts) > 2 else 1
    return starts[lead]


# Control characters are not text: line and page breaks among them become
# newlines, the rest go (a NUL or an escape code in a report is noise).
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def as_text(value: str) -> str:
    """The string as text that can be written: surrogate pairs (as JSON escapes
    give them) joined into their character, a lone surrogate replaced."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def normalise(text: str) -> str:
    """NFC, one kind of newline, no control characters, single spaces inside
    lines, at most one blank line."""
    text = unicodedata.normalize("NFC", as_text(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", _BREAKS.sub("\n", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


# Clutter is short: a line longer than this is prose, kept whatever words it
# holds (a report of one long line, or a paragraph quoting a cookie notice,
# is not dropped whole because a pattern matches somewhere in it).
MAX_CLUTTER_CHARS = 600


def is_boilerplate(line: str, rules: Boilerplate) -> bool:
    if len(line) > MAX_CLUTTER_CHARS:
        return False
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

    html = flat_if_deep(html)
    body = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True) or ""
    if not body.strip():  # a page laid out in tables, or one trafilatura finds no article in:
        body = trafilatura.extract(html, include_comments=False, include_tables=True,
                                   favor_recall=True) or ""
    if not body.strip():  # ... its text blocks, rather than nothing
        body = "\n".join(text for tag, text in page_blocks(html) if tag not in CLUTTER_TAGS)
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

    html = flat_if_deep(html)
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    for node in tree.xpath("//script|//style|//noscript|//template"):
        node.drop_tree()
    return normalise(tree.text_content())


# -- pages nested past the HTML parser's limit -----------------------------------
# libxml2 (under lxml and trafilatura) stops at 256 levels of nesting and keeps
# nothing of such a page; the page is then rewritten flat, its text in order.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"})
# Kept as the element a flat block sits in: what trafilatura tells apart.
KEPT_TAGS = ("nav", "aside", "footer", "header", "form", "h1", "h2", "h3", "h4", "h5", "h6",
             "li", "blockquote", "figcaption", "td", "th")
HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                       "meta", "param", "source", "track", "wbr"})


def flat_if_deep(html: str) -> str:
    """The page as it is, or, nested past libxml2's limit, rewritten flat."""
    import lxml.etree

    parser = lxml.etree.HTMLParser()
    try:
        lxml.etree.fromstring(html, parser)
    except (ValueError, lxml.etree.LxmlError):
        return html
    deep = any("depth" in error.message.lower() for error in parser.error_log)
    return flatten_html(html) if deep else html


CLUTTER_TAGS = frozenset({"nav", "aside", "footer", "header", "form"})


def flatten_html(html: str) -> str:
    """The page's head (title, meta) and its text blocks, each in one element
    (the nearest of KEPT_TAGS around it, else a paragraph), nothing nested."""
    from html import escape

    head: list[str] = []
    blocks = page_blocks(html, head)
    body = "\n".join(f"<{tag}>{escape(text)}</{tag}>" for tag, text in blocks)
    return "<html><head>" + "".join(head) + "</head><body>" + body + "</body></html>"


def page_blocks(html: str, head: list[str] | None = None) -> list[tuple[str, str]]:
    """The page's text blocks in order, each with the nearest of KEPT_TAGS
    around it (else 'p'); ``head`` receives its title, meta and link elements.
    Read with the standard library's tokenizer, which has no depth limit, and
    linear in the page: what is open is counted, never searched."""
    from collections import Counter
    from html import escape
    from html.parser import HTMLParser

    head = head if head is not None else []
    out: list[tuple[str, str]] = []
    text: list[str] = []
    open_tags: list[str] = []
    counts: Counter[str] = Counter()  # how many of each tag are open
    kept: list[str] = []  # the open tags of KEPT_TAGS, innermost last

    def words() -> str:
        joined = " ".join("".join(text).split())
        text.clear()
        return joined

    def flush() -> None:
        block = words()
        if block:
            out.append((kept[-1] if kept else "p", block))

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in BLOCK_TAGS or tag == "title":
                flush()
            if tag in ("meta", "link"):
                head.append(f"<{tag} " + " ".join(f'{k}="{escape(v or "")}"' for k, v in attrs) + ">")
            if tag in VOID_TAGS:
                return
            open_tags.append(tag)
            counts[tag] += 1
            if tag in KEPT_TAGS:
                kept.append(tag)

        def handle_endtag(self, tag):
            if not counts[tag]:
                return  # closes nothing open
            if tag == "title":
                head.append(f"<title>{escape(words())}</title>")
            elif tag in BLOCK_TAGS:
                flush()
            while open_tags:
                closed = open_tags.pop()
                counts[closed] -= 1
                if closed in KEPT_TAGS:
                    kept.pop()
                if closed == tag:
                    break

        def handle_data(self, data):
            if not any(counts[t] for t in HIDDEN_TAGS):
                text.append(data)

    reader = Reader(convert_charrefs=True)
    reader.feed(html)
    reader.close()
    flush()
    return out


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

"""A corpus of N varied reports made from real or demo reports (for bench.py).

``generated``: from the demo corpus (short reports written for the project).
``real``: from the real reports of the seeds and the dev corpus
(``../shared/seeds``, ``../shared/devcorpus``), kept at their own length:
their sentences are the engine's real work (real reports cost more to place
and date than the demo's).

Every report is a new text, so nothing downstream can be cached or taken for
a duplicate: a base report loses a paragraph or two and borrows paragraphs
from others (to about 800 words, the length the throughput figures in
ENVIRONMENT.md assume), its sentences and paragraphs are reordered, its
places and mediators renamed, its years, months and weekdays shifted.
A quarter are written as web pages with clutter around the article, so the
ingest's boilerplate removal does its usual work.

Reports are written as JSONL shards (each well under the ingest's
``max_bytes``); each line also carries ``plain``, the article text alone,
which the spaCy baseline parses.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
REAL = (ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "devcorpus")
KINDS = ("generated", "real")
SHARD = 250  # reports per JSONL file (about 1.5 MB)

# Swapped within a report, always for another of the same kind, so that the
# reports stay plausible and the profile still resolves most names.
PLACES = ["Brussels", "Moscow", "Prague", "Sochi", "Washington", "Granada", "Munich",
          "Geneva", "Vienna", "Tbilisi", "Istanbul", "Almaty", "Kazan", "Chisinau"]
MEDIATORS = ["Charles Michel", "Emmanuel Macron", "Antony Blinken", "Sergey Lavrov",
             "Vladimir Putin", "Toivo Klaar", "Josep Borrell", "Olaf Scholz"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = ["Demo Wire", "Caucasus Monitor", "Transatlantic Desk", "Global Affairs Daily",
           "Regional Courier", "Evening Dispatch"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_YEAR = re.compile(r"\b(20[12]\d)\b")
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_DAY = re.compile(r"\b(" + "|".join(DAYS) + r")\b")
_PAGE = """<!doctype html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/caucasus">Caucasus</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>{title}</h1><p class="byline">By {outlet} staff</p>
{paragraphs}
</article><aside><h3>Trending</h3><ul><li>Markets rally as talks resume</li>
<li>Weather: storms expected in the region</li></ul></aside>
<footer>Share this article. © {outlet}. All rights reserved.</footer></body></html>"""


@dataclass
class Source:
    text: str
    published: str
    title: str


def load_sources(folder: Path = DEMO) -> list[Source]:
    """The demo reports as plain article text (web pages cleaned once, here)."""
    from peacetrack import clean, dates

    sources = []
    for path in sorted(folder.iterdir()):
        if path.stem == "index":  # a folder's metadata, not a report
            continue
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                item = json.loads(line)
                sources.append(Source(item["text"], item["published"][:10], item.get("title", "")))
            continue
        if path.suffix not in (".txt", ".html"):
            continue
        raw = path.read_text(encoding="utf-8")
        cleaned = clean.html_to_text(raw) if path.suffix == ".html" else clean.strip_boilerplate(raw)
        html = raw if path.suffix == ".html" else None
        published = dates.resolve_published(given=None, text=raw, html=html).value
        if not published:  # a dateline without a year ("MOSCOW, Nov 10"): the file's year
            year = re.search(r"_(20\d\d)\b", path.stem)
            published = f"{year.group(1) if year else 2023}-06-15"
        sources.append(Source(cleaned.text, published, _title(cleaned.title)))
    return sources


def _title(title: str | None) -> str:
    """A headline, not a clutter or dateline line taken for one."""
    if not title or "|" in title or title.lower().startswith("published"):
        return ""
    return title


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def vary(sources: list[Source], rng: random.Random, *, own_length: bool = False) -> dict:
    """One new report: a base report, reordered, renamed, redated, lengthened
    (to 600-1,000 words, or with ``own_length`` to about the base's own)."""
    base = rng.choice(sources)
    paras = paragraphs(base.text)
    head, body = paras[:1], paras[1:]
    for _ in range(min(2, len(body) // 4)):
        body.pop(rng.randrange(len(body)))  # drop a paragraph or two
    target = _words(paras) + rng.randint(60, 160) if own_length else rng.randint(600, 1000)
    while _words(head + body) < target:  # borrow paragraphs from other reports
        body.insert(rng.randrange(len(body) + 1), rng.choice(paragraphs(rng.choice(sources).text)))
    rng.shuffle(body)
    body = [_shuffle_sentences(p, rng) for p in body]
    shift = _Shift(rng)
    text = shift.apply("\n\n".join(head + body))
    title = shift.apply(base.title)
    return {"title": title, "published": shift.date(base.published),
            "outlet": rng.choice(OUTLETS), "plain": f"{title}\n\n{text}" if title else text}


def _words(paras: list[str]) -> int:
    return sum(len(p.split()) for p in paras)


def _shuffle_sentences(paragraph: str, rng: random.Random) -> str:
    sentences = _SENTENCE.split(paragraph)
    if len(sentences) < 3 or '"' in paragraph or "“" in paragraph:
        return paragraph  # a quotation spread over sentences keeps its order
    rest = sentences[1:]
    rng.shuffle(rest)
    return " ".join(sentences[:1] + rest)


class _Shift:
    """One report's consistent renaming and redating."""

    def __init__(self, rng: random.Random) -> None:
        self.years = rng.randint(-3, 3)
        self.months = rng.randint(0, 11)
        self.days = rng.randint(0, 6)
        self.names = dict(zip(rng.sample(PLACES, 4), rng.sample(PLACES, 4), strict=True))
        self.names.update(zip(rng.sample(MEDIATORS, 3), rng.sample(MEDIATORS, 3), strict=True))
        self._names = re.compile(r"\b(" + "|".join(map(re.escape, self.names)) + r")\b")

    def apply(self, text: str) -> str:
        text = self._names.sub(lambda m: self.names[m.group(1)], text)
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + self.years), text)
        text = _MONTH.sub(lambda m: MONTHS[(MONTHS.index(m.group(1)) + self.months) % 12], text)
        return _DAY.sub(lambda m: DAYS[(DAYS.index(m.group(1)) + self.days) % 7], text)

    def date(self, iso: str) -> str:
        year, month, day = (iso.split("-") + ["06", "15"][len(iso.split("-")) - 1:])[:3]
        month_index = (int(month) - 1 + self.months) % 12
        day = min(int(day), 28)
        return f"{int(year) + self.years:04d}-{month_index + 1:02d}-{day:02d}"


def reports(n: int, *, seed: int = 6, kind: str = "generated") -> Iterator[dict]:
    """N reports as JSONL items (``text`` or ``html``, plus ``plain``). Generated
    ones are a quarter web pages with clutter; real ones stay plain text, as filed."""
    rng = random.Random(seed)
    sources = load_sources() if kind == "generated" else \
        [s for folder in REAL for s in load_sources(folder)]
    for i in range(n):
        item = {"id": f"bench-{kind}-{i:06d}", **vary(sources, rng, own_length=kind == "real")}
        if kind == "real":
            item["text"] = item["plain"]
        elif i % 4 == 3:
            body = "\n".join(f"<p>{p}</p>" for p in paragraphs(item["plain"])[1:])
            item["html"] = _PAGE.format(title=item["title"], outlet=item["outlet"], paragraphs=body)
        else:
            head, _, rest = item["plain"].partition("\n\n")
            item["text"] = f"{head}\nAdvertisement\n\n{rest}\n\nShare this article"
        yield item


def near_duplicate(item: dict, n: int) -> dict:
    """The same report filed again, as wire copy is: a new id, a word added at its
    end ("(Updated)"): a few shingles of hundreds."""
    mark = ("(Updated)", "(Corrected)", "(Refiled)")[n % 3]
    copy = {**item, "id": item["id"] + "-again", "plain": f"{item['plain']} {mark}"}
    if "html" in copy:
        copy["html"] = copy["html"].replace("</p>\n</article>", f" {mark}</p>\n</article>", 1)
    else:  # the article's last line, not the clutter after it
        text, clutter, tail = copy["text"].rpartition("\n\nShare this article")
        copy["text"] = f"{text} {mark}{clutter}{tail}" if clutter else f"{copy['text']} {mark}"
    return copy


def write_corpus(folder: Path, n: int, *, seed: int = 6, kind: str = "generated",
                 again: bool = False) -> Path:
    """Write N reports as JSONL shards into ``folder`` (emptied first); ``again``:
    a near-duplicate of each instead."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("reports-*.jsonl"):
        old.unlink()
    handle = None
    for i, item in enumerate(reports(n, seed=seed, kind=kind)):
        if i % SHARD == 0:
            if handle:
                handle.close()
            handle = open(folder / f"reports-{i // SHARD:04d}.jsonl", "w", encoding="utf-8")
        handle.write(json.dumps(near_duplicate(item, i) if again else item, ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return folder


def plain_texts(folder: Path) -> Iterator[str]:
    """The article texts of a written corpus, streamed (for the spaCy baseline)."""
    for shard in sorted(folder.glob("reports-*.jsonl")):
        with open(shard, encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["plain"]

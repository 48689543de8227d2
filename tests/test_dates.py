"""Tests for peacetrack.dates: date expressions and publication dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peacetrack.dates import (
    find_dates,
    infer_published,
    published_from_html,
    published_from_metadata,
    published_from_text,
    resolve_published,
)
from peacetrack.records import DateValue

SHARED = Path(__file__).parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
DEVCORPUS = SHARED / "devcorpus"

SUNDAY = DateValue("2023-07-16", "day")  # seed 004's report date, a Sunday
NOV_27 = DateValue("2021-11-27", "day")  # a Saturday, just after seed 001's summit
MARCH_2023 = DateValue("2023-03", "month")  # what seed 000 lets us know
YEAR_2023 = DateValue("2023", "year")


def day(iso: str) -> DateValue:
    return DateValue(iso, "day")


def only(text: str, anchor: DateValue | None, future: bool = False) -> DateValue:
    found = find_dates(text, anchor=anchor, future=future)
    assert len(found) == 1, [d.text for d in found]
    return found[0]


def seed(number: int) -> str:
    path = next(SEEDS.glob(f"{number:03d}_*.txt"), None)
    if path is None:
        pytest.skip("shared seeds not present")
    return path.read_text(encoding="utf-8")


def found_in(text: str, words: str, anchor: DateValue | None, **kw) -> list[DateValue]:
    return [d for d in find_dates(text, anchor=anchor, **kw) if d.text == words]


# --- absolute forms ------------------------------------------------------------

@pytest.mark.parametrize("text, words, value, precision, end", [
    ("statement dated November 9-10, 2020, which", "November 9-10, 2020", "2020-11-09", "day", "2020-11-10"),
    ("the statement of 9-10 November 2020 stopped", "9-10 November 2020", "2020-11-09", "day", "2020-11-10"),
    ("from November 30 - December 2, 2020 in", "November 30 - December 2, 2020", "2020-11-30", "day", "2020-12-02"),
    ("from December 30 - January 2, 2021 on", "December 30 - January 2, 2021", "2020-12-30", "day", "2021-01-02"),
    ("On November 16, 2021, fighting", "November 16, 2021", "2021-11-16", "day", None),
    ("returned them on 12 June 2021, in exchange", "12 June 2021", "2021-06-12", "day", None),
    ("talks on Nov. 17, 2020. Official photo", "Nov. 17, 2020", "2020-11-17", "day", None),
    ("January 11,2021 20:12", "January 11,2021", "2021-01-11", "day", None),
    ("on Friday, June 27, 2025, signed", "Friday, June 27, 2025", "2025-06-27", "day", None),
    ("Last Updated on Tuesday, 17 October 2023, 23:15", "Tuesday, 17 October 2023", "2023-10-17", "day", None),
    ("the 9th of November 2020", "9th of November 2020", "2020-11-09", "day", None),
    ("posted 12.06.2021 at noon", "12.06.2021", "2021-06-12", "day", None),
    ("posted 2021-06-12 at noon", "2021-06-12", "2021-06-12", "day", None),
    ("posted 25/12/2021", "25/12/2021", "2021-12-25", "day", None),
    ("In November 2020, a ceasefire", "November 2020", "2020-11", "month", None),
    ("to early Nov. 2020 Azerbaijan", "early Nov. 2020", "2020-11", "month", None),
    ("from late Sept. to early Nov. 2020", "late Sept. to early Nov. 2020", "2020-09", "month", "2020-11"),
    ("from December to February 2021", "December to February 2021", "2020-12", "month", "2021-02"),
    ("escalated in 2020 and", "2020", "2020", "year", None),
    ("foreign minister since 2004", "2004", "2004", "year", None),
    ("under a 2020 Moscow-brokered ceasefire", "2020", "2020", "year", None),
    ("rounds of talks from 2021-2022", "2021-2022", "2021", "year", "2022"),
    ("escalated in the fall of 2020 and", "the fall of 2020", "2020-09", "month", "2020-11"),
    ("in summer 2022", "summer 2022", "2022-06", "month", "2022-08"),
    ("came under control back in the early 90s, leaving", "the early 90s", "1990", "year", "1993"),
    ("fought in the 1990s", "the 1990s", "1990", "year", "1999"),
    ("in the mid-1990s", "the mid-1990s", "1994", "year", "1996"),
])
def test_absolute_forms(text, words, value, precision, end):
    for anchor in (None, NOV_27):  # absolute dates need no anchor
        date = only(text, anchor)
        assert (date.text, date.value, date.precision, date.end) == (words, value, precision, end)
        assert text[date.span[0]:date.span[1]] == words


# --- yearless dates take the anchor's year ------------------------------------

@pytest.mark.parametrize("text, anchor, future, value", [
    ("On March 1, representatives met", MARCH_2023, False, "2023-03-01"),
    ("On March 1, representatives met", day("2023-03-10"), False, "2023-03-01"),
    ("On March 1, representatives met", day("2023-02-10"), False, "2022-03-01"),
    ("On March 1, representatives will meet", day("2023-02-10"), True, "2023-03-01"),
    ("On March 1, representatives met", YEAR_2023, False, "2023-03-01"),
    ("said on February 22.", MARCH_2023, False, "2023-02-22"),
    ("Simonyan noted on February 28 that", MARCH_2023, False, "2023-02-28"),
    ("on 21 October", day("2023-10-27"), False, "2023-10-21"),
    ("namely, on December 15 in Brussels", NOV_27, False, "2020-12-15"),
    ("namely, on December 15 in Brussels", NOV_27, True, "2021-12-15"),
    ("BAKU, Azerbaijan, June 12", day("2021-06-12"), False, "2021-06-12"),
    ("the agreements of November 9 last year", NOV_27, False, "2020-11-09"),
    ("and January 11 this year", NOV_27, False, "2021-01-11"),
    ("on 26 November next year", NOV_27, False, "2022-11-26"),
])
def test_yearless_days(text, anchor, future, value):
    date = only(text, anchor, future)
    assert (date.value, date.precision) == (value, "day")


# --- relative to the anchor -----------------------------------------------------

@pytest.mark.parametrize("text, anchor, future, value, precision, end", [
    ("held talks Saturday", SUNDAY, False, "2023-07-15", "day", None),
    ("closed the link on Tuesday.", SUNDAY, False, "2023-07-11", "day", None),
    ("rallied On Friday, around", SUNDAY, False, "2023-07-14", "day", None),
    ("met on Sunday", SUNDAY, False, "2023-07-16", "day", None),  # the anchor day itself
    ("will meet on Tuesday", SUNDAY, True, "2023-07-18", "day", None),
    ("will meet on Sunday", SUNDAY, True, "2023-07-16", "day", None),
    ("met last Sunday", SUNDAY, False, "2023-07-09", "day", None),
    ("will meet next Tuesday", SUNDAY, False, "2023-07-18", "day", None),
    ("said yesterday that", SUNDAY, False, "2023-07-15", "day", None),
    ("the court said today", SUNDAY, False, "2023-07-16", "day", None),
    ("will meet tomorrow", SUNDAY, False, "2023-07-17", "day", None),
    ("two days ago", SUNDAY, False, "2023-07-14", "day", None),
    ("met last week", SUNDAY, False, "2023-07", "month", None),
    ("would be held next week", SUNDAY, False, "2023-07", "month", None),
    ("met last week", day("2023-08-07"), False, "2023-07", "month", "2023-08"),  # Jul 31-Aug 6
    ("Three weeks ago in Brussels", day("2023-03-17"), False, "2023-02", "month", None),
    ("after last September's fighting", MARCH_2023, False, "2022-09", "month", None),
    ("after last September's fighting", day("2023-09-15"), False, "2022-09", "month", None),
    ("after last September's fighting", day("2023-10-01"), False, "2023-09", "month", None),
    ("another in Spain in October", SUNDAY, False, "2022-10", "month", None),
    ("another in Spain in October", SUNDAY, True, "2023-10", "month", None),
    ("another in Spain in October", day("2023-10-05"), False, "2023-10", "month", None),
    ("another in Spain in October", day("2023-10-05"), True, "2023-10", "month", None),
    ("Since November last year, the ceasefire", NOV_27, False, "2020-11", "month", None),
    ("by the end of April", day("2022-04-06"), True, "2022-04", "month", None),
    ("escalated last month", day("2022-10-07"), False, "2022-09", "month", None),
    ("killed earlier this month", day("2024-10-20"), False, "2024-10", "month", None),
    ("the events of last year", NOV_27, False, "2020", "year", None),
    ("another round this year", NOV_27, False, "2021", "year", None),
    ("a referendum next year", NOV_27, False, "2022", "year", None),
    ("two years ago", NOV_27, False, "2019", "year", None),
])
def test_relative_forms(text, anchor, future, value, precision, end):
    date = only(text, anchor, future)
    assert (date.value, date.precision, date.end) == (value, precision, end)


@pytest.mark.parametrize("text, words", [
    ("In recent months, the Moscow process has been frozen", "In recent months"),
    ("The events of the last year give some hope", "the last year"),
    ("the most serious incident over the past year", "over the past year"),
    ("to see the parties gather in the coming days", "in the coming days"),
    ("a meeting in the near future", "in the near future"),
    ("a few weeks ago", "a few weeks ago"),
])
def test_vague_spans_stay_unknown_with_their_words(text, words):
    date = only(text, SUNDAY)
    assert (date.value, date.precision, date.text) == (None, "unknown", words)


# --- an anchor that cannot resolve them: no guessing ----------------------------

@pytest.mark.parametrize("text, anchor", [
    ("closed the link on Tuesday", None),
    ("closed the link on Tuesday", DateValue(None, "unknown")),
    ("closed the link on Tuesday", DateValue("2023-07", "month")),  # which Tuesday?
    ("said yesterday", DateValue("2023-07", "month")),
    ("met last week", YEAR_2023),
    ("after last September's fighting", YEAR_2023),
    ("On March 1, they met", None),
    ("On March 1, they met", DateValue(None, "unknown")),
    ("on February 27-28", None),  # "28" is never a year
    ("November 9 last year", None),
    ("in October", None),
    ("last year", None),
    ("the 20s", None),
    ("on Tuesday", DateValue("16 July 2023", "day")),  # a malformed anchor is none
])
def test_unresolvable_relative_dates_stay_unknown(text, anchor):
    date = only(text, anchor)
    assert (date.value, date.precision) == (None, "unknown")
    assert date.text and date.text in text


@pytest.mark.parametrize("text, anchor, value", [
    ("escalated last month", DateValue("2023-07", "month"), "2023-06"),
    ("the events of last year", YEAR_2023, "2022"),
    ("in October", YEAR_2023, "2023-10"),
])
def test_coarse_anchor_resolves_what_it_can(text, anchor, value):
    assert only(text, anchor).value == value


# --- typos and ranges -------------------------------------------------------------

@pytest.mark.parametrize("text, anchor, value, end", [
    ("Lavrov to Baku on February 27-78 fits", MARCH_2023, "2023-02-27", "2023-02-28"),
    ("Lavrov to Baku on February 27-28 fits", MARCH_2023, "2023-02-27", "2023-02-28"),
    ("Lavrov to Baku on February 27–28 fits", MARCH_2023, "2023-02-27", "2023-02-28"),
    ("on June 19-90 there", SUNDAY, "2023-06-19", "2023-06-20"),
    ("between November 5-7, Shushi", day("2020-11-17"), "2020-11-05", "2020-11-07"),
    ("on June 12-45 there", SUNDAY, "2023-06-12", None),  # no range, no guess
])
def test_ranges_and_typos(text, anchor, value, end):
    date = only(text, anchor)
    assert (date.value, date.precision, date.end) == (value, "day", end)


# --- numbers that are not dates -----------------------------------------------------

@pytest.mark.parametrize("text", [
    "There are 27 observation posts of the Russian military",
    "On Thursday around 6,000 people rallied"[len("On Thursday "):],
    "as set forth in Paragraph 9 of the trilateral agreement",
    "the 30-year conflict settlement process",
    "the five-kilometre-wide Lachin Corridor",
    "which stopped the 44-day war",
    "June news at 18:04 and 19:36 (UTC +04:00)"[len("June news "):],
    "a 1,000-for-1,000 prisoner exchange",
    "maps of 97,000 anti-tank mines",
    "on the sidelines of the 12th Global Baku Forum",
    "withdraw all forces within 14 months",
    "May I ask a question?",
    "the protesters march on",
    "men in their 30s",
    "held talks on the eve of Lavrov's visit",
    "troops to 8,600 by summer",
    "the 2000 people who fled",
])
def test_not_dates(text):
    assert find_dates(text, anchor=SUNDAY) == []


def test_spans_are_offsets_into_the_whole_text():
    text = "Preamble. Lavrov visited Baku on February 27-78 and left. On March 1 they met."
    start = text.index("Lavrov")
    found = find_dates(text, anchor=MARCH_2023, start=start, end=text.index("and left"))
    assert [d.text for d in found] == ["February 27-78"]
    s, e = found[0].span
    assert text[s:e] == "February 27-78"
    everything = find_dates(text, anchor=MARCH_2023)
    assert [d.value for d in everything] == ["2023-02-27", "2023-03-01"]


def test_dates_carry_no_method():
    assert only("on Tuesday", SUNDAY).method is None


# --- real seed reports ---------------------------------------------------------------

def test_seed_000_typo_range_and_march_1():
    text = seed(0)
    (visit,) = found_in(text, "February 27-78", MARCH_2023)
    assert (visit.value, visit.end, visit.precision) == ("2023-02-27", "2023-02-28", "day")
    marches = found_in(text, "March 1", MARCH_2023)
    assert len(marches) == 2 and {d.value for d in marches} == {"2023-03-01"}
    assert text[marches[0].span[0] - 3:marches[0].span[1]] == "On March 1"
    (statement,) = found_in(text, "November 9-10, 2020", MARCH_2023)
    assert (statement.value, statement.end) == ("2020-11-09", "2020-11-10")
    (september,) = found_in(text, "last September", MARCH_2023)
    assert september.value == "2022-09"
    words = [d.text for d in find_dates(text, anchor=MARCH_2023)]
    assert not any("30" in w or "44" in w for w in words)


def test_seed_004_weekdays_against_a_sunday():
    text = seed(4)
    found = find_dates(text, anchor=SUNDAY)
    by_context = {text[d.span[0] - 3:d.span[1]]: d.value for d in found}
    assert by_context["ks Saturday"] == "2023-07-15"
    assert by_context["on Saturday"] == "2023-07-15"
    assert by_context["on Tuesday"] == "2023-07-11"
    assert by_context["On Friday"] == "2023-07-14"
    assert not any("6,000" in d.text for d in found)


def test_seed_001_inferred_publication():
    date = infer_published(seed(1))
    assert date.method == "inferred"
    assert date.precision in ("year", "month")
    assert date.value and date.value.startswith("2021")
    assert date.earliest is not None and date.earliest >= "2021-11-26"
    assert date.latest is not None and date.latest <= "2021-12-31"


@pytest.mark.parametrize("number", range(5))
def test_seed_reports_never_get_an_inferred_day(number):
    date = infer_published(seed(number))
    assert date.method == "inferred" and date.precision != "day"


def devcorpus_reports() -> list[tuple[str, str | None]]:
    index = DEVCORPUS / "index.jsonl"
    if not index.exists():
        return []
    rows = [json.loads(line) for line in index.read_text().splitlines() if line.strip()]
    return [(row["file"], row["published"]) for row in rows]


@pytest.mark.parametrize("name, published", devcorpus_reports())
def test_devcorpus_dateline_is_right_or_absent(name, published):
    text = (DEVCORPUS / name).read_text(encoding="utf-8")
    found = published_from_text(text)
    if found is not None:
        assert published is not None and found.value == published, found
        assert found.method == "text" and found.precision == "day"
    inferred = infer_published(text)
    assert inferred.precision != "day"
    if inferred.value and published:
        assert published.startswith(inferred.value)


# --- publication date: metadata ----------------------------------------------------

@pytest.mark.parametrize("value, expected, precision", [
    ("2023-07-15", "2023-07-15", "day"),
    ("2023-07-15T23:30:00-05:00", "2023-07-15", "day"),  # the day as the outlet wrote it
    ("2023-07-15 10:00:00", "2023-07-15", "day"),
    ("2023-07", "2023-07", "month"),
    ("2023", "2023", "year"),
    ("Sat, 15 Jul 2023 10:00:00 GMT", "2023-07-15", "day"),
])
def test_published_from_metadata(value, expected, precision):
    date = published_from_metadata(value)
    assert (date.value, date.precision, date.method) == (expected, precision, "metadata")


@pytest.mark.parametrize("value", [None, "", "   ", "not a date", "2023-02-30", "2023-13"])
def test_published_from_metadata_rejects(value):
    assert published_from_metadata(value) is None


# --- publication date: HTML markup ---------------------------------------------------

BANNER = '<div class="top-bar">Today is Monday, 23 November 2026</div>'


@pytest.mark.parametrize("html, expected", [
    ('<html><head><meta property="article:published_time" content="2021-12-14T09:00:00Z">'
     '</head><body><p>x</p></body></html>', "2021-12-14"),
    ('<html><head><meta itemprop="datePublished" content="2022-04-21"></head><body></body></html>',
     "2022-04-21"),
    ("<html><head><meta name='pubdate' content='2020-11-17'></head><body></body></html>",
     "2020-11-17"),
    ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
     '"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", '
     '"datePublished": "2023-07-15T18:04:00+02:00"}]}</script></head><body></body></html>',
     "2023-07-15"),
    ('<html><head><script type="application/ld+json">{"datePublished": "2023-02-22", broken'
     '</script></head><body></body></html>', "2023-02-22"),
    ('<html><body><article><h1>Talks</h1><time datetime="2023-06-28T10:00">June 28</time>'
     '<p>Text</p></article></body></html>', "2023-06-28"),
    ('<html><body><time datetime="2020-01-01">x</time><article>'
     '<time pubdate datetime="2023-02-22">22 Feb</time></article></body></html>', "2023-02-22"),
    # A site's clock in the header, the article's own date further down.
    ('<html><body><header>Today is <time datetime="2026-11-23">Monday, 23 November 2026</time>'
     '</header><article><h1>Talks</h1><p class="meta"><time datetime="2021-12-14T09:00:00+04:00">'
     '14 December 2021</time></p><p>Leaders met.</p></article></body></html>', "2021-12-14"),
    (f'<html><head><meta property="article:published_time" content="2021-12-14">'
     f'</head><body>{BANNER}<article><p>Leaders met.</p></article></body></html>', "2021-12-14"),
    (f'<html><body>{BANNER}<article><time class="entry-date published" '
     'datetime="2021-12-14">14 Dec</time></article></body></html>', "2021-12-14"),
])
def test_published_from_html(html, expected):
    date = published_from_html(html)
    assert (date.value, date.precision, date.method) == (expected, "day", "text")


@pytest.mark.parametrize("html", [
    f"<html><body>{BANNER}<article><h1>Talks</h1><p>Leaders met on Saturday.</p></article></body></html>",
    '<html><body><div class="clock"><time datetime="2026-11-23">Mon 23 Nov</time></div>'
    "<p>Leaders met.</p></body></html>",
    "<html><body><p>Nothing here.</p></body></html>",
    "https://example.org/2021/12/14/article",  # a URL is not a page: never fetched
    "",
])
def test_published_from_html_finds_nothing_rather_than_the_clock(html):
    assert published_from_html(html) is None


# --- publication date: dateline / byline in the text ----------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Published: 14 December 2021\n\nLeaders met in Brussels.", "2021-12-14"),
    ("Armenia and Azerbaijan\nPublished on December 14, 2021\nLeaders met.", "2021-12-14"),
    ("June 12, 2021 18:04\n\nAzerbaijan returned 15 detainees.", "2021-06-12"),
    ("12.06.2021\nAzerbaijan returned 15 detainees.", "2021-06-12"),
    ("Friday, June 27, 2025\nThe agreement was inked in Washington.", "2025-06-27"),
    ("Nagorno-Karabakh Republic dissolves itself\nBy bne IntelliNews September 28, 2023\n\n"
     "The decree takes effect on January 1, 2024.", "2023-09-28"),
    ("Politics Materials 12 June 2021 19:36 (UTC +04:00)\nTitle\n\nBAKU, Azerbaijan, June 12\n\n"
     "Azerbaijan returned 15 detainees.", "2021-06-12"),
    ("Tuesday, August 20, 2024\n\nSudan Tribune\n\nAugust 19, 2024 (GENEVA) – U.S. Special Envoy "
     "said on Monday that talks focus on corridors.", "2024-08-19"),
    ("Today is Monday, 23 November 2026\nAugust 19, 2024 (GENEVA) – talks began.", "2024-08-19"),
    ("YEREVAN, Dec 14 (Reuters) - Armenia will attend the talks on the agreements of "
     "November 9 last year, Pashinyan said of the November 9, 2020 statement.", "2021-12-14"),
    ("Leaders met in Brussels.\n\nMore text here.\n\nPublished on 3 March 2023", "2023-03-03"),
    ("YEREVAN, Dec 14, 2021 (Reuters) - Armenia now says it will attend.", "2021-12-14"),
])
def test_published_from_text(text, expected):
    date = published_from_text(text)
    assert (date.value, date.precision, date.method) == (expected, "day", "text")
    assert date.text and date.text in text


@pytest.mark.parametrize("text", [
    "The Working Group will hold its first meeting by January 30, 2021, according to the statement.",
    "Putin discusses Karabakh talks on Nov. 17, 2020 in a long state TV appearance with the press.",
    "KIRANTS (Tavush Region), April 27. /TASS/. A protest is being held.",  # no year anywhere
    "Today is Monday, 23 November 2026\nLeaders met.",
    "",
])
def test_published_from_text_finds_nothing(text):
    assert published_from_text(text) is None


# --- publication date: inferred ---------------------------------------------------------

def test_infer_from_a_day_told_as_last_year():
    text = ("The deal of March 3 last year, signed on March 3, 2022 in Moscow, "
            "was discussed again.")
    date = infer_published(text)
    assert (date.value, date.precision) == ("2023", "year")
    assert (date.earliest, date.latest) == ("2023-01-01", "2023-12-31")


def test_infer_narrows_to_a_month_only_when_the_evidence_does():
    text = ("The leaders met on November 26. They recalled the agreements of November 9 "
            "last year and of November 9, 2020. They will meet again on November 30.")
    date = infer_published(text)
    assert (date.value, date.precision) == ("2021-11", "month")
    assert (date.earliest, date.latest) == ("2021-11-26", "2021-11-30")


@pytest.mark.parametrize("text", ["", "No dates here at all.", "They met on Tuesday."])
def test_infer_nothing_datable(text):
    date = infer_published(text)
    assert (date.value, date.precision, date.method) == (None, "unknown", "inferred")


def test_infer_without_votes_keeps_only_a_bound():
    date = infer_published("The ceasefire of November 10, 2020 still holds, Aliyev said on Tuesday.")
    assert (date.value, date.precision, date.earliest) == (None, "unknown", "2020-11-10")


# --- the order of evidence ---------------------------------------------------------------

PAGE = '<html><head><meta property="article:published_time" content="2023-07-15"></head></html>'
DATELINE = "YEREVAN, Dec 14, 2021 (Reuters) - talks on the agreements of November 9 last year."


@pytest.mark.parametrize("given, html, text, value, method", [
    ("2023-07-16", PAGE, DATELINE, "2023-07-16", "metadata"),
    (None, PAGE, DATELINE, "2023-07-15", "text"),
    ("garbage", None, DATELINE, "2021-12-14", "text"),
    (None, "<html><body>x</body></html>", DATELINE, "2021-12-14", "text"),
    (None, None, "The deal of March 3 last year, signed on March 3, 2022.",
     "2023", "inferred"),
    (None, None, "Nothing datable.", None, "inferred"),
])
def test_resolve_published_order(given, html, text, value, method):
    date = resolve_published(given=given, text=text, html=html)
    assert (date.value, date.method) == (value, method)


def _every_match(text: str) -> list[tuple]:
    """Each rule run over the whole text: what the windowed scan must equal."""
    from peacetrack import dates

    out = []
    for order, (kind, _resolve) in enumerate(dates._RULES):
        for match in dates._PAT[kind].finditer(text):
            out.append((*match.span("core"), order, kind, match.groupdict()))
    return out


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(DEVCORPUS.glob("*.txt")),
                         ids=lambda p: p.stem[:12])
def test_windowed_scan_finds_what_a_whole_text_scan_finds(path):
    from peacetrack import dates

    text = path.read_text(encoding="utf-8")
    assert dates._matches(text, 0, len(text)) == _every_match(text)


def test_a_lead_day_with_no_year_takes_the_year_of_the_dated_act_just_before_it():
    """A wire dateline gives the day, not the year; the clash the report dates
    in full a day before tells the year."""
    text = ("Border clash draws concern\n"
            "YEREVAN, July 14. The alliance's secretary general voiced concern over the "
            "latest clash on the border.\n"
            "Three servicemen were killed in the clash on July 13, 2021, the ministry said.")
    date = infer_published(text)
    assert (date.value, date.precision) == ("2021-07", "month")


def test_a_lead_day_looked_forward_to_or_far_from_any_dated_act_dates_nothing():
    coming = ("Talks set to resume\n"
              "The delegations will meet again on August 14, the mediators said.\n"
              "Their last round ended on March 3, 2022.")
    far = ("Talks resume\n"
           "The delegations met again on August 14, the mediators said.\n"
           "Their first round had ended on March 3, 2022.")
    for text in (coming, far):
        assert infer_published(text).precision != "month"

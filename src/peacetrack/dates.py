"""Dates in reports: when a report was published, and when the things it
reports happened (SPEC §2 ``published`` and ``date``).

Pure string functions, no spaCy. Our own regular expressions come first;
dateparser is only a last resort for odd absolute forms in metadata, because
on news language it misreads ranges ("February 27-28" -> 1928), drops
"November 9 last year" and invents days ("last September"), see
ENVIRONMENT.md. Every resolved value is ISO (YYYY-MM-DD, YYYY-MM, YYYY);
what cannot be resolved honestly stays ``DateValue(None, "unknown", text=...)``.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import NamedTuple

from peacetrack.clean import lead_end
from peacetrack.records import DateValue

__all__ = [
    "days_covered", "find_dates", "infer_published", "published_from_html",
    "published_from_metadata", "published_from_text", "published_from_url",
    "resolve_published",
]

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july",
               "august", "september", "october", "november", "december")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday",
                 "saturday", "sunday")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven",
                "eight", "nine", "ten", "eleven", "twelve")
# Meteorological seasons (northern hemisphere): first and last month.
SEASONS = (("spring", 3, 5), ("summer", 6, 8), ("fall", 9, 11),
           ("autumn", 9, 11), ("winter", 12, 14))
# Decade parts: "the early 90s" is 1990-1993 (the brief's convention).
DECADE_PARTS = (("early", 0, 3), ("mid", 4, 6), ("late", 7, 9))
REL_OFFSET = (("last", -1), ("this", 0), ("next", 1))


# --- patterns --------------------------------------------------------------

def _mon(name: str) -> str:
    """A month name, capitalised (lower-case "may"/"march" are not months)."""
    full = "|".join(m.capitalize() for m in MONTH_NAMES)
    return (rf"(?P<{name}>(?:{full})\b|"
            rf"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)")


_WKD = r"(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b(?!s\b)"
_WKD_PREFIX = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
# The end of a range may be a typo ("February 27-78"), so any two digits.
_DAY2 = r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
# Four digits only: "28" is never a year.
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})(?![\d,.]\d|\d|%)"
_DASH = r"\s*[-–—]\s*"
_PREP = (r"\b(?i:in|since|by|until|till|from|during|before|after|of|to|"
         r"through|between|around)\s+")
_QUAL = r"(?i:(?:the\s+)?(?:end|beginning|start|middle)\s+of|early|mid-?|late)"
_REL = r"(?P<rel>(?i:last|this|next))"
# "the 2000 people": a count, not a year.
_NOT_COUNTED = (r"(?!\s+(?i:people|persons|troops|soldiers|civilians|refugees|prisoners|"
                r"detainees|hostages|families|trucks|tons|tonnes|km|kilomet|metres|meters|"
                r"dollars|euros|votes|members|fighters|residents))")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_PAT = MappingProxyType({
    "range_md": _rx(rf"(?P<core>{_WKD_PREFIX}{_mon('mon')}\s*{_DAY}{_DASH}{_DAY2}"
                    rf"(?:,?\s*{_YEAR})?)"),
    "range_dm": _rx(rf"(?P<core>\b{_DAY}{_DASH}{_DAY2}\s+(?:of\s+)?{_mon('mon')}"
                    rf"(?:,?\s*{_YEAR})?)"),
    "range_cross": _rx(rf"(?P<core>{_mon('mon')}\s*{_DAY}{_DASH}{_mon('mon2')}\s*"
                       rf"{_DAY2}(?:,?\s*{_YEAR})?)"),
    "mdy": _rx(rf"(?P<core>{_WKD_PREFIX}{_mon('mon')}\s*{_DAY}(?:,\s*|\s+){_YEAR})"),
    "dmy": _rx(rf"(?P<core>{_WKD_PREFIX}\b{_DAY}\s+(?:of\s+)?{_mon('mon')},?\s+{_YEAR})"),
    "md_rel": _rx(rf"(?P<core>{_mon('mon')}\s*{_DAY}\s+{_REL}\s+(?i:year)\b)"),
    "dm_rel": _rx(rf"(?P<core>\b{_DAY}\s+(?:of\s+)?{_mon('mon')}\s+{_REL}\s+(?i:year)\b)"),
    "md": _rx(rf"(?P<core>{_WKD_PREFIX}{_mon('mon')}\s*{_DAY})"),
    "dm": _rx(rf"(?P<core>{_WKD_PREFIX}(?:the\s+)?\b{_DAY}\s+(?:of\s+)?{_mon('mon')})"),
    "month_range": _rx(rf"(?P<core>(?:{_QUAL}\s*)?{_mon('mon')}\s*(?:[-–—]|(?i:to|through|until))"
                       rf"\s*(?:{_QUAL}\s*)?{_mon('mon2')},?\s*{_YEAR})"),
    "my": _rx(rf"(?P<core>(?:{_QUAL}\s*)?{_mon('mon')},?\s*{_YEAR})"),
    "month_rel": _rx(rf"(?P<core>\b{_REL}\s+{_mon('mon')})(?!\s*\d)"),
    "month_relyear": _rx(rf"(?P<core>{_mon('mon')}\s+{_REL}\s+(?i:year)\b)"),
    "month_prep": _rx(rf"{_PREP}(?P<core>(?:{_QUAL}\s*)?{_mon('mon')})(?![\s,]*\d)"),
    "month_qual": _rx(rf"(?P<core>\b{_QUAL}\s*{_mon('mon')})(?![\s,]*\d)"),
    "year_prep": _rx(rf"(?:{_PREP}|\b(?i:and|or|the|a|its)\s+)"
                     rf"(?P<core>(?:{_QUAL}[\s-]*)?{_YEAR})(?!\s*[-–]\s*\d){_NOT_COUNTED}"),
    "year_qual": _rx(rf"(?P<core>\b{_QUAL}[\s-]*{_YEAR})(?!\s*[-–]\s*\d)"),
    "year_range": _rx(rf"{_PREP}(?P<core>{_YEAR}{_DASH}(?P<year2>(?:1[89]|20)?\d\d))(?!\d)"),
    "season": _rx(r"(?P<core>\b(?i:the\s+)?(?P<season>(?i:spring|summer|fall|autumn|winter))"
                  rf"\s+(?:(?i:of)\s+)?{_YEAR})"),
    "decade": _rx(r"(?P<core>\b(?i:the)\s+(?:(?P<part>(?i:early|mid|late))[-\s]*)?"
                  r"['’]?(?P<decade>(?:1[89]|20)?\d0)['’]?s)\b"),
    "weekday": _rx(rf"(?P<core>(?:\b{_REL}\s+)?{_WKD})"),
    "day_rel": _rx(r"(?P<core>\b(?i:yesterday|today|tonight|tomorrow|"
                   r"this\s+(?:morning|afternoon|evening)))\b"),
    "period_rel": _rx(rf"(?P<core>\b(?:(?i:earlier|later|early|late)\s+)?{_REL}\s+"
                      r"(?P<unit>(?i:week|month|year)))\b"),
    "ago": _rx(r"(?P<core>\b(?P<n>\d{1,3}|(?i:an?|one|two|three|four|five|six|seven|eight|"
               r"nine|ten|eleven|twelve|a\s+few|few|several|some))\s+"
               r"(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago))\b"),
    # Vague spans: kept with their words so nothing else claims them
    # ("the last year" is the past twelve months, not the calendar year).
    "vague": _rx(r"(?P<core>\b(?i:(?:in\s+|over\s+)?recent\s+(?:days|weeks|months|years)|"
                 r"(?:in\s+|over\s+|during\s+)?the\s+(?:coming|next|past|last|previous)\s+"
                 r"(?:few\s+|several\s+|couple\s+of\s+|\d+\s+)?(?:days?|weeks?|months?|years?)|"
                 r"(?:in\s+)?the\s+near\s+future))\b"),
    "iso": _rx(rf"(?<![\d./-])(?P<core>{_YEAR}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d))(?![\d])"),
    "dotted": _rx(rf"(?<![\d.])(?P<core>(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{_YEAR})(?![\d])"),
    "slash": _rx(rf"(?<![\d/])(?P<core>(?P<a>[01]?\d|[0-3]\d)/(?P<b>[0-3]?\d)/{_YEAR})(?![\d/])"),
    "slash_ymd": _rx(rf"(?<![\d/])(?P<core>{_YEAR}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d))(?![\d/])"),
})


# --- the anchor ------------------------------------------------------------

class _Anchor(NamedTuple):
    """The publication date, only as precise as it is known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def date(self) -> dt.date | None:
        if self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]


def _anchor(value: DateValue | None) -> _Anchor:
    """The anchor's known parts; a malformed one is no anchor (no guessing)."""
    if value is None or not value.value or value.precision == "unknown":
        return _Anchor()
    keep = {"year": 1, "month": 2, "day": 3}.get(value.precision, 0)
    try:
        parts = [int(p) for p in value.value[:10].split("-")][:keep]
        dt.date(*(parts + [1, 1])[:3])
    except (ValueError, TypeError):
        return _Anchor()
    return _Anchor(*parts)


# --- small helpers ---------------------------------------------------------

def _month(word: str) -> int:
    return [m[:3] for m in MONTH_NAMES].index(word[:3].lower()) + 1


def _weekday(word: str) -> int:
    return [w[:3] for w in WEEKDAY_NAMES].index(word[:3].lower())


def _offset(rel: str) -> int:
    return dict(REL_OFFSET)[rel.lower()]


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    return f"{y:04d}-{m:02d}" if d is None else f"{y:04d}-{m:02d}-{d:02d}"


def _day(y: int, m: int, d: int) -> DateValue | None:
    return DateValue(_iso(y, m, d), "day") if _valid(y, m, d) else None


def _month_value(y: int, m: int) -> DateValue:
    while m > 12:  # winter runs into the next year
        y, m = y + 1, m - 12
    return DateValue(_iso(y, m), "month")


def _span_months(first: dt.date, last: dt.date) -> DateValue:
    """A stretch of days, as honestly as the contract allows: its month, or a
    month range when it straddles two (a week has no precision of its own)."""
    value = DateValue(_iso(first.year, first.month), "month")
    if (first.year, first.month) != (last.year, last.month):
        value.end = _iso(last.year, last.month)
    return value


def _year_for(m: int, d: int | None, a: _Anchor, future: bool) -> int | None:
    """The year of a yearless date: the nearest one on or before the anchor
    (on or after it when ``future``); a month-only anchor counts as its
    whole month, a year-only anchor gives its year."""
    if a.year is None:
        return None
    if a.month is None:
        return a.year
    if future:
        return a.year if (m, d or 31) >= (a.month, a.day or 1) else a.year + 1
    return a.year if (m, d or 1) <= (a.month, a.day or 31) else a.year - 1


def _week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- resolvers: groups + anchor -> DateValue (None: not a date) --------------

Groups = dict[str, str | None]


def _r_full(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    return _day(int(g["year"]), _month(g["mon"]), int(g["day"]))


def _r_yearless(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    m, d = _month(g["mon"]), int(g["day"])
    if not _valid(2000, m, d):  # 2000 is a leap year: February 29 may pass
        return None
    y = _year_for(m, d, a, future)
    if y is None or not _valid(y, m, d):
        return DateValue.unknown()
    return _day(y, m, d)


def _r_day_relyear(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    m, d = _month(g["mon"]), int(g["day"])
    if not _valid(2000, m, d):
        return None
    if a.year is None:
        return DateValue.unknown()
    return _day(a.year + _offset(g["rel"]), m, d) or DateValue.unknown()


def _end_day(d1: int, d2: int) -> int | None:
    """The closing day of "27-28"; "27-78" is a typo for 28 (the last digit
    continues the start), any other impossible end is no range."""
    if d2 > 31 and d2 % 10 == (d1 + 1) % 10:
        return d1 + 1
    return d2 if d1 < d2 <= 31 else None


def _r_range(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    m1, d1 = _month(g["mon"]), int(g["day"])
    m2 = _month(g["mon2"]) if g.get("mon2") else m1
    d2 = int(g["day2"]) if m2 != m1 else _end_day(d1, int(g["day2"]))
    if not _valid(2000, m1, d1):
        return None
    wraps = m2 < m1  # "December 30 - January 2, 2021": the year closes the range
    if g.get("year"):
        y2 = int(g["year"])
        y = y2 - wraps
    else:
        y = _year_for(m1, d1, a, future)
        if y is None:
            return DateValue.unknown()
        y2 = y + wraps
    start = _day(y, m1, d1)
    end = _day(y2, m2, d2) if d2 is not None else None
    if start is not None and end is not None:
        start.end = end.value
    return start


def _r_month_year(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    return DateValue(_iso(int(g["year"]), _month(g["mon"])), "month")


def _r_month_range(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    """"late Sept. to early Nov. 2020": the year closes the range."""
    m1, m2, y = _month(g["mon"]), _month(g["mon2"]), int(g["year"])
    return DateValue(_iso(y - (m2 < m1), m1), "month", end=_iso(y, m2))


def _r_month_rel(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    """"last September": the latest September strictly before the anchor's
    month; "next October" the first strictly after; "this May" its year."""
    m, rel = _month(g["mon"]), g["rel"].lower()
    if a.year is None or (a.month is None and rel != "this"):
        return DateValue.unknown()
    y = a.year
    if rel == "last" and m >= a.month:  # type: ignore[operator]
        y -= 1
    elif rel == "next" and m <= a.month:  # type: ignore[operator]
        y += 1
    return DateValue(_iso(y, m), "month")


def _r_month_relyear(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    if a.year is None:
        return DateValue.unknown()
    return DateValue(_iso(a.year + _offset(g["rel"]), _month(g["mon"])), "month")


def _r_month_bare(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    y = _year_for(_month(g["mon"]), None, a, future)
    return DateValue.unknown() if y is None else DateValue(_iso(y, _month(g["mon"])), "month")


def _r_year(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    return DateValue(g["year"], "year")


def _r_year_range(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    y1, tail = int(g["year"]), g["year2"] or ""
    y2 = int(tail) if len(tail) == 4 else y1 // 100 * 100 + int(tail)
    return DateValue(str(y1), "year", end=str(y2)) if y1 < y2 < y1 + 100 else None


def _r_season(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    first, last = next((f, la) for s, f, la in SEASONS if s == g["season"].lower())
    y = int(g["year"])
    start, end = _month_value(y, first), _month_value(y, last)
    start.end = end.value
    return start


def _r_decade(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    """"the 1990s", "the early 90s"; a two-digit decade before the 30s
    needs the anchor to tell 1920s from 2020s."""
    digits = g["decade"]
    if len(digits) == 4:
        start = int(digits)
    elif int(digits) >= 30:
        start = 1900 + int(digits)
    elif a.year is not None:
        start = 2000 + int(digits) if 2000 + int(digits) <= a.year else 1900 + int(digits)
    else:
        return DateValue.unknown()
    lo, hi = next(((f, la) for p, f, la in DECADE_PARTS
                   if p == (g["part"] or "").lower()), (0, 9))
    return DateValue(str(start + lo), "year", end=str(start + hi))


def _r_weekday(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    """The nearest such weekday on or before the anchor day (on or after it
    when ``future``); "last Tuesday" is strictly before, "next" after."""
    anchor = a.date()
    if anchor is None:
        return DateValue.unknown()
    rel = (g["rel"] or "").lower()
    back = (anchor.weekday() - _weekday(g["wd"])) % 7
    ahead = (_weekday(g["wd"]) - anchor.weekday()) % 7
    if rel == "last":
        delta = -(back or 7)
    elif rel == "next":
        delta = ahead or 7
    else:
        delta = ahead if future else -back
    return DateValue((anchor + dt.timedelta(days=delta)).isoformat(), "day")


def _r_day_rel(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    anchor = a.date()
    if anchor is None:
        return DateValue.unknown()
    word = g["core"].lower()
    delta = -1 if word == "yesterday" else 1 if word == "tomorrow" else 0
    return DateValue((anchor + dt.timedelta(days=delta)).isoformat(), "day")


def _shift_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + n
    return total // 12, total % 12 + 1


def _relative_period(unit: str, n: int, a: _Anchor) -> DateValue:
    """The week, month or year ``n`` units from the anchor's (negative: past)."""
    if unit == "year" and a.year is not None:
        return DateValue(str(a.year + n), "year")
    if unit == "month" and a.month is not None:
        return DateValue(_iso(*_shift_months(a.year, a.month, n)), "month")  # type: ignore[arg-type]
    if unit == "week" and a.date() is not None:
        monday = _week_monday(a.date()) + dt.timedelta(weeks=n)  # type: ignore[arg-type]
        return _span_months(monday, monday + dt.timedelta(days=6))
    if unit == "day" and a.date() is not None:
        return DateValue((a.date() + dt.timedelta(days=n)).isoformat(), "day")  # type: ignore[operator]
    return DateValue.unknown()


def _r_period_rel(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    return _relative_period(g["unit"].lower(), _offset(g["rel"]), a)


def _r_ago(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    word = g["n"].lower()
    if word.isdigit():
        n = int(word)
    elif word in ("a", "an"):
        n = 1
    elif word in NUMBER_WORDS:
        n = NUMBER_WORDS.index(word)
    else:  # "a few", "several": no number to count back
        return DateValue.unknown()
    return _relative_period(g["unit"].lower(), -n, a)


def _r_vague(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    return DateValue.unknown()


def _r_numeric(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    return _day(int(g["year"]), int(g["m"]), int(g["d"]))


def _r_slash(g: Groups, a: _Anchor, future: bool) -> DateValue | None:
    """dd/mm or mm/dd: only when one part cannot be a month is it clear."""
    x, y, year = int(g["a"]), int(g["b"]), int(g["year"])
    if x > 12 >= y:
        return _day(year, y, x)
    if y > 12 >= x or x == y:
        return _day(year, x, y)
    return DateValue.unknown() if x <= 12 and y <= 12 else None


Resolver = Callable[[Groups, _Anchor, bool], "DateValue | None"]

# Rule order breaks ties between matches of equal length (earlier wins).
_RULES: tuple[tuple[str, Resolver], ...] = (
    ("range_cross", _r_range), ("range_md", _r_range), ("range_dm", _r_range),
    ("mdy", _r_full), ("dmy", _r_full), ("md_rel", _r_day_relyear),
    ("dm_rel", _r_day_relyear), ("iso", _r_numeric), ("dotted", _r_numeric),
    ("slash_ymd", _r_numeric), ("slash", _r_slash), ("md", _r_yearless),
    ("dm", _r_yearless), ("month_range", _r_month_range), ("my", _r_month_year), ("month_relyear", _r_month_relyear),
    ("month_rel", _r_month_rel), ("month_prep", _r_month_bare),
    ("month_qual", _r_month_bare), ("season", _r_season), ("decade", _r_decade),
    ("year_range", _r_year_range), ("year_qual", _r_year), ("year_prep", _r_year),
    ("vague", _r_vague), ("ago", _r_ago), ("period_rel", _r_period_rel),
    ("day_rel", _r_day_rel), ("weekday", _r_weekday),
)


# --- finding ---------------------------------------------------------------

class _Hit(NamedTuple):
    start: int
    end: int
    order: int  # the rule's place in _RULES: breaks ties of equal length
    kind: str
    groups: Groups
    date: DateValue


_Match = tuple[int, int, int, str, Groups]  # start, end, rule order, kind, groups


# Every match of most rules holds a word of one family (a capitalised month
# name, a four-digit year, a weekday, "ago") and reaches at most a few words
# either side of it: those rules run only in windows around such words, not
# over the whole text (the scan is the date stage's main cost).
_ANCHOR_WORDS = MappingProxyType({
    "month": re.compile(_mon("m")),
    "year": re.compile(r"(?:1[89]|20)\d{2}"),
    "weekday": re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"),
    "ago": re.compile(r"(?i:\bago\b)"),
})
_REACH = 80


def _family(kind: str) -> str | None:
    pattern = _PAT[kind].pattern
    if "(?P<mon>" in pattern:
        return "month"
    if "(?P<year>" in pattern:
        return "year"
    return kind if kind in _ANCHOR_WORDS else None


_FAMILY = MappingProxyType({kind: _family(kind) for kind in _PAT})


def _windows(anchor: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for match in anchor.finditer(text, start, end):
        lo, hi = max(start, match.start() - _REACH), min(end, match.end() + _REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def _matches(text: str, start: int, end: int) -> list[_Match]:
    """Every rule's matches in ``text[start:end]``: the costly part, the same
    whatever the anchor or reading direction."""
    out = []
    windows = {family: _windows(word, text, start, end) for family, word in _ANCHOR_WORDS.items()}
    for order, (kind, _resolve) in enumerate(_RULES):
        family = _FAMILY[kind]
        for lo, hi in (windows[family] if family else [(start, end)]):
            for match in _PAT[kind].finditer(text, lo, hi):
                s, e = match.span("core")
                out.append((s, e, order, kind, match.groupdict()))
    return out


def _candidates(matches: list[_Match], a: _Anchor, future: bool) -> Iterator[_Hit]:
    for s, e, order, kind, groups in matches:
        date = _RULES[order][1](groups, a, future)
        if date is not None:
            yield _Hit(s, e, order, kind, groups, date)


def _scan(text: str, *, anchor: DateValue | None = None, start: int = 0,
          end: int | None = None, future: bool = False,
          matches: list[_Match] | None = None) -> list[_Hit]:
    """Non-overlapping date expressions, the longest first, in text order.
    ``matches`` (from ``_matches`` over the same text and range) saves a
    second pass of the patterns."""
    end = len(text) if end is None else end
    if matches is None:
        matches = _matches(text, start, end)
    hits = sorted(_candidates(matches, _anchor(anchor), future),
                  key=lambda h: (h.start - h.end, h.order, h.start))
    # The characters already taken, to test a hit against all the kept ones in
    # the length of the hit (not in the number kept: a long report has thousands).
    occupied = bytearray(len(text) + 1)
    taken: list[_Hit] = []
    for hit in hits:
        if occupied.find(1, hit.start, hit.end) < 0:
            occupied[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
            taken.append(hit)
    for hit in taken:
        hit.date.text, hit.date.span = text[hit.start:hit.end], (hit.start, hit.end)
    return sorted(taken, key=lambda h: h.start)


def find_dates(text: str, *, anchor: DateValue | None, start: int = 0,
               end: int | None = None, future: bool = False) -> list[DateValue]:
    """Every date expression in ``text[start:end]``, resolved against
    ``anchor`` (the publication date); spans are offsets into ``text``.
    ``future`` reads yearless dates, bare months and weekdays forwards."""
    return [hit.date for hit in _scan(text, anchor=anchor, start=start, end=end,
                                      future=future)]


def dates_within(doc, *, anchor: DateValue | None, start: int, end: int,
                 future: bool = False) -> list[DateValue]:
    """``find_dates`` for a span of a parsed document: the whole text is scanned
    once per document (and reading direction), not once per event or quote."""
    key = ("peacetrack.dates", anchor.value if anchor else None, future)
    found = doc.user_data.get(key)
    if found is None:
        dated = [hit.date for hit in _scan(_doc_text(doc), anchor=anchor, future=future,
                                           matches=doc_matches(doc))]
        found = doc.user_data[key] = (dated, [d.span[0] for d in dated])
    dated, starts = found
    # in text order and not overlapping: the dates of a span are found by
    # bisection, not by a pass over the report's dates for every event
    out = []
    for date in dated[bisect.bisect_left(starts, start):]:
        if date.span[0] >= end:
            break
        if date.span[1] <= end:
            out.append(date)
    return out


def _doc_text(doc) -> str:
    return doc.user_data.get("peacetrack.text") or doc.text  # the parsed text, stored once


def doc_matches(doc) -> list[_Match]:
    """The date patterns' matches over a parsed document's whole text, found
    once per document whatever the anchor or reading direction."""
    matches = doc.user_data.get("peacetrack.date_matches")
    if matches is None:
        text = _doc_text(doc)
        matches = doc.user_data["peacetrack.date_matches"] = _matches(text, 0, len(text))
    return matches


# --- dates told from the date before them ("a day later") ------------------

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_LATER = re.compile(r"\b(?:(?P<n>an?|one|two|three|four|five|six|\d)\s+days?\s+later|"
                    r"the\s+(?:next|following)\s+day)\b", re.I)


def later_than(text: str, before: DateValue) -> DateValue | None:
    """A day told from the one before it ("a day later", "two days later",
    "the next day"): resolved only from a known day."""
    match = _LATER.search(text)
    if match is None or before.precision != "day" or not before.value:
        return None
    word = (match["n"] or "one").lower()
    n = int(word) if word.isdigit() else _NUMBERS[word]
    day = dt.date.fromisoformat(before.end or before.value) + dt.timedelta(days=n)
    return DateValue(day.isoformat(), "day", text=match[0],
                     span=(match.start(), match.end()))


# --- publication date: metadata --------------------------------------------

_ISO_META = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T\s]\d.*)?\s*$")


def _from_iso(value: str) -> DateValue | None:
    match = _ISO_META.match(value)
    if match is None:
        return None
    y, m, d = (int(p) if p else None for p in match.groups())
    if not 1800 <= y <= 2100:  # type: ignore[operator]
        return None
    if m is None:
        return DateValue(_iso(y), "year")  # type: ignore[arg-type]
    if d is None:
        return DateValue(_iso(y, m), "month") if 1 <= m <= 12 else None  # type: ignore[arg-type]
    return _day(y, m, d)  # type: ignore[arg-type]


def _dateparser_day(value: str) -> DateValue | None:
    """Last resort for odd absolute forms; optional dependency."""
    try:
        import dateparser
    except ImportError:
        return None
    parsed = dateparser.parse(value, settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"})
    return DateValue(parsed.date().isoformat(), "day") if parsed else None


def published_from_metadata(value: str | None) -> DateValue | None:
    """An ISO date/datetime given with the input (SPEC §1 ``published``) ->
    method "metadata"; a datetime keeps the day as written (its own zone)."""
    if not value or not value.strip():
        return None
    date = _from_iso(value)
    if date is None:  # "Sat, 15 Jul 2023 10:00:00 GMT" and the like
        full = [h.date for h in _scan(value) if h.date.precision == "day"]
        date = full[0] if full else _dateparser_day(value)
    if date is None:
        return None
    return DateValue(date.value, date.precision, method="metadata")


# --- publication date: HTML markup -----------------------------------------

_META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "publishdate", "publish-date",
    "publish_date", "pubdate", "publication_date", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "datecreated", "date",
)
_TAG_META = re.compile(r"<meta\b[^>]*>", re.I)
_TAG_TIME = re.compile(r"<time\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_JSON_LD = re.compile(r"<script\b[^>]*application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)
# A site's clock ("Today is Monday, 23 November 2026") is not the article's date.
_TODAY = re.compile(r"\b(?:today|current\s+date|now)\b", re.I)
_CLOCK_BEFORE = re.compile(r"\b(?:today|current\s+date|now)\b[\s\w:,]{0,12}$", re.I)
_CLOCK_BOX = re.compile(r"today|current|clock|\bnow\b|weather|top-?bar", re.I)
_TAG_OPEN = re.compile(r"<[a-z][a-z0-9]*\b[^>]*>", re.I)


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}


def _meta_date(html: str) -> DateValue | None:
    found: dict[str, str] = {}
    for tag in _TAG_META.findall(html):
        attrs = _attrs(tag)
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "")
        if key.lower() in _META_KEYS and attrs.get("content"):
            found.setdefault(key.lower(), attrs["content"])
    for key in _META_KEYS:
        date = published_from_metadata(found.get(key))
        if date is not None:
            return date
    return None


def _walk_json(node: object) -> Iterator[str]:
    """Every datePublished in a JSON-LD tree (@graph lists included)."""
    if isinstance(node, dict):
        if isinstance(node.get("datePublished"), str):
            yield node["datePublished"]
        for child in node.values():
            yield from _walk_json(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk_json(child)


def _json_ld_date(html: str) -> DateValue | None:
    for block in _JSON_LD.findall(html):
        try:
            values = list(_walk_json(json.loads(block)))
        except ValueError:  # broken JSON-LD is common: read the field directly
            values = re.findall(r'"datePublished"\s*:\s*"([^"]+)"', block)
        for value in values:
            date = published_from_metadata(value)
            if date is not None:
                return date
    return None


def _banner_days(html: str) -> set[str]:
    """Days a page shows as 'today' (its clock) in its text, to be refused."""
    text = _TAGS.sub(" ", html)
    days = set()
    for match in _TODAY.finditer(text):
        window = text[match.end():match.end() + 60]
        hits = [h for h in _scan(window) if h.date.precision == "day"]
        if hits and hits[0].start <= 20:  # the clock's own date, not the next one
            days.add(hits[0].date.value)
    return days


def _in_clock(html: str, tag: re.Match[str]) -> bool:
    """A <time> in a clock, weather or 'today' box (its own or its parent's
    class/id say so, or the text just before it says 'today')."""
    attrs = _attrs(tag.group())
    parents = _TAG_OPEN.findall(html, max(0, tag.start() - 400), tag.start())[-1:]
    labels = [attrs] + [_attrs(p) for p in parents]
    if any(_CLOCK_BOX.search(f"{a.get('class', '')} {a.get('id', '')}") for a in labels):
        return True
    before = _TAGS.sub(" ", html[max(0, tag.start() - 300):tag.start()])
    return bool(_CLOCK_BEFORE.search(before))


def _times(html: str) -> list[tuple[DateValue, bool, bool]]:
    """Every <time datetime>: its date, whether it is marked as the
    publication, whether it sits in a clock box."""
    out = []
    for tag in _TAG_TIME.finditer(html):
        attrs = _attrs(tag.group())
        date = published_from_metadata(attrs.get("datetime"))
        if date is not None:
            label = " ".join(attrs.get(k, "") for k in ("class", "id", "itemprop"))
            marked = bool(re.search(r"\bpubdate\b", tag.group(), re.I)
                          or re.search(r"datePublished|publish|posted", label, re.I))
            out.append((date, marked, _in_clock(html, tag)))
    return out


def _time_date(times: list[tuple[DateValue, bool, bool]], clock: set[str]) -> DateValue | None:
    """<time datetime>: one marked as the publication first, then any other
    that is not the site's clock."""
    usable = [(d, marked) for d, marked, in_clock in times
              if not in_clock and d.value not in clock]
    ranked = [d for d, marked in usable if marked] + [d for d, marked in usable if not marked]
    return ranked[0] if ranked else None


def _htmldate(html: str, banner: set[str]) -> DateValue | None:
    """htmldate on the markup only (no text search, which reads banners)."""
    try:
        import lxml.html
        from htmldate import find_date
        found = find_date(lxml.html.fromstring(html), original_date=True,
                          extensive_search=False)
    except Exception:  # missing extra or unparseable page: no date, not a crash
        return None
    return published_from_metadata(found) if found and found not in banner else None


def published_from_html(html: str) -> DateValue | None:
    """What the page markup says: meta tags, JSON-LD datePublished, <time>,
    then htmldate's markup rules; method "text". Never the site's clock."""
    if not html or "<" not in html:
        return None
    for find in (_meta_date, _json_ld_date):
        date = find(html)
        if date is not None:
            return DateValue(date.value, date.precision, method="text")
    times = _times(html)
    clock = _banner_days(html) | {d.value for d, _, in_clock in times if in_clock}
    date = _time_date(times, clock) or _htmldate(html, clock)
    return DateValue(date.value, date.precision, method="text") if date else None


# --- publication date: dateline / byline in the text ------------------------

_DATELINE_BEFORE = re.compile(r"^\s*[A-Z][A-Z.'’ -]{2,}(?:\s*\([^)]*\))?(?:,[^,\n]{0,40})*,\s*$")
_DATELINE_AFTER = re.compile(r"^[.,]?\s*(?:\([^)]{2,30}\)|/[^/]{2,20}/|,\s*[A-Z]{2,}\b)?"
                             r"\s*[-–—.]")
# "Published: ...", "Posted on ...", "Date: ..." right before the date; a
# byline "By NAME ..." only where the line opens with it ("by January 30" is prose).
_KEYWORD = re.compile(r"(?:\b(?i:published|posted|date)\s*(?i:on)?\s*[:|-]?\s*$|"
                      r"^\s*(?:\S+\s+)?By\s+[A-Z])")
_UPDATED = re.compile(r"\b(?:updated|modified)\b", re.I)
_CLOCK = re.compile(r"^[,\s|·–-]*\d{1,2}:\d{2}")
_DAY_KINDS = ("mdy", "dmy", "md", "dm", "iso", "dotted", "slash", "slash_ymd")


def _line_tier(line: str, hit: _Hit) -> int | None:
    """How much a date on this line looks like the report's own date:
    0 dateline, 1 published/byline, 2 updated or with a clock time,
    3 a line that is little else than the date; None: a date in prose."""
    before, after = line[:hit.start], line[hit.end:]
    if _DATELINE_BEFORE.match(before) or (not before.strip() and _DATELINE_AFTER.match(after)):
        return 0
    if _KEYWORD.search(before) and not _UPDATED.search(before[-60:]):
        return 1
    if _UPDATED.search(before[-60:]) or _CLOCK.match(after):
        return 2
    if len(before.strip()) + len(after.strip()) <= 25:
        return 3
    return None


def _edge_lines(text: str) -> list[str]:
    """The lines where datelines and bylines live: the top and the bottom."""
    lines = [ln for ln in text[:2000].splitlines() if ln.strip()][:15]
    tail = [ln for ln in text[-600:].splitlines() if ln.strip()][-4:]
    return lines + [ln for ln in tail if ln not in lines]


def _line_candidates(text: str) -> list[tuple[int, int, _Hit]]:
    out = []
    for number, line in enumerate(_edge_lines(text)):
        for hit in _scan(line):
            if hit.kind not in _DAY_KINDS or _CLOCK_BEFORE.search(line[:hit.start]):
                continue
            tier = _line_tier(line, hit)
            if tier is not None and (hit.date.value or tier == 0):
                out.append((tier, number, hit))
    return out


def _year_of_dateline(hit: _Hit, others: list[_Hit], text: str,
                      inferred: DateValue | None = None) -> int | None:
    """A yearless dateline ("BAKU, June 12") takes the year of a dated line
    with the same day, else the year inferred from the report (``inferred``
    when already known from more than the text)."""
    m, d = _month(hit.groups["mon"]), int(hit.groups["day"])
    for other in others:
        if other.date.value and other.date.value[5:] == f"{m:02d}-{d:02d}":
            return int(other.date.value[:4])
    inferred = inferred or infer_published(text)
    if not inferred.value:
        return None
    year = int(inferred.value[:4])
    # a late-December dateline read in a January window is the year before
    return year - 1 if m == 12 and (inferred.latest or "").startswith(f"{year}-01") else year


def published_from_text(text: str, *, inferred: DateValue | None = None) -> DateValue | None:
    """A dateline, byline or date line near the top or bottom of the text
    ('Published: 14 December 2021', 'YEREVAN, Dec 14 (Reuters) -',
    'June 12, 2021 18:04', '12.06.2021'); method "text". A yearless one
    takes its year from ``inferred`` when given."""
    found = sorted(_line_candidates(text), key=lambda c: (c[0], c[1]))
    for _tier, _number, hit in found:
        date = hit.date
        if date.value is None:
            year = _year_of_dateline(hit, [c[2] for c in found], text, inferred)
            date = _day(year, _month(hit.groups["mon"]), int(hit.groups["day"])) if year else None
        if date is not None and date.value:
            return DateValue(date.value, "day", text=hit.date.text, method="text")
    return None


# --- publication date: inferred from the report's own references ------------

_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|would|to\s+be\s+held|to\s+hold|scheduled|planned|plans?\s+to|"
    r"expected|intends?\s+to|upcoming|due\s+to)\b", re.I)
_DEADLINE = re.compile(r"\b(?:by|until|till|from|before|starting)\s+(?:the\s+end\s+of\s+)?$", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def sentence_starts(text: str) -> list[int]:
    """Where the text's sentences start (after a sentence end or a line break),
    found once per text; ``_sentence_before`` bisects them."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence_before(text: str, pos: int, starts: list[int] | None = None) -> str:
    """The part of the sentence holding ``pos`` that comes before it."""
    starts = sentence_starts(text[:pos]) if starts is None else starts
    n = bisect.bisect_right(starts, pos)
    return text[(starts[n - 1] if n else 0):pos]


def _is_future(text: str, hit: _Hit, starts: list[int] | None = None) -> bool:
    """A date the report looks forward to (a plan, a deadline) bounds the
    publication from above; any other from below."""
    before = _sentence_before(text, hit.start, starts)
    return bool(_FUTURE_CUE.search(before) or _DEADLINE.search(before))


def _first_day(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _last_day(iso: str) -> dt.date:
    parts = [int(p) for p in iso.split("-")]
    y, m = parts[0], parts[1] if len(parts) > 1 else 12
    return dt.date(y, m, parts[2] if len(parts) > 2 else calendar.monthrange(y, m)[1])


def days_covered(value: str, end: str | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date at any precision (or a range to
    ``end``) covers: "2023-02" is 1–28 February 2023."""
    return _first_day(value), _last_day(end or value)


def _year_votes(hits: list[_Hit]) -> Counter[int]:
    """'November 9 last year' beside 'November 9, 2020' says 2021."""
    dated: dict[str, set[int]] = {}  # "-MM-DD" -> the years it is told with
    for h in hits:
        if h.kind in ("mdy", "dmy") and h.date.value:
            dated.setdefault(h.date.value[-6:], set()).add(int(h.date.value[:4]))
    votes: Counter[int] = Counter()
    for hit in hits:
        if hit.kind in ("md_rel", "dm_rel"):
            key = f"-{_month(hit.groups['mon']):02d}-{int(hit.groups['day']):02d}"
            years = set(dated.get(key, ()))
            if len(years) == 1:
                votes[years.pop() - _offset(hit.groups["rel"])] += 1
    return votes


def _bounds(text: str, hits: list[_Hit],
            year: int | None) -> tuple[list[dt.date], list[dt.date]]:
    """Lower bounds (the start of periods told as past) and upper bounds (the
    end of periods looked forward to); yearless dates count only once the
    year is known."""
    told: list[tuple[DateValue, bool]] = []
    starts = sentence_starts(text)
    for hit in hits:
        date = hit.date
        if date.value is None and year is not None and hit.kind in ("md", "dm"):
            date = _r_yearless(hit.groups, _Anchor(year), False) or date
        if date.value is not None and date.precision != "unknown":
            told.append((date, _is_future(text, hit, starts)))
    # A date told both as past and as coming says nothing either way.
    both = {d.value for d, f in told} & {d.value for d, f in told if f} & {
        d.value for d, f in told if not f}
    lower = [_first_day(d.value) for d, f in told if not f and d.value not in both]
    upper = [_last_day(d.end or d.value) for d, f in told if f and d.value not in both]
    return lower, upper


def _voted_year(hits: list[_Hit]) -> int | None:
    votes = _year_votes(hits).most_common(2)
    if votes and (len(votes) == 1 or votes[0][1] > votes[1][1]):
        return votes[0][0]
    return None


def _settle(lower: list[dt.date], upper: list[dt.date],
            year: int | None) -> tuple[dt.date | None, dt.date | None]:
    """The tightest [earliest, latest] the evidence allows; past evidence
    wins over a plan that contradicts it."""
    if year is not None:  # the votes win over stray references
        lower = [d for d in lower if d.year == year] + [dt.date(year, 1, 1)]
        upper = [d for d in upper if d.year == year] + [dt.date(year, 12, 31)]
    earliest = max(lower) if lower else None
    fitting = [d for d in upper if earliest is None or d >= earliest]
    return earliest, (min(fitting) if fitting else None)


def _agreed_year(lower: list[dt.date], upper: list[dt.date]) -> int | None:
    """Without votes, a year only when past and coming dates agree on it
    without any contradiction."""
    if not lower or not upper or max(lower) > min(upper):
        return None
    return max(lower).year if max(lower).year == min(upper).year else None


_WEEKDAY_START = re.compile(_WKD)
# How far from the publication window a weekday-named day may lie.
_WEEKDAY_SLACK = dt.timedelta(days=400)


def _weekday_year(hits: list[_Hit], lower: list[dt.date], upper: list[dt.date],
                  today: dt.date) -> int | None:
    """The one year in which every "Saturday, April 13" of the report falls on
    its weekday, within the window its other evidence allows (never later
    than today): a calendar fact, not a guess. None if any doubt remains."""
    lo = max(lower) if lower else None
    hi = min([*upper, today])
    if lo is None:
        return None  # with no lower bound every such day recurs too often to choose
    years: set[int] | None = None
    for hit in hits:
        named = _WEEKDAY_START.match(hit.date.text or "") if hit.kind in ("md", "dm") else None
        if named is None:
            continue
        m, d = _month(hit.groups["mon"]), int(hit.groups["day"])
        weekday = _weekday(named["wd"])
        fits = {y for y in range(lo.year - 2, hi.year + 2) if _valid(y, m, d)
                and dt.date(y, m, d).weekday() == weekday
                and lo - _WEEKDAY_SLACK <= dt.date(y, m, d) <= hi + _WEEKDAY_SLACK}
        years = fits if years is None else years & fits
    return next(iter(years)) if years and len(years) == 1 else None


# How many days after the happening its lead tells a news report is written
# (wire copy the same day, a weekly the week after: this keeps the common case).
NEWS_DAYS = 3
# How long after the latest dated act a report tells as past its lead's
# yearless day may lie for the two to be taken as one story's days.
_LEAD_GAP = dt.timedelta(days=31)


def _lead_year(text: str, hits: list[_Hit]) -> tuple[int, dt.date] | None:
    """The year of the yearless days a report's lead names as past or present
    ("YEREVAN, July 29", "agreed on 10 October"), when the report also tells a dated act as
    past at most a month before such a day: a report's lead tells its news,
    and news follows the last dated act it reports. The year and the lead's
    latest such day; None if in doubt."""
    starts = sentence_starts(text)
    days = [dt.date.fromisoformat(h.date.value) for h in hits
            if h.date.value and len(h.date.value) == 10 and h.date.precision == "day"
            and not _is_future(text, h, starts)]
    if not days:
        return None
    last_told = max(days)  # (a year or a month told says nothing of the news's day)
    end = lead_end(text)
    years: set[int] = set()
    news: dt.date | None = None
    for hit in hits:
        if hit.start >= end or hit.kind not in ("md", "dm") or hit.date.value is not None \
                or _is_future(text, hit, starts):
            continue  # (a day looked forward to is no news yet)
        m, d = _month(hit.groups["mon"]), int(hit.groups["day"])
        year = next((y for y in (last_told.year, last_told.year + 1) if _valid(y, m, d)
                     and dt.date(y, m, d) >= last_told), None)
        if year is None or dt.date(year, m, d) - last_told > _LEAD_GAP:
            return None
        years.add(year)
        news = max(news, dt.date(year, m, d)) if news else dt.date(year, m, d)
    return (years.pop(), news) if len(years) == 1 and news else None


def infer_published(text: str, *, earliest: str | None = None, latest: str | None = None,
                    today: dt.date | None = None,
                    matches: list[_Match] | None = None) -> DateValue:
    """When the report was written, from its own dated references (SPEC §2
    'inferred'): the year its 'November 9 last year'-style references agree
    on, or the one year its weekday-named days ("Saturday, April 13") allow,
    bounded by the dates it tells as past and those it looks forward to, by
    ``earliest``/``latest`` known from elsewhere (the offices of the people it
    names) and by today. Never a day; nothing datable gives an unknown value.
    ``matches``: the text's pattern matches when already found (``doc_matches``)."""
    hits = _scan(text, matches=matches)
    outside_lo = [_first_day(earliest)] if earliest else []
    outside_hi = [_last_day(latest)] if latest else []
    year = _voted_year(hits)
    lower, upper = _bounds(text, hits, year)
    if year is None:
        year = _weekday_year(hits, lower + outside_lo, upper + outside_hi,
                             today or dt.date.today())
        if year is not None:
            lower, upper = _bounds(text, hits, year)
    year = year if year is not None else _agreed_year(lower + outside_lo, upper + outside_hi)
    if year is None and (lead := _lead_year(text, hits)) is not None:
        year, news = lead  # its lead's news: written within days of it
        lower, upper = _bounds(text, hits, year)
        upper.append(news + dt.timedelta(days=NEWS_DAYS))
    earliest_day, latest_day = _settle(lower + outside_lo, upper + outside_hi, year)
    value, precision = None, "unknown"
    if year is not None and earliest_day is not None and latest_day is not None:
        same = (earliest_day.year, earliest_day.month) == (latest_day.year, latest_day.month)
        value, precision = (_iso(year, earliest_day.month), "month") if same else (str(year), "year")
    return DateValue(value, precision, method="inferred",
                     earliest=earliest_day.isoformat() if earliest_day else None,
                     latest=latest_day.isoformat() if latest_day else None)


_URL_DAY = re.compile(r"(?<!\d)(20\d\d|19\d\d)([/_-])(\d{1,2})\2(\d{1,2})(?!\d)")
_URL_QUERY = re.compile(r"yyyy=(\d{4})&mm=(\d{1,2})&dd=(\d{1,2})", re.I)
_URL_MONTH = re.compile(r"/(20\d\d|19\d\d)/(\d{1,2})/")


def published_from_url(url: str | None) -> DateValue | None:
    """The date many news sites put in a report's address
    ('/2023/02/22/…', '…-2025-3-13-40/', '?yyyy=2023&mm=03&dd=17');
    a '/2023/06/' path gives the month only. Method "metadata"."""
    if not url:
        return None
    for pattern in (_URL_QUERY, _URL_DAY):
        for match in pattern.finditer(url):
            groups = [g for g in match.groups() if g not in ("/", "-", "_")]
            y, m, d = (int(g) for g in groups)
            if _valid(y, m, d):
                return DateValue(_iso(y, m, d), "day", method="metadata")
    match = _URL_MONTH.search(url)
    if match and 1 <= int(match[2]) <= 12:
        return DateValue(_iso(int(match[1]), int(match[2])), "month", method="metadata")
    return None


def resolve_published(*, given: str | None, text: str, html: str | None = None,
                      url: str | None = None) -> DateValue:
    """The publication date: the metadata given (a date, else one in the
    report's address), then the page markup, then a dateline in the text,
    then an inference from the text (SPEC §2)."""
    date = published_from_metadata(given) or published_from_url(url)
    if date is None and html:
        date = published_from_html(html)
    if date is None:
        date = published_from_text(text)
    return date if date is not None else infer_published(text)

"""A small store built by hand: three reports, one of them hostile.

Used by the report, dashboard and browser tests. Offsets are found with
``str.index`` (Python indices, i.e. code points): the hostile report starts
with an emoji, so a view that slices by UTF-16 units would miss its sentence.
"""

from __future__ import annotations

from pathlib import Path

from peacetrack.records import (
    Actor,
    Analysis,
    DateValue,
    Document,
    Event,
    Location,
    Quote,
    Stance,
)
from peacetrack.store import Store

ALIYEV = Actor("Aliyev", "ilham-aliyev", "Ilham Aliyev", "AZE", "GOV", "president")
PASHINYAN = Actor("Pashinyan", "nikol-pashinyan", "Nikol Pashinyan", "ARM", "GOV", "prime minister")
MICHEL = Actor("Charles Michel", "charles-michel", "Charles Michel", "EU", "IGO", "president")
AZERBAIJAN = Actor("Azerbaijan", "azerbaijan", "Azerbaijan", "AZE", "GOV")
ARMENIA = Actor("Armenia", "armenia", "Armenia", "ARM", "GOV")
LAVROV = Actor("Lavrov", "sergey-lavrov", "Sergey Lavrov", "RUS", "GOV", "foreign minister")
RUSSIA = Actor("Russia", "russia", "Russia", "RUS", "GOV")

BRUSSELS_TEXT = (
    "Aliyev and Pashinyan met in Brussels on Saturday, hosted by Charles Michel. "
    "Azerbaijan accused Armenia of blocking the Lachin corridor. "
    "Lavrov said: \u201cWe support a peace treaty between Baku and Yerevan.\u201d")
HOSTILE_SENTENCE = "Armenia rejected the proposal on the peace treaty."
HOSTILE_TEXT = (
    "\U0001F642 <script>window.__pwned = 1</script> " + HOSTILE_SENTENCE +
    " \u202eevil\u202c <img src=x onerror=\"window.__pwned = 2\"> & more.")
HOSTILE_TITLE = "<b>Hostile</b> <script>window.__pwned = 3</script>"
OLD_TEXT = "Russia opposed a peace treaty without guarantees, its ministry said."


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _event(doc: str, text: str, sentence: str, n: int, type_: str, **kw) -> Event:
    return Event(id=f"e-{doc}-{n}", doc=doc, span=_span(text, sentence), sentence=sentence,
                 trigger=kw.pop("trigger", type_.lower()), type=type_, **kw)


def analyses() -> list[Analysis]:
    t = BRUSSELS_TEXT
    met = t[:t.index("Azerbaijan")].strip()
    accused = t[t.index("Azerbaijan"):t.index("Lavrov")].strip()
    brussels = Analysis(
        Document(id="d-brussels", text=t, source="reports/brussels.txt", outlet="Demo Wire",
                 title="Leaders meet in Brussels",
                 published=DateValue("2023-07-16", "day", method="metadata")),
        events=[
            _event("d-brussels", t, met, 1, "CONSULT", mode="third-party", actor=[ALIYEV, PASHINYAN],
                   mediator=[MICHEL], date=DateValue("2023-07-15", "day", text="Saturday"),
                   location=Location("Brussels", "Brussels", "BEL", 50.85, 4.35)),
            _event("d-brussels", t, accused, 2, "ACCUSE", actor=[AZERBAIJAN], recipient=[ARMENIA],
                   date=DateValue("2023-07", "month"),
                   location=Location("Lachin corridor", "Lachin corridor", "AZE", 39.70, 46.62)),
        ],
        quotes=[Quote("q-lavrov", "d-brussels", _span(t, "We support a peace treaty between Baku and Yerevan."),
                      "We support a peace treaty between Baku and Yerevan.", LAVROV, "said", True,
                      DateValue("2023-07-16", "day"))],
        stances=[Stance("s-russia-new", "d-brussels", _span(t, "We support a peace treaty"), RUSSIA,
                        "peace-treaty", "support", "We support a peace treaty",
                        DateValue("2023-07-16", "day"))])
    old = Analysis(
        Document(id="d-old", text=OLD_TEXT, source="reports/old.txt", title="Moscow sceptical",
                 published=DateValue("2022-01-10", "day", method="text")),
        stances=[Stance("s-russia-old", "d-old", (0, len(OLD_TEXT)), RUSSIA, "peace-treaty", "oppose",
                        OLD_TEXT, DateValue("2022-01-10", "day"))])
    hostile = Analysis(
        Document(id="d-hostile", text=HOSTILE_TEXT, source="reports/hostile.jsonl:1",
                 outlet="<i>Evil</i> Outlet", title=HOSTILE_TITLE,
                 published=DateValue("2024-01-10", "day", method="metadata")),
        events=[_event("d-hostile", HOSTILE_TEXT, HOSTILE_SENTENCE, 1, "REJECT", actor=[ARMENIA],
                       date=DateValue("2024-01-09", "day"))])
    return [old, brussels, hostile]


def build(path: Path) -> Path:
    """Write the sample store at ``path``."""
    with Store(path) as store:
        store.write(analyses())
    return path


# What each chart should draw for the whole sample.
EXPECTED_MARKS = {"timeline": 3, "tracks": 1, "network": 5, "map": 2, "stances": 1, "quotes": 1}

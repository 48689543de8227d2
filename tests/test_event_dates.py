"""When and where each event happened, read through the whole analysis
(issue 3): the date and place an analyst sees on an event record, on the
seed reports (given the publication date a crawler would have) and on the
demo corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import peacetrack
from peacetrack.dates import published_from_url
from peacetrack.evaluate import analyse_gold

from .conftest import DEMO, SEEDS

pytestmark = pytest.mark.usefixtures("analyzer")


def events_of(path: Path, analyzer, published: str | None = None) -> list[dict]:
    gold = {"file": path.name, "given": {"published": published}} if published else {}
    records = analyse_gold(gold, path, analyzer)
    return [r for r in records if r["kind"] == "event"]


def seed_path(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def event_at(events: list[dict], phrase: str, trigger: str) -> dict:
    found = [e for e in events if phrase in e["sentence"] and trigger in e["trigger"]]
    assert found, f"no {trigger!r} event in a sentence with {phrase!r}"
    return found[0]


def when(event: dict) -> tuple:
    date = event.get("date") or {}
    return date.get("value"), date.get("precision"), date.get("end")


def where(event: dict) -> str | None:
    location = event.get("location") or {}
    return location.get("city") or location.get("name")


# --- seed 004, published Sunday 16 July 2023 ------------------------------------

@pytest.fixture(scope="module")
def seed_004(analyzer):
    return events_of(seed_path("004"), analyzer, published="2023-07-16")


def test_seed_004_saturday_talks_in_brussels(seed_004):
    talks = event_at(seed_004, "held a fresh round of EU-mediated peace talks", "talks")
    assert when(talks) == ("2023-07-15", "day", None)
    met = event_at(seed_004, "met in Brussels", "met")
    assert (when(met), where(met)) == (("2023-07-15", "day", None), "Brussels")


def test_seed_004_tuesday_closure_is_the_tuesday_before(seed_004):
    closed = event_at(seed_004, "closed the sole land link", "closed")
    assert when(closed) == ("2023-07-11", "day", None)


def test_seed_004_undated_acts_of_the_day_take_its_date(seed_004):
    # "Michel … said the exchanges were frank": no date words in the sentence;
    # the report's news is Saturday's talks.
    encouraged = event_at(seed_004, "I encouraged them", "encouraged")
    assert when(encouraged) == ("2023-07-15", "day", None)


# --- seed 000, published early March 2023 --------------------------------------

@pytest.fixture(scope="module")
def seed_000(analyzer):
    return events_of(seed_path("000"), analyzer, published="2023-03-02")


def test_seed_000_typo_range_visit_to_baku(seed_000):
    visit = event_at(seed_000, "The visit of Russian Foreign Minister", "visit")
    assert when(visit) == ("2023-02-27", "day", "2023-02-28")
    assert where(visit) == "Baku"


def test_seed_000_march_1_meeting_at_khojaly(seed_000):
    met = event_at(seed_000, "representatives of Baku met", "met")
    assert when(met) == ("2023-03-01", "day", None)
    assert where(met) == "Khojaly"


def test_seed_000_without_its_date_stays_unresolved(analyzer):
    events = events_of(seed_path("000"), analyzer)
    met = event_at(events, "representatives of Baku met", "met")
    assert met["date"]["value"] is None and met["date"]["text"] == "March 1"


# --- the demo corpus ----------------------------------------------------------------

@pytest.fixture(scope="module")
def sochi(analyzer):
    return events_of(DEMO / "04_sochi_summit_2021.txt", analyzer)


def test_dateline_city_locates_the_lead(sochi):
    pledged = event_at(sochi, "pledged on Friday", "pledged")
    assert (when(pledged), where(pledged)) == (("2021-11-26", "day", None), "Sochi")


def test_acts_of_the_summit_day_share_its_place(sochi):
    # "Russia offered to give the future commission advisory help": no place
    # words, but told of the summit day.
    offered = event_at(sochi, "Russia offered", "offered")
    assert (when(offered), where(offered)) == (("2021-11-26", "day", None), "Sochi")


@pytest.mark.parametrize(("words", "value"), [
    ("A day later", "2023-09-20"),
    ("Two days later", "2023-09-21"),
    ("The next day", "2023-09-20"),
])
def test_a_day_told_from_the_act_before_it(words, value):
    text = ("BAKU, Sept 30 (Wire) - Azerbaijan shelled positions in Karabakh on September 19. "
            f"{words} the separatist leaders accepted a ceasefire proposed by Russia.")
    events = [r for r in peacetrack.analyse(text, published="2023-09-30") if r["kind"] == "event"]
    accepted = event_at(events, "accepted a ceasefire", "accepted")
    assert (accepted["date"]["value"], accepted["date"]["text"]) == (value, words)


def test_a_stance_is_dated_when_it_was_said(analyzer):
    events = events_of(DEMO / "05_brussels_michel_2021.txt", analyzer)
    ready = event_at(events, "The EU is ready to support", "ready")
    assert when(ready) == ("2021-12-15", "day", None)  # "Michel told reporters on Wednesday"
    agreed = event_at(events, "agreed to restore railway links", "agreed")
    assert when(agreed) == ("2021-12-14", "day", None)  # "after talks … late on Tuesday"


def test_a_site_keeps_its_town(analyzer):
    events = events_of(DEMO / "13_white_house_summit_2025.html", analyzer)
    hosted = event_at(events, "at the White House", "hosted")
    assert hosted["location"]["name"] == "White House"
    assert hosted["location"]["city"] == "Washington"


def test_a_plan_is_not_placed_where_the_act_before_it_was(analyzer):
    events = events_of(DEMO / "08_arlington_talks_2023.html", analyzer)
    host = event_at(events, "is due to host", "host")
    assert host["status"] == "future"
    assert where(host) == "Brussels"
    receive = event_at(events, "plans to receive", "receive")
    assert where(receive) == "Moscow"


def test_multi_word_wire_dateline(analyzer, tmp_path):
    line = json.loads((DEMO / "wire.jsonl").read_text().splitlines()[0])
    assert line["text"].startswith("THE HAGUE,")
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line) + "\n")
    events = events_of(path, analyzer)
    ordered = event_at(events, "The International Court of Justice on Wednesday", "ordered")
    assert where(ordered) == "The Hague"


@pytest.mark.parametrize(("url", "value", "precision"), [
    ("https://en.armradio.am/2023/02/22/un-court-azerbaijan-should-ensure", "2023-02-22", "day"),
    ("https://www.caspiannews.com/news-detail/azerbaijan-armenia-2025-3-13-40/", "2025-03-13", "day"),
    ("https://www.b92.net/eng/news/politics.php?yyyy=2023&mm=03&dd=17&nav_id=115608",
     "2023-03-17", "day"),
    ("https://www.businesslive.co.za/bd/world/middle-east/2023-04-16-yemen-exchange/",
     "2023-04-16", "day"),
    ("https://example.org/2023/06/talks-resume", "2023-06", "month"),
])
def test_publication_date_from_the_address(url, value, precision):
    found = published_from_url(url)
    assert (found.value, found.precision, found.method) == (value, precision, "metadata")


@pytest.mark.parametrize("url", ["https://tass.com/world/1781623",
                                 "https://example.org/2023/13/40/x", None])
def test_addresses_without_a_date(url):
    assert published_from_url(url) is None


def events_in(text: str, published: str | None = None) -> list[dict]:
    return [r for r in peacetrack.analyse(text, published=published) if r["kind"] == "event"]


@pytest.mark.parametrize(("text", "published", "phrase", "trigger", "date"), [
    # "the same statement" points back to its act's date
    ("YEREVAN, Dec 14 (Wire) - The two governments exchanged prisoners on Wednesday.\n\n"
     "A joint statement issued on December 7 committed both countries to further talks.\n\n"
     "In the same statement, Armenia backed Azerbaijan's bid to host the climate summit.",
     "2023-12-14", "In the same statement", "backed", ("2023-12-07", "day", None)),
    # a past date in what was asked dates the asking
    ("THE HAGUE, Feb 22 (Wire) - The court ordered Azerbaijan on Wednesday to keep the road "
     "open.\n\nArmenia asked the UN Security Council to take up the crisis in December.",
     "2023-02-22", "Armenia asked", "asked", ("2022-12", "month", None)),
    # … a coming one does not
    ("Armenia on Monday asked the Council to take up the crisis in March.", "2023-02-22",
     "Armenia on Monday asked", "asked", ("2023-02-20", "day", None)),
])
def test_when_an_undated_act_happened(text, published, phrase, trigger, date):
    assert when(event_at(events_in(text, published), phrase, trigger)) == date



def test_an_act_with_no_date_but_its_report_happened_in_the_days_before_it():
    """Told as done, with no date words and no dated act to go with: the week
    before the report, said to come from the report, never one day."""
    events = events_in("Armenia and Azerbaijan exchanged prisoners, officials in both "
                       "capitals said.", "2023-12-14")
    date = event_at(events, "exchanged prisoners", "exchanged")["date"]
    assert (date["value"], date["end"], date["method"]) == ("2023-12-07", "2023-12-14", "report")
    plan = event_at(events_in("Armenia and Azerbaijan will exchange prisoners.", "2023-12-14"),
                    "will exchange", "exchange")
    assert not (plan["date"] or {}).get("value")  # a plan is not dated by its report


def test_talks_are_not_placed_where_the_fighting_was():
    events = events_in(
        "YEREVAN, Sept 14 (Wire) - Fighting broke out on the Armenian-Azerbaijani border on "
        "Tuesday. Armenia asked Russia for military help under their defence treaty.",
        "2022-09-14")
    fighting = event_at(events, "Fighting broke out", "Fighting")
    assert "border" in fighting["location"]["name"]
    asked = event_at(events, "Armenia asked Russia", "asked")
    assert where(asked) != fighting["location"]["name"]


def test_a_lead_told_before_its_place():
    events = events_in(
        "The government and the rebels agreed on Wednesday to end two years of war.\n\n"
        "The deal came ten days after peace talks mediated by the African Union began in the "
        "South African capital Pretoria.")
    talks = event_at(events, "talks mediated by", "talks")
    assert where(talks) == "Pretoria"
    agreed = event_at(events, "agreed on Wednesday", "agreed")
    assert where(agreed) == "Pretoria"


def test_offices_bound_an_inferred_publication_date(analyzer):
    records = analyse_gold({}, seed_path("004"), analyzer)
    published = records[0]["published"]
    # "German Chancellor Olaf Scholz" and "European Council President Charles
    # Michel": written between Scholz taking office and Michel leaving his
    assert published["method"] == "inferred" and published["value"] is None
    assert published["earliest"] >= "2021-12-08" and published["latest"] <= "2024-11-30"
    assert published["earliest"] <= "2023-07-16" <= published["latest"]
    assert "German Chancellor Olaf Scholz" in published["text"]  # what bounded it


def test_a_former_office_does_not_bound_it():
    text = ("Former German Chancellor Angela Merkel said on Monday that the talks "
            "between the two leaders should continue.")
    document = peacetrack.analyse(text)[0]
    assert (document["published"].get("latest") or "9999") > "2021-12-08"



def test_an_act_told_in_a_quote_is_dated_and_placed_where_it_was_said():
    events = events_in(
        "YEREVAN, Dec 14 (Wire) - Protesters blocked the road on Monday.\n\n"
        '"We call on the government of Azerbaijan to restore free movement. Such steps set '
        'back peace," State Department spokesman Ned Price told reporters in Washington on '
        "Tuesday.", "2022-12-14")
    call = event_at(events, "We call on", "call on")
    assert when(call) == ("2022-12-13", "day", None)
    assert where(call) == "Washington"


def test_a_named_weekday_fixes_the_year_inside_the_offices_window(analyzer):
    # Dev report 20 names no year, but "Saturday, April 13" and Colombia's
    # president (in office from August 2022) leave one year: 2024; "will
    # continue until April 22" closes the month.
    path = next((SEEDS.parent / "devcorpus").glob("20_*.txt"))
    published = analyse_gold({}, path, analyzer)[0]["published"]
    assert (published["value"], published["precision"], published["method"]) == (
        "2024-04", "month", "inferred")


def test_a_named_weekday_alone_fixes_nothing():
    from peacetrack.dates import infer_published

    found = infer_published("The talks began on Saturday, April 13, and went on on Sunday.")
    assert found.value is None  # April 13 is a Saturday in 2019, 2024, 2030 …


def test_a_meeting_placed_near_a_city_takes_its_own_venue_told_after():
    events = [r for r in peacetrack.analyse(
        "The foreign ministers of Armenia and Azerbaijan wrapped up four days of talks near "
        "Washington on Thursday.\n\n"
        "Armenian Foreign Minister Ararat Mirzoyan and Azerbaijani Foreign Minister Jeyhun "
        "Bayramov held talks at a State Department centre in Arlington, Virginia.",
        published="2023-05-05") if r["kind"] == "event"]
    talks = event_at(events, "wrapped up four days", "talks")
    assert where(talks) == "Arlington"



def test_the_road_and_the_region_repeat_a_place_named_before():
    events = events_in(
        "YEREVAN, Dec 14 (Wire) - Protesters kept up a sit-in on the Lachin corridor for a "
        "third day.\n\nThe protesters, who pitched tents on the road on Monday, say they "
        "oppose mining.\n\nNagorno-Karabakh depends on it. Russia has brought peacekeepers "
        "into the region.", "2022-12-14")
    pitched = event_at(events, "pitched tents", "pitched")
    assert where(pitched) == "Lachin corridor"
    assert pitched["location"]["text"] == "the road"
    brought = event_at(events, "brought peacekeepers", "brought")
    assert where(brought) == "Nagorno-Karabakh"


@pytest.mark.parametrize(("text", "published", "phrase", "trigger", "place"), [
    # a stance said in the present is placed where it was said
    ('"We are ready to sign the treaty," Pashinyan told reporters in Yerevan on Tuesday.',
     "2024-05-01", "We are ready", "ready", "Yerevan"),
    # a trip made for the act locates it
    ("The intelligence chief flew to Doha on Sunday to discuss a truce with Qatari mediators.",
     "2024-10-28", "to discuss", "discuss", "Doha"),
    # a country gives way to the dateline city inside it
    ("August 19, 2024 (GENEVA) - U.S. and Saudi mediators held talks with Sudan's army in "
     "Switzerland on Monday, the U.S. envoy said.", "2024-08-19", "held talks", "talks", "Geneva"),
    # people protest where they live
    ("Some residents of Kirants and nearby villages rallied against the border plan on Friday.",
     "2024-04-20", "rallied", "rallied", "Kirants"),
    # the same meeting told twice shares its place
    ("Azerbaijan and Armenia held a new round of peace talks on Saturday.\n\nAzerbaijani "
     "President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan met in Brussels for "
     "five hours.", None, "held a new round", "talks", "Brussels"),
])
def test_where_an_act_is_placed(text, published, phrase, trigger, place):
    assert where(event_at(events_in(text, published), phrase, trigger)) == place


def test_an_act_done_by_saying_is_when_and_where_it_was_said(analyzer):
    events = events_of(DEMO / "12_border_villages_2024.txt", analyzer)
    defended = next(e for e in events if e["trigger"].startswith("defended"))
    assert defended["location"]["name"] == "Tavush"
    assert (defended["date"]["value"], defended["date"]["precision"]) == ("2024-03", "month")


def test_what_failed_at_the_talks_failed_on_their_day(analyzer):
    events = events_of(DEMO / "02_moscow_trilateral_2021.txt", analyzer)
    failed = next(e for e in events if e["status"] == "negated" and e["type"] == "AGREE")
    assert failed["date"]["value"] == "2021-01-11"


def test_the_region_seized_is_where_the_attack_was(analyzer):
    events = events_of(DEMO / "09_karabakh_offensive_exodus_2023.html", analyzer)
    retook = next(e for e in events if e["trigger"] == "retook")
    assert retook["location"]["name"] == "Nagorno-Karabakh"


def _events(text: str, published: str | None = None) -> list[dict]:
    return [r for r in peacetrack.analyse(text, published=published) if r["kind"] == "event"]


def test_a_meeting_named_after_its_town_is_held_there_not_by_its_state():
    """"The Astana talks" happen in Astana; Kazakhstan is not one who talks."""
    talks = next(e for e in _events(
        "The Astana talks produced a joint statement by Russia, Iran and Turkey.")
        if e["type"] == "CONSULT")
    assert talks["location"]["name"] == "Astana"
    assert "KAZ" not in {a.get("code") for a in talks["actor"]}


def test_what_the_sides_agreed_far_down_a_report_was_agreed_where_they_met():
    text = ("Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev "
            "met in Vienna on Monday for talks mediated by the co-chairs.\n\n"
            "The meeting lasted several hours.\n\n"
            "Observers had expected little from the encounter.\n\n"
            "Earlier in the year, fighting along the line of contact killed dozens.\n\n"
            "Pashinyan and Aliyev agreed to exchange lists of detainees.")
    agreed = next(e for e in _events(text) if e["type"] == "AGREE")
    assert (agreed.get("location") or {}).get("name") == "Vienna"


def test_fighting_is_not_placed_at_the_summit_a_report_was_filed_from():
    text = ("SOCHI, Russia, Nov 26 (Wire) - Azerbaijani forces attacked Armenian positions "
            "on the border on Friday, Armenia's defence ministry said.\n\n"
            "Putin hosted the two leaders in Sochi on Friday.")
    events = _events(text, published="2021-11-26")
    attack = next(e for e in events if e["type"] == "ASSAULT")
    talks = next(e for e in events if e["type"] == "CONSULT")
    assert talks["location"]["name"] == "Sochi"
    assert (attack.get("location") or {}).get("name") != "Sochi"

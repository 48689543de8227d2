"""Any process, any corpus: several profiles at once, each report assigned to
the process it is about, actors and places of processes without a profile."""

from __future__ import annotations

import json

import pytest

from peacetrack.processes import OTHER
from peacetrack.profile import load_profile, load_profiles, profile_names, shipped_profiles

from .conftest import DEVCORPUS, SEEDS

# The dev corpus index names the process each report is about; these are the
# profiles that ship for them (the rest have none: "other").
PROFILE_OF = {"armenia-azerbaijan": "south-caucasus", "serbia-kosovo": "serbia-kosovo",
              "ethiopia-tigray": "ethiopia-tigray", "russia-ukraine": "russia-ukraine",
              "sudan": "sudan", "israel-hamas": "israel-hamas", "colombia-eln": "colombia-eln"}


def _index(folder):
    return {row["file"]: row for row in
            (json.loads(line) for line in (folder / "index.jsonl").read_text().splitlines()
             if line.strip())}


# -- profiles ------------------------------------------------------------------

def test_the_six_profiles_of_the_dev_corpus_processes_ship():
    assert set(PROFILE_OF.values()) <= set(shipped_profiles())


@pytest.mark.parametrize("name", shipped_profiles())
def test_every_profile_names_what_it_refers_to(name):
    profile = load_profile(name)
    assert profile.parties and all(p in profile.entities for p in profile.parties)
    for track in profile.tracks:
        assert track.process == name
        assert all(m in profile.entities for m in track.mediators), track.id
    assert all(issue.statement for issue in profile.issues), "an issue is a proposition"
    assert all(place.get("country") is not None or place.get("lat") is None
               for place in profile.places)


def test_profiles_of_other_processes_share_the_generic_issues():
    generic = {"ceasefire", "peace-talks", "peace-agreement", "prisoners", "troop-withdrawal",
               "humanitarian-access", "disarmament"}
    for name in ("serbia-kosovo", "sudan", "israel-hamas", "russia-ukraine", "colombia-eln",
                 "ethiopia-tigray"):
        ids = {i.id for i in load_profile(name).issues}
        assert ids & generic and ids - generic, name  # shared ones, and its own
    assert {i.id for i in load_profile("none").issues} == generic


def test_the_south_caucasus_profile_has_its_new_issues_with_statements():
    issues = {i.id: i for i in load_profile("south-caucasus").issues}
    for slug in ("lachin-checkpoint", "eu-mission-armenia", "csto-role", "icj-cases",
                 "armenia-constitution", "enclaves"):
        assert issues[slug].aliases and issues[slug].statement


def test_several_profiles_load_as_one_union_that_keeps_each():
    assert profile_names("all") == shipped_profiles()
    assert profile_names("sudan, serbia-kosovo,none") == ["sudan", "serbia-kosovo"]
    union = load_profile("sudan,serbia-kosovo")
    assert [m.name for m in union.members] == ["sudan", "serbia-kosovo"]
    assert {t.process for t in union.tracks} == {"sudan", "serbia-kosovo"}
    assert "rapid-support-forces" in union.entities and "kosovo-serbs" in union.entities
    assert [p.name for p in load_profiles("sudan,serbia-kosovo")] == ["sudan", "serbia-kosovo"]


@pytest.mark.parametrize("entity, code, sector", [
    ("kosovo", "KOS", None), ("karabakh-authorities", "AZE", "REB"),
    ("karabakh-armenians", "AZE", "CVL"),
])
def test_codes_follow_the_annotation_standard(entity, code, sector):
    found = load_profile("south-caucasus").entities[entity]
    assert found.code == code and (sector is None or found.sector == sector)


# -- which process a report is about ---------------------------------------------

def test_each_dev_corpus_report_is_assigned_to_its_process(analyzer):
    from peacetrack.ingest import RawReport, read_inputs
    from peacetrack.pipeline import prepare

    index = _index(DEVCORPUS)
    for raw in read_inputs([str(DEVCORPUS)], max_bytes=5_000_000):
        assert isinstance(raw, RawReport)
        document = prepare(raw)
        _, processes = analyzer.for_doc(analyzer.nlp(document.text), document.title)
        truth = index[raw.source.rsplit("/", 1)[-1]]["process"]
        assert processes[0] == PROFILE_OF.get(truth, OTHER), raw.source


def test_a_report_about_no_known_process_is_coded_as_other_with_the_generic_issues(analyzer):
    from peacetrack.records import Document

    text = ("Peru and Ecuador agreed on Monday to extend the ceasefire along their border, "
            "and Ecuador's foreign minister said the government supports the ceasefire.")
    analysis = next(analyzer.analyse([Document(id="d-x", text=text, source="t")]))
    assert analysis.document.process == OTHER
    assert analysis.events and all(e.process == OTHER for e in analysis.events)
    assert {s.issue for s in analysis.stances} <= {i.id for i in load_profile("none").issues}


def test_a_single_profile_still_codes_other_reports_as_other(settings):
    from peacetrack.analysis import Analyzer
    from peacetrack.records import Document

    single = Analyzer(settings.updated(profile="south-caucasus", models="none"))
    assert set(single.by_process) == {"south-caucasus", OTHER}
    kosovo = "Serbian President Aleksandar Vucic and Kosovo Prime Minister Albin Kurti met in Brussels."
    caucasus = "Aliyev and Pashinyan met in Brussels on Saturday, hosted by Charles Michel."
    found = [a.document.process for a in single.analyse([Document(id="d-1", text=kosovo, source="k"),
                                                         Document(id="d-2", text=caucasus, source="c")])]
    assert found == [OTHER, "south-caucasus"]


# -- actors with no profile entry -------------------------------------------------

def _actors(analyzer, text, published="2024-05-04"):
    from peacetrack.records import DateValue

    doc = analyzer.nlp(text)
    process_analyzer, _ = analyzer.for_doc(doc)
    return process_analyzer.actors.find(doc, DateValue(published, "day"))


@pytest.fixture(scope="module")
def generic(settings):
    """The engine with no profile at all: the generic lexicons alone."""
    from peacetrack.analysis import Analyzer

    return Analyzer(settings.updated(profile="none", models="none", merge_mentions=False))


@pytest.mark.parametrize("text, words, code, sector", [
    ("Serbian President Aleksandar Vucic spoke.", "Serbian President Aleksandar Vucic", "SRB", "GOV"),
    ("Kosovo Prime Minister Albin Kurti spoke.", "Kosovo Prime Minister Albin Kurti", "KOS", "GOV"),
    ("The Rapid Support Forces attacked the town.", "Rapid Support Forces", "SDN", "REB"),
    ("The African Union's envoy arrived.", "The African Union's envoy", "AU", "IGO"),
    ("Ethiopian Foreign Minister Gedion Timothewos spoke.", "Ethiopian Foreign Minister Gedion Timothewos",
     "ETH", "GOV"),
    ("The Tigray People's Liberation Front refused.", "Tigray People's Liberation Front", "ETH", "REB"),
    ("Hamas rejected the offer.", "Hamas", "PSE", "REB"),
])
def test_actors_resolve_without_a_profile(generic, text, words, code, sector):
    found = {m.actor.text: m.actor for m in _actors(generic, text).mentions}
    assert found[words].code == code and found[words].sector == sector


def test_a_process_with_armed_sides_has_them_as_both_sides(analyzer):
    found = _actors(analyzer, "The Sudanese army and the Rapid Support Forces fought in Darfur. "
                              "Both sides agreed to a truce in Jeddah, the army said.")
    sides = next(m for m in found.mentions if m.actor.text == "sides")
    assert {a.id for a in sides.actors} == {"sudanese-armed-forces", "rapid-support-forces"}


def test_a_de_facto_leader_is_not_the_states_leader(analyzer):
    found = _actors(analyzer, "Pashinyan and Aliyev met. The Azerbaijani president said Karabakh "
                              "Armenians would be safe.", published="2021-11-26")
    president = next(m for m in found.mentions if m.actor.text.startswith("The Azerbaijani president"))
    assert president.actor.id == "ilham-aliyev"


# -- places anywhere ------------------------------------------------------------------

@pytest.mark.parametrize("text, place, country", [
    ("Delegates of the two governments met in Jeddah on Tuesday.", "Jeddah", "SAU"),
    ("The two sides signed the agreement in Pretoria on Wednesday.", "Pretoria", "ZAF"),
    ("The negotiators met in Doha on Sunday.", "Doha", "QAT"),
    ("The two leaders met in Ohrid on Saturday.", "Ohrid", "MKD"),
    ("Rebels attacked an army base in northern Mali on Friday.", "northern Mali", "MLI"),
    ("Russian forces shelled towns in the Donbas on Monday.", "Donbas", "UKR"),
    ("Egyptian and Israeli officials met at the Rafah crossing on Sunday.", "Rafah", "PSE"),
])
def test_places_of_other_processes_are_found_offline(generic, text, place, country):
    from peacetrack.records import Document

    analysis = next(generic.analyse([Document(id="d-p", text=text, source="p")]))
    located = [e.location for e in analysis.events if e.location is not None]
    assert located and place.lower() in (located[0].text or "").lower() + (located[0].name or "").lower()
    assert located[0].country == country and located[0].lat is not None


def test_a_crossing_named_like_a_person_is_no_speaker(generic):
    found = _actors(generic, "The envoy said the Adre crossing could open on Tuesday.")
    assert not [m for m in found.mentions if "Adre" in m.actor.text]


# -- one store, many processes --------------------------------------------------------------

@pytest.fixture(scope="module")
def store_path(tmp_path_factory, settings):
    from peacetrack.pipeline import ingest

    path = tmp_path_factory.mktemp("processes") / "store.duckdb"
    summary = ingest([str(SEEDS), str(DEVCORPUS)], settings=settings.updated(db=str(path)))
    assert summary.stored == 29 and not summary.problems
    return path


def test_ingesting_the_devcorpus_uses_its_index(store_path):
    from peacetrack.store import open_store

    index = _index(DEVCORPUS)
    with open_store(store_path, read_only=True) as store:
        documents = [d for d in store.records(["document"]) if "devcorpus" in d["source"]]
    assert len(documents) == 24
    for document in documents:
        row = index[document["source"].rsplit("/", 1)[-1]]
        assert document["outlet"] == row["outlet"] and document["url"] == row["url"]
        assert document["title"] == row["title"] or row["title"] is None
        if row["published"]:
            assert document["published"] == {"value": row["published"], "precision": "day",
                                             "method": "metadata"}


def test_no_event_of_another_process_is_in_a_south_caucasus_track(store_path):
    from peacetrack import views
    from peacetrack.store import open_store

    index = _index(DEVCORPUS)
    profile = load_profile("all")
    with open_store(store_path, read_only=True) as store:
        truth = {d["id"]: index.get(d["source"].rsplit("/", 1)[-1], {}).get("process", "armenia-azerbaijan")
                 for d in store.records(["document"])}
        view = views.dashboard(store, profile)
    assert view["tracks"]["granularity"] == "event"  # one mark per event at this size
    lanes = {lane["id"]: lane for lane in view["tracks"]["lanes"]}
    by_id = {e["id"]: e for e in view["tracks"]["events"]}
    caucasus = [item for item in view["tracks"]["items"]
                if lanes[item["track"]]["process"] == "south-caucasus"]
    assert caucasus, "the Moscow, Brussels and Washington lanes have events"
    assert all(truth[by_id[item["event"]]["doc"]] == "armenia-azerbaijan" for item in caucasus)
    elsewhere = {lanes[i["track"]]["process"] for i in view["tracks"]["items"]} - {"south-caucasus"}
    assert elsewhere, "other processes have lanes of their own"


def test_the_views_and_the_report_filter_by_process(store_path, tmp_path):
    from peacetrack import views
    from peacetrack.report import build_report, unpacked
    from peacetrack.store import open_store

    profile = load_profile("all")
    with open_store(store_path, read_only=True) as store:
        options = views.options(store, profile)
        kosovo = views.dashboard(store, profile, views.Filters(process="serbia-kosovo"))
        everything = views.dashboard(store, profile)
        path = build_report(store, profile, tmp_path / "kosovo.html",
                            filters=views.Filters(process="serbia-kosovo"))
    assert {"south-caucasus", "serbia-kosovo", OTHER} <= {p["id"] for p in options["processes"]}
    shown = kosovo["events"]["items"]
    assert shown and all(e["process"] == "serbia-kosovo" for e in shown)
    assert kosovo["events"]["total"] < everything["events"]["total"]
    assert {lane["process"] for lane in kosovo["tracks"]["lanes"]} == {"serbia-kosovo"}
    assert kosovo["profile"]["countries"] == ["SRB", "KOS"]
    html = path.read_text(encoding="utf-8")
    embedded = json.dumps(unpacked(html))  # the report's data is packed
    assert "Serbia–Kosovo" in html and all(e["id"] in embedded for e in shown)


# -- drafting a profile --------------------------------------------------------------------------

def test_a_profile_drafted_from_reports_loads_and_claims_them(tmp_path, settings):
    import shutil

    from peacetrack.drafting import draft_profile, write_profile

    corpus = tmp_path / "kosovo"
    corpus.mkdir()
    for report in DEVCORPUS.glob("1[34]_*.txt"):
        shutil.copy(report, corpus)
    draft = draft_profile([str(corpus)], settings=settings, name="drafted-kosovo")
    assert draft["parties"] == ["serbia", "kosovo"] and draft["countries"] == ["SRB", "KOS"]
    assert any("european-union" in t["mediators"] for t in draft["tracks"])
    assert all(t["places"] and "Belgrade" not in t["places"] for t in draft["tracks"])
    path = tmp_path / "drafted.yaml"
    with open(path, "w", encoding="utf-8") as out:
        write_profile(draft, out)
    assert path.read_text(encoding="utf-8").startswith("# A profile DRAFTED")
    profile = load_profile(str(path))
    assert profile.name == "drafted-kosovo" and profile.parties == ("serbia", "kosovo")

    from peacetrack.analysis import Analyzer
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import prepare

    drafted = Analyzer(settings.updated(profile=str(path), models="none"))
    for raw in read_inputs([str(corpus)], max_bytes=5_000_000):
        document = prepare(raw)
        assert drafted.for_doc(drafted.nlp(document.text), document.title)[1] == ["drafted-kosovo"]

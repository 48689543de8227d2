"""The four questions of issue 19, asked of the seeds and the dev corpus in a
real browser: each is answered by a view, and the tests read what the page
shows (its text, tables and lists), as an analyst would."""

from __future__ import annotations

import re
import threading

import pytest

from peacetrack.profile import load_profile
from tests.browser.conftest import Page, report_uri


@pytest.fixture(scope="module")
def report(real_store, tmp_path_factory) -> str:
    return report_uri(real_store, "all", tmp_path_factory.mktemp("real-report"))


@pytest.fixture(scope="module")
def live(real_store):
    from peacetrack.web import make_server

    server = make_server(real_store, load_profile("all"), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _count(text: str) -> int:
    return int(re.match(r"\s*([\d,]+)", text).group(1).replace(",", ""))


def test_who_mediated_what_and_which_track_was_active_in_2023(browser, live, artifacts):
    page = Page(browser, allow=live).open(live + "/?process=south-caucasus#mediation-card")
    table = page.page.locator("#mediation-table")
    assert table.locator("thead th").all_inner_texts()[-2:] == ["undated", "all"]
    lanes = table.locator("tbody th").all_inner_texts()
    assert set(lanes) <= {"Moscow (Russia)", "Brussels (EU)", "Washington (US)"} and lanes
    in_2023 = page.page.inner_text("#mediation-active li[data-year='2023']")
    active = [lane for lane in lanes if table.locator(
        f"tbody tr:has(th:text-is('{lane}')) td[data-year='2023']").inner_text().strip()]
    assert active and all(lane in in_2023 for lane in active)
    assert "Serbia" not in in_2023 and "Kosovo" not in in_2023  # another process's Brussels track
    rows = page.page.locator("#mediated-events tbody tr")
    assert rows.count() > 0
    assert rows.first.locator("td").nth(5).locator("a").count() == 1  # leads to its sentence
    page.page.locator("#mediation-card").screenshot(path=artifacts / "question-mediation.png")
    assert page.errors == []


def test_no_track_event_is_dropped_silently(browser, report):
    page = Page(browser).open(report)
    drawn = page.marks("tracks")
    summary = page.page.inner_text("#tracks-undated summary")
    undated = _count(summary)
    page.page.locator("#tracks-undated summary").click()
    listed = page.page.locator("#tracks-undated li").count()
    assert undated == listed > 0
    cells = page.page.locator("#mediation-table tbody td:last-child").all_inner_texts()
    assert sum(int(c) for c in cells) == drawn + undated
    timeline_undated = _count(page.page.inner_text("#timeline-undated summary"))
    page.page.locator("#timeline-undated summary").click()
    assert page.page.locator("#timeline-undated li").count() == timeline_undated
    assert page.page.locator("h1").count() == 1
    assert page.page.get_attribute("#timeline", "aria-label").startswith("Timeline of")


def test_how_azerbaijans_position_on_the_lachin_corridor_changed(browser, report, artifacts):
    page = Page(browser).open(report + "#history/azerbaijan/lachin-corridor")
    page.page.wait_for_selector("#history-title")
    assert page.page.inner_text("#history-title") == "Azerbaijan on Lachin corridor"
    assert "unimpeded passage of people and goods on the Lachin corridor" in page.page.inner_text(
        "#history-statement")
    shown = page.page.inner_text("#history")
    assert "Karabakh authorities:" not in shown  # rolled up to the state, not to separatists
    steps = page.page.locator("#history-steps li")
    told = page.page.locator("#history-events li").all_inner_texts()
    assert steps.count() > 0 or any("urged Azerbaijan to reopen the Lachin Corridor" in t for t in told)
    page.page.locator("#history-card").screenshot(path=artifacts / "question-lachin.png")
    link = page.page.locator("#history-events a, #history-steps a").first
    sentence = link.inner_text()
    link.click()
    page.page.wait_for_selector("#reader-text .target")
    assert "".join(page.page.locator("#reader-text .target").all_inner_texts()) == sentence


def test_a_position_history_is_reached_from_the_matrix(browser, live):
    page = Page(browser, allow=live).open(live + "/?process=south-caucasus")
    cell = page.page.locator("#stances button[data-actor='azerbaijan'][data-issue='peace-treaty']")
    assert cell.inner_text().split()[0] in ("support", "oppose", "conditional", "neutral")
    cell.click()
    page.page.wait_for_selector("#history-steps li")
    assert page.page.inner_text("#history-title") == "Azerbaijan on Peace treaty"
    steps = page.page.locator("#history-steps li").all_inner_texts()
    assert len(steps) >= 2 and all(re.match(r"(\d{4}(-\d\d){0,2}|undated)", s) for s in steps)
    positions = ("support", "oppose", "conditional", "neutral")
    read = [(s.split()[0], next(w for w in s.split() if w in positions)) for s in steps]  # date, then position
    assert len({p for _, p in read}) >= 2  # Azerbaijan both supported and opposed a treaty here
    changes = sum(1 for (d0, p0), (d1, p1) in zip(read, read[1:], strict=False)
                  if "undated" not in (d0, d1) and p0 != p1)  # a change needs two dated steps
    assert page.page.locator("#history-steps li.changed").count() == changes
    assert page.errors == []


def test_what_russia_said_about_the_eu_mission(browser, live, artifacts):
    page = Page(browser, allow=live).open(live + "/#history/russia/eu-mission-armenia")
    page.page.wait_for_selector("#history-title")
    assert page.page.inner_text("#history-title") == "Russia on EU monitoring mission in Armenia (EUMA)"
    assert "the EU monitoring mission on Armenia's border" in page.page.inner_text("#history-statement")
    if page.page.locator("#history-steps li").count() == 0:  # then says so, and what Russia did say
        assert "No position of Russia" in page.page.inner_text("#history-none")
        page.page.locator("#history-other a", has_text="EU (Brussels) mediation").click()
        page.page.wait_for_selector("#history-steps li")
        assert page.page.inner_text("#history-title") == "Russia on EU (Brussels) mediation"
        evidence = " ".join(page.page.locator("#history-steps li").all_inner_texts())
        assert "Brussels" in evidence and "Lavrov" in evidence
    page.page.locator("#history-card").screenshot(path=artifacts / "question-russia-eu.png")
    page.page.fill("#search input[name=q]", "mission")
    page.page.press("#search input[name=q]", "Enter")
    page.page.wait_for_selector("#search-results:not([hidden]) #search-reports li")
    assert page.page.evaluate("document.querySelector('#search-results').getBoundingClientRect().top") < 900
    marked = page.page.locator("#search-reports mark").all_inner_texts()
    assert marked and {m.lower() for m in marked} == {"mission"}  # never "Commission"
    assert page.errors == []


def test_which_events_are_disputed_between_sources(browser, report, artifacts):
    page = Page(browser).open(report + "#incidents-card")
    summary = page.page.inner_text("#incidents-summary")
    disputed = page.page.locator("#incidents-disputed article")
    assert disputed.count() == int(re.search(r"; (\d+) disputed", summary).group(1)) >= 1
    first = disputed.first
    assert "disputed" in first.inner_text()
    outlets = first.locator(".corroboration").inner_text()
    assert re.match(r"Reported by \d+ outlets? \(\d+ reports\): ", outlets)
    versions = first.locator("table.versions tbody tr")
    assert versions.count() >= 2
    assert len({versions.nth(i).locator("td").nth(1).inner_text() for i in range(versions.count())}) >= 2
    assert first.locator("li a").count() >= 2  # each report's sentence
    page.page.locator("#incidents-card").screenshot(path=artifacts / "question-disputed.png")
    assert page.errors == [] and page.outside == []

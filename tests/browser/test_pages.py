"""The report and the dashboard in a real browser (headless Chromium)."""

from __future__ import annotations

import pytest

from tests.browser import sample
from tests.browser.conftest import Page, report_uri

CHARTS = tuple(sample.EXPECTED_MARKS)


@pytest.fixture(scope="module")
def report_url(sample_store, tmp_path_factory) -> str:
    return report_uri(sample_store, "south-caucasus", tmp_path_factory.mktemp("report"))


def _drawn(page: Page, chart: str) -> int:
    """Marks really drawn: points in a chart's SVG; the stance matrix's cells and
    the quote bars are buttons (a keyboard reaches them)."""
    if chart in ("stances", "quotes"):
        return page.page.locator(f"#{chart} button").count()
    selector = f"#{chart} .scatterlayer .trace:last-child .point" if chart == "network" \
        else f"#{chart} .point"
    return page.page.locator(selector).count()


def test_the_report_draws_every_chart_offline_without_errors(browser, report_url, artifacts):
    page = Page(browser).open(report_url)
    assert page.errors == []
    assert page.outside == []  # self-contained: nothing fetched from a network
    for chart, expected in sample.EXPECTED_MARKS.items():
        assert page.marks(chart) == expected, chart
        assert _drawn(page, chart) == expected, chart
    assert page.page.locator("#map .geo .countries path, #map .geo path.countries").count() > 0
    assert page.page.locator("#events-table tbody tr").count() == 3
    page.page.screenshot(path=artifacts / "report.png", full_page=True)


def test_a_hostile_report_is_shown_as_text_and_never_runs(browser, report_url, artifacts):
    page = Page(browser).open(report_url)
    page.page.goto(report_url + "#doc/d-hostile/e-d-hostile-1")
    page.page.wait_for_selector("#reader-text .target")
    assert page.page.evaluate("window.__pwned") is None
    assert page.page.locator("#reader script, #dashboard script, #reader img").count() == 0
    assert "<script>window.__pwned = 1</script>" in page.page.inner_text("#reader-text")
    assert page.page.inner_text("#reader-title") == sample.HOSTILE_TITLE
    assert "\u202e" not in page.page.inner_text("#reader-text")  # bidi override neutralised
    assert page.errors == []
    page.page.screenshot(path=artifacts / "report-hostile.png")


@pytest.mark.parametrize("event, sentence", [
    ("e-d-hostile-1", sample.HOSTILE_SENTENCE),  # after an emoji: offsets are code points
    ("e-d-brussels-2", "Azerbaijan accused Armenia of blocking the Lachin corridor."),
])
def test_the_report_view_highlights_the_event_sentence(browser, report_url, event, sentence):
    page = Page(browser).open(report_url)
    row = page.page.locator(f"#events-table tr[data-event='{event}']")
    row.locator("a").click()
    page.page.wait_for_selector("#reader-text .target")
    highlighted = "".join(page.page.locator("#reader-text .target").all_inner_texts())
    assert highlighted == sentence
    assert page.page.inner_text("#selected-text") == sentence


def test_a_chart_mark_leads_to_its_sentence(browser, report_url):
    page = Page(browser).open(report_url)
    page.page.locator("#map .point").first.click(force=True)
    page.page.wait_for_selector("#evidence:not([hidden])")
    link = page.page.locator("#evidence-list a").first
    sentence = link.inner_text()
    link.click()
    page.page.wait_for_selector("#reader-text .target")
    assert "".join(page.page.locator("#reader-text .target").all_inner_texts()) == sentence


def test_the_dashboard_filters_change_the_counts(browser, served, artifacts):
    page = Page(browser, allow=served).open(served + "/")
    assert page.errors == [] and page.outside == []
    for chart, expected in sample.EXPECTED_MARKS.items():
        assert page.marks(chart) == expected, chart
    page.page.screenshot(path=artifacts / "dashboard.png", full_page=True)
    page.page.select_option("#filters select[name=type]", "verbal-conflict")
    page.wait_for_marks("timeline", 2)
    assert page.page.locator("#events-table tbody tr").count() == 2
    assert "type=verbal-conflict" in page.page.url
    page.page.select_option("#filters select[name=actor]", "armenia")
    page.wait_for_marks("timeline", 2)
    page.page.fill("#filters input[name=start]", "2024-01-01")
    page.page.dispatch_event("#filters input[name=start]", "change")
    page.wait_for_marks("timeline", 1)
    assert page.errors == []
    page.page.screenshot(path=artifacts / "dashboard-filtered.png", full_page=True)


def test_the_dashboard_searches_quotes_and_reports(browser, served):
    page = Page(browser, allow=served).open(served + "/")
    page.page.fill("#search input[name=q]", "peace treaty")
    page.page.press("#search input[name=q]", "Enter")
    page.page.wait_for_selector("#search-results:not([hidden]) #search-reports li")
    assert page.page.locator("#search-quotes li").count() == 1
    page.page.locator("#search-reports li a").first.click()
    page.page.wait_for_selector("#reader-text .target")
    assert "".join(page.page.locator("#reader-text .target").all_inner_texts()).lower() == "peace treaty"


def test_the_dashboard_report_view_is_escaped_and_clickable(browser, served, artifacts):
    page = Page(browser, allow=served).open(served + "/#doc/d-brussels/q-lavrov")
    page.page.wait_for_selector("#reader-text .target")
    assert "".join(page.page.locator("#reader-text .target").all_inner_texts()) == \
        "We support a peace treaty between Baku and Yerevan."
    page.page.locator("#reader-text .ev").first.click()
    page.page.wait_for_url("**#doc/d-brussels/e-d-brussels-1")
    page.page.locator("#selected-text", has_text="Aliyev and Pashinyan met").wait_for()
    page.page.goto(served + "/#doc/d-hostile/e-d-hostile-1")
    page.page.wait_for_selector("#reader-text .target")
    assert page.page.evaluate("window.__pwned") is None
    assert page.errors == []
    page.page.screenshot(path=artifacts / "dashboard-report-view.png")

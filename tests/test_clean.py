"""Boilerplate removal on the real seeds, identity and near-duplicates."""

from __future__ import annotations

import pytest

from peacetrack.clean import (
    content_id,
    hamming,
    html_to_text,
    paragraph_starts,
    simhash,
    strip_boilerplate,
)

from .conftest import ROOT, seed

# Clutter lines the seed pages carry, and a sentence of each that must stay.
SEED_CLUTTER = [
    ("001", ["Connect with us", "SHARE:", "Published", "on", "Share this article:", "Trending",
             "Advertisement"], "Putin also held separate talks with Aliyev and Pashinyan."),
    ("003", ["on YouTube"], "Aliyev called Azerbaijan and Russia"),
    ("004", ["Home » Blog »", "Featured General News"], "met in Brussels for talks"),
    ("000", ["Leave a review"], "On March 1, representatives of Baku"),
]


@pytest.mark.parametrize("number, clutter, kept", SEED_CLUTTER)
def test_seed_clutter_lines_are_removed_and_counted(number, clutter, kept):
    raw = seed(number).read_text(encoding="utf-8")
    cleaned = strip_boilerplate(raw)
    lines = {line.strip() for line in cleaned.text.splitlines()}
    for line in clutter:
        assert not any(line_ == line or line_.startswith(line) for line_ in lines), line
    assert kept in cleaned.text
    assert cleaned.removed_chars >= sum(len(c) for c in clutter)


def test_a_repeated_title_is_kept_once_and_becomes_the_title():
    cleaned = strip_boilerplate(seed("003").read_text(encoding="utf-8"))
    assert cleaned.title is not None and cleaned.title.startswith("Russia expects Armenia")
    assert cleaned.text.count(cleaned.title) == 1


def test_sign_up_notice_and_disclaimer_are_removed():
    cleaned = strip_boilerplate(seed("001").read_text(encoding="utf-8"))
    assert "unsubscribe" not in cleaned.text.lower()
    assert "not necessarily" not in cleaned.text


def test_source_line_names_the_outlet():
    cleaned = strip_boilerplate(seed("004").read_text(encoding="utf-8"))
    assert cleaned.outlet == "France24"
    assert "Source:" not in cleaned.text


def test_html_page_clutter_is_dropped_and_counted():
    page = """<html><head><title>Talks resume</title></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
    <div class="cookie">We use cookies to improve your experience. Accept all</div>
    <article><h1>Talks resume</h1>
    <p>The foreign ministers of Armenia and Azerbaijan met in Washington on Monday for a
    new round of talks hosted by the Secretary of State, officials said.</p>
    <p>Both delegations described the discussions as constructive and agreed to meet again
    next month to continue work on the text of a peace agreement.</p>
    <div class="share">Share on Facebook Share on X</div></article>
    <aside><h3>Trending</h3><ul><li>Football results</li></ul></aside>
    <footer>All rights reserved. Contact us</footer></body></html>"""
    cleaned = html_to_text(page)
    assert "met in Washington on Monday" in cleaned.text
    for clutter in ("cookies", "Share on Facebook", "Football results", "All rights reserved"):
        assert clutter not in cleaned.text
    assert cleaned.removed_chars > 50
    assert cleaned.title == "Talks resume"


def test_identity_ignores_case_and_spacing_but_not_words():
    a = "Aliyev and Pashinyan met in Brussels."
    assert content_id(a) == content_id("  aliyev AND pashinyan\nmet in   Brussels. ")
    assert content_id(a) != content_id("Aliyev and Pashinyan met in Prague.")


def test_near_duplicates_have_close_fingerprints():
    text = seed("004").read_text(encoding="utf-8")
    edited = text.replace("Saturday", "on Saturday", 1) + "\nUpdated with a correction."
    other = seed("002").read_text(encoding="utf-8")
    assert hamming(simhash(text), simhash(edited)) <= 6
    assert hamming(simhash(text), simhash(other)) > 10


def test_the_same_page_cleans_the_same_every_time():
    """trafilatura's cross-call de-duplication would empty a page seen twice in a
    process (re-ingesting, a test suite, a worker): it must stay off."""
    page = (ROOT / "demo" / "corpus" / "06_prague_meeting_2022.html").read_text(encoding="utf-8")
    first, second = html_to_text(page), html_to_text(page)
    assert first.text and first.text == second.text


@pytest.mark.parametrize("line", ["ALSO READ: Washington talks on the Congo crisis",
                                  "Read more: Leaders meet in Brussels",
                                  "Related: Kosovo and Serbia fail to agree"])
def test_links_to_other_reports_are_removed(line):
    text = f"The ministers signed the agreement on Friday.\n\n{line}\n\nBoth sides welcomed it."
    cleaned = strip_boilerplate(text)
    assert line not in cleaned.text and "Both sides welcomed it." in cleaned.text
    assert cleaned.removed_chars >= len(line)


@pytest.mark.parametrize("layout", ["\n", "\n\n"])
def test_a_paragraph_is_a_line_with_or_without_blank_lines_between(layout):
    paragraphs = ["BAKU, May 3 - The talks began.", "They ended late.", "No deal was signed."]
    text = layout.join(paragraphs)
    assert [text[start:].split("\n")[0] for start in paragraph_starts(text)] == paragraphs


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_a_page_nested_past_the_parsers_limit_keeps_its_text(depth):
    # libxml2 stops at 256 levels and kept nothing of such a page ("empty")
    page = ("<html><head><title>Talks in Brussels</title></head><body>"
            "<nav>Home | World | Caucasus</nav>" + "<div>" * depth +
            "<p>Aliyev and Pashinyan met in Brussels on Saturday.</p><script>var x = 1;</script>"
            "<p>European Council President Charles Michel mediated the talks.</p>"
            + "</div>" * depth + "<footer>All rights reserved.</footer></body></html>")
    cleaned = html_to_text(page)
    assert cleaned.text == ("Aliyev and Pashinyan met in Brussels on Saturday.\n"
                            "European Council President Charles Michel mediated the talks.")
    assert cleaned.title == "Talks in Brussels"


def test_a_report_of_one_long_line_is_not_taken_for_clutter():
    # a clutter pattern matching somewhere in a one-line report dropped it whole
    raw = seed("001").read_text(encoding="utf-8")
    one_line = " ".join(raw.split())
    cleaned = strip_boilerplate(one_line)
    assert "Putin also held separate talks with Aliyev and Pashinyan." in cleaned.text
    assert len(cleaned.text) == len(one_line)

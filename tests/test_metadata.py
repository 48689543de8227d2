"""Reports as they come: metadata beside the files, CSV exports, saved pages and mail."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest

from peacetrack.ingest import RawReport, read_inputs
from peacetrack.metadata import normalise_row
from peacetrack.pipeline import prepare
from peacetrack.records import Problem

from .conftest import DEVCORPUS


def _read(paths, **kwargs):
    return list(read_inputs([str(p) for p in paths], max_bytes=1_000_000, **kwargs))


def _index(folder):
    return [json.loads(line) for line in (folder / "index.jsonl").read_text().splitlines()
            if line.strip()]


def test_the_devcorpus_index_gives_every_report_its_outlet_title_and_date():
    """The dev corpus as a crawler hands it over: 24 reports and an index.jsonl."""
    rows = {row["file"]: row for row in _index(DEVCORPUS)}
    items = _read([DEVCORPUS])
    assert all(isinstance(i, RawReport) for i in items), [str(i) for i in items if isinstance(i, Problem)]
    assert len(items) == len(rows) == 24  # the index is not a report of its own
    for item in items:
        row = rows[item.source.rsplit("/", 1)[-1]]
        document = prepare(item)
        assert document.outlet == row["outlet"]
        assert document.url == row["url"]
        if row["title"]:
            assert document.title == row["title"]
        if row["published"]:
            assert document.published.value == row["published"]
            assert document.published.method == "metadata"


def test_a_report_given_alone_gets_the_row_of_the_index_beside_it():
    (item,) = _read([DEVCORPUS / "13_b92_borrell_ohrid_annex.txt"])
    assert item.outlet == "B92" and item.published == "2023-03-17"
    (alone,) = _read([DEVCORPUS / "13_b92_borrell_ohrid_annex.txt"], with_metadata=False)
    assert alone.outlet is None and alone.published is None


def test_an_index_csv_with_other_column_names_and_a_row_naming_no_file(tmp_path):
    (tmp_path / "a.txt").write_text("Leaders met in Ohrid on Saturday.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Talks resumed in Jeddah.")
    (tmp_path / "index.csv").write_text(
        "Path,Headline,Source,Publish Date,Link\n"
        "a.txt,Talks in Ohrid,B92,2023-03-18,https://example.org/a\n"
        "sub/b.txt,Jeddah talks,Sudan Tribune,2023-05-07,\n"
        "gone.txt,Lost,X,2023-01-01,\n")
    items = _read([tmp_path])
    reports = [i for i in items if isinstance(i, RawReport)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert [(r.title, r.outlet, r.published) for r in reports] == [
        ("Talks in Ohrid", "B92", "2023-03-18"), ("Jeddah talks", "Sudan Tribune", "2023-05-07")]
    assert reports[0].url == "https://example.org/a" and reports[1].url is None
    (unmatched,) = problems
    assert unmatched.reason == "unmatched-metadata" and unmatched.line == 4
    assert "index.csv:4" in str(unmatched) and "gone.txt" in str(unmatched)


def test_metadata_rows_never_override_a_documents_own_fields(tmp_path):
    (tmp_path / "wire.jsonl").write_text(json.dumps({"text": "Leaders met.", "title": "Own"}) + "\n")
    (tmp_path / "metadata.jsonl").write_text(json.dumps({"file": "wire.jsonl", "title": "Index",
                                                         "outlet": "Wire"}) + "\n")
    (report,) = _read([tmp_path])
    assert report.title == "Own" and report.outlet == "Wire"


def test_a_metadata_file_given_alone_reads_the_files_it_names(tmp_path):
    (tmp_path / "a.txt").write_text("Leaders met in Ohrid.")
    (tmp_path / "b.txt").write_text("Not listed: not read.")
    (tmp_path / "index.jsonl").write_text(json.dumps({"file": "a.txt", "outlet": "B92"}) + "\n")
    (report,) = _read([tmp_path / "index.jsonl"])
    assert report.source.endswith("a.txt") and report.outlet == "B92"


def test_a_csv_of_articles_with_a_text_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('title,body,date,publisher\n'
                    '"Talks resume","The envoys met in Doha on Monday, officials said.",2024-01-08,Al Jazeera\n'
                    'Empty row,,2024-01-09,X\n'
                    '"Truce","A truce took effect, with ""quotes"" and\na second line.",2024-01-10,AP\n')
    first, empty, second = _read([path])
    assert isinstance(first, RawReport) and first.text.startswith("The envoys met")
    assert (first.title, first.published, first.outlet) == ("Talks resume", "2024-01-08", "Al Jazeera")
    assert first.source == f"{path}:2"
    assert isinstance(empty, Problem) and empty.reason == "empty" and empty.line == 3
    assert '"quotes"' in second.text and "second line" in second.text


def test_a_malformed_csv_row_is_a_problem_and_the_rest_is_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("title,text\nA,First report text.\nB,Second,extra cell\nC,Third report text.\n")
    items = _read([path])
    assert [type(i) for i in items] == [RawReport, Problem, RawReport]
    assert items[1].line == 3 and items[1].reason == "bad-csv"


def _mail(subject: str, sender: str, date: str, plain: str | None, html: str | None) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["Date"] = date
    if plain:
        message.set_content(plain)
    if html:
        if plain:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    return bytes(message)


def test_a_mail_gives_its_subject_sender_and_date(tmp_path):
    path = tmp_path / "news.eml"
    path.write_bytes(_mail("Fwd: Envoys meet in Doha", "Gulf Wire <desk@gulfwire.example>",
                           "Mon, 08 Jan 2024 09:30:00 +0000",
                           "The envoys met in Doha on Monday.", "<p>The envoys met in Doha.</p>"))
    (report,) = _read([path])
    assert report.title == "Envoys meet in Doha" and report.outlet == "Gulf Wire"
    assert report.published == "2024-01-08" and report.text.strip() == "The envoys met in Doha on Monday."


def test_a_saved_page_is_read_from_its_html_and_the_pages_own_tags(tmp_path):
    page = ('<html><head><title>Envoys meet in Doha | Gulf Wire</title>'
            '<meta property="og:title" content="Envoys meet in Doha">'
            '<meta property="og:site_name" content="Gulf Wire">'
            '<meta property="article:published_time" content="2024-01-08T10:00:00Z"></head>'
            '<body><nav>Home | World | Trending</nav><article><h1>Envoys meet in Doha</h1>'
            '<p>The envoys of the two governments met in Doha on Monday for a new round of talks '
            'on a ceasefire, officials said.</p><p>Source: Some Blog</p></article></body></html>')
    message = EmailMessage()
    message["Snapshot-Content-Location"] = "https://gulfwire.example/doha"
    message["From"] = "<Saved by Blink>"
    message.set_content(page, subtype="html")
    path = tmp_path / "page.mhtml"
    path.write_bytes(bytes(message))
    (report,) = _read([path])
    assert report.html and report.url == "https://gulfwire.example/doha" and report.outlet is None
    document = prepare(report)
    assert document.title == "Envoys meet in Doha" and document.outlet == "Gulf Wire"
    assert document.published.value == "2024-01-08" and "met in Doha" in document.text


@pytest.mark.parametrize("row, field, value", [
    ({"Headline": "T"}, "title", "T"),
    ({"publish-date": "2024-01-01"}, "published", "2024-01-01"),
    ({"source": "Reuters"}, "outlet", "Reuters"),
    ({"source": "reports/a.txt"}, "file", "reports/a.txt"),
    ({"content": "  text  "}, "text", "text"),
    ({"title": None, "headline": "H"}, "title", "H"),
])
def test_column_names_are_read_as_exports_spell_them(row, field, value):
    assert normalise_row(row)[field] == value

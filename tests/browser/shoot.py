"""Screenshots for the README: ``python -m tests.browser.shoot STORE [FOLDER]``.

Builds the report from STORE, serves the dashboard over it, and writes
report-overview.png, report-charts.png, report-view.png and dashboard.png
(default folder: docs/screenshots). Needs /usr/bin/chromium and playwright.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from peacetrack import views
from peacetrack.profile import load_profile
from peacetrack.report import build_report
from peacetrack.store import Store
from peacetrack.web import make_server
from tests.browser.conftest import CHROMIUM


def _ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_timeout(800)


def shoot(db: Path, folder: Path) -> list[Path]:
    profile = load_profile("south-caucasus")
    folder.mkdir(parents=True, exist_ok=True)
    report = Path(tempfile.mkdtemp()) / "report.html"
    with Store(db, read_only=True) as store:
        build_report(store, profile, report)
        latest = views.dashboard(store, profile)["overview"]["latest"]
        event = next(e for e in views.events(store, profile) if e["id"] == latest[0])
    server = make_server(db, profile, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    live = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 1500})
        _ready(page, report.as_uri())
        written.append(folder / "report-overview.png")
        page.screenshot(path=written[-1])
        page.locator("#network-card").scroll_into_view_if_needed()
        page.evaluate("document.querySelector('#network-card').scrollIntoView()")
        written.append(folder / "report-charts.png")
        page.screenshot(path=written[-1])
        page.goto(f"{report.as_uri()}#doc/{event['doc']}/{event['id']}")
        page.wait_for_selector("#reader-text .target")
        page.set_viewport_size({"width": 1366, "height": 820})
        written.append(folder / "report-view.png")
        page.screenshot(path=written[-1])
        page.set_viewport_size({"width": 1366, "height": 1500})
        _ready(page, live + "?type=verbal-conflict")
        written.append(folder / "dashboard.png")
        page.screenshot(path=written[-1])
        browser.close()
    server.shutdown()
    return written


if __name__ == "__main__":
    out = shoot(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"))
    print("\n".join(map(str, out)))

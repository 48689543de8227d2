"""Headless Chromium from Debian's packages, driven by Playwright.

No browser is downloaded: Playwright drives /usr/bin/chromium (``make test``
installs it with apt-get). Without it the browser tests are skipped, saying why.
Screenshots go to ``$PEACETRACK_ARTIFACTS`` (default ``out/test-artifacts``).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.browser import sample

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PEACETRACK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("PEACETRACK_ARTIFACTS", ROOT / "out" / "test-artifacts")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium chromium-driver` "
                    "(make test does this) to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                   "(pip install -r requirements/test.txt)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


class Page:
    """A browser page that records console errors, page errors and outside requests."""

    def __init__(self, browser, *, allow: str = "file://") -> None:
        self.page = browser.new_page(viewport={"width": 1366, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith((allow, "data:", "blob:"))
                     else self.outside.append(r.url))

    def open(self, url: str) -> Page:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        self.page.wait_for_timeout(300)  # plotly draws after its promise resolves
        return self

    def marks(self, chart: str) -> int:
        return int(self.page.get_attribute(f"#{chart}", "data-marks") or -1)

    def wait_for_marks(self, chart: str, expected: int, *, timeout: float = 30.0) -> None:
        """Polls from Python: the page's CSP forbids the eval that wait_for_function needs."""
        deadline = time.monotonic() + timeout
        while self.marks(chart) != expected:
            assert time.monotonic() < deadline, f"{chart}: {self.marks(chart)} marks, not {expected}"
            self.page.wait_for_timeout(100)


def report_uri(store_path: Path, profile_name: str, folder: Path) -> str:
    """The static report of a store, written into ``folder``, as a file:// address."""
    from peacetrack.profile import load_profile
    from peacetrack.report import build_report
    from peacetrack.store import Store

    out = folder / "report.html"
    with Store(store_path, read_only=True) as store:
        build_report(store, load_profile(profile_name), out)
    return out.as_uri()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    return sample.build(tmp_path_factory.mktemp("browser") / "sample.duckdb")


@pytest.fixture(scope="session")
def served(sample_store):
    """The dashboard over the sample store, on a free port, in this process."""
    from peacetrack.profile import load_profile
    from peacetrack.web import make_server

    server = make_server(sample_store, load_profile("south-caucasus"), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()

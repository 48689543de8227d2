"""The dashboard: the report's views, live over a DuckDB store, with filters.

Standard library only (``http.server``). Each request opens the store
read-only and closes it at once: DuckDB lets one process write a file and no
other open it meanwhile, so an ``ingest`` can take the file between two
requests. While an ingest holds it, a request waits a little, then answers
with the last data it read (marked stale) rather than an error.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .. import views
from ..errors import StoreError
from ..profile import Profile
from ..report import TOPOJSON, page, plotly_js, static_text
from ..store import Store, StoreBusy, open_store

WAIT = 1.5  # seconds a request waits for an ingest to let go of the store


class Dashboard:
    """The data behind the dashboard: reads the store, remembers the last answers."""

    def __init__(self, db: str | Path, profile: Profile | None, *, wait: float = WAIT) -> None:
        self.db = str(db)
        self.profile = profile
        self.wait = wait
        self._last: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def read(self, key: str, query: Callable[[Store], Any]) -> tuple[Any, dict[str, Any]]:
        """``query`` over a fresh read-only connection; on a busy store, the last answer."""
        try:
            with open_store(self.db, read_only=True, wait=self.wait) as store:
                value = query(store)
        except StoreBusy:
            with self._lock:
                cached = self._last.get(key)
            if cached is None:
                raise
            when, value = cached
            return value, {"stale": True, "as_of": time.strftime("%H:%M:%S", time.localtime(when))}
        with self._lock:
            self._last[key] = (time.time(), value)
        return value, {}

    def view(self, query: dict[str, list[str]]) -> tuple[Any, dict[str, Any]]:
        filters = views.Filters.from_query(query)
        return self.read(f"view:{sorted(filters.active().items())}",
                         lambda s: views.dashboard(s, self.profile, filters))

    def page(self) -> str:
        title = f"peacetrack — {self.profile.title}" if self.profile and self.profile.title else "peacetrack"
        return page(title=title, config={"mode": "live", "topojson": "static/"}, data=None, scripts=[],
                    script_urls=["static/plotly.min.js", "static/app.js"], connect="'self'")


class Handler(BaseHTTPRequestHandler):
    """Routes: / (the page), /static/*, /api/view, /api/options, /api/documents,
    /api/doc/ID, /api/search?q=. Everything else is 404."""

    dashboard: Dashboard
    server_version = "peacetrack"

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        route = url.path.rstrip("/") or "/"
        try:
            if route == "/":
                self._send(self.dashboard.page().encode(), "text/html; charset=utf-8")
            elif route.startswith("/static/"):
                self._static(route.removeprefix("/static/"))
            elif route.startswith("/api/"):
                self._api(route.removeprefix("/api/"), query)
            else:
                self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        except StoreBusy:
            self._json({"busy": True, "message": "An ingest is writing to the store; "
                        "the dashboard will show its records in a moment."}, HTTPStatus.SERVICE_UNAVAILABLE)
        except StoreError as exc:
            self._json({"error": str(exc)}, HTTPStatus.INTERNAL_SERVER_ERROR)

    def _api(self, name: str, query: dict[str, list[str]]) -> None:
        d = self.dashboard
        if name == "view":
            value, meta = d.view(query)
            self._json({**value, **meta})
        elif name == "options":
            self._json(d.read("options", lambda s: views.options(s, d.profile))[0])
        elif name == "documents":
            self._json(d.read("documents", views.documents_index)[0])
        elif name == "search":
            q = (query.get("q") or [""])[0]
            self._json(d.read(f"search:{q}", lambda s: views.search(s, q))[0])
        elif name.startswith("doc/"):
            doc_id = unquote(name.removeprefix("doc/"))
            doc = d.read(f"doc:{doc_id}", lambda s: views.document(s, doc_id))[0]
            self._json(doc, HTTPStatus.OK if doc else HTTPStatus.NOT_FOUND)
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def _static(self, name: str) -> None:
        if name == "plotly.min.js":
            self._send(plotly_js().encode(), "text/javascript; charset=utf-8", cache=True)
        elif name == "app.js":
            self._send(static_text("app.js").encode(), "text/javascript; charset=utf-8")
        elif name == f"{TOPOJSON}.json":
            self._send(static_text(name).encode(), "application/json", cache=True)
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def _json(self, value: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8", status)

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK, *, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server name
        pass  # quiet: the command prints where it serves; requests are not news


def make_server(db: str | Path, profile: Profile | None, *, host: str = "127.0.0.1",
                port: int = 8765, wait: float = WAIT) -> ThreadingHTTPServer:
    """A server for the store at ``db`` (not yet serving: call serve_forever)."""
    if not Path(db).exists():
        raise StoreError(f"no store at {db}: run `peacetrack ingest PATH --db {db}` first")
    plotly_js()  # fail now, politely, if the extra is missing
    handler = type("BoundHandler", (Handler,), {"dashboard": Dashboard(db, profile, wait=wait)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


__all__ = ["Dashboard", "make_server"]

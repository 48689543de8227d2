"""The dashboard: the report's views, live over a store, with filters and paging.

An ASGI application (Starlette) served by uvicorn, so that ``serve --host``
can share it with a team: the optional extra ``peacetrack[serve]``. Every
answer is an aggregate or a page (``views``), cached until the store
changes: the cache is keyed to the store's version (its file's size and
modification time), so a refresh after an ingest recomputes, and nothing
else does. The first view is computed once at start, in the background.

Each computation opens the store read-only and closes it at once: DuckDB
lets one process write a file and no other open it meanwhile, so an
``ingest`` can take the file between two requests. While an ingest holds it,
a request waits a little, then answers with the last data it read (marked
stale) rather than an error.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .. import questions, views
from ..errors import MissingExtra, StoreError
from ..profile import Profile
from ..report import TOPOJSON, page, plotly_js, static_text
from ..settings import available_cores
from ..store import Store, StoreBusy, is_parquet_store, open_store

WAIT = 1.5        # seconds a request waits for an ingest to let go of the store
CACHE_SIZE = 512  # answers kept for the current version of the store
# What each computation's DuckDB may hold: the aggregates over a million reports
# join millions of rows, and spilling them to disk made the network 3x slower.
MEMORY = "1536MB"
BUSY = {"busy": True, "message": "An ingest is writing to the store; "
        "the dashboard will show its records in a moment."}


class Dashboard:
    """The data behind the dashboard: reads the store, caches answers per store version."""

    def __init__(self, db: str | Path, profile: Profile | None, *, wait: float = WAIT) -> None:
        self.db = str(db)
        self.profile = profile
        self.wait = wait
        self._cache: OrderedDict[tuple[Any, str], Any] = OrderedDict()
        self._last: dict[str, tuple[float, Any]] = {}  # the last answer per key, any version
        self._lock = threading.Lock()
        self._computing: dict[tuple[Any, str], threading.Lock] = {}
        # Answers computed at once: one per core (more only share the cores, and
        # each holds its own DuckDB memory); cached answers never wait for these.
        self._working = threading.BoundedSemaphore(available_cores())

    def version(self) -> tuple[Any, ...]:
        """What changes when the store does: size and time of its files (a Parquet
        store's parts are counted by their folder's entries)."""
        paths = [Path(self.db), Path(self.db + ".wal")]
        if is_parquet_store(self.db):
            paths = [p for p in Path(self.db).glob("*/*.parquet")]
        out = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            out.append((str(path), stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(out))

    def read(self, key: str, query: Callable[[Store], Any]) -> tuple[Any, dict[str, Any]]:
        """``query``'s answer for the store as it is now: cached, or computed once
        (concurrent requests for the same answer wait for one computation); on a
        busy store, the last answer, marked stale."""
        cache_key = (self.version(), key)
        with self._lock:
            if cache_key in self._cache:
                self._cache.move_to_end(cache_key)
                return self._cache[cache_key], {}
            computing = self._computing.setdefault(cache_key, threading.Lock())
        with computing:
            with self._lock:
                if cache_key in self._cache:
                    return self._cache[cache_key], {}
            try:
                with self._working, open_store(self.db, read_only=True, wait=self.wait,
                                               memory=MEMORY) as store:
                    value = query(store)
            except StoreBusy:
                with self._lock:
                    cached = self._last.get(key)
                if cached is None:
                    raise
                when, value = cached
                return value, {"stale": True,
                               "as_of": time.strftime("%H:%M:%S", time.localtime(when))}
            finally:
                with self._lock:
                    self._computing.pop(cache_key, None)
            with self._lock:
                self._cache[cache_key] = value
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
                self._last[key] = (time.time(), value)
        return value, {}

    def filtered(self, name: str, query: dict[str, str], compute: Callable[..., Any]
                 ) -> tuple[Any, dict[str, Any]]:
        filters = views.Filters.from_query(query)
        if name in views.PARTS:
            filters = views.narrowed(filters, name)
        return self.read(f"{name}:{sorted(filters.active().items())}",
                         lambda s: compute(s, self.profile, filters))

    def view(self, query: dict[str, str]) -> tuple[Any, dict[str, Any]]:
        """The first view, assembled from its parts, each cached for the filters it
        reads (a new event type reuses the quotes and stances already computed);
        the parts not cached are computed in one session of the store."""
        filters = views.Filters.from_query(query)
        keys = {name: f"{name}:{sorted(views.narrowed(filters, name).active().items())}"
                for name in views.PARTS}

        def missing(store: Store) -> dict[str, Any]:
            found = {}
            for name, key in keys.items():
                cached = self._cached(key)
                found[name] = cached if cached is not None else views.PARTS[name][0](
                    store, self.profile, views.narrowed(filters, name))
            return found

        parts, meta = self._cached_all(keys) or self.read(f"view:{sorted(keys.values())}", missing)
        if not meta:  # a stale answer is not kept for the store as it is now
            for name, key in keys.items():
                self._keep(key, parts[name])
        return views.assemble(parts, self.profile, filters), meta

    def _cached(self, key: str) -> Any:
        with self._lock:
            return self._cache.get((self.version(), key))

    def _cached_all(self, keys: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        found = {name: self._cached(key) for name, key in keys.items()}
        return (found, {}) if all(v is not None for v in found.values()) else None

    def _keep(self, key: str, value: Any) -> None:
        with self._lock:
            self._cache[(self.version(), key)] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def warm(self) -> threading.Thread:
        """Compute the first view (and the filter lists) in the background."""
        def run() -> None:
            try:
                self.view({})
                self.read("options", lambda s: views.options(s, self.profile))
            except StoreError:
                pass  # busy or broken: the first request will say so
        thread = threading.Thread(target=run, name="peacetrack-warm", daemon=True)
        thread.start()
        return thread

    def page(self) -> str:
        title = f"peacetrack — {self.profile.title}" if self.profile and self.profile.title else "peacetrack"
        return page(title=title, config={"mode": "live", "topojson": "static/"}, data=None, scripts=[],
                    script_urls=["static/plotly.min.js", "static/app.js"], connect="'self'")


# The charts a page can ask for one at a time, each with the filters.
PARTS = {"overview": views.overview, "timeline": views.timeline, "tracks": views.tracks,
         "network": views.network, "places": views.places, "stances": views.stances,
         "quotes": views.quotes, "mediation": questions.mediation, "incidents": questions.incidents}


def _starlette():
    try:
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.middleware.gzip import GZipMiddleware
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route
    except ImportError as exc:
        raise MissingExtra("serve", "starlette") from exc
    return Starlette, Middleware, GZipMiddleware, Request, Response, Route


def make_app(dashboard: Dashboard):
    """The ASGI application. Routes: / (the page), /static/*, and under /api/:
    view, overview, timeline, tracks, network, places, stances, quotes (each
    with the filters), events (a page, or ?ids=), records?ids=, options,
    documents (a page), doc/ID, search?q=. Everything else is 404."""
    Starlette, Middleware, GZipMiddleware, Request, Response, Route = _starlette()

    def send(body: bytes | str, kind: str, status: int = 200, *, cache: bool = False) -> Response:
        return Response(body, status_code=status, media_type=kind, headers={
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "max-age=3600" if cache else "no-store"})

    def as_json(value: Any, status: int = 200) -> Response:
        return send(json.dumps(value, ensure_ascii=False, separators=(",", ":")),
                    "application/json; charset=utf-8", status)

    def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def run(request: Request) -> Response:
            try:
                return handler(request)
            except StoreBusy:
                return as_json(BUSY, 503)
            except StoreError as exc:
                return as_json({"error": str(exc)}, 500)
            except ValueError as exc:  # a malformed offset or limit
                return as_json({"error": str(exc)}, 400)
        return run

    def home(request: Request) -> Response:
        return send(dashboard.page(), "text/html; charset=utf-8")

    # The plotting library (4.6 MB) and the base map (1.1 MB), compressed once, not per request.
    packed = {"plotly.min.js": (lambda: plotly_js(), "text/javascript; charset=utf-8"),
              f"{TOPOJSON}.json": (lambda: static_text(f"{TOPOJSON}.json"), "application/json")}

    @cache
    def compressed(name: str) -> bytes:
        return gzip.compress(packed[name][0]().encode(), compresslevel=6, mtime=0)

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name in packed:
            if "gzip" not in request.headers.get("accept-encoding", ""):
                return send(packed[name][0](), packed[name][1], cache=True)
            response = send(compressed(name), packed[name][1], cache=True)
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Vary"] = "Accept-Encoding"
            return response
        if name == "app.js":
            return send(static_text("app.js"), "text/javascript; charset=utf-8")
        return as_json({"error": "not found"}, 404)

    def part(request: Request) -> Response:
        name = request.path_params["name"]
        query = dict(request.query_params)
        if name == "view":
            value, meta = dashboard.view(query)
            return as_json({**value, **meta})
        if name in PARTS:
            value, meta = dashboard.filtered(name, query, PARTS[name])
            return as_json(value if not meta else {"value": value, **meta})
        return as_json({"error": "not found"}, 404)

    def events(request: Request) -> Response:
        query = dict(request.query_params)
        if query.get("ids"):
            return records(request)
        offset, limit = int(query.get("offset") or 0), int(query.get("limit") or views.PAGE)
        return as_json(dashboard.filtered(
            f"events:{offset}:{limit}", query,
            lambda s, p, f: views.events_page(s, p, f, offset=offset, limit=limit))[0])

    def records(request: Request) -> Response:
        ids = [i for i in request.query_params.get("ids", "").split(",") if i][:views.PAGE_MAX]
        return as_json(dashboard.read(f"records:{','.join(ids)}",
                                      lambda s: views.records(s, dashboard.profile, ids))[0])

    def options(request: Request) -> Response:
        return as_json(dashboard.read("options", lambda s: views.options(s, dashboard.profile))[0])

    def documents(request: Request) -> Response:
        offset = int(request.query_params.get("offset") or 0)
        limit = int(request.query_params.get("limit") or views.PAGE)
        return as_json(dashboard.read(f"documents:{offset}:{limit}", lambda s: views.documents_index(
            s, offset=offset, limit=limit))[0])

    def doc(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        value = dashboard.read(f"doc:{doc_id}", lambda s: views.document(s, doc_id))[0]
        return as_json(value, 200 if value else 404)

    def history(request: Request) -> Response:
        """A party's position history on an issue (``questions.position_history``)."""
        query = dict(request.query_params)
        actor, issue = query.get("actor", ""), query.get("issue", "")
        rollup = bool(query.get("rollup"))
        filters = views.Filters(process=query.get("process") or None)  # the only filter it reads
        return as_json(dashboard.read(
            f"history:{actor}:{issue}:{rollup}:{sorted(filters.active().items())}",
            lambda s: questions.position_history(s, dashboard.profile, actor, issue, rollup=rollup,
                                                 filters=filters))[0])

    def search(request: Request) -> Response:
        q = request.query_params.get("q", "")
        return as_json(dashboard.read(f"search:{q}", lambda s: views.search(s, q))[0])

    def missing(request: Request) -> Response:
        return as_json({"error": "not found"}, 404)

    routes = [Route("/", home), Route("/static/{name}", static),
              Route("/api/events", guarded(events)), Route("/api/records", guarded(records)),
              Route("/api/options", guarded(options)), Route("/api/documents", guarded(documents)),
              Route("/api/doc/{doc_id:path}", guarded(doc)), Route("/api/search", guarded(search)),
              Route("/api/history", guarded(history)),
              Route("/api/{name}", guarded(part)), Route("/{rest:path}", missing)]
    return Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=2048)])


class DashboardServer:
    """uvicorn serving the dashboard on a socket bound at once (so ``port=0``
    gets a free port and ``server_address`` says which)."""

    def __init__(self, app, *, host: str, port: int) -> None:
        try:
            import uvicorn
        except ImportError as exc:
            raise MissingExtra("serve", "uvicorn") from exc
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.socket.listen(128)
        self.server_address = self.socket.getsockname()
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self) -> None:
        self._stopped.clear()
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self, *, wait: float = 10.0) -> None:
        """Stop serving (from another thread) and wait until it has."""
        self.server.should_exit = True
        self._stopped.wait(wait)

    def server_close(self) -> None:
        self.socket.close()


def make_server(db: str | Path, profile: Profile | None, *, host: str = "127.0.0.1",
                port: int = 8765, wait: float = WAIT, warm: bool = True) -> DashboardServer:
    """A server for the store at ``db`` (not yet serving: call serve_forever)."""
    if not Path(db).exists():
        raise StoreError(f"no store at {db}: run `peacetrack ingest PATH --db {db}` first")
    plotly_js()  # fail now, politely, if an extra is missing
    dashboard = Dashboard(db, profile, wait=wait)
    server = DashboardServer(make_app(dashboard), host=host, port=port)
    if warm:
        dashboard.warm()
    return server


__all__ = ["Dashboard", "DashboardServer", "make_app", "make_server"]

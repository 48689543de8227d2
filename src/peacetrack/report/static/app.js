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
  let EMBEDDED = null;  // the report's data, unpacked at start (see unpack)
  let OPTIONS = null;   // what the filters offer: names of actors and issues
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
  // replaceChildren, leaving out the parts a view does not show (null or false).
  const fill = (node, ...children) => node.replaceChildren(...children.filter((c) => c != null && c !== false));
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
  // A report packs its data and base map (gzip, then base64): the browser unpacks them.
  async function unpack(id) {
    const node = document.getElementById(id);
    if (!node) return null;
    if (node.type === "application/json") return JSON.parse(node.textContent);
    const bytes = Uint8Array.from(atob(node.textContent.trim()), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }
  const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  const isPlan = (e) => e.status === "future" || e.status === "hypothetical";
  const STATE_SECTORS = new Set(["GOV", "LEG", "MIL"]);
  // The days an event's date covers: a month or a year is a span, not its middle.
  function period(e) {
    const lastDay = (ym) => { const [y, m] = ym.split("-").map(Number); return `${ym}-${String(new Date(y, m, 0).getDate()).padStart(2, "0")}`; };
    const first = (d) => (d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d.slice(0, 10));
    const last = (d) => (d.length === 4 ? d + "-12-31" : d.length === 7 ? lastDay(d) : d.slice(0, 10));
    return [first(e.date), last(e.date_end || e.date)];
  }
  const isSpan = (e) => e.date_basis === "event" && (e.date_precision !== "day" || !!e.date_end);
  const docLink = (doc, id) => `#doc/${encodeURIComponent(doc)}/${encodeURIComponent(id || "")}`;

  // -- charts ------------------------------------------------------------------------
  function draw(id, traces, layout, marks) {
    const node = document.getElementById(id);
    node.dataset.marks = String(marks);
    if (layout.alt) node.setAttribute("aria-label", layout.alt);
    delete layout.alt;
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
    undatedList("#timeline-undated", tl.undated || [], tl.undated_total || 0,
      "undated: neither the report nor its own date says when; not on the axis");
    const layout = {
      margin: { l: 95, r: 10, t: 10, b: 40 }, legend: { orientation: "h", y: -0.08 },
      yaxis: { tickvals: types.map((t) => row[t]), ticktext: types, range: [-0.7, types.length - 0.3],
               zeroline: false, fixedrange: true },
      xaxis: { type: "date", title: "", autorange: true },
      shapes: quadBands(types, row), empty: "No dated events for these filters.",
      alt: `Timeline of ${plural(tl.total, "dated event")} by PLOVER type` +
        (tl.undated_total ? `; ${plural(tl.undated_total, "undated event")} listed below it` : "") +
        ". The events table below lists the same events.",
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
      layout.annotations = [{ xref: "paper", yref: "paper", x: 1, y: 1.02, showarrow: false, xanchor: "right",
        text: esc(`${tl.total.toLocaleString("en")} dated events, one circle per type and month`),
        font: { size: 11, color: "#5d6778" } }];
      draw("timeline", traces, layout, tl.bins.length);
      return;
    }
    const dated = tl.events.filter((e) => e.date);
    const seen = {};
    const y = (e) => { const k = e.type + e.date; seen[k] = (seen[k] || 0) + 1; return row[e.type] + jitter(seen[k]); };
    const placed = dated.map((e) => [e, y(e)]);
    const traces = eventTraces(placed, (e) => [`${e.type} on ${dateLabel(e)}`, [e.id], 1], "circle");
    draw("timeline", traces, layout, dated.length);
  }
  // Counts over time (ACLED-style): every period between the first and the last
  // is on the axis, an empty one as zero, so that a gap is a gap, not a slope.
  function counts() {
    const c = VIEW.counts;
    if (!c) return;
    const by = (document.querySelector("input[name=counts-by]:checked") || {}).value || "month";
    const rows = c[by];
    const periods = allPeriods(rows.map((r) => r.period), by);
    const n = {};
    for (const r of rows) n[r.period + "|" + r.quad] = r.count;
    const traces = Object.entries(VIEW.quads).map(([quad, q]) => ({
      type: "scatter", mode: "lines", stackgroup: "all", name: q.label, line: { color: q.colour, width: 1, shape: "hv" },
      fillcolor: q.colour, x: periods.map((p) => (by === "month" ? p + "-01" : p)),
      y: periods.map((p) => n[p + "|" + quad] || 0),
      hovertemplate: `%{y} ${esc(q.label.toLowerCase())} in the ${by} of %{x}<extra></extra>` }));
    const total = rows.reduce((a, r) => a + r.count, 0);
    $("#counts-apart").textContent = `${plural(total, "event")} counted by ${by}; ` +
      `${plural(c.year_only, "event")} dated only to the year and ${plural(c.undated, "undated event")} are not.`;
    draw("counts", traces, { xaxis: { type: "date" }, yaxis: { title: `events per ${by}`, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.2 }, margin: { l: 50, r: 10, t: 10, b: 40 },
      empty: "No dated events for these filters.",
      alt: `Events per ${by} by category, from ${periods[0] || "-"} to ${periods[periods.length - 1] || "-"}: ${total} in all.` },
      rows.length);
  }
  function allPeriods(found, by) {
    if (!found.length) return [];
    const sorted = found.slice().sort();
    const out = [];
    if (by === "month") {
      let [y, m] = sorted[0].split("-").map(Number);
      const [ly, lm] = sorted[sorted.length - 1].split("-").map(Number);
      while (y < ly || (y === ly && m <= lm)) { out.push(`${y}-${String(m).padStart(2, "0")}`); m++; if (m > 12) { m = 1; y++; } }
      return out;
    }
    for (let t = Date.parse(sorted[0]); t <= Date.parse(sorted[sorted.length - 1]); t += 7 * 864e5) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  }
  // Marks for events at given heights: a dot per event (solid: dated to the day;
  // hollow: placed at its report's date); a month or a year drawn as a bar over
  // its days; a plan as a star, in a legend entry of its own.
  function eventTraces(placed, custom, symbol, extraHover) {
    const traces = [];
    for (const [quad, q] of Object.entries(VIEW.quads)) {
      const mine = placed.filter(([e]) => e.quad === quad);
      const spans = mine.filter(([e]) => isSpan(e));
      if (spans.length) {
        traces.push({ type: "scatter", mode: "lines", name: `${q.label}: month or year`, legendgroup: quad,
          showlegend: false, hoverinfo: "skip", line: { color: q.colour, width: 7 }, opacity: 0.35,
          x: spans.flatMap(([e]) => [...period(e), null]), y: spans.flatMap(([, h]) => [h, h, null]) });
      }
      const done = mine.filter(([e]) => !isPlan(e));
      traces.push({ type: "scatter", mode: "markers", name: `${q.label} (${q.help})`, legendgroup: quad,
        x: done.map(([e]) => (isSpan(e) ? period(e)[0] : plotDate(e.date))), y: done.map(([, h]) => h),
        marker: { color: q.colour, size: 10, symbol: done.map(([e]) => (exact(e) ? symbol : symbol + "-open")),
                  line: { width: 1.5, color: q.colour } },
        text: done.map(([e, , r]) => eventHover(e, extraHover && extraHover(e))), hovertemplate: "%{text}<extra></extra>",
        customdata: done.map(([e]) => custom(e)) });
    }
    const plans = placed.filter(([e]) => isPlan(e));
    if (plans.length) traces.push({ type: "scatter", mode: "markers", name: "Planned or announced (not yet happened)",
      x: plans.map(([e]) => (isSpan(e) ? period(e)[0] : plotDate(e.date))), y: plans.map(([, h]) => h),
      marker: { color: plans.map(([e]) => VIEW.quads[e.quad].colour), size: 13, symbol: "star-open", line: { width: 1.5 } },
      text: plans.map(([e]) => eventHover(e, "a plan: " + e.status)), hovertemplate: "%{text}<extra></extra>",
      customdata: plans.map(([e]) => custom(e)) });
    return traces;
  }
  // Events no chart can place: counted, and listed with links to their sentences.
  function undatedList(target, events, total, what) {
    const box = $(target);
    if (!box) return;
    if (!total) { box.replaceChildren(); return; }
    box.replaceChildren(el("details", {},
      el("summary", { class: "undated-count" }, `${plural(total, "event")} ${what}`),
      el("ul", {}, ...events.map((e) => el("li", {}, chip(e), " ", isPlan(e) ? el("span", { class: "badge" }, "planned") : null, " ",
        el("a", { href: docLink(e.doc, e.id) }, e.sentence), " ", el("span", { class: "small" }, "— " + e.source)))),
      total > events.length ? el("p", { class: "small" }, `… and ${plural(total - events.length, "more")}`) : null));
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
    const used = new Set([...(tr.items || []).map((it) => it.track), ...(tr.bins || []).map((b) => b.track),
                          ...(tr.undated || []).map((u) => u.track)]);
    const lanes = tr.lanes.filter((l) => used.has(l.id));
    const idle = tr.lanes.length - lanes.length;
    const lane = Object.fromEntries(lanes.map((l, i) => [l.id, lanes.length - 1 - i]));
    const laneName = Object.fromEntries(tr.lanes.map((l) => [l.id, l.name]));
    $("#tracks").style.height = Math.max(200, 60 + lanes.length * 34) + "px";
    const undatedEvents = Object.fromEntries((tr.undated_events || []).map((e) => [e.id, e]));
    const perLane = {};
    for (const u of tr.undated || []) (perLane[u.track] = perLane[u.track] || []).push(undatedEvents[u.event]);
    fill($("#tracks-legend"), ...Object.values(VIEW.quads).map((q) => el("span", { class: "key" },
      el("span", { class: "swatch", style: `background:${q.colour}` }), q.label)),
      el("span", { class: "key" }, "◆ dated to the day, ◇ to the month or year or by its report (a bar spans its days), ☆ a plan"));
    const box = $("#tracks-undated");
    fill(box,
      idle ? el("p", { class: "small" }, `${plural(idle, "track")} of the profile with no event in these reports: ` +
        tr.lanes.filter((l) => !used.has(l.id)).map((l) => l.name).join("; ") + ".") : null,
      tr.undated_total ? el("details", {}, el("summary", { class: "undated-count" },
        `${plural(tr.undated_total, "track event")} undated, not on the axis: ` +
        Object.entries(perLane).map(([t, es]) => `${laneName[t]} ${es.length}`).join(", ")),
        ...Object.entries(perLane).map(([t, es]) => el("div", {}, el("h3", {}, laneName[t]),
          el("ul", {}, ...es.filter(Boolean).map((e) => el("li", {}, chip(e), " ",
            isPlan(e) ? el("span", { class: "badge" }, "planned") : null, " ",
            el("a", { href: docLink(e.doc, e.id) }, e.sentence), " ", el("span", { class: "small" }, "— " + e.source))))))) : null);
    const layout = {
      margin: { l: 340, r: 10, t: 10, b: 30 }, xaxis: { type: "date", autorange: true }, showlegend: false,
      yaxis: { tickvals: lanes.map((l) => lane[l.id]), ticktext: lanes.map((l) => esc(short(l.name, 58))),
               range: [-0.6, lanes.length - 0.4], fixedrange: true, zeroline: false },
      empty: tr.lanes.length ? "No dated events of a mediation track for these filters."
                             : "The profile names no mediation tracks.",
      alt: `Mediation tracks: ${plural(tr.total, "dated event")} in ${plural(lanes.length, "lane")}` +
        (tr.undated_total ? `, ${tr.undated_total} undated listed below` : "") + `. The table "Who mediated what" gives the same by year.`,
    };
    if (tr.granularity === "month") {
      const bins = tr.bins.filter((b) => lane[b.track] !== undefined);
      const most = Math.max(...bins.map((b) => b.count));
      const traces = Object.entries(VIEW.quads).map(([quad, q]) => {
        const bs = bins.filter((b) => b.quad === quad);
        return { type: "scatter", mode: "markers", name: q.label, showlegend: false,
          x: bs.map((b) => plotDate(b.period)), y: bs.map((b) => lane[b.track]),
          marker: { color: q.colour, size: bs.map((b) => binSize(b.count, most)), symbol: "diamond", opacity: 0.75 },
          text: bs.map((b) => `<b>${esc(laneName[b.track])}</b>: ${plural(b.count, "event")} (${esc(q.label.toLowerCase())}) in ${esc(b.period)}`),
          hovertemplate: "%{text}<extra></extra>",
          customdata: bs.map((b) => [`${laneName[b.track]}, ${b.period}`, [], b.count, periodQuery(b.period, { track: b.track, quad })]) };
      });
      draw("tracks", traces, layout, bins.length);
      return;
    }
    const items = tr.items.filter((it) => BY_ID[it.event] && lane[it.track] !== undefined);
    const reason = Object.fromEntries(items.map((it) => [it.event + "@" + it.track, it.reason]));
    const placed = items.map((it) => [BY_ID[it.event], lane[it.track], it.track]);
    const traces = eventTraces(placed.map(([e, h]) => [e, h]), (e) => [`${e.type} on ${dateLabel(e)}`, [e.id], 1], "diamond",
      (e) => (e.tracks || []).map((t) => reason[e.id + "@" + t.id]).filter(Boolean).join("; "));
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
  // People rolled up to the state they act for (its government, parliament or
  // armed forces): one node per state, their links added up.
  function rolledUp(net) {
    const group = (n) => (n.code && STATE_SECTORS.has(n.sector) ? "state:" + n.code : n.id);
    const of = Object.fromEntries(net.nodes.map((n) => [n.id, group(n)]));
    const nodes = {};
    for (const n of net.nodes.slice().sort((a, b) => b.degree - a.degree)) {
      const g = of[n.id];
      if (!nodes[g]) nodes[g] = Object.assign({}, n, { id: g, degree: 0,
        label: g.startsWith("state:") ? (net.states || {})[n.code] || n.code : n.label });
      nodes[g].degree += n.degree;
    }
    const edges = {};
    for (const e of net.edges) {
      const [a, b] = [of[e.source], of[e.target]];
      if (a === b) continue;
      const k = [a, b, e.polarity].join("\u0000");
      const m = edges[k] = edges[k] || { source: a, target: b, polarity: e.polarity, directed: false, count: 0, types: {}, ids: [] };
      m.directed = m.directed || e.directed;
      m.count += e.count;
      for (const [t, n] of Object.entries(e.types)) m.types[t] = (m.types[t] || 0) + n;
      m.ids = m.ids.concat(e.ids).slice(0, 12);
    }
    return Object.assign({}, net, { nodes: Object.values(nodes), edges: Object.values(edges) });
  }
  function network() {
    const net = $("#network-rollup").checked ? rolledUp(VIEW.network) : VIEW.network;
    // Sizes relative to the busiest node and edge: the same picture for 10 reports or a million.
    const mostDegree = Math.max(1, ...net.nodes.map((n) => n.degree));
    const mostEdge = Math.max(1, ...net.edges.map((e) => e.count));
    const at = Object.fromEntries(net.nodes.map((n) => [n.id, n]));
    const label = (id) => (at[id] ? at[id].label : id);
    // Only the busiest actors are named on the chart (the rest on hover and in the table): labels never pile up.
    const labelled = new Set(net.nodes.slice().sort((a, b) => b.degree - a.degree).slice(0, NETWORK_LABELS).map((n) => n.id));
    networkLegend(net);
    networkTable(net, label);
    const traces = [];
    const annotations = [];
    const bundles = {};
    const mids = { x: [], y: [], text: [], customdata: [], color: [] };
    for (const e of net.edges) {
      const a = at[e.source], b = at[e.target];
      const colour = e.polarity === "conflict" ? "rgba(192,57,43,0.75)" : "rgba(31,95,168,0.6)";
      const width = 1 + 7 * Math.sqrt(e.count / mostEdge);
      const bend = e.polarity === "conflict" ? 0.03 : -0.03;  // keep a pair's two edges apart
      const mx = (a.x + b.x) / 2 + bend * (b.y - a.y), my = (a.y + b.y) / 2 - bend * (b.x - a.x);
      // Edges of one colour and about one width are one trace (a hundred traces drew
      // slowly); an arrow is a marker at the end, turned along its line, short of the node.
      const level = Math.round(width);
      const key = colour + "|" + level;
      const bundle = bundles[key] = bundles[key] || { x: [], y: [], size: [], colour, level };
      const dx = b.x - mx, dy = b.y - my, len = Math.hypot(dx, dy) || 1;
      const back = 0.035 + 0.05 * Math.sqrt(b.degree / mostDegree);
      const [ex, ey] = e.directed ? [b.x - (dx / len) * back, b.y - (dy / len) * back] : [b.x, b.y];
      bundle.x.push(a.x, mx, ex, null);
      bundle.y.push(a.y, my, ey, null);
      bundle.size.push(0, 0, e.directed ? 7 + 2 * level : 0, 0);
      const kinds = Object.entries(e.types).map(([t, n]) => `${n}× ${t}`).join(", ");
      mids.x.push(mx); mids.y.push(my); mids.color.push(colour);
      mids.text.push(`<b>${esc(label(e.source))} ${e.directed ? "→" : "and"} ${esc(label(e.target))}</b><br>` +
        `${esc(kinds)} (${esc(e.polarity)})<br>` + examples(e.ids, e.count));
      mids.customdata.push([`${label(e.source)} ${e.directed ? "→" : "and"} ${label(e.target)}: ${kinds}`, e.ids, e.count]);
    }
    for (const bundle of Object.values(bundles)) {
      traces.push({ type: "scatter", mode: "lines+markers", x: bundle.x, y: bundle.y, hoverinfo: "skip", showlegend: false,
        line: { color: bundle.colour, width: bundle.level },
        marker: { symbol: "arrow", angleref: "previous", size: bundle.size, color: bundle.colour, line: { width: 0 } } });
    }
    traces.push({ type: "scatter", mode: "markers", x: mids.x, y: mids.y, text: mids.text, customdata: mids.customdata,
                  hovertemplate: "%{text}<extra></extra>", marker: { size: 7, color: mids.color, opacity: 0.9 },
                  showlegend: false, name: "edges" });
    traces.push({ type: "scatter", mode: "markers+text", name: "actors", showlegend: false,
      x: net.nodes.map((n) => n.x), y: net.nodes.map((n) => n.y),
      text: net.nodes.map((n) => (labelled.has(n.id) ? esc(n.label) : "")),
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
      alt: `Who acts on whom: ${plural(net.nodes.length, "actor")} and ${plural(net.edges.length, "link")}; the table below lists every link.`,
    }, net.nodes.length);
  }
  const NETWORK_LABELS = 12;
  function networkLegend(net) {
    const codes = [...new Set(net.nodes.map((n) => n.code))];
    const key = (colour, text, round) => el("span", { class: "key" },
      el("span", { class: "swatch", style: `background:${colour}` + (round ? ";border-radius:50%" : "") }), text);
    fill($("#network-legend"), "Dots (actors, by the state or organisation they act for): ",
      ...codes.filter((c) => CODE_COLOURS[c]).map((c) => key(CODE_COLOURS[c], c, true)),
      codes.some((c) => !CODE_COLOURS[c]) ? key("#7f8c8d", "other or unknown", true) : null,
      " Lines: ", key("rgba(31,95,168,0.8)", "cooperation"), key("rgba(192,57,43,0.8)", "conflict"),
      el("span", { class: "small" }, `Named on the chart: the ${NETWORK_LABELS} busiest actors; hover a dot for the others.`));
  }
  function networkTable(net, label) {
    const rows = net.edges.map((e) => el("tr", {},
      el("td", {}, label(e.source)), el("td", {}, e.directed ? "→" : "and"), el("td", {}, label(e.target)),
      el("td", {}, e.polarity), el("td", {}, Object.entries(e.types).map(([t, n]) => `${n}× ${t}`).join(", ")),
      el("td", {}, el("button", { type: "button", onclick: () => showEvidence(`${label(e.source)} → ${label(e.target)}`, e.ids, e.count) },
        plural(e.count, "event")))));
    $("#network-table").replaceChildren(el("table", {}, el("thead", {}, el("tr", {},
      ...["From", "", "To", "Kind", "Types", "Events"].map((h) => el("th", {}, h)))), el("tbody", {}, ...rows)));
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
      const labelFrom = labelledPlaces(ps);
      for (const [quad, q] of Object.entries(VIEW.quads)) {
        const qs = ps.filter((p) => p.quad === quad);
        if (qs.length) traces.push(placeTrace(qs, q, geo, geo === "geo", most, labelFrom));
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
    layout.alt = `Map of ${plural(places.length, "place")} with events; the table below lists them.`;
    $("#map-table").replaceChildren(el("table", {}, el("thead", {}, el("tr", {},
      ...["Place", "Country", "Events", "Most frequent category", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...places.map((p) => el("tr", {}, el("td", {}, p.name), el("td", {}, p.country || ""),
        el("td", {}, String(p.count)), el("td", {}, VIEW.quads[p.quad].label),
        el("td", {}, el("button", { type: "button", onclick: () => showEvidence(`Events at ${p.name}`, p.ids, p.count) }, "read")))))));
    draw("map", traces, layout, places.length);
  }
  const MAP_LABELS = 8;  // the busiest places of each panel are named; the rest on hover and in the table
  // The busiest places are named, each only where no busier named place is too near
  // for its label (a box of the panel's extent): labels never pile up.
  function labelledPlaces(ps) {
    const lons = ps.map((p) => p.lon), lats = ps.map((p) => p.lat);
    const w = Math.max(8, Math.max(...lons) - Math.min(...lons)) * 0.2;
    const h = Math.max(6, Math.max(...lats) - Math.min(...lats)) * 0.1;
    const kept = [];
    for (const p of ps.slice().sort((a, b) => b.count - a.count)) {
      if (kept.length >= MAP_LABELS) break;
      if (kept.every((k) => Math.abs(k.lon - p.lon) > w || Math.abs(k.lat - p.lat) > h)) kept.push(p);
    }
    return new Set(kept);
  }
  function placeTrace(ps, q, geo, legend, most, labelFrom) {
    return { type: "scattergeo", geo, mode: "markers+text", name: q.label, legendgroup: q.label, showlegend: legend,
      lon: ps.map((p) => p.lon), lat: ps.map((p) => p.lat),
      text: ps.map((p) => (labelFrom.has(p) ? esc(p.name) : "")), textposition: "top center", textfont: { size: 10 },
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

  // The stance matrix as a table: each cell a button (keyboard reachable) that
  // opens the position's history; the position is written, not only coloured.
  function stances() {
    const s = VIEW.stances;
    const node = $("#stances");
    node.dataset.marks = String(s.cells.length);
    $("#issue-statements").replaceChildren(...s.issues.flatMap((i) => [el("dt", {}, i.name),
      el("dd", {}, i.statement ? "for: " + i.statement : "")]));
    if (!s.cells.length) { node.replaceChildren(el("p", { class: "empty" }, "No stances recorded for these filters yet.")); return; }
    const at = {};
    for (const c of s.cells) at[c.actor + "\u0000" + c.issue] = c;
    const head = el("tr", {}, el("th", {}, "Party"), ...s.issues.map((i) => el("th", { class: "issue", title: i.statement, scope: "col" }, i.name)));
    const rows = s.actors.map((a) => el("tr", {}, el("th", { scope: "row" }, a.label), ...s.issues.map((i) => {
      const c = at[a.id + "\u0000" + i.id];
      if (!c) return el("td", {});
      const tip = `${a.label} on ${i.name} (${i.statement}): ${c.position}, ${c.latest.date || "undated"}, ${c.latest.source || ""}. ` +
        clean(c.latest.evidence || "") + (c.changed ? " Changed: " + c.history.map((h) => `${h.position} (${h.date || "?"})`).join(" → ") : "");
      return el("td", {}, el("button", { type: "button", class: "cell", title: tip, "data-actor": a.id, "data-issue": i.id,
        style: `background:${POSITION_COLOURS[c.position] || "#9aa3b2"}`,
        onclick: () => { location.hash = historyLink(a.id, i.id); } }, c.position + (c.changed ? " ↺" : "")));
    })));
    node.replaceChildren(el("table", { class: "matrix" }, el("thead", {}, head), el("tbody", {}, ...rows)));
  }
  const historyLink = (actor, issue) => `#history/${encodeURIComponent(actor)}/${encodeURIComponent(issue)}`;

  function quotes() {
    const groups = VIEW.quotes;
    const top = groups.slice(0, 15);
    const most = Math.max(1, ...top.map((g) => g.count));
    $("#quotes").dataset.marks = String(top.length);
    $("#quotes").replaceChildren(top.length ? el("ul", { class: "bars" }, ...top.map((g) => el("li", {},
      el("span", {}, g.speaker.label),
      el("button", { type: "button", class: "bar", style: `width:${Math.max(4, (100 * g.count) / most)}%`,
        onclick: () => showEvidence(`Quotes of ${g.speaker.label}`, g.quotes.map((q) => q.id), g.count) },
        plural(g.count, "quote"))))) : el("p", { class: "empty" }, "No quotes recorded for these filters yet."));
    $("#quote-list").replaceChildren(...groups.map((g) => el("details", {},
      el("summary", {}, `${g.speaker.label} — ${plural(g.count, "quote")}` +
        (g.count > g.quotes.length ? ` (the latest ${g.quotes.length} below)` : "")),
      ...g.quotes.map((q) => el("blockquote", {}, q.direct ? `“${q.text}”` : q.text, " ",
        el("a", { href: docLink(q.doc, q.id), class: "small" }, `${q.date || "undated"}, ${q.source}`))))));
  }

  // -- who mediated what, when ----------------------------------------------------------
  function mediation() {
    const m = VIEW.mediation;
    const box = $("#mediation");
    if (!m) { box.replaceChildren(); return; }
    const lanes = m.lanes.filter((l) => l.total);
    const years = m.years;
    const table = el("table", { class: "mediation", id: "mediation-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "Track"), ...years.map((y) => el("th", {}, y)), el("th", {}, "undated"), el("th", {}, "all"))),
      el("tbody", {}, ...lanes.map((l) => el("tr", { "data-track": l.id }, el("th", { scope: "row" }, l.name),
        ...years.map((y) => el("td", { class: "n" + (l.counts[y] ? " active" : ""), "data-year": y }, l.counts[y] ? String(l.counts[y]) : "")),
        el("td", { class: "n" }, l.undated ? String(l.undated) : ""), el("td", { class: "n" }, String(l.total))))));
    const active = el("ul", { id: "mediation-active" }, ...years.map((y) => el("li", { "data-year": y },
      el("b", {}, y + ": "), (m.active[y] || []).length ? "active: " + m.active[y].join("; ") : "no track active")));
    const idle = m.lanes.length - lanes.length;
    const rows = m.events.map((e) => el("tr", { "data-event": e.id },
      el("td", {}, e.date || "undated", isPlan(e) ? el("div", { class: "badge plan" }, "planned") : null,
        e.date && !exact(e) ? el("div", { class: "badge" }, e.date_basis === "report" ? "report date" : e.date_precision) : null),
      el("td", {}, names(e.mediators) || "—"), el("td", {}, [names(e.actors), names(e.recipients)].filter(Boolean).join(" → ")),
      el("td", {}, chip(e)), el("td", {}, (e.tracks || []).map((t) => t.name).join("; ") || "—"),
      el("td", { class: "sentence" }, el("a", { href: docLink(e.doc, e.id) }, e.sentence)), el("td", {}, e.source)));
    fill(box,
      lanes.length ? table : el("p", { class: "empty" }, "No events of a mediation track for these filters."),
      idle ? el("p", { class: "small" }, `${plural(idle, "other track")} of the profile with no event here.`) : null,
      el("h3", {}, "Which track was active, year by year"), active,
      el("h3", {}, `Mediated events (${m.total.toLocaleString("en")}; ${m.undated} undated)`),
      el("div", { class: "table-wrap" }, el("table", { id: "mediated-events" }, el("thead", {}, el("tr", {},
        ...["Date", "Mediators", "Parties", "Type", "Track", "Sentence", "Source"].map((h) => el("th", {}, h)))),
        el("tbody", {}, ...rows))));
  }

  // -- how a position changed ---------------------------------------------------------------
  // The static report has no server: it draws a history from the records it holds,
  // as peacetrack.questions.position_history does over the store.
  function historyHere(actorId, issueId, rollup) {
    const records = VIEW.history_records || { stances: [], quotes: [] };
    const known = (OPTIONS && OPTIONS.actors.find((a) => a.id === actorId)) || { id: actorId, label: actorId, code: null };
    const side = { id: actorId, label: known.label, code: known.code };
    const member = (a) => !!a && (a.id === side.id || (rollup && side.code && a.code === side.code && STATE_SECTORS.has(a.sector)));
    const steps = records.stances.filter((x) => x.issue === issueId && member(x.actor))
      .sort((a, b) => (a.date || "9999").localeCompare(b.date || "9999"));
    let previous = null;
    const shown = steps.map((x) => {  // an undated step has no place in the order: it changes nothing
      const step = Object.assign({ by: x.actor.label }, x, { changed: !!x.date && previous !== null && x.position !== previous });
      previous = x.date ? x.position : null;
      return step;
    });
    const quotes = records.quotes.filter((q) => q.issues.includes(issueId) && member(q.speaker))
      .map((q) => Object.assign({}, q, { speaker: q.speaker.label }));
    const events = Object.values(BY_ID).filter((e) => e.kind === "event" && (e.issues || []).includes(issueId) &&
      [...e.actors, ...e.recipients].some(member)).sort((a, b) => (a.date || "9999").localeCompare(b.date || "9999"));
    const counts = {};
    if (!shown.length) for (const x of records.stances) if (member(x.actor)) {
      const c = counts[x.issue] = counts[x.issue] || { id: x.issue, count: 0, positions: new Set() };
      c.count++; c.positions.add(x.position);
    }
    const issue = issueInfo(issueId);
    return { actor: side, issue, rollup, steps: shown, quotes, events,
             other_issues: Object.values(counts).sort((a, b) => b.count - a.count)
               .map((c) => Object.assign(issueInfo(c.id), { count: c.count, positions: [...c.positions].sort() })) };
  }
  function issueInfo(id) {
    const found = OPTIONS && OPTIONS.issues.find((i) => i.id === id);
    return found ? { id, name: found.name, statement: found.statement || "" } : { id, name: id, statement: "" };
  }
  async function showHistory(actorId, issueId) {
    const form = $("#history-form");
    if (actorId) form.elements.actor.value = actorId;
    if (issueId) form.elements.issue.value = issueId;
    const actor = form.elements.actor.value, issue = form.elements.issue.value;
    const rollup = form.elements.rollup.checked;
    if (!actor || !issue) { $("#history").replaceChildren(el("p", { class: "empty" }, "Pick a party and an issue.")); return; }
    const process = new URLSearchParams(QUERY).get("process") || "";
    const h = LIVE ? await getJSON("api/history?" + new URLSearchParams({ actor, issue, rollup: rollup ? "1" : "", process }).toString())
                   : historyHere(actor, issue, rollup);
    for (const e of h.events || []) BY_ID[e.id] = BY_ID[e.id] || Object.assign({ kind: "event" }, e);
    const pos = (p) => el("span", { class: "pos", style: `background:${POSITION_COLOURS[p] || "#9aa3b2"}` }, p);
    const who = h.actor.label + (h.rollup && h.actor.code ? ` (with everyone who speaks for ${h.actor.code})` : "");
    fill($("#history"),
      el("h3", { id: "history-title" }, `${h.actor.label} on ${h.issue.name}`),
      h.issue.statement ? el("p", { class: "small", id: "history-statement" }, `The proposition: ${h.issue.statement}. "support" is for it, "oppose" against it.`) : null,
      h.steps.length ? el("ol", { class: "steps", id: "history-steps" }, ...h.steps.map((x) => el("li", { class: x.changed ? "changed" : "" },
        el("b", {}, x.date || "undated"), x.date_basis === "report" ? el("span", { class: "badge" }, "report date") : null, " ",
        pos(x.position), x.changed ? el("span", { class: "badge" }, "changed") : null, " ", el("span", { class: "small" }, x.by + ": "),
        el("a", { href: docLink(x.doc, x.id) }, x.evidence), " ", el("span", { class: "small" }, "— " + (x.source || "")))))
        : el("p", { class: "empty", id: "history-none" }, `No position of ${who} on this issue in these reports.`),
      el("h4", {}, `What ${h.actor.label} said naming it (${h.quotes.length})`),
      h.quotes.length ? el("ul", { id: "history-quotes" }, ...h.quotes.map((q) => el("li", {}, el("b", {}, (q.date || "undated") + " "),
        el("span", { class: "small" }, q.speaker + ": "), el("a", { href: docLink(q.doc, q.id) }, q.direct ? `“${q.text}”` : q.text),
        " ", el("span", { class: "small" }, "— " + (q.source || ""))))) : el("p", { class: "small" }, "None."),
      el("h4", {}, `Events naming it in which ${h.actor.label} acts or is addressed (${h.events.length})`),
      h.events.length ? el("ul", { id: "history-events" }, ...h.events.map((e) => el("li", {}, el("b", {}, (e.date || "undated") + " "),
        chip(e), " ", el("span", { class: "small" }, who_(e) + ": "), el("a", { href: docLink(e.doc, e.id) }, e.sentence),
        " ", el("span", { class: "small" }, "— " + e.source)))) : el("p", { class: "small" }, "None."),
      h.other_issues.length ? el("div", { id: "history-other" }, el("h4", {}, `The issues ${h.actor.label} took positions on`),
        el("ul", {}, ...h.other_issues.map((o) => el("li", {}, el("a", { href: historyLink(h.actor.id, o.id) }, o.name),
          ` — ${plural(o.count, "position")}: ${o.positions.join(", ")}`)))) : null);
  }
  const who_ = (e) => who(e);
  async function setUpHistory() {
    const form = $("#history-form");
    const o = OPTIONS || { actors: [], issues: [] };
    form.elements.actor.replaceChildren(el("option", { value: "" }, "—"), ...o.actors.map((a) => el("option", { value: a.id }, a.label)));
    form.elements.issue.replaceChildren(el("option", { value: "" }, "—"), ...o.issues.map((i) => el("option", { value: i.id, title: i.statement }, i.name)));
    form.addEventListener("change", () => {
      const [a, i] = [form.elements.actor.value, form.elements.issue.value];
      if (a && i) history.replaceState(null, "", location.search + historyLink(a, i));
      showHistory();
    });
  }

  // -- corroborated and disputed ------------------------------------------------------------
  function incidents() {
    const inc = VIEW.incidents;
    const box = $("#incidents");
    if (!inc) { box.replaceChildren(); return; }
    const items = inc.items;
    const one = (i) => el("article", { class: "incident" + (i.disputed ? " disputed" : ""), "data-incident": i.id },
      el("p", {}, el("b", {}, `${i.type}`), ` · ${i.date || "undated"}` + (i.place ? ` · ${i.place}` : "") + " · ",
        [i.actors.join(", "), i.recipients.join(", ")].filter(Boolean).join(" → ") || "?", " ",
        i.disputed ? el("span", { class: "badge disputed-badge" }, "disputed") : null),
      el("p", { class: "small corroboration" }, `Reported by ${plural(i.outlets.length, "outlet")} (${plural(i.reports, "report")}): ${i.outlets.join(", ")}`),
      i.versions.length ? el("table", { class: "versions" }, el("thead", {}, el("tr", {}, el("th", {}, "What"), el("th", {}, "Version"), el("th", {}, "Says who"))),
        el("tbody", {}, ...i.versions.map((v) => el("tr", {}, el("td", {}, v.field), el("td", {}, v.value), el("td", {}, v.sources.join(", ")))))) : null,
      el("ul", {}, ...i.events.map((e) => el("li", {}, el("span", { class: "small" }, `${e.source} (${dateLabel(e)}): `),
        el("a", { href: docLink(e.doc, e.id) }, e.sentence)))));
    const disputed = items.filter((i) => i.disputed), agreed = items.filter((i) => !i.disputed);
    fill(box,
      el("p", { id: "incidents-summary" }, `${plural(inc.corroborated, "incident")} told by more than one report; ${inc.disputed} disputed between their sources.`),
      el("h3", {}, `Disputed (${disputed.length})`), disputed.length ? el("div", { id: "incidents-disputed" }, ...disputed.map(one)) : el("p", { class: "empty" }, "None."),
      el("h3", {}, `Corroborated, sources agree (${agreed.length})`), agreed.length ? el("div", { id: "incidents-agreed" }, ...agreed.map(one)) : el("p", { class: "empty" }, "None."));
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
      el("td", {}, e.source), el("td", {}, outletsOf(e)));
  }
  // "reported by N outlets" where the event's happening is told by several reports.
  function outletsOf(e) {
    const found = e.incident && VIEW.incidents && VIEW.incidents.items.find((i) => i.id === e.incident);
    if (!found) return "1";
    return el("span", { title: found.outlets.join(", ") }, `reported by ${found.outlets.length}` + (found.disputed ? " (disputed)" : ""));
  }
  let SORT = null;  // the events table's column and direction
  const SORT_KEYS = { date: (e) => e.date || "", type: (e) => e.type, who: (e) => who(e), source: (e) => e.source || "" };
  // The newest events first, a page at a time (the dashboard), or the report's own selection.
  function eventsTable() {
    const page = VIEW.events;
    const words = ($("#events-filter").value || "").trim().toLowerCase().split(/\s+/).filter(Boolean);
    let items = page.items.filter((e) => words.every((w) => [e.sentence, who(e), e.type, e.source, e.date]
      .join(" ").toLowerCase().includes(w)));
    if (SORT) {
      const [key, dir] = SORT;
      items = items.slice().sort((a, b) => dir * String(SORT_KEYS[key](a)).localeCompare(String(SORT_KEYS[key](b))));
    }
    $("#events-table tbody").replaceChildren(...items.map(eventRow));
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
    // Beyond a source or a process, the reports counted are those of the events shown.
    const narrowing = filters.some(([k]) => k !== "source" && k !== "process");
    $("#summary").replaceChildren(...[
      el("h2", {}, title),
      el("p", { class: "meta", id: "coverage" }, `What this record covers: ${plural(o.reports, "report")} from ` +
        `${plural(o.sources_total, "source")}, published ${range(o.published)}; events dated ${range(o.events_dates)}.` +
        (o.duplicates ? ` ${plural(o.duplicates, "near-duplicate report")} set aside.` : "")),
      filters.length ? el("p", { class: "meta", id: "active-filters" }, "Filtered by " + filters.map(([k, v]) => `${k}: ${filterLabel(k, v)}`).join(", ")) : null,
      el("div", { class: "stats" }, narrowing ? stat(o.reports_with_events || 0, "reports with these events") : stat(o.reports, "reports"),
        stat(o.sources_total, "sources"),
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
            (o.sources_total > o.sources.length ? `, and ${(o.sources_total - o.sources.length).toLocaleString("en")} more` : "") +
            (o.no_outlet ? `; ${plural(o.no_outlet, "report")} name${o.no_outlet === 1 ? "s" : ""} no outlet.` : ""))),
        el("div", {}, el("h3", {}, "Latest developments"),
          latest.length ? el("ol", { class: "latest" }, ...latest) : el("p", { class: "empty" }, "No dated events.")))]
      .filter(Boolean));
  }

  // A filter's value as the page names it elsewhere: an actor's or an issue's name, not its id.
  function filterLabel(key, value) {
    if (!OPTIONS) return value;
    const list = { actor: OPTIONS.actors, issue: OPTIONS.issues, type: OPTIONS.types, process: OPTIONS.processes }[key];
    const found = list && list.find((x) => x.id === value);
    return found ? (found.label || found.name) : value;
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
    fill(more, `${shown.toLocaleString("en")} of ${plural(page.total, "report")}, newest first. `,
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

  function segments(text, given, targetId) {
    const chars = Array.from(text);
    // A sentence's span may end with the line breaks after it: highlighted as they
    // are, they would spill into the next paragraph. The highlight keeps to the words.
    const blank = (i) => /\s/.test(chars[i] || "");
    const spans = given.map((s) => {
      let [a, b] = s.span;
      while (b > a && blank(b - 1)) b--;
      while (a < b && blank(a)) a++;
      return Object.assign({}, s, { span: [a, b] });
    });
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
    const o = OPTIONS;
    const fill = (name, items) => form.elements[name].append(...items.map((it) => el("option", { value: it.value }, it.label)));
    fill("process", (o.processes || []).map((p) => ({ value: p.id, label: `${p.label} (${p.count})` })));
    fill("actor", o.actors.map((a) => ({ value: a.id, label: `${a.label} (${a.count})` })));
    fill("type", o.types.map((t) => ({ value: t.id, label: t.label })));
    fill("issue", o.issues.map((i) => ({ value: i.id, label: i.name })));
    for (const opt of form.elements.issue.options) {
      const i = o.issues.find((x) => x.id === opt.value);
      if (i && i.statement) opt.title = i.statement;
    }
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
    box.scrollIntoView({ block: "start" });
  }

  // The records at hand: those the view carries in full (a small selection's events,
  // a page of events, the latest, quotes, the stance cells' latest evidence).
  function index(view) {
    BY_ID = {};
    const events = [].concat(view.timeline.events || [], view.timeline.undated || [], view.tracks.events || [],
                             view.tracks.undated_events || [], view.events.items, view.overview.latest_events || [],
                             (view.mediation && view.mediation.events) || [],
                             ...((view.incidents && view.incidents.items) || []).map((i) => i.events));
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
    const parts = [summary, timeline, counts, tracks, mediation, network, map, stances, quotes, incidents, eventsTable];
    const took = {};  // milliseconds each part took to draw (bench/views_questions.py reads them)
    for (const part of parts) {
      const started = performance.now();
      try { part(); } catch (err) { console.error(`peacetrack: ${part.name} failed`, err); }
      took[part.name] = Math.round(performance.now() - started);
    }
    document.body.dataset.drawMs = JSON.stringify(took);
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.ready = "1";
  }
  function route() {
    const parts = location.hash.replace(/^#/, "").split("/");
    if (parts[0] === "doc" && parts[1]) {
      showReport(decodeURIComponent(parts[1]), decodeURIComponent(parts[2] || ""));
    } else if (parts[0] === "history") {
      $("#reader").hidden = true;
      $("#dashboard").hidden = false;
      showHistory(decodeURIComponent(parts[1] || ""), decodeURIComponent(parts[2] || ""))
        .then(() => $("#history-card").scrollIntoView({ block: "start" }));
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
    if (!LIVE) {
      EMBEDDED = await unpack("pt-data");
      const geo = await unpack("pt-geo");
      if (geo) window.PlotlyGeoAssets = { topojson: geo };
    }
    const first = load(LIVE ? new URLSearchParams(location.search).toString() : "");
    OPTIONS = LIVE ? await source.options() : EMBEDDED.options;  // fetched while the first view is
    if (LIVE) await setUpFilters();
    await setUpHistory();
    await first;
    for (const b of document.querySelectorAll("#events-table th button")) {
      b.addEventListener("click", () => {
        SORT = SORT && SORT[0] === b.dataset.sort ? [SORT[0], -SORT[1]] : [b.dataset.sort, b.dataset.sort === "date" ? -1 : 1];
        eventsTable();
      });
    }
    $("#events-filter").addEventListener("input", () => eventsTable());
    $("#network-rollup").addEventListener("change", () => network());
    for (const radio of document.querySelectorAll("input[name=counts-by]")) radio.addEventListener("change", () => counts());
    await reportList();
    window.addEventListener("hashchange", route);
    route();
  }
  main().catch((err) => { console.error(err); notice("Could not draw the views: " + err.message); });
})();

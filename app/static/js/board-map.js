// The who-asked-whom map (DESIGN "Board"): organisations in a ring, requests between
// them as arrows. Each answer gets its own arrow, coloured AND labelled ("2 yes"), so
// colour is never the only signal; a visually-hidden table says the same in words. A held
// answer counts as "answered" (one neutral colour) and never says which answer it is.

import { h, fill, orgHue } from "./dom.js";

const SVG_NS = "http://www.w3.org/2000/svg";
export const STATUSES = ["open", "answered", "yes", "try", "no", "unclear"];
const STATUS_WORD = { open: "waiting", answered: "answered", yes: "yes", try: "try", no: "no",
                      unclear: "unclear" };
// Map text is sized in "1080p pixels"; the viewBox follows the box, so it scales with the board.
const LABEL_CHARS = 15;

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The server's own rule (SPEC §2): trimmed, spaces collapsed, case-folded. */
const orgKey = (name) => name.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Requests between organisations, from the cards on the board.
 * Returns {orgs: [{key, name, involved}], flows: [{from, to, status, count}]}.
 */
export function requestFlows(store) {
  const orgs = new Map();
  const see = (name) => {
    if (!name || !name.trim()) return null;
    const key = orgKey(name);
    if (!orgs.has(key)) orgs.set(key, { key, name: name.trim(), involved: 0 });
    return key;
  };
  for (const person of store.participants.values()) see(person.organisation);
  const flows = new Map();
  for (const card of store.visibleCards()) {
    if (card.kind !== "request") continue;
    const to = card.to || {};
    const from = see(card.author && card.author.organisation);
    const target = see(to.organisation || (to.participant && to.participant.organisation));
    if (!from || !target) continue;
    const status = STATUSES.includes(card.status) ? card.status : "open";
    const id = `${from}\n${target}\n${status}`;
    if (!flows.has(id)) flows.set(id, { from, to: target, status, count: 0 });
    flows.get(id).count += 1;
    orgs.get(from).involved += 1;
    if (target !== from) orgs.get(target).involved += 1;
  }
  const order = (flow) => STATUSES.indexOf(flow.status);
  return { orgs: [...orgs.values()], flows: [...flows.values()].sort((a, b) => order(a) - order(b)) };
}

/** Up to two short lines for a node's label; the full name is in its <title>. */
function labelLines(name) {
  const words = name.split(/\s+/);
  const lines = [""];
  for (const word of words) {
    const line = lines[lines.length - 1];
    if (!line) lines[lines.length - 1] = word;
    else if ((line + " " + word).length <= LABEL_CHARS) lines[lines.length - 1] = `${line} ${word}`;
    else lines.push(word);
  }
  const shown = lines.slice(0, 2).map((l) => (l.length > LABEL_CHARS ? `${l.slice(0, LABEL_CHARS - 1)}…` : l));
  if (lines.length > 2 && !shown[1].endsWith("…")) shown[1] = `${shown[1].slice(0, LABEL_CHARS - 1)}…`;
  return shown;
}

function place(orgs, width, height) {
  const cx = width / 2;
  const cy = height / 2;
  const rx = Math.max(40, width / 2 - 100);
  const ry = Math.max(40, height / 2 - 78);
  if (orgs.length === 1) return new Map([[orgs[0].key, { x: cx, y: cy, angle: Math.PI / 2 }]]);
  // Two organisations face each other across the middle; more go round from the top.
  const start = orgs.length === 2 ? Math.PI : -Math.PI / 2;
  return new Map(orgs.map((org, i) => {
    const angle = start + (2 * Math.PI * i) / orgs.length;
    return [org.key, { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle), angle }];
  }));
}

const nodeRadius = (org) => 15 + Math.min(13, 3 * org.involved);

function unit(dx, dy) {
  const length = Math.hypot(dx, dy) || 1;
  return [dx / length, dy / length];
}

const labelWords = (flow) =>
  flow.status === "open" ? String(flow.count) : `${flow.count} ${STATUS_WORD[flow.status]}`;

/** A count pill: its box (for collision checks) and its drawing. */
function edgeLabel(x, y, flow) {
  const words = labelWords(flow);
  const width = 14 + words.length * 10.5;
  const group = svg("g", { class: `map-label status-${flow.status}` });
  group.append(svg("rect", { x: x - width / 2, y: y - 14, width, height: 28, rx: 14 }),
               svg("text", { x, y: y + 6, "text-anchor": "middle" }, words));
  return group;
}

const labelBox = (x, y, flow) => {
  const width = 14 + labelWords(flow).length * 10.5;
  return { x0: x - width / 2 - 3, x1: x + width / 2 + 3, y0: y - 17, y1: y + 17 };
};
/** How much two boxes overlap (their common area; 0 when apart). */
const overlap = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0))
  * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

/** One arrow: its path and a function giving the point at t (0..1) along it. */
function edge(a, b, ra, rb, flow, bend) {
  const group = svg("g", { class: `map-edge status-${flow.status}`,
                           "data-from": flow.from, "data-to": flow.to, "data-count": flow.count });
  const width = Math.min(10, 3 + 2 * (flow.count - 1));
  let d;
  let along;
  if (a === b) {
    // A request inside one organisation: a loop on the outside of the ring.
    const reach = 60 + bend * 30;
    const spread = 0.5;
    const around = (r, turn) => [a.x + r * Math.cos(a.angle + turn), a.y + r * Math.sin(a.angle + turn)];
    const [p0, c1, c2, p3] = [around(ra, -spread), around(reach, -0.9), around(reach, 0.9),
                              around(ra + 6, spread)];
    d = `M${p0} C${c1} ${c2} ${p3}`;
    along = (t) => [0, 1].map((i) => (1 - t) ** 3 * p0[i] + 3 * (1 - t) ** 2 * t * c1[i]
                                      + 3 * (1 - t) * t ** 2 * c2[i] + t ** 3 * p3[i]);
  } else {
    // Bend to the right of travel, so A→B and B→A never sit on top of each other.
    const [dx, dy] = [b.x - a.x, b.y - a.y];
    const distance = Math.hypot(dx, dy);
    const [nx, ny] = [-dy / distance, dx / distance];
    const offset = distance * (0.1 + 0.12 * bend);
    const c = [(a.x + b.x) / 2 + nx * offset, (a.y + b.y) / 2 + ny * offset];
    const [sx, sy] = unit(c[0] - a.x, c[1] - a.y);
    const [ex, ey] = unit(c[0] - b.x, c[1] - b.y);
    const s = [a.x + sx * (ra + 2), a.y + sy * (ra + 2)];
    const e = [b.x + ex * (rb + 4), b.y + ey * (rb + 4)];
    d = `M${s} Q${c} ${e}`;
    along = (t) => [0, 1].map((i) => (1 - t) ** 2 * s[i] + 2 * (1 - t) * t * c[i] + t ** 2 * e[i]);
  }
  group.append(svg("path", { class: "map-arrow", d, "stroke-width": width,
                             "marker-end": `url(#map-head-${flow.status})` }));
  return { group, along };
}

function markers() {
  const defs = svg("defs");
  for (const status of STATUSES) {
    const marker = svg("marker", { id: `map-head-${status}`, viewBox: "0 0 10 10", refX: 7, refY: 5,
                                   markerWidth: 3.2, markerHeight: 3.2, orient: "auto-start-reverse",
                                   class: `map-head status-${status}` });
    marker.append(svg("path", { d: "M0 0L10 5L0 10z" }));
    defs.append(marker);
  }
  return defs;
}

function node(org, at) {
  const r = nodeRadius(org);
  const group = svg("g", { class: "map-node", "data-org": org.key });
  group.style.setProperty("--org-hue", String(orgHue(org.name)));
  group.append(svg("title", {}, org.name), svg("circle", { cx: at.x, cy: at.y, r }));
  const lines = labelLines(org.name);
  const below = Math.sin(at.angle) > -0.7;
  const lineHeight = 22;
  const firstY = below ? at.y + r + 24 : at.y - r - 12 - lineHeight * (lines.length - 1);
  const text = svg("text", { x: at.x, y: firstY, "text-anchor": "middle", class: "map-name" });
  lines.forEach((line, i) => text.append(svg("tspan", { x: at.x, y: firstY + i * lineHeight }, line)));
  group.append(text);
  const wide = Math.max(...lines.map((l) => l.length)) * 10.5;
  const boxes = [
    { x0: at.x - r, x1: at.x + r, y0: at.y - r, y1: at.y + r },
    { x0: at.x - wide / 2, x1: at.x + wide / 2, y0: firstY - 18,
      y1: firstY + lineHeight * (lines.length - 1) + 5 },
  ];
  return { group, boxes };
}

/** The same facts as the picture, for screen readers. */
function table(orgs, flows) {
  const name = new Map(orgs.map((o) => [o.key, o.name]));
  const pairs = new Map();
  for (const flow of flows) {
    const id = `${flow.from}\n${flow.to}`;
    if (!pairs.has(id)) pairs.set(id, { from: name.get(flow.from), to: name.get(flow.to), total: 0, parts: [] });
    const pair = pairs.get(id);
    pair.total += flow.count;
    pair.parts.push(`${flow.count} ${STATUS_WORD[flow.status]}`);
  }
  if (!pairs.size) return h("p", { class: "visually-hidden", text: "No requests between organisations yet." });
  // Wrapped: a table will not shrink to the 1 px a visually-hidden box needs.
  return h("div", { class: "visually-hidden" }, h("table", { class: "map-table" },
    h("caption", { text: "Requests between organisations" }),
    h("thead", {}, h("tr", {},
      ["From", "To", "Requests", "Answers"].map((t) => h("th", { text: t, attrs: { scope: "col" } })))),
    h("tbody", {}, [...pairs.values()].map((p) => h("tr", {},
      h("td", { text: p.from }), h("td", { text: p.to }), h("td", { text: String(p.total) }),
      h("td", { text: p.parts.join(", ") }))))));
}

/**
 * Draw the map into `container`, sized to it. `scale` is the board's pixels per
 * 1080p pixel, so the text on the map keeps its size relative to the rest.
 */
export function drawMap(container, store, scale = 1) {
  const { orgs, flows } = requestFlows(store);
  let note = null;
  if (!orgs.length) note = "Organisations appear here as people join.";
  else if (!flows.length) note = "No requests yet: arrows appear as people ask each other.";
  // The note takes its line first; the picture gets the rest of the box.
  fill(container, note ? h("p", { class: "map-note", text: note }) : null);
  const width = Math.max(120, container.clientWidth / scale);
  const height = Math.max(120, (container.clientHeight - (container.firstChild?.offsetHeight || 0)) / scale);
  const at = place(orgs, width, height);
  const radius = new Map(orgs.map((o) => [o.key, nodeRadius(o)]));

  const picture = svg("svg", { viewBox: `0 0 ${Math.round(width)} ${Math.round(height)}`,
                               class: "map-svg", role: "img", focusable: "false",
                               "aria-label": flows.length
                                 ? `Map of requests between ${orgs.length} organisations; the table that follows lists them.`
                                 : "Map of organisations; no requests between them yet." });
  picture.append(markers());
  const edges = svg("g", { class: "map-edges" });
  const labels = svg("g", { class: "map-labels" });
  // Nodes and their names first: the count pills then find room around them.
  const nodes = svg("g", { class: "map-nodes" });
  const taken = [];
  for (const org of orgs) {
    const drawn = node(org, at.get(org.key));
    nodes.append(drawn.group);
    taken.push(...drawn.boxes);
  }
  // Arrows of one pair (one per answer) fan out side by side.
  const bends = new Map();
  for (const flow of flows) {
    const id = `${flow.from}\n${flow.to}`;
    const bend = bends.get(id) || 0;
    bends.set(id, bend + 1);
    const drawn = edge(at.get(flow.from), at.get(flow.to), radius.get(flow.from),
                       radius.get(flow.to), flow, bend);
    edges.append(drawn.group);
    // The pill sits on its own arrow, at the first spot clear of names and other pills.
    const spots = [];
    for (const shift of [0, 22, -22, 44, -44]) {
      for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]) {
        // Off the arrow only when nothing on it is free: a short step across it.
        const [x0, y0] = drawn.along(t - 0.02);
        const [x1, y1] = drawn.along(t + 0.02);
        const [nx, ny] = unit(y0 - y1, x1 - x0);
        const [px, py] = drawn.along(t);
        spots.push([px + nx * shift, py + ny * shift]);
      }
    }
    // Crowded everywhere: the spot that covers least of what is already there.
    const crowding = ([sx, sy]) => taken.reduce((sum, b) => sum + overlap(b, labelBox(sx, sy, flow)), 0);
    const [x, y] = spots.find((spot) => crowding(spot) === 0)
      || spots.reduce((best, spot) => (crowding(spot) < crowding(best) ? spot : best));
    taken.push(labelBox(x, y, flow));
    labels.append(edgeLabel(x, y, flow));
  }
  picture.append(edges, nodes, labels);
  container.append(picture, table(orgs, flows));
}

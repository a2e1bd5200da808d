// The who-asked-whom map (DESIGN "Board"): organisations in a ring, requests between
// them as arrows. Each answer gets its own arrow, coloured AND labelled ("2 yes"), so
// colour is never the only signal; a visually-hidden table says the same in words. A held
// answer counts as "answered" (one neutral colour) and never says which answer it is.

import { h, fill, orgColour, organisationKey as orgKey } from "./dom.js";
import { layout, measureNames, nameText, nodeRadius, svg, unit } from "./board-map-layout.js";

export const STATUSES = ["open", "answered", "yes", "try", "no", "unclear"];
const STATUS_WORD = { open: "waiting", answered: "answered", yes: "yes", try: "try", no: "no",
                      unclear: "unclear" };
// Map text is sized in "1080p pixels"; the viewBox follows the box, so it scales with the board.

/** A count pill's size follows its text's, as the page's CSS sets it (the board's 30 px
 * read from the back of a hall; the printed report's smaller). */
function pillSize(picture) {
  const probe = svg("g", { class: "map-label" });
  const text = svg("text", {}, "1");
  probe.append(text);
  picture.append(probe);
  const size = parseFloat(getComputedStyle(text).fontSize) || 17;
  probe.remove();
  // Never smaller than the pills for 17 px text (28 px tall, 10.5 px a character).
  return { text: size, half: Math.max(14, size * 0.8),
           width: (words) => Math.max(14 + 10.5 * words.length,
                                      size * (0.8 + 0.62 * words.length)) };
}

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

const labelWords = (flow) =>
  flow.status === "open" ? String(flow.count) : `${flow.count} ${STATUS_WORD[flow.status]}`;

/** A count pill: its box (for collision checks) and its drawing. */
function edgeLabel(x, y, flow, pill) {
  const words = labelWords(flow);
  const width = pill.width(words);
  const group = svg("g", { class: `map-label status-${flow.status}` });
  group.append(svg("rect", { x: x - width / 2, y: y - pill.half, width, height: 2 * pill.half,
                             rx: pill.half }),
               svg("text", { x, y: y + pill.text * 0.36, "text-anchor": "middle" }, words));
  return group;
}

const labelBox = (x, y, flow, pill) => {
  const width = pill.width(labelWords(flow));
  return { x0: x - width / 2 - 3, x1: x + width / 2 + 3, y0: y - pill.half - 3,
           y1: y + pill.half + 3 };
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

function node(org, at, r, name) {
  const group = svg("g", { class: "map-node", "data-org": org.key });
  group.style.setProperty("--org-colour", orgColour(org.name));
  group.append(svg("title", {}, org.name), svg("circle", { cx: at.x, cy: at.y, r }));
  const text = svg("text", { x: name.x, y: name.baseline, "text-anchor": name.anchor, class: "map-name" });
  if (name.shrunk) text.style.fontSize = `${name.size}px`;  // the page's own size, scaled
  name.lines.forEach((line, i) =>
    text.append(svg("tspan", { x: name.x, y: name.baseline + i * name.lineHeight }, line)));
  group.append(text);
  return { group, boxes: [{ x0: at.x - r, x1: at.x + r, y0: at.y - r, y1: at.y + r }, name.box] };
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

  const picture = svg("svg", { viewBox: `0 0 ${Math.round(width)} ${Math.round(height)}`,
                               class: "map-svg", role: "img", focusable: "false",
                               "aria-label": flows.length
                                 ? `Map of requests between ${orgs.length} organisations; the table that follows lists them.`
                                 : "Map of organisations; no requests between them yet." });
  picture.append(markers());
  container.append(picture);  // in the page, so its names can be measured
  const names = measureNames(picture, orgs);
  const pill = pillSize(picture);
  const placed = orgs.length ? layout(orgs, names, width, height) : { scale: 1, points: [], boxes: [] };
  const at = new Map(orgs.map((org, i) => [org.key, placed.points[i]]));
  const radius = new Map(orgs.map((org) => [org.key, nodeRadius(org, placed.scale)]));
  const edges = svg("g", { class: "map-edges" });
  const labels = svg("g", { class: "map-labels" });
  // Nodes and their names first: the count pills then find room around them.
  const nodes = svg("g", { class: "map-nodes" });
  const fixed = [];
  orgs.forEach((org, i) => {
    const drawn = node(org, at.get(org.key), radius.get(org.key),
                       nameText(names.get(org.key), placed.boxes[i], at.get(org.key), placed.scale));
    nodes.append(drawn.group);
    fixed.push(...drawn.boxes);
  });
  const pills = [];
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
    for (const shift of [0, 1, -1, 2, -2, 3, -3].map((n) => n * pill.half * 1.6)) {
      for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85]) {
        // Off the arrow only when nothing on it is free: a short step across it.
        const [x0, y0] = drawn.along(t - 0.02);
        const [x1, y1] = drawn.along(t + 0.02);
        const [nx, ny] = unit(y0 - y1, x1 - x0);
        const [px, py] = drawn.along(t);
        spots.push([px + nx * shift, py + ny * shift]);
      }
    }
    // Crowded everywhere: the spot that covers least of the other pills, and never a name
    // or a node while any spot can miss them all.
    const crowding = (boxes) => ([sx, sy]) =>
      boxes.reduce((sum, b) => sum + overlap(b, labelBox(sx, sy, flow, pill)), 0);
    const [onNames, onPills] = [crowding(fixed), crowding(pills)];
    const clear = spots.filter((spot) => onNames(spot) === 0);
    const [x, y] = clear.find((spot) => onPills(spot) === 0)
      || (clear.length ? clear : spots).reduce((best, spot) =>
        (onNames(spot) + onPills(spot) < onNames(best) + onPills(best) ? spot : best));
    pills.push(labelBox(x, y, flow, pill));
    labels.append(edgeLabel(x, y, flow, pill));
  }
  picture.append(edges, nodes, labels);
  container.append(table(orgs, flows));
}

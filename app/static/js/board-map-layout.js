// Where the map's organisations and their names go: round a ring (an ellipse at equal
// distances along it), each name on the side of its node that faces out, none meeting
// another or leaving the map; the biggest text first, then the widest ring that fits.
// Sizes are in "1080p pixels"; board-map.js scales them with the board.

const SVG_NS = "http://www.w3.org/2000/svg";
const LABEL_CHARS = 15;  // the longest line of a name, a long word cut with "…"
const JOIN_CHARS = 10;   // short words share a line up to this: narrower names fit the ring

export function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Up to two short lines for a node's label; the full name is in its <title>. */
function labelLines(name) {
  const words = name.split(/\s+/);
  const lines = [""];
  for (const word of words) {
    const line = lines[lines.length - 1];
    if (!line) lines[lines.length - 1] = word;
    else if ((line + " " + word).length <= JOIN_CHARS) lines[lines.length - 1] = `${line} ${word}`;
    else lines.push(word);
  }
  const shown = lines.slice(0, 2).map((l) => (l.length > LABEL_CHARS ? `${l.slice(0, LABEL_CHARS - 1)}…` : l));
  if (lines.length > 2 && !shown[1].endsWith("…")) shown[1] = `${shown[1].slice(0, LABEL_CHARS - 1)}…`;
  return shown;
}

/**
 * Points on an ellipse at equal distances along it (equal angles would crowd the flat ends
 * of a tall ring), from the top clockwise. Each carries the outward direction of the ring.
 */
function ring(count, cx, cy, rx, ry) {
  const steps = 720;
  const point = (t) => [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
  // Two organisations face each other across the middle; more go round from the top.
  const start = count === 2 ? Math.PI : -Math.PI / 2;
  const lengths = [0];
  for (let i = 1; i <= steps; i += 1) {
    const [x0, y0] = point(start + (2 * Math.PI * (i - 1)) / steps);
    const [x1, y1] = point(start + (2 * Math.PI * i) / steps);
    lengths.push(lengths[i - 1] + Math.hypot(x1 - x0, y1 - y0));
  }
  const points = [];
  let i = 0;
  for (let k = 0; k < count; k += 1) {
    while (lengths[i] < (lengths[steps] * k) / count) i += 1;
    const t = start + (2 * Math.PI * i) / steps;
    const [x, y] = point(t);
    points.push({ x, y, angle: Math.atan2(Math.sin(t) / ry, Math.cos(t) / rx) });
  }
  return points;
}

/** A node's size says how involved it is; a crowded map shrinks nodes and names together. */
export const nodeRadius = (org, scale = 1) => (15 + Math.min(13, 3 * org.involved)) * scale;
const meets = (a, b, gap = 0) =>
  a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;

/**
 * Each name's lines and their size in the page's own type, measured there (a map drawn
 * while hidden measures nothing, so it estimates). Text is set only as text.
 */
export function measureNames(picture, orgs) {
  const probe = svg("text", { class: "map-name", x: 0, y: 0 });
  picture.append(probe);
  probe.textContent = "Hg";
  const glyphs = probe.getBBox();
  const size = parseFloat(getComputedStyle(probe).fontSize) || 19;
  const ascent = glyphs.height ? -glyphs.y : size * 0.95;
  const descent = glyphs.height ? glyphs.height + glyphs.y : size * 0.25;
  const names = new Map(orgs.map((org) => {
    const lines = labelLines(org.name);
    const wide = Math.max(...lines.map((line) => {
      probe.textContent = line;
      return probe.getComputedTextLength() || line.length * size * 0.6;
    }));
    const lineHeight = size * 1.16;
    return [org.key, { lines, wide, size, lineHeight, ascent,
                       tall: ascent + (lines.length - 1) * lineHeight + descent }];
  }));
  probe.remove();
  return names;
}

/** Where a name may go around its node, the most outward first, each inside the map. */
function nameSpots(at, r, name, scale, width, height) {
  const [w, t, gap, pad] = [name.wide * scale, name.tall * scale, 6, 3];
  const [ux, uy] = [Math.cos(at.angle), Math.sin(at.angle)];
  const spots = [];
  const add = (x0, y0) => {
    x0 = Math.min(Math.max(x0, pad), width - pad - w);  // slid along, never off the side
    if (y0 < pad || y0 + t > height - pad) return;
    spots.push({ x0, x1: x0 + w, y0, y1: y0 + t });
  };
  for (const y0 of [at.y - r - gap - t, at.y + r + gap]) {  // above, below: centred or to a side
    for (const x0 of [at.x - w / 2, at.x - r, at.x + r - w]) add(x0, y0);
  }
  for (const x0 of [at.x + r + gap, at.x - r - gap - w]) {  // beside, level or drifting out
    for (const drift of [0, uy / 2, -uy / 2]) add(x0, at.y - t / 2 + drift * t);
  }
  const outward = (b) => {
    const [dx, dy] = unit((b.x0 + b.x1) / 2 - at.x, (b.y0 + b.y1) / 2 - at.y);
    return dx * ux + dy * uy;
  };
  // Never into the ring, where the arrows and their counts go.
  return spots.filter((b) => outward(b) > -0.3).sort((a, b) => outward(b) - outward(a));
}

/** One spot per name, clear of every node and every other name; null when none is. */
function fitNames(spots, budget = 4000) {
  const chosen = [];
  let steps = 0;
  const go = (i) => {
    if (i === spots.length) return true;
    for (const box of spots[i]) {
      steps += 1;
      if (steps > budget) return false;
      if (chosen.some((other) => meets(box, other, 4))) continue;
      chosen.push(box);
      if (go(i + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  return go(0) ? chosen : null;
}

/**
 * The ring and every name on it, so that no two names meet and all lie inside the map:
 * the biggest text first, then the widest ring that leaves the names room.
 */
export function layout(orgs, names, width, height) {
  const widest = Math.max(...[...names.values()].map((n) => n.wide));
  const tallest = Math.max(...[...names.values()].map((n) => n.tall));
  const [cx, cy] = [width / 2, height / 2];
  let fallback = null;
  for (const scale of [1, 0.92, 0.84, 0.76, 0.68, 0.6]) {
    const radii = orgs.map((org) => nodeRadius(org, scale));
    const biggest = Math.max(...radii);
    const ry = Math.max(30, height / 2 - biggest - 10 - tallest * scale);
    for (const room of [0, 0.25, 0.5, 0.75, 1.05]) {
      const rx = width / 2 - biggest - 10 - room * widest * scale;
      if (rx < Math.min(width * 0.2, 100) && fallback) continue;  // a thread, not a ring
      const points = orgs.length === 1 ? [{ x: cx, y: cy, angle: Math.PI / 2 }]
        : ring(orgs.length, cx, cy, Math.max(30, rx), ry);
      const circles = points.map((p, i) => {
        const r = radii[i] + 3;
        return { x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r };
      });
      const spots = points.map((p, i) => nameSpots(p, radii[i], names.get(orgs[i].key),
                                                   scale, width, height)
        .filter((box) => !circles.some((c) => meets(box, c))));
      fallback = fallback || { scale, points, boxes: spots.map((s, i) => s[0] || circles[i]) };
      const boxes = fitNames(spots);
      if (boxes) return { scale, points, boxes };
    }
  }
  return fallback;  // more names than room: drawn anyway, the table still lists them all
}

/** Where a name's text goes in its box: anchored on the side that faces its node. */
export function nameText(name, box, at, scale) {
  const middle = (box.x0 + box.x1) / 2;
  const beside = box.x0 >= at.x || box.x1 <= at.x;
  const anchor = !beside ? "middle" : box.x0 >= at.x ? "start" : "end";
  const x = anchor === "middle" ? middle : anchor === "start" ? box.x0 : box.x1;
  return { lines: name.lines, anchor, x, box, size: name.size * scale, shrunk: scale < 1,
           baseline: box.y0 + name.ascent * scale,
           lineHeight: name.lineHeight * scale };
}

export function unit(dx, dy) {
  const length = Math.hypot(dx, dy) || 1;
  return [dx / length, dy / length];
}

// Fitting an item the wall's columns are too short for (board-wall.js says when and why):
// its offers flow on into the empty columns beside it under a "More offers to Priya's ask"
// line, its oldest offers fold into "+2 earlier offers", a card on its own spreads across
// empty columns or shows fewer lines. `L` is the Layout (board-layout.js) being laid:
// its geometry (height, gap, offerGap, colW), place(el, column, top), tail(...), lowest(...)
// and `lost`, which each of these adds to for what it had to fold away or shorten.

import { h } from "./dom.js";

/** How hard the wall had to work to show its newest cards whole, least first. */
export const STRAIN = {
  none: 0,
  flowed: 1,    // an ask's offers went on into the next column
  squeezed: 2,  // offers folded away, or a card's text shortened (or, at worst, cut)
};

const earlier = (n) => `+${n} earlier ${n === 1 ? "offer" : "offers"}`;
const other = (n) => `+${n} other ${n === 1 ? "offer" : "offers"}`;

/** Where one item's blocks go when its offers flow over several columns, or null. */
function planFlow(mainH, moreH, offers, columns, height, gap, contH) {
  const spots = [];        // [column, top] of each offer shown
  const continued = [];    // [column] of each "More offers" line
  const ends = new Map([[columns[0], mainH]]);
  let k = 0;
  let y = mainH;
  if (moreH) y += gap + moreH;
  if (y > height) return null;
  for (const offer of offers) {
    if (y + gap + offer.h > height) {
      ends.set(columns[k], y);
      k += 1;
      if (k >= columns.length) return null;
      continued.push(columns[k]);
      y = contH;
      if (y + gap + offer.h > height) return null;
    }
    spots.push([columns[k], y + gap]);
    y += gap + offer.h;
  }
  ends.set(columns[k], y);
  return { spots, continued, ends };
}

/** The n-th "More offers to Priya's ask" line of a group, made when first needed. It
 * says "Offers to …" when none of the offers could stay under the ask itself. Hidden
 * from assistive technology: there, the offers simply follow their ask. */
function contLine(group, n, first = false) {
  while (group.conts.length <= n) {
    const line = h("li", { class: "offers-cont wall-block", attrs: { "aria-hidden": "true" } });
    group.list.append(line);
    group.conts.push(line);
  }
  const line = group.conts[n];
  const name = group.author && group.author.name;
  line.textContent = `${first ? "Offers" : "More offers"} to ${name ? `${name}’s` : "the"} ask`;
  line.hidden = false;
  return line;
}

/** The newest item of a column is too tall for it: flow its offers on into the empty
 * columns, fold its oldest offers away, or shorten its text; returns the strain. */
export function fit(L, group, column, y) {
  const count = y.length;
  if (!group.lis.length) {
    // A card on its own: across two or more empty columns it is shorter and nothing of
    // it is lost; failing that, fewer lines of it, as wide as the empty columns allow.
    if (widen(L, group, column, y, 2)) return STRAIN.flowed;
    group.main.classList.add("is-squeezed");
    L.lost += 1;
    if (widen(L, group, column, y, 1)) return STRAIN.squeezed;
  }
  const empty = [column];
  for (let step = 1; step < count; step += 1) {
    const other = (column + step) % count;  // to the right first: read on, left to right
    if (y[other] === null) empty.push(other);
  }
  const offers = group.lis.map((el, i) => ({ el, h: el.offsetHeight, kept: group.kept[i] }));
  const foldable = offers.slice(0, -1).filter((offer) => !offer.kept);  // never the newest
  const contH = offers.length ? contLine(group, 0).offsetHeight : 0;
  if (offers.length) group.conts[0].hidden = true;
  let mainH = group.main.offsetHeight;
  let squeezed = false;
  for (;;) {
    for (let fold = 0; fold <= foldable.length; fold += 1) {
      // The oldest offers fold first; an accepted one is a commitment and always shows.
      const folded = new Set(foldable.slice(0, fold));
      const shownOffers = offers.filter((offer) => !folded.has(offer));
      let moreH = 0;
      if (fold) {
        group.more.hidden = false;
        group.more.textContent = earlier(fold);
        moreH = group.more.offsetHeight;
      }
      const plan = planFlow(mainH, moreH, shownOffers, empty, L.height,
                            L.offerGap, contH);
      if (!plan) continue;
      L.place(group.main, column, 0);
      if (fold) L.place(group.more, column, mainH + L.offerGap);
      folded.forEach((offer) => { offer.el.hidden = true; });
      plan.spots.forEach(([col, top], i) => L.place(shownOffers[i].el, col, top));
      const noneUnder = !fold && plan.spots.length > 0 && plan.spots[0][0] !== column;
      plan.continued.forEach((col, i) => {
        L.place(contLine(group, i, noneUnder && i === 0), col, 0);
      });
      for (const [col, end] of plan.ends) y[col] = end;
      L.lost += fold + (squeezed ? 1 : 0);
      if (fold || squeezed) return STRAIN.squeezed;
      return plan.continued.length ? STRAIN.flowed : STRAIN.none;
    }
    group.more.hidden = true;
    if (squeezed) break;
    // Taller than the whole wall on its own: fewer lines of text and note.
    group.main.classList.add("is-squeezed");
    mainH = group.main.offsetHeight;
    squeezed = true;
  }
  // Nothing more to give: show what fits, fading, rather than nothing.
  L.tail(group, column, 0);
  y[column] = L.height;
  L.lost += 1 + offers.length + Math.max(0, mainH - L.height) / L.height;
  return STRAIN.squeezed;
}

/** Short of room for the commitments: an item with an accepted offer folds its other
 * offers into one line, oldest first, till it fits whole in a column. Returns [column,
 * height] with the folded offers hidden, or null (and nothing folded). */
export function foldOthers(L, group, y) {
  const others = group.lis.filter((_, i) => !group.kept[i]);
  for (let fold = 1; fold <= others.length; fold += 1) {
    const folded = new Set(others.slice(0, fold));
    const shownLis = group.lis.filter((li) => !folded.has(li));
    // "+1 earlier offer" only when every one folded is older than those shown.
    const older = group.lis.indexOf(others[fold - 1]) < group.lis.indexOf(shownLis[0]);
    group.more.hidden = false;
    group.more.textContent = older ? earlier(fold) : other(fold);
    let tall = group.main.offsetHeight + L.offerGap + group.more.offsetHeight;
    for (const li of shownLis) tall += L.offerGap + li.offsetHeight;
    const column = L.lowest(y, tall);
    if (column >= 0) {
      folded.forEach((li) => { li.hidden = true; });
      L.lost += fold;
      return [column, tall];
    }
  }
  group.more.hidden = true;
  return null;
}

/** Whether an older ask with an accepted offer can flow whole over the empty columns: the
 * ask fits one, and each offer that may not fold (accepted) fits one under a "More offers"
 * line. Otherwise it waits with the rest, and smaller cards take the room whole. */
export function mayFlow(L, group, y) {
  if (!group.lis.length) return false;
  const empty = y.filter((end) => end === null).length;
  const kept = group.lis.filter((_, i) => group.kept[i]);
  const line = contLine(group, 0).offsetHeight;
  group.conts[0].hidden = true;
  return group.main.offsetHeight <= L.height && empty > kept.length
    && kept.every((li) => line + L.offerGap + li.offsetHeight <= L.height);
}

/** Try a card across `least` or more empty columns, beside and including this one,
 * widest last but one column last; returns whether it now fits, placed. */
export function widen(L, group, column, y, least) {
  const count = y.length;
  const spans = [];
  for (let span = Math.max(2, least); span <= count; span += 1) spans.push(span);
  if (least === 1) spans.push(1);
  for (const span of spans) {
    // The run of empty columns from this one rightwards, else shifted leftwards.
    const lowest = Math.max(0, column - span + 1);
    for (let first = Math.min(column, count - span); first >= lowest; first -= 1) {
      const run = Array.from({ length: span }, (_, i) => first + i);
      if (run.some((c) => y[c] !== null)) continue;
      group.main.style.setProperty("width", `${span * L.colW + (span - 1) * L.gap}px`);
      const height = group.main.offsetHeight;
      if (height > L.height) break;  // no better with the same span elsewhere
      L.place(group.main, first, 0);
      for (const c of run) y[c] = height;
      return true;
    }
  }
  group.main.style.removeProperty("width");
  return false;
}

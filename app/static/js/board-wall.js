// The board's card wall: newest first in masonry columns. Offers that answer an ask (or a
// request) are drawn under it, not on their own. Nothing scrolls, and only OLD cards fade
// off (DESIGN "Board"): the newest card of every column is always whole.
//
// The wall is laid out by hand, because CSS cannot promise that: each card (and each offer
// under an ask) is placed absolutely, in the column and at the height this module works
// out from the cards' measured heights. The DOM keeps the meeting's order — an ask and its
// offers stay one group, newest group first — whatever columns they land in.
//
// When a column is too short for the newest item in it:
//   - an ask's offers flow on into the empty columns beside it, under a "More offers to
//     Priya's ask" line;
//   - if even that is not enough, its oldest offers fold into a "+2 earlier offers" line,
//     so the ask and its newest offers are whole;
//   - a card on its own that is taller than the column spreads across the empty columns
//     beside it; failing that, it shows fewer lines of its text, note and names.
// Each of these is reported as strain, and board.js first frees room (a smaller join panel,
// a smaller prompt) and lays the wall out again.
//
// A commitment is the outcome of the meeting, so it is the last thing to fade (issue 11):
// after the newest item, the items holding one take their room first, then the rest, newest
// first, each whole into the lowest column it fits in; each column then reads newest first.
// What found no room fades off the bottom of the columns with room to spare. An accepted
// offer never folds into "+2 earlier offers". Should a commitment still be out of sight,
// the wall is laid out once more, short of room (is-dense): every card a little tighter,
// the ask of an accepted offer a line or two of context over it (its other offers fold
// into "+1 other offer"), and the commitments before even the newest card, which then
// fades off the bottom, its first line at least in sight. Closed, the wall holds only the
// commitments.

import { h } from "./dom.js";
import { renderCard } from "./cards.js";

// Narrowest column, in rem (the board's rem follows the screen): three columns at 16:9.
const COLUMN_REM = 24;
const GROUP_GAP_REM = 1.25;   // between the items of a column
const OFFER_GAP_REM = 0.6;    // between an ask and its first offer, and between offers
const MIN_TAIL_REM = 5;       // an old card that does not fit shows only if this much can
const MIN_NEWEST_REM = 2.5;   // the newest card, cut to make room for the commitments

/** How hard the wall had to work to show its newest cards whole, least first. */
export const STRAIN = {
  none: 0,
  flowed: 1,    // an ask's offers went on into the next column
  squeezed: 2,  // offers folded away, or a card's text shortened (or, at worst, cut)
};

/** The wall's items, newest activity first: each card with the offers replying to it. */
export function wallItems(store) {
  const cards = store.visibleCards();
  const byId = new Map(cards.map((c) => [c.id, c]));
  const under = new Map();
  const top = [];
  for (const card of cards) {
    const parent = card.kind === "offer" && card.reply_to ? byId.get(card.reply_to) : null;
    if (parent && parent.kind !== "offer") {
      if (!under.has(parent.id)) under.set(parent.id, []);
      under.get(parent.id).push(card);
    } else {
      top.push(card);
    }
  }
  return top
    .map((card) => {
      const offers = (under.get(card.id) || []).sort((a, b) => a.id - b.id);
      // A new offer brings its ask back to the top, so the room sees the help arrive.
      return { card, offers, latest: Math.max(card.id, ...offers.map((o) => o.id)) };
    })
    .sort((a, b) => b.latest - a.latest);
}

/** The closed board lists what the room leaves with: every item holding a commitment,
 * newest first, with only the accepted offers under an ask; null while the meeting runs
 * (or when it closed with none, and the wall stays as it was). */
export function closingItems(store) {
  if (!store.room || store.room.state !== "closed") return null;
  const kept = wallItems(store)
    .filter((item) => priority(item, 1) === 1)
    .map((item) => ({ ...item, offers: item.offers.filter((offer) => offer.commitment) }));
  return kept.length ? kept : null;
}

/** How many commitments the wall's items hold (a card's own, and accepted offers). */
export const commitmentsIn = (items) => items.reduce((n, item) =>
  n + (item.card.commitment ? 1 : 0) + item.offers.filter((offer) => offer.commitment).length, 0);

/** A card with the offers that answer it stacked beneath (the spotlight's layout). */
export function cardGroup(item, article) {
  const main = article(item.card, "main");
  if (!item.offers.length) return h("div", { class: "card-group" }, main);
  return h("div", { class: "card-group has-offers" }, main,
    h("ol", { class: "offers", attrs: { "aria-label": offersLabel(item.offers.length) } },
      item.offers.map((offer) => h("li", { class: "offer-item" }, article(offer, "under")))));
}

/** What goes on the wall first: 0 the newest item, 1 an item holding a commitment (its card
 * or an accepted offer under it), 2 the rest. */
function priority(item, index) {
  if (index === 0) return 0;
  return item.card.commitment || item.offers.some((offer) => offer.commitment) ? 1 : 2;
}

/** Whether a request's commitment is owned by the very person it asks (named on its route). */
function ownerAsked(card) {
  const to = card.kind === "request" && card.to ? card.to.participant : null;
  const owner = card.commitment ? card.commitment.owner : null;
  return Boolean(to && owner && to.id != null && to.id === owner.id && to.name === owner.name);
}

/** The order of `priority`, short of room for the commitments: those take their room even
 * before the newest card, unless it holds one itself; the newest goes next. */
function commitmentsFirst(item, index) {
  const holds = priority(item, 1) === 1;
  if (index === 0) return holds ? 0 : 1.5;
  return holds ? 1 : 2;
}

const offersLabel = (n) => `${n} ${n === 1 ? "offer" : "offers"} of help`;
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

export class Wall {
  constructor(el) {
    this.el = el;
    this.cache = new Map();   // card id -> {sig, el}: unchanged cards keep their element
    this.groups = new Map();  // item card id -> the item's elements, kept between renders
    this.fresh = new Set();   // ids that arrived live and still get the arriving animation
    this.revealed = new Set(); // requests whose held answer was just revealed
    this.dense = false;        // short of room for the commitments (see render)
  }

  markFresh(id) {
    this.fresh.add(id);
  }

  /** A held answer is now shown: its card glows briefly, with all revealed together. */
  markRevealed(id) {
    this.revealed.add(id);
  }

  article(card, placement) {
    const sig = `${card.seq}|${placement}`;
    const cached = this.cache.get(card.id);
    if (cached && cached.sig === sig) return cached.el;
    const el = renderCard(card);
    el.classList.add(`placed-${placement}`);
    if (ownerAsked(card)) el.classList.add("owner-asked");
    if (placement === "main") el.classList.add("wall-block");  // an offer's block is its <li>
    if (this.fresh.delete(card.id)) {
      el.classList.add("arriving");
      el.addEventListener("animationend", () => el.classList.remove("arriving"), { once: true });
    }
    if (this.revealed.has(card.id)) {
      el.classList.add("just-revealed");
      el.addEventListener("animationend", (event) => {
        if (event.animationName === "reveal-glow") el.classList.remove("just-revealed");
      });
    }
    this.cache.set(card.id, { sig, el });
    return el;
  }

  /** The elements of one item, reused while its cards are unchanged (a card moved in the
   * DOM would replay its arriving animation). */
  group(item) {
    const main = this.article(item.card, "main");
    const lis = item.offers.map((offer) => {
      const el = this.article(offer, "under");
      return el.parentElement && el.parentElement.classList.contains("offer-item")
        ? el.parentElement : h("li", { class: "offer-item wall-block" }, el);
    });
    const sig = [main, ...lis];
    let group = this.groups.get(item.card.id);
    if (!group || group.sig.length !== sig.length || group.sig.some((el, i) => el !== sig[i])) {
      const more = h("li", { class: "offers-more wall-block" });
      const list = lis.length
        ? h("ol", { class: "offers", attrs: { "aria-label": offersLabel(lis.length) } }, more, lis)
        : null;
      group = { sig, main, lis, more, list, conts: [],
                el: h("div", { class: lis.length ? "card-group has-offers" : "card-group" },
                  main, list) };
      this.groups.set(item.card.id, group);
    }
    // Whatever the last layout did to these elements is undone before measuring again.
    for (const el of [main, ...lis, group.more, ...group.conts]) {
      el.hidden = false;
      el.classList.remove("is-fading");
      el.style.removeProperty("--fade-from");
      el.style.removeProperty("--fade-to");
    }
    main.classList.remove("is-squeezed");
    main.style.removeProperty("width");
    // Short of room, the card an accepted offer answers is its context: a line or two.
    main.classList.toggle("is-context", Boolean(this.dense) && !item.card.commitment
      && item.offers.some((offer) => offer.commitment));
    group.more.hidden = true;
    for (const cont of group.conts) cont.hidden = true;
    group.author = item.card.author;
    group.kept = item.offers.map((offer) => Boolean(offer.commitment));  // accepted: never folded
    return group;
  }

  /** The n-th "More offers to Priya's ask" line of a group, made when first needed. It
   * says "Offers to …" when none of the offers could stay under the ask itself. Hidden
   * from assistive technology: there, the offers simply follow their ask. */
  cont(group, n, first = false) {
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

  place(el, column, top) {
    el.style.setProperty("left", `${column * (this.colW + this.gap)}px`);
    el.style.setProperty("top", `${top}px`);
  }

  /** Draw what of an old item fits under the others in a column, fading off the bottom. */
  tail(group, column, top) {
    const blocks = [group.main, ...group.lis];
    let y = top;
    blocks.forEach((el, i) => {
      if (i > 0) y += this.offerGap;
      if (y >= this.height) {
        el.hidden = true;
        return;
      }
      this.place(el, column, y);
      el.classList.add("is-fading");
      el.style.setProperty("--fade-from", `${top - y}px`);
      el.style.setProperty("--fade-to", `${this.height - y}px`);
      y += el.offsetHeight;
    });
  }

  /** The newest item of a column is too tall for it: flow its offers on into the empty
   * columns, fold its oldest offers away, or shorten its text; returns the strain. */
  fit(group, column, y) {
    const count = y.length;
    if (!group.lis.length) {
      // A card on its own: across two or more empty columns it is shorter and nothing of
      // it is lost; failing that, fewer lines of it, as wide as the empty columns allow.
      if (this.widen(group, column, y, 2)) return STRAIN.flowed;
      group.main.classList.add("is-squeezed");
      this.lost += 1;
      if (this.widen(group, column, y, 1)) return STRAIN.squeezed;
    }
    const empty = [column];
    for (let step = 1; step < count; step += 1) {
      const other = (column + step) % count;  // to the right first: read on, left to right
      if (y[other] === null) empty.push(other);
    }
    const offers = group.lis.map((el, i) => ({ el, h: el.offsetHeight, kept: group.kept[i] }));
    const foldable = offers.slice(0, -1).filter((offer) => !offer.kept);  // never the newest
    const contH = offers.length ? this.cont(group, 0).offsetHeight : 0;
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
        const plan = planFlow(mainH, moreH, shownOffers, empty, this.height,
                              this.offerGap, contH);
        if (!plan) continue;
        this.place(group.main, column, 0);
        if (fold) this.place(group.more, column, mainH + this.offerGap);
        folded.forEach((offer) => { offer.el.hidden = true; });
        plan.spots.forEach(([col, top], i) => this.place(shownOffers[i].el, col, top));
        const noneUnder = !fold && plan.spots.length > 0 && plan.spots[0][0] !== column;
        plan.continued.forEach((col, i) => {
          this.place(this.cont(group, i, noneUnder && i === 0), col, 0);
        });
        for (const [col, end] of plan.ends) y[col] = end;
        this.lost += fold + (squeezed ? 1 : 0);
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
    this.tail(group, column, 0);
    y[column] = this.height;
    this.lost += 1 + offers.length + Math.max(0, mainH - this.height) / this.height;
    return STRAIN.squeezed;
  }

  /** Short of room for the commitments: an item with an accepted offer folds its other
   * offers into one line, oldest first, till it fits whole in a column. Returns [column,
   * height] with the folded offers hidden, or null (and nothing folded). */
  foldOthers(group, y) {
    const others = group.lis.filter((_, i) => !group.kept[i]);
    for (let fold = 1; fold <= others.length; fold += 1) {
      const folded = new Set(others.slice(0, fold));
      const shownLis = group.lis.filter((li) => !folded.has(li));
      // "+1 earlier offer" only when every one folded is older than those shown.
      const older = group.lis.indexOf(others[fold - 1]) < group.lis.indexOf(shownLis[0]);
      group.more.hidden = false;
      group.more.textContent = older ? earlier(fold) : other(fold);
      let tall = group.main.offsetHeight + this.offerGap + group.more.offsetHeight;
      for (const li of shownLis) tall += this.offerGap + li.offsetHeight;
      const column = this.lowest(y, tall);
      if (column >= 0) {
        folded.forEach((li) => { li.hidden = true; });
        this.lost += fold;
        return [column, tall];
      }
    }
    group.more.hidden = true;
    return null;
  }

  /** The lowest column with room for `tall` more, or -1. */
  lowest(y, tall) {
    let column = -1;
    for (let c = 0; c < y.length; c += 1) {
      const top = y[c] === null ? 0 : y[c] + this.gap;
      const lower = column < 0 || (y[c] ?? -1) < (y[column] ?? -1);
      if (top + tall <= this.height && lower) column = c;
    }
    return column;
  }

  /** Whether an older ask with an accepted offer can flow whole over the empty columns: the
   * ask fits one, and each offer that may not fold (accepted) fits one under a "More offers"
   * line. Otherwise it waits with the rest, and smaller cards take the room whole. */
  mayFlow(group, y) {
    if (!group.lis.length) return false;
    const empty = y.filter((end) => end === null).length;
    const kept = group.lis.filter((_, i) => group.kept[i]);
    const line = this.cont(group, 0).offsetHeight;
    group.conts[0].hidden = true;
    return group.main.offsetHeight <= this.height && empty > kept.length
      && kept.every((li) => line + this.offerGap + li.offsetHeight <= this.height);
  }

  /** Try a card across `least` or more empty columns, beside and including this one,
   * widest last but one column last; returns whether it now fits, placed. */
  widen(group, column, y, least) {
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
        group.main.style.setProperty("width", `${span * this.colW + (span - 1) * this.gap}px`);
        const height = group.main.offsetHeight;
        if (height > this.height) break;  // no better with the same span elsewhere
        this.place(group.main, first, 0);
        for (const c of run) y[c] = height;
        return true;
      }
    }
    group.main.style.removeProperty("width");
    return false;
  }

  /** Put the items' elements first in the wall, in this order, moving only what must move
   * (the rest, absolutely placed, are in nobody's way until render() drops them). */
  order(groups) {
    groups.forEach((group, i) => {
      const there = this.el.children[i] || null;
      if (there !== group.el) this.el.insertBefore(group.el, there);
    });
  }

  /** Lay out the wall: {count: items there are (drawn or not), strain: see STRAIN, lost:
   * how much of the newest items had to be folded away or shortened}. */
  render(store, { from = 0 } = {}) {
    const closing = closingItems(store);
    // Closed with more commitments than the wall holds, board.js pages through them.
    const items = closing ? closing.slice(Math.min(from, closing.length - 1)) : wallItems(store);
    // Closed, each card says just who will do what (board.css), so that all fit.
    this.el.classList.toggle("is-closing", Boolean(closing));
    const alive = new Set(store.visibleCards().map((c) => c.id));
    for (const id of this.cache.keys()) if (!alive.has(id)) this.cache.delete(id);
    for (const id of this.groups.keys()) if (!alive.has(id)) this.groups.delete(id);

    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const width = this.el.clientWidth;
    this.height = this.el.clientHeight;
    this.gap = GROUP_GAP_REM * rem;
    this.offerGap = OFFER_GAP_REM * rem;
    const count = Math.max(1, Math.floor(width / (COLUMN_REM * rem)));
    this.colW = (width - this.gap * (count - 1)) / count;
    this.el.style.setProperty("--col-w", `${this.colW}px`);
    this.el.style.setProperty("--offer-gap", `${this.offerGap}px`);
    this.el.dataset.columns = String(count);

    this.dense = false;
    this.el.classList.remove("is-dense");
    let laid = this.lay(items, count, rem, priority);
    if (!closing && laid.unseen > 0) {
      // A commitment is not whole: the cards draw a little tighter, the ask of an accepted
      // offer keeps only a line or two as context, and the commitments take their room
      // before the newest card (which may then be the one that fades). Kept only if it
      // shows more of the commitments, and the newest card still shows.
      this.dense = true;
      this.el.classList.add("is-dense");
      const dense = this.lay(items, count, rem, commitmentsFirst);
      if (dense.unseen < laid.unseen && dense.newestDrawn) {
        laid = dense;
      } else {
        this.dense = false;
        this.el.classList.remove("is-dense");
        laid = this.lay(items, count, rem, priority);
      }
    }
    // A revealed card out of sight must not glow later, when it comes into view.
    this.revealed.clear();
    return { count: items.length, strain: laid.strain, lost: laid.lost, run: laid.run };
  }

  /** Place the items on the wall, taking their room in the order `rank` gives (least
   * first, then newest first): {strain, lost, run, unseen: items holding a commitment that
   * is not drawn whole, newestDrawn}. */
  lay(items, count, rem, rank) {
    const y = new Array(count).fill(null);  // where each column's cards end; null: none yet
    const stacks = Array.from({ length: count }, () => []);  // whole items, per column
    const base = new Array(count).fill(null);  // where what fit() placed in a column ends
    const shown = [];   // [index in items, group] of everything drawn
    const left = [];    // [index, group] of items that found no room whole
    let strain = STRAIN.none;
    this.lost = 0;  // offers folded away, cards shortened or cut, to show the newest whole
    // A commitment is the outcome of the meeting: the items holding one take their room
    // before the others (see rank), and those newest first. Each goes whole into the lowest
    // column it fits in, so no card fades while another column has room.
    const whole = new Set();  // indices of the items drawn whole
    const outcome = new Set();  // and of those whose commitments are whole (others may fold)
    const order = items.map((item, i) => i)
      .sort((a, b) => rank(items[a], a) - rank(items[b], b) || a - b);
    let cut = false;  // the newest card found no room whole: the older ones fade after it
    for (const i of order) {
      const item = items[i];
      const group = this.group(item);
      shown.push([i, group]);
      this.order(shown.map(([, g]) => g));  // in the wall, to be measured
      if (cut) {
        left.push([i, group]);
        continue;
      }
      let tall = group.main.offsetHeight;
      for (const li of group.lis) tall += this.offerGap + li.offsetHeight;
      let column = this.lowest(y, tall);
      // Short of room, an accepted offer and its ask stay whole and its other offers fold.
      const folding = column < 0 && this.dense && i > 0 && group.kept.includes(true)
        ? this.foldOthers(group, y) : null;
      if (folding) {
        [column, tall] = folding;
        strain = Math.max(strain, STRAIN.squeezed);
      }
      if (column >= 0) {
        whole.add(i);
        outcome.add(i);
        stacks[column].push([i, group, tall]);
        y[column] = (y[column] === null ? 0 : y[column] + this.gap) + tall;
        continue;
      }
      const empty = y.indexOf(null);
      // An older commitment taller than a column: across two or more empty ones, whole.
      const before = [...y];
      const settle = () => y.forEach((end, c) => {
        if (before[c] === null && end !== null) base[c] = end;  // under it, whole items go on
      });
      if (empty >= 0 && rank(item, i) === 1 && !group.lis.length
          && this.widen(group, empty, y, 2)) {
        whole.add(i);
        outcome.add(i);
        strain = Math.max(strain, STRAIN.flowed);
        settle();
        continue;
      }
      if (empty >= 0 && (rank(item, i) === 0 || this.mayFlow(group, y))) {
        // The newest item, or an ask with an accepted offer, taller than a column: its
        // offers flow on or fold (never an accepted one), or its text shortens (see fit).
        const lostBefore = this.lost;
        strain = Math.max(strain, this.fit(group, empty, y));
        if (this.lost === lostBefore) whole.add(i);
        if (!group.main.classList.contains("is-fading")) outcome.add(i);  // see fit's last resort
        settle();
        continue;
      }
      if (rank(item, i) < 2) {
        // A commitment out of sight, or the newest card behind them: free room.
        strain = Math.max(strain, STRAIN.squeezed);
        this.lost += 1;
      }
      if (i === 0) cut = true;
      left.push([i, group]);
    }
    // Each column newest first, under whatever fit() placed at its top.
    stacks.forEach((stack, c) => {
      stack.sort((a, b) => a[0] - b[0]);
      let top = base[c] === null ? 0 : base[c] + this.gap;
      for (const [, group, tall] of stack) {
        this.place(group.main, c, top);
        let below = top + group.main.offsetHeight;
        for (const li of [group.more, ...group.lis]) {
          if (li.hidden) continue;  // folded, or no "+1 earlier offer" line
          this.place(li, c, below + this.offerGap);
          below += this.offerGap + li.offsetHeight;
        }
        top += tall + this.gap;
      }
    });
    // Under the columns with room to spare, the newest of the rest fade off the bottom.
    const drawn = new Set(shown.map(([i]) => i));
    for (const [i, group] of left) {
      const column = y.reduce((best, end, c) =>
        ((end ?? -this.gap) < (y[best] ?? -this.gap) ? c : best), 0);
      const top = y[column] === null ? 0 : y[column] + this.gap;
      // The newest card, behind the commitments, shows even if only its first line.
      if (this.height - top < (i === 0 ? MIN_NEWEST_REM : MIN_TAIL_REM) * rem) {
        drawn.delete(i);
        continue;
      }
      this.tail(group, column, top);
      y[column] = this.height;
    }
    const kept = shown.filter(([i]) => drawn.has(i)).sort((a, b) => a[0] - b[0]);
    shown.length = 0;
    shown.push(...kept.map(([, group]) => group));
    this.order(shown);
    while (this.el.children.length > shown.length) this.el.lastElementChild.remove();
    let run = 0;  // how many items, from the first, are drawn whole
    while (whole.has(run)) run += 1;
    const unseen = items.filter((item, i) => priority(item, 1) === 1 && !outcome.has(i)).length;
    return { strain, lost: this.lost, run, unseen, newestDrawn: drawn.has(0) };
  }
}

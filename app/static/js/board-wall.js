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
// a smaller prompt) and lays the wall out again. (The fitting: board-fit.js.)
//
// A commitment is the outcome of the meeting, so it is the last thing to fade:
// after the newest item, the items holding one take their room first, then the rest, newest
// first, each whole into the lowest column it fits in; each column then reads newest first.
// What found no room fades off the bottom of the columns with room to spare. An accepted
// offer never folds into "+2 earlier offers". Should a commitment still be out of sight,
// the wall is laid out once more, short of room (is-dense): every card a little tighter,
// the ask of an accepted offer a line or two of context over it (its other offers fold
// into "+1 other offer"), and the commitments before even the newest card, which then
// fades off the bottom, its first line at least in sight. Closed, the wall holds only the
// commitments. (One layout: board-layout.js; the items and their order: board-items.js.)

import { h } from "./dom.js";
import { renderCard } from "./cards.js";
import { closingItems, commitmentsFirst, offersLabel, priority, wallItems } from "./board-items.js";
import { Layout } from "./board-layout.js";

// Narrowest column, in rem (the board's rem follows the screen): three columns at 16:9.
const COLUMN_REM = 24;
const GROUP_GAP_REM = 1.25;   // between the items of a column
const OFFER_GAP_REM = 0.6;    // between an ask and its first offer, and between offers

/** Whether a request's commitment is owned by the very person it asks (named on its route). */
function ownerAsked(card) {
  const to = card.kind === "request" && card.to ? card.to.participant : null;
  const owner = card.commitment ? card.commitment.owner : null;
  return Boolean(to && owner && to.id != null && to.id === owner.id && to.name === owner.name);
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

  /** Put the items' elements first in the wall, in this order, moving only what must move
   * (the rest, absolutely placed, are in nobody's way until render() drops them). */
  order(groups) {
    groups.forEach((group, i) => {
      const there = this.el.children[i] || null;
      if (there !== group.el) this.el.insertBefore(group.el, there);
    });
  }

  /** The columns the wall has room for, and their sizes in px (published to the CSS). */
  measure() {
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const width = this.el.clientWidth;
    const height = this.el.clientHeight;
    const gap = GROUP_GAP_REM * rem;
    const offerGap = OFFER_GAP_REM * rem;
    const count = Math.max(1, Math.floor(width / (COLUMN_REM * rem)));
    const colW = (width - gap * (count - 1)) / count;
    this.el.style.setProperty("--col-w", `${colW}px`);
    this.el.style.setProperty("--offer-gap", `${offerGap}px`);
    this.el.dataset.columns = String(count);
    return { count, rem, height, gap, offerGap, colW };
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

    const geometry = this.measure();

    this.dense = false;
    this.el.classList.remove("is-dense");
    let laid = new Layout(this, geometry).lay(items, priority);
    if (!closing && laid.unseen > 0) {
      // A commitment is not whole: the cards draw a little tighter, the ask of an accepted
      // offer keeps only a line or two as context, and the commitments take their room
      // before the newest card (which may then be the one that fades). Kept only if it
      // shows more of the commitments, and the newest card still shows.
      this.dense = true;
      this.el.classList.add("is-dense");
      const dense = new Layout(this, geometry).lay(items, commitmentsFirst);
      if (dense.unseen < laid.unseen && dense.newestDrawn) {
        laid = dense;
      } else {
        this.dense = false;
        this.el.classList.remove("is-dense");
        laid = new Layout(this, geometry).lay(items, priority);
      }
    }
    // A revealed card out of sight must not glow later, when it comes into view.
    this.revealed.clear();
    return { count: items.length, strain: laid.strain, lost: laid.lost, run: laid.run };
  }
}

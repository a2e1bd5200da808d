// The board's card wall: newest first in masonry columns. Offers that answer an ask (or a
// request) are drawn under it, not on their own. Only what fits is drawn: the wall fades
// out at the bottom and never scrolls (DESIGN "Board": old cards fade off).

import { h } from "./dom.js";
import { renderCard } from "./cards.js";

// Narrowest column, in rem (the board's rem follows the screen): three columns at 16:9.
const COLUMN_REM = 24;

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

/** A card with the offers that answer it stacked beneath. */
export function cardGroup(item, article) {
  const main = article(item.card, "main");
  if (!item.offers.length) return h("div", { class: "card-group" }, main);
  const count = item.offers.length;
  return h("div", { class: "card-group has-offers" }, main,
    h("ol", { class: "offers", attrs: { "aria-label": `${count} ${count === 1 ? "offer" : "offers"} of help` } },
      item.offers.map((offer) => h("li", { class: "offer-item" }, article(offer, "under")))));
}

export class Wall {
  constructor(el) {
    this.el = el;
    this.cache = new Map();   // card id -> {sig, el}: unchanged cards keep their element
    this.fresh = new Set();   // ids that arrived live and still get the arriving animation
    this.revealed = new Set(); // requests whose held answer was just revealed
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

  /** Lay out the wall; returns how many items there are (drawn or not). */
  render(store) {
    const items = wallItems(store);
    const alive = new Set(store.visibleCards().map((c) => c.id));
    for (const id of this.cache.keys()) if (!alive.has(id)) this.cache.delete(id);

    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const count = Math.max(1, Math.floor(this.el.clientWidth / (COLUMN_REM * rem)));
    while (this.el.children.length < count) this.el.append(h("div", { class: "wall-column" }));
    while (this.el.children.length > count) this.el.lastElementChild.remove();
    const columns = [...this.el.children];
    for (const column of columns) column.replaceChildren();

    const limit = this.el.clientHeight;
    const heights = columns.map(() => 0);
    const article = (card, placement) => this.article(card, placement);
    for (const item of items) {
      const shortest = heights.indexOf(Math.min(...heights));
      if (heights[shortest] >= limit) break;  // the rest would be out of sight
      columns[shortest].append(cardGroup(item, article));
      heights[shortest] = columns[shortest].offsetHeight;
    }
    // A revealed card out of sight must not glow later, when it scrolls into view.
    this.revealed.clear();
    return items.length;
  }
}

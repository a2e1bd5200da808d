// The wall's items: each card with the offers that answer it, newest activity first; the
// closed board's list of what the room leaves with; and the order in which items take their
// room on the wall (a commitment before the rest).

import { h } from "./dom.js";

export const offersLabel = (n) => `${n} ${n === 1 ? "offer" : "offers"} of help`;

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
export function priority(item, index) {
  if (index === 0) return 0;
  return item.card.commitment || item.offers.some((offer) => offer.commitment) ? 1 : 2;
}

/** The order of `priority`, short of room for the commitments: those take their room even
 * before the newest card, unless it holds one itself; the newest goes next. */
export function commitmentsFirst(item, index) {
  const holds = priority(item, 1) === 1;
  if (index === 0) return holds ? 0 : 1.5;
  return holds ? 1 : 2;
}

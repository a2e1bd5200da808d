// The console's centre: a live mirror of the board, newest first, with moderation on each
// card (hide / unhide, spotlight / end spotlight). Hidden cards show only here, marked.

import { announce, fill, h, KIND_LABEL } from "./dom.js";
import { renderCard } from "./cards.js";

const $ = (id) => document.getElementById(id);

const FILTERS = [
  { key: "all", label: "All", test: (c) => c.status !== "withdrawn" },
  { key: "request", label: "Requests", test: (c) => c.kind === "request" && c.status !== "withdrawn" },
  { key: "ask", label: "Asks", test: (c) => c.kind === "ask" && c.status !== "withdrawn" },
  { key: "offer", label: "Offers", test: (c) => c.kind === "offer" && c.status !== "withdrawn" },
  { key: "commitment", label: "Commitments", test: (c) => c.commitment && c.status !== "withdrawn" },
  { key: "hidden", label: "Hidden", test: (c) => c.hidden && c.status !== "withdrawn" },
  { key: "withdrawn", label: "Withdrawn", test: (c) => c.status === "withdrawn" },
];

function describe(card) {
  const who = card.author ? card.author.name : "someone";
  return `${KIND_LABEL[card.kind].toLowerCase()} from ${who}`;
}

export function setUpCards(ctx) {
  const list = $("cards");
  const elements = new Map();  // card id -> {seq, hidden, spotlight, el}: re-drawn only on change
  let filter = "all";
  let ready = false;           // after the first snapshot, new cards are announced

  async function moderate(card, change, button) {
    const result = await ctx.busy(button, () => ctx.call("PATCH", `/cards/${card.id}`, change));
    if (!result || !result.ok) return;
    if ("hidden" in change) announce(change.hidden ? "Hidden from the board" : "Back on the board");
    else announce(change.spotlight ? "Spotlighted on the board" : "Spotlight ended");
  }

  function actions(card) {
    if (ctx.role !== "facilitator" || card.status === "withdrawn") return [];
    const canAct = ctx.canAct();
    const who = describe(card);
    const hide = h("button", {
      class: "btn btn-small", text: card.hidden ? "Unhide" : "Hide",
      attrs: { type: "button", disabled: !canAct, "data-action": "hidden",
               "aria-label": `${card.hidden ? "Unhide" : "Hide"} ${who}` },
      on: { click: (event) => moderate(card, { hidden: !card.hidden }, event.currentTarget) },
    });
    const spotlight = card.hidden ? null : h("button", {
      class: `btn btn-small${card.spotlight ? " btn-on" : ""}`,
      text: card.spotlight ? "End spotlight" : "Spotlight",
      attrs: { type: "button", disabled: !canAct, "data-action": "spotlight",
               "aria-label": `${card.spotlight ? "End spotlight on" : "Spotlight"} ${who}` },
      on: { click: (event) => moderate(card, { spotlight: !card.spotlight }, event.currentTarget) },
    });
    return [spotlight, hide];
  }

  function draw(card) {
    const el = renderCard(card, { store: ctx.store, actions: actions(card) });
    const flag = el.querySelector(".flag-hidden");
    if (flag) flag.textContent = "Hidden from the board";
    if (card.spotlight) {
      el.querySelector(".card-head").append(
        h("span", { class: "flag flag-spotlight", text: "Spotlight on the board" }));
    }
    if (card.status === "withdrawn") {
      el.querySelector(".card-head").append(
        h("span", { class: "muted", text: "Not on the board" }));
    }
    return el;
  }

  function filterButtons() {
    const cards = [...ctx.store.cards.values()];
    return FILTERS.map((f) => {
      const count = cards.filter(f.test).length;
      if (count === 0 && (f.key === "hidden" || f.key === "withdrawn") && filter !== f.key) return null;
      return h("button", {
        class: "filter", dataset: { filter: f.key },
        attrs: { type: "button", "aria-pressed": String(filter === f.key) },
        on: { click: () => { filter = f.key; render({ type: "filter" }); } },
      }, h("span", { text: f.label }), h("span", { class: "filter-count", text: String(count) }));
    });
  }

  function spotlightStrip() {
    const strip = $("spotlight");
    const card = [...ctx.store.cards.values()].find((c) => c.spotlight);
    strip.hidden = !card;
    if (!card) return;
    const end = ctx.role === "facilitator" ? h("button", {
      class: "btn btn-small", text: "End spotlight",
      attrs: { type: "button", disabled: !ctx.canAct() },
      on: { click: (event) => moderate(card, { spotlight: false }, event.currentTarget) },
    }) : null;
    fill(strip,
      h("span", { class: "spot-label", text: "Spotlight" }),
      h("span", { class: "spot-text" }, h("strong", { text: `${card.author ? card.author.name : ""}: ` }),
        card.text),
      end);
  }

  /** Put the elements in order without detaching unchanged ones (keeps focus and scroll). */
  function place(wanted) {
    let ref = list.firstChild;
    for (const el of wanted) {
      if (el === ref) ref = ref.nextSibling;
      else list.insertBefore(el, ref);
    }
    while (ref) {
      const next = ref.nextSibling;
      ref.remove();
      ref = next;
    }
  }

  function render(change) {
    const active = document.activeElement;
    const activeCard = active && list.contains(active) ? active.closest("[data-card-id]") : null;
    const activeAction = active && active.dataset ? active.dataset.action : null;

    if (change.type === "snapshot" || change.type === "filter") elements.clear();
    const test = FILTERS.find((f) => f.key === filter).test;
    const cards = [...ctx.store.cards.values()].filter(test).sort((a, b) => b.id - a.id);
    const wanted = cards.map((card) => {
      const known = elements.get(card.id);
      if (known && known.seq === card.seq && known.role === ctx.role && known.canAct === ctx.canAct()) {
        return known.el;
      }
      const el = draw(card);
      if (change.type === "card.created" && change.id === card.id) el.classList.add("arriving");
      elements.set(card.id, { seq: card.seq, role: ctx.role, canAct: ctx.canAct(), el });
      return el;
    });
    place(wanted);

    // A card re-drawn under the keyboard keeps the keyboard: focus its new twin.
    if (activeCard && !list.contains(active)) {
      const twin = list.querySelector(`[data-card-id="${activeCard.dataset.cardId}"]`);
      const target = twin && (twin.querySelector(`[data-action="${activeAction}"]`)
        || twin.querySelector("button"));
      if (target) target.focus();
    }

    const total = ctx.store.visibleCards().length;
    $("cards-total").textContent = total ? `(${total})` : "";
    $("cards-empty").hidden = cards.length > 0;
    $("cards-empty").textContent = filter === "all"
      ? "No cards yet. Push a prompt: requests, asks and offers appear here as people send them."
      : "No cards of this kind yet.";
    const filterFocus = active && $("filters").contains(active) ? active.dataset.filter : null;
    fill($("filters"), filterButtons());
    if (filterFocus) {
      const again = $("filters").querySelector(`[data-filter="${filterFocus}"]`);
      if (again) again.focus();
    }
    spotlightStrip();

    if (change.type === "snapshot") ready = true;
    else if (ready && change.type === "card.created" && change.card) {
      announce(`New ${describe(change.card)}: ${change.card.text}`);
    }
  }

  return { render };
}

// The console's centre: a live mirror of the board, newest first, with moderation on each
// card (hide / unhide, spotlight / end spotlight). Hidden cards show only here, marked.
// The console sees every author by name, and each answer while it is held; it marks what
// the room sees otherwise, and runs the answer round (hold, reveal one, reveal all).

import { announce, fill, h, ANSWER_LABEL, KIND_LABEL, placeInOrder } from "./dom.js";
import { renderCard } from "./cards.js";
import { updatedByLine } from "./progress-by.js";

const $ = (id) => document.getElementById(id);

/** A request answered while answers are held: the console sees the answer, the room not. */
export const isHeld = (c) => c.kind === "request" && c.answer_revealed === false
  && Boolean(ANSWER_LABEL[c.status]) && c.status !== "withdrawn";

const SHOWN_AS = { organisation: "organisation only", anonymous: "anonymous" };

const FILTERS = [
  { key: "all", label: "All", test: (c) => c.status !== "withdrawn" },
  { key: "request", label: "Requests", test: (c) => c.kind === "request" && c.status !== "withdrawn" },
  { key: "ask", label: "Asks", test: (c) => c.kind === "ask" && c.status !== "withdrawn" },
  { key: "offer", label: "Offers", test: (c) => c.kind === "offer" && c.status !== "withdrawn" },
  { key: "commitment", label: "Commitments", test: (c) => c.commitment && c.status !== "withdrawn" },
  { key: "held", label: "To reveal", test: isHeld },
  { key: "hidden", label: "Hidden", test: (c) => c.hidden && c.status !== "withdrawn" },
  { key: "withdrawn", label: "Withdrawn", test: (c) => c.status === "withdrawn" },
];

function describe(card) {
  const who = card.author ? card.author.name : "someone";
  return `${KIND_LABEL[card.kind].toLowerCase()} from ${who}`;
}

// --- moderation ----------------------------------------------------------------------------

async function moderate(ctx, card, change, button) {
  const result = await ctx.busy(button, () => ctx.call("PATCH", `/cards/${card.id}`, change));
  if (!result || !result.ok) return;
  if ("hidden" in change) announce(change.hidden ? "Hidden from the board" : "Back on the board");
  else announce(change.spotlight ? "Spotlighted on the board" : "Spotlight ended");
}

async function reveal(ctx, card, button) {
  const result = await ctx.busy(button, () => ctx.call("POST", "/reveal", { card_id: card.id }));
  if (result && result.ok) announce(`Answer revealed on the board: ${describe(card)}`);
}

/** The facilitator's buttons on a card: Reveal (a held answer), Spotlight, Hide. */
function actions(ctx, card) {
  if (ctx.role !== "facilitator" || card.status === "withdrawn") return [];
  const canAct = ctx.canAct();
  const who = describe(card);
  const hide = h("button", {
    class: "btn btn-small", text: card.hidden ? "Unhide" : "Hide",
    attrs: { type: "button", disabled: !canAct, "data-action": "hidden",
             "aria-label": `${card.hidden ? "Unhide" : "Hide"} ${who}` },
    on: { click: (event) => moderate(ctx, card, { hidden: !card.hidden }, event.currentTarget) },
  });
  const spotlight = card.hidden ? null : h("button", {
    class: `btn btn-small${card.spotlight ? " btn-on" : ""}`,
    text: card.spotlight ? "End spotlight" : "Spotlight",
    attrs: { type: "button", disabled: !canAct, "data-action": "spotlight",
             "aria-label": `${card.spotlight ? "End spotlight on" : "Spotlight"} ${who}` },
    on: { click: (event) => moderate(ctx, card, { spotlight: !card.spotlight }, event.currentTarget) },
  });
  const revealButton = isHeld(card) ? h("button", {
    class: "btn btn-small btn-reveal", text: "Reveal",
    attrs: { type: "button", disabled: !canAct, "data-action": "reveal",
             "aria-label": `Reveal the answer to the ${who}` },
    on: { click: (event) => reveal(ctx, card, event.currentTarget) },
  }) : null;
  return [revealButton, spotlight, hide];
}

/** A card as the console shows it: what the room does not see is marked. */
function draw(ctx, card) {
  const el = renderCard(card, { store: ctx.store, actions: actions(ctx, card) });
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
  if (isHeld(card)) {
    el.classList.add("is-held");
    el.querySelector(".card-head").append(
      h("span", { class: "flag flag-held", text: "Held: the board shows “answered”" }));
  }
  const updatedBy = card.commitment ? updatedByLine(card.commitment) : null;
  if (updatedBy) el.querySelector(".card-commitment").after(updatedBy);
  // The console always names the author; the room sees them as they chose.
  if (SHOWN_AS[card.identity]) {
    el.querySelector(".card-route").after(
      h("p", { class: "shown-as" },
        h("span", { class: "shown-icon", attrs: { "aria-hidden": "true" } }),
        h("span", { text: `Shown to the room as: ${SHOWN_AS[card.identity]}` })));
  }
  return el;
}

/** The filter buttons with their counts; the occasional ones only when they have cards. */
function filterButtons(ctx, filter, choose) {
  const cards = [...ctx.store.cards.values()];
  return FILTERS.map((f) => {
    const count = cards.filter(f.test).length;
    const occasional = f.key === "hidden" || f.key === "withdrawn" || f.key === "held";
    if (count === 0 && occasional && filter !== f.key) return null;
    return h("button", {
      class: "filter", dataset: { filter: f.key },
      attrs: { type: "button", "aria-pressed": String(filter === f.key) },
      on: { click: () => choose(f.key) },
    }, h("span", { text: f.label }), h("span", { class: "filter-count", text: String(count) }));
  });
}

function spotlightStrip(ctx) {
  const strip = $("spotlight");
  const card = [...ctx.store.cards.values()].find((c) => c.spotlight);
  strip.hidden = !card;
  if (!card) return;
  const end = ctx.role === "facilitator" ? h("button", {
    class: "btn btn-small", text: "End spotlight",
    attrs: { type: "button", disabled: !ctx.canAct() },
    on: { click: (event) => moderate(ctx, card, { spotlight: false }, event.currentTarget) },
  }) : null;
  fill(strip,
    h("span", { class: "spot-label", text: "Spotlight" }),
    h("span", { class: "spot-text" }, h("strong", { text: `${card.author ? card.author.name : ""}: ` }),
      card.text),
    end);
}

function emptyWords(ctx, filter) {
  if (filter !== "all") return "No cards of this kind yet.";
  return ctx.store.prompt
    ? "No cards yet — waiting for the room. Requests, asks and offers appear here as people send them."
    : "No cards yet. Push a prompt: requests, asks and offers appear here as people send them.";
}

// --- the answer round (right column) ------------------------------------------------------

/** Wire Hold answers and Reveal all; returns the function that draws their state. */
function setUpAnswerRound(ctx) {
  const hold = $("hold-answers");
  const revealAll = $("reveal-all");
  hold.addEventListener("change", async () => {
    const held = hold.checked;
    const result = await ctx.call("PATCH", "", { answers_held: held });
    if (result.ok) {
      announce(held ? "Answers are held: the board shows “answered” until you reveal them"
                    : "Answers are no longer held: every answer is on the board");
    } else {
      hold.checked = !held;
    }
  });
  revealAll.addEventListener("click", async () => {
    if (revealAll.getAttribute("aria-disabled") === "true") return;
    const result = await ctx.busy(revealAll, () => ctx.call("POST", "/reveal", {}));
    if (result && result.ok) {
      const n = result.data.length;
      announce(n ? `${n} ${n === 1 ? "answer" : "answers"} revealed on the board` : "Nothing to reveal");
    }
  });
  return () => drawAnswerRound(ctx, hold, revealAll);
}

function drawAnswerRound(ctx, hold, revealAll) {
  const room = ctx.store.room;
  if (!room) return;
  const waiting = [...ctx.store.cards.values()].filter(isHeld).length;
  hold.checked = Boolean(room.answers_held);
  hold.disabled = !ctx.canAct();
  const words = waiting
    ? `${waiting} ${waiting === 1 ? "answer" : "answers"} waiting to be revealed`
    : room.answers_held ? "No answers waiting yet" : "";
  const count = $("held-count");
  if (count.textContent !== words) count.textContent = words;
  count.hidden = !words;
  $("answers-state").textContent = room.answers_held ? "Answers are held" : "Answers show as they come";
  $("answers-state").dataset.held = String(Boolean(room.answers_held));
  revealAll.hidden = !waiting && !room.answers_held;
  revealAll.disabled = !ctx.canAct();
  if (revealAll.getAttribute("aria-busy") !== "true") {
    revealAll.setAttribute("aria-disabled", String(!waiting));
  }
}

// --- the column ---------------------------------------------------------------------------

export function setUpCards(ctx) {
  const list = $("cards");
  const elements = new Map();  // card id -> {seq, role, canAct, el}: re-drawn only on change
  let filter = "all";
  let ready = false;           // after the first snapshot, new cards are announced
  const answerRound = setUpAnswerRound(ctx);
  const choose = (key) => {
    filter = key;
    render({ type: "filter" });
  };

  /** The cards of the filter, newest first, each re-drawn only when it changed. */
  function drawCards(change) {
    if (change.type === "snapshot" || change.type === "filter") elements.clear();
    const test = FILTERS.find((f) => f.key === filter).test;
    const cards = [...ctx.store.cards.values()].filter(test).sort((a, b) => b.id - a.id);
    placeInOrder(list, cards.map((card) => {
      const known = elements.get(card.id);
      if (known && known.seq === card.seq && known.role === ctx.role && known.canAct === ctx.canAct()) {
        return known.el;
      }
      const el = draw(ctx, card);
      if (change.type === "card.created" && change.id === card.id) el.classList.add("arriving");
      elements.set(card.id, { seq: card.seq, role: ctx.role, canAct: ctx.canAct(), el });
      return el;
    }));
    return cards.length;
  }

  function render(change) {
    const active = document.activeElement;
    const activeCard = active && list.contains(active) ? active.closest("[data-card-id]") : null;
    const activeAction = active && active.dataset ? active.dataset.action : null;
    const shown = drawCards(change);

    // A card re-drawn under the keyboard keeps the keyboard: focus its new twin.
    if (activeCard && !list.contains(active)) {
      const twin = list.querySelector(`[data-card-id="${activeCard.dataset.cardId}"]`);
      const target = twin && (twin.querySelector(`[data-action="${activeAction}"]`)
        || twin.querySelector("button"));
      if (target) target.focus();
    }

    const total = ctx.store.visibleCards().length;
    $("cards-total").textContent = total ? `(${total})` : "";
    $("cards-empty").hidden = shown > 0;
    $("cards-empty").textContent = emptyWords(ctx, filter);
    const filterFocus = active && $("filters").contains(active) ? active.dataset.filter : null;
    fill($("filters"), filterButtons(ctx, filter, choose));
    if (filterFocus) {
      const again = $("filters").querySelector(`[data-filter="${filterFocus}"]`);
      if (again) again.focus();
    }
    spotlightStrip(ctx);
    answerRound();

    if (change.type === "snapshot") ready = true;
    else if (ready && change.type === "card.created" && change.card) {
      announce(`New ${describe(change.card)}: ${change.card.text}`);
    }
  }

  return { render };
}

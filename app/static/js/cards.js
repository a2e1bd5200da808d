// One way to draw a card, shared by the board, the console and the phone, so a request
// looks like a request wherever it appears. Kinds differ by colour AND by icon and word.

import { ANSWER_LABEL, PROGRESS_LABEL, KIND_LABEL, h, personLabel, personName, orgChip } from "./dom.js";

const KIND_ICON = { request: "→", ask: "?", offer: "+" };

/** The badge naming a card's kind. */
export function kindBadge(kind) {
  return h("span", { class: `kind-badge kind-${kind}` },
    h("span", { class: "kind-icon", attrs: { "aria-hidden": "true" }, text: KIND_ICON[kind] }),
    h("span", { text: KIND_LABEL[kind] }));
}

/** A request's answer as a badge; "Answered" while the answer is held; null while open. */
export function answerBadge(card) {
  if (card.kind !== "request") return null;
  if (card.status === "answered") {
    return h("span", { class: "answer answer-held", text: "Answered — to be revealed" });
  }
  if (!ANSWER_LABEL[card.status]) return null;
  return h("span", { class: `answer answer-${card.status}`, text: ANSWER_LABEL[card.status] });
}

/** "Sam (Work Programme) → Alex (Borough Council)", or "→ Borough Council". */
export function route(card) {
  const to = card.to || {};
  const target = to.participant
    ? personLabel(to.participant)
    : h("span", { class: "person" }, orgChip(to.organisation));
  return h("p", { class: "card-route" },
    personLabel(card.author),
    h("span", { class: "arrow", attrs: { "aria-hidden": "true" }, text: " → " }),
    h("span", { class: "visually-hidden", text: " to " }),
    target,
    to.participant && to.organisation && to.organisation !== to.participant.organisation
      ? h("span", { class: "also", text: ` and ${to.organisation}` }) : null);
}

/**
 * The card as an <article>.
 * options: {store: RoomStore (to name the card an offer replies to), actions: [elements],
 *           large: bool}
 */
export function renderCard(card, options = {}) {
  const classes = ["card", `card-${card.kind}`];
  if (card.commitment) classes.push("is-commitment");
  if (card.hidden) classes.push("is-hidden");
  if (card.spotlight) classes.push("is-spotlight");
  if (card.status === "withdrawn") classes.push("is-withdrawn");
  if (options.large) classes.push("card-large");

  const latest = card.replies && card.replies.length ? card.replies[card.replies.length - 1] : null;
  let inReplyTo = null;
  if (card.reply_to && options.store) {
    const parent = options.store.cards.get(card.reply_to);
    if (parent) {
      inReplyTo = h("p", { class: "card-context" },
        h("span", { text: `In reply to ${personName(parent.author)}: ` }),
        h("q", { text: parent.text }));
    }
  }
  return h("article", { class: classes.join(" "), dataset: { cardId: String(card.id) },
                        attrs: { "aria-label": `${KIND_LABEL[card.kind]} from ${personName(card.author)}` } },
    h("header", { class: "card-head" },
      kindBadge(card.kind),
      answerBadge(card),
      card.status === "accepted" ? h("span", { class: "answer answer-yes", text: "Accepted" }) : null,
      card.hidden ? h("span", { class: "flag flag-hidden", text: "Hidden" }) : null,
      card.status === "withdrawn" ? h("span", { class: "flag", text: "Withdrawn" }) : null),
    card.kind === "request" ? route(card) : h("p", { class: "card-route" }, personLabel(card.author)),
    inReplyTo,
    h("p", { class: "card-text", text: card.text }),
    latest && latest.note
      ? h("p", { class: "card-note" }, h("q", { text: latest.note }),
          h("span", { class: "note-by", text: ` — ${latest.by ? latest.by.name : ""}` }))
      : null,
    card.commitment ? commitmentLine(card.commitment) : null,
    options.actions && options.actions.length ? h("div", { class: "card-actions" }, options.actions) : null);
}

/** "✓ Commitment · Alex (Borough Council) · In progress" */
export function commitmentLine(commitment) {
  return h("p", { class: "card-commitment" },
    h("span", { class: "commit-icon", attrs: { "aria-hidden": "true" }, text: "✓" }),
    h("span", { class: "commit-word", text: "Commitment" }),
    h("span", { class: "commit-owner" }, personLabel(commitment.owner)),
    h("span", { class: `progress progress-${commitment.progress}`,
                text: PROGRESS_LABEL[commitment.progress] || commitment.progress }));
}

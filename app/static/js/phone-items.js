// The cards in the phone's lists, each with what I can do on it: answer a request asked of
// me (with a note), accept an offer to my ask, report my commitment's progress, withdraw
// my own card, offer help on someone else's ask; and my posts still in the outbox.

import { ANSWERS, ANSWER_LABEL, PROGRESS, h, personLabel } from "./dom.js";
import { kindBadge, renderCard } from "./cards.js";
import { progressUpdatedBy } from "./phone-mine.js";
import { HELD, beneficiary, capitalName, shownAs } from "./phone-words.js";

const WAITING_OFFLINE = "Waiting to send — it will be sent when you're back online";
const WAITING_SERVER = "Waiting to send — the server did not answer; it will be tried again";

function btn(label, props = {}) {
  return h("button", {
    class: `btn ${props.class || ""}`.trim(),
    attrs: { type: "button", "aria-pressed": props.pressed, disabled: props.disabled },
    dataset: props.focus ? { focus: props.focus } : {},
    on: { click: props.onClick },
  }, props.children || label);
}

/** On my own card: how the room sees my name, when it is not my name. */
function shownAsLine(card) {
  const words = shownAs(card);
  if (!words) return null;
  return h("p", { class: "ph-shown-as" },
    h("span", { class: "ph-shown-as-icon", attrs: { "aria-hidden": "true" }, text: "◐" }),
    "Shown to the room as: ", h("strong", { text: words }));
}

export function pendingItem(item, { me, lastFailure }) {
  const server = lastFailure && !lastFailure.offline;
  const identity = item.body.identity && item.body.identity !== "named"
    ? shownAs({ identity: item.body.identity, author: me }) : null;
  return h("article", { class: `card card-${item.body.kind} is-pending`, dataset: { clientId: item.client_id } },
    h("header", { class: "card-head" }, kindBadge(item.body.kind),
      h("span", { class: "flag flag-pending", text: "Not sent yet" })),
    h("p", { class: "card-route", text: item.summary || "" }),
    h("p", { class: "card-text", text: item.body.text }),
    identity ? h("p", { class: "ph-shown-as" }, "Shown to the room as: ", h("strong", { text: identity })) : null,
    h("p", { class: "ph-waiting" },
      h("span", { class: "ph-waiting-icon", attrs: { "aria-hidden": "true" } }),
      server ? WAITING_SERVER : WAITING_OFFLINE));
}

export function refusedItem(item, dismiss) {
  return h("article", { class: `card card-${item.body.kind} is-refused`, dataset: { clientId: item.client_id } },
    h("header", { class: "card-head" }, kindBadge(item.body.kind),
      h("span", { class: "flag flag-refused", text: "Not sent" })),
    h("p", { class: "card-route", text: item.summary || "" }),
    h("p", { class: "card-text", text: item.body.text }),
    h("p", { class: "error-text", attrs: { role: "alert" }, text: item.why }),
    h("div", { class: "card-actions" },
      btn("Dismiss", { class: "btn-small", focus: "dismiss", onClick: () => dismiss(item.client_id) })));
}

/**
 * The items of the lists, drawn for `lists` (phone-lists.js): its context now (`ctx`),
 * each card's controls' state (`state(id)`, `touch`, `run`), the notes being typed
 * (`drafts`), the page's `actions` and `offersTo(id)` on my side of the room.
 */
export class ListItems {
  constructor(lists) {
    this.lists = lists;
  }

  get ctx() {
    return this.lists.ctx;
  }

  state(id) {
    return this.lists.state(id);
  }

  errorLine(id) {
    const { error } = this.state(id);
    return error ? h("p", { class: "error-text ph-card-error", attrs: { role: "alert" }, text: error }) : null;
  }

  withdrawControls(card) {
    if (this.ctx.state === "closed") return null;
    const { lists } = this;
    const s = this.state(card.id);
    if (!s.confirm) {
      return btn("Withdraw", { class: "btn-small btn-quiet", focus: "withdraw",
        onClick: () => lists.touch(card.id, { confirm: true }, "withdraw-yes") });
    }
    return h("div", { class: "ph-confirm", attrs: { role: "group", "aria-label": "Withdraw this card?" } },
      h("p", { text: "Withdraw it? It leaves the board for everyone." }),
      btn("Yes, withdraw", { class: "btn-small btn-danger", focus: "withdraw-yes", disabled: s.busy,
        onClick: () => lists.run(card.id, () => lists.actions.withdraw(card)) }),
      btn("Keep it", { class: "btn-small", focus: "withdraw-no",
        onClick: () => lists.touch(card.id, { confirm: false }, "withdraw") }));
  }

  /** A request asked of me, answered: who answered what, and Change the answer. */
  answeredControls(card, latest) {
    const { ctx, lists } = this;
    const s = this.state(card.id);
    const held = card.answer_revealed === false;
    const who = latest.by && latest.by.id === ctx.me.id ? "You" : capitalName(latest.by);
    return [
      h("p", { class: `ph-result ph-result-${card.status}`, attrs: { tabindex: "-1" }, dataset: { focus: "result" } },
        `${who} answered: `, h("strong", { text: ANSWER_LABEL[card.status] || card.status })),
      held ? h("p", { class: "ph-held", text: HELD }) : null,
      // Not while the answer is still being saved: its end would close the change again.
      ctx.state === "closed" ? null : btn("Change the answer", { class: "btn-small btn-quiet", focus: "change",
        disabled: s.busy, onClick: () => lists.touch(card.id, { changing: true }, "answer-yes") }),
    ];
  }

  /** A request asked of me, to answer: a note and the four answers. */
  answerButtons(card) {
    const { lists } = this;
    const s = this.state(card.id);
    const noteId = `note-${card.id}`;
    const note = h("input", {
      attrs: { id: noteId, type: "text", maxlength: "500", autocomplete: "off", value: lists.drafts.get(card.id) || null },
      dataset: { focus: "note" },
      on: { input: (event) => lists.drafts.set(card.id, event.target.value) },
    });
    const answer = (value) => lists.run(card.id, async () => {
      const error = await lists.actions.reply(card, value, (lists.drafts.get(card.id) || "").trim());
      if (!error) lists.drafts.delete(card.id);
      return error;
    }, "result");
    return [
      h("div", { class: "field ph-note" },
        h("label", { attrs: { for: noteId }, text: "Note (optional)" }), note),
      h("div", { class: "ph-answers", attrs: { role: "group", "aria-label": "Your answer" } },
        ANSWERS.map((a) => btn(a.label, {
          class: `ph-answer ph-answer-${a.value}`, focus: `answer-${a.value}`, disabled: s.busy,
          pressed: s.changing ? String(card.status === a.value) : undefined,
          onClick: () => answer(a.value),
        }))),
      s.changing ? btn("Keep the answer", { class: "btn-small btn-quiet", focus: "keep",
        onClick: () => lists.touch(card.id, { changing: false }, "result") }) : null,
    ];
  }

  answerControls(card) {
    const { ctx, lists } = this;
    const s = this.state(card.id);
    const latest = card.replies.length ? card.replies[card.replies.length - 1] : null;
    if (latest && !s.changing) return this.answeredControls(card, latest);
    if (card.status === "answered" && !s.changing) {
      // Someone else of my organisation answered while answers are held.
      return [
        h("p", { class: "ph-result", attrs: { tabindex: "-1" }, dataset: { focus: "result" },
          text: "Answered by someone from your organisation — to be revealed." }),
        ctx.state === "closed" ? null : btn("Give your own answer", { class: "btn-small btn-quiet", focus: "change",
          disabled: s.busy, onClick: () => lists.touch(card.id, { changing: true }, "answer-yes") }),
      ];
    }
    if (ctx.state === "closed") {
      return h("p", { class: "ph-muted", text: "Not answered: the meeting has closed." });
    }
    return this.answerButtons(card);
  }

  offerRow(offer, parent) {
    const { lists } = this;
    const accepted = offer.status === "accepted";
    return h("div", { class: `ph-offer${accepted ? " is-accepted" : ""}` },
      h("p", { class: "ph-offer-who" }, kindBadge("offer"), personLabel(offer.author)),
      h("p", { class: "card-text", text: offer.text }),
      accepted
        ? h("p", { class: "ph-accepted" },
            h("span", { attrs: { "aria-hidden": "true" }, text: "✓ " }), "Accepted — a commitment")
        : this.ctx.state === "closed" ? null
          : btn("Accept", { class: "btn-primary ph-accept", focus: `accept-${offer.id}`,
              disabled: this.state(parent.id).busy,
              onClick: () => lists.run(parent.id, () => lists.actions.accept(offer)) }));
  }

  progressControls(card) {
    const { lists } = this;
    const current = card.commitment.progress;
    return h("div", { class: "ph-progress-group", attrs: { role: "group", "aria-label": "Progress" } },
      PROGRESS.map((p) => btn(p.label, {
        class: `ph-progress ph-progress-${p.value}`, focus: `progress-${p.value}`,
        pressed: String(current === p.value), disabled: this.state(card.id).busy,
        onClick: () => {
          if (current !== p.value) lists.run(card.id, () => lists.actions.progress(card, p.value), `progress-${p.value}`);
        },
      })));
  }

  // renderCard looks up what an offer replies to in `store.cards`: give it my side's view.
  draw(card, ui) {
    return renderCard(card, { store: { cards: { get: this.ctx.own.get } }, actions: [
      h("div", { class: "ph-card-ui" }, ...ui),
    ] });
  }

  /** Someone else's ask, as the room sees it (an anonymous one without its author). */
  roomAskItem(card) {
    const { ctx } = this;
    const offers = ctx.room.offersTo(card.id);
    const mine = offers.filter((o) => ctx.own.authored.has(o.id)).length;
    let words = offers.length === 1 ? "1 offer so far" : `${offers.length} offers so far`;
    if (!offers.length) words = "No offers yet";
    if (mine) words += mine === 1 ? ", one of them yours" : `, ${mine} of them yours`;
    return renderCard(card, { actions: [h("div", { class: "ph-card-ui" },
      card.spotlight ? h("p", { class: "ph-spotlight" },
        h("span", { attrs: { "aria-hidden": "true" }, text: "★ " }), "In the spotlight now") : null,
      h("p", { class: "ph-muted", text: `${words}.` }),
      btn("Offer help", { class: "btn-primary ph-offer-help", focus: "offer-help",
        onClick: () => this.lists.actions.offerHelp(card) }))] });
  }

  askedItem(card) {
    return this.draw(card, [this.answerControls(card), this.errorLine(card.id)]);
  }

  myAskItem(card) {
    const offers = this.lists.offersTo(card.id);
    let status = null;
    if (card.kind === "request" && card.status === "answered") {
      status = h("p", { class: "ph-held", text: HELD });  // the badge above says "Answered — to be revealed"
    } else if (offers.length) {
      status = h("div", { class: "ph-offers" },
        h("h3", { text: offers.length === 1 ? "1 offer" : `${offers.length} offers` }),
        offers.map((offer) => this.offerRow(offer, card)));
    } else if (card.kind === "ask") {
      status = h("p", { class: "ph-muted", text: "No offers yet." });
    } else if (card.status === "open") {
      status = h("p", { class: "ph-muted", text: "Waiting for an answer." });
    }
    return this.draw(card, [shownAsLine(card), status, this.errorLine(card.id), this.withdrawControls(card)]);
  }

  myOfferItem(card) {
    return this.draw(card, [shownAsLine(card), this.errorLine(card.id), this.withdrawControls(card)]);
  }

  commitmentItem(card) {
    const { me, own } = this.ctx;
    const owner = card.commitment.owner;
    const mine = Boolean(owner && owner.id === me.id);
    const forWhom = beneficiary(card, own);
    // null is also an author anonymous to the room: then it is for "Anonymous".
    const parent = card.kind === "offer" && card.reply_to ? own.get(card.reply_to) : null;
    const forSomeone = card.kind === "request" || Boolean(parent);
    let line;
    if (mine) {
      line = forSomeone && !(forWhom && forWhom.id === me.id)
        ? h("p", { class: "ph-for" }, "You will do this, for ", personLabel(forWhom))
        : h("p", { class: "ph-for", text: "You will do this." });
    } else {
      line = h("p", { class: "ph-for", text: `${capitalName(owner)} will do this for you.` });
    }
    const held = card.answer_revealed === false ? h("p", { class: "ph-held", text: HELD }) : null;
    const authoredByMe = Boolean(card.author && card.author.id === me.id);
    return this.draw(card, [line, held, progressUpdatedBy(card, me),
      authoredByMe ? shownAsLine(card) : null, this.progressControls(card),
      this.errorLine(card.id), mine && card.kind === "offer" && authoredByMe ? this.withdrawControls(card) : null]);
  }
}

// The phone's lists below the composer: Asks in the room (others' asks, each with Offer
// help), Waiting to send, Asked of me, My asks, My offers, My commitments. They draw my own side of the room (phone-mine.js: /mine merged with the
// live store), which knows my anonymous cards and my held answers. Each card keeps its
// element while nothing about it changes, so a note being typed or a focused button
// survives the room's other events.

import { ANSWERS, ANSWER_LABEL, PROGRESS, h, personLabel, personName } from "./dom.js";
import { kindBadge, renderCard } from "./cards.js";
import { isAskedOfMe, progressUpdatedBy } from "./phone-mine.js";

export { isAskedOfMe };

const WAITING_OFFLINE = "Waiting to send — it will be sent when you're back online";
const WAITING_SERVER = "Waiting to send — the server did not answer; it will be tried again";
export const HELD = "The facilitator will reveal answers to the room together.";

/** Whom a commitment is for: the requester, or the author of the ask an offer answers.
 * `cards` has get(id) (a RoomStore's map, or my own side's view). */
export function beneficiary(card, cards) {
  if (card.kind === "request") return card.author;
  const parent = card.reply_to ? cards.get(card.reply_to) : null;
  return parent ? parent.author : null;
}

/** "Sam" → "Sam"; "someone from NHS CCG" → "Someone from NHS CCG", for the start of a line. */
export function capitalName(person) {
  const name = personName(person);
  return person && person.name ? name : name.charAt(0).toUpperCase() + name.slice(1);
}

/** How the room sees the author of my own card, or null when it sees my name. */
export function shownAs(card) {
  if (card.identity === "anonymous") return "Anonymous";
  if (card.identity === "organisation") {
    const organisation = card.author && card.author.organisation;
    return organisation ? `Someone from ${organisation}` : "Anonymous";
  }
  return null;
}

/**
 * @param {object} actions  reply(card, answer, note), accept(offer), withdraw(card),
 *   progress(card, value): each → Promise<string|null> (an error sentence, or null);
 *   offerHelp(card): open the composer on an offer in reply to that ask
 */
export function createLists(actions) {
  const ui = new Map();      // card id → {changing, confirm, error, version}
  const drafts = new Map();  // card id → the note being typed
  const caches = new WeakMap();
  let ctx = null;
  let first = true;
  let focusWanted = null;    // {key: card key, focus: data-focus} after the next render

  function state(id) {
    if (!ui.has(id)) ui.set(id, { changing: false, confirm: false, error: "", version: 0 });
    return ui.get(id);
  }

  function touch(id, patch, focus) {
    Object.assign(state(id), patch);
    state(id).version += 1;
    if (focus) focusWanted = { id, focus };
    render(ctx);
  }

  /** Run an action; show its error on the card, or nothing when it worked. */
  async function run(id, action, focus) {
    touch(id, { error: "", busy: true });
    const error = await action();
    touch(id, { error: error || "", busy: false, ...(error ? {} : { changing: false, confirm: false }) },
      error ? null : focus);
  }

  // --- pieces --------------------------------------------------------------------------

  const btn = (label, props = {}) => h("button", {
    class: `btn ${props.class || ""}`.trim(),
    attrs: { type: "button", "aria-pressed": props.pressed, disabled: props.disabled },
    dataset: props.focus ? { focus: props.focus } : {},
    on: { click: props.onClick },
  }, props.children || label);

  function errorLine(id) {
    const { error } = state(id);
    return error ? h("p", { class: "error-text ph-card-error", attrs: { role: "alert" }, text: error }) : null;
  }

  function withdrawControls(card) {
    if (ctx.state === "closed") return null;
    const s = state(card.id);
    if (!s.confirm) {
      return btn("Withdraw", { class: "btn-small btn-quiet", focus: "withdraw",
        onClick: () => touch(card.id, { confirm: true }, "withdraw-yes") });
    }
    return h("div", { class: "ph-confirm", attrs: { role: "group", "aria-label": "Withdraw this card?" } },
      h("p", { text: "Withdraw it? It leaves the board for everyone." }),
      btn("Yes, withdraw", { class: "btn-small btn-danger", focus: "withdraw-yes", disabled: s.busy,
        onClick: () => run(card.id, () => actions.withdraw(card)) }),
      btn("Keep it", { class: "btn-small", focus: "withdraw-no",
        onClick: () => touch(card.id, { confirm: false }, "withdraw") }));
  }

  function answerControls(card) {
    const s = state(card.id);
    const latest = card.replies.length ? card.replies[card.replies.length - 1] : null;
    const held = card.answer_revealed === false;
    if (latest && !s.changing) {
      const who = latest.by && latest.by.id === ctx.me.id ? "You" : capitalName(latest.by);
      return [
        h("p", { class: `ph-result ph-result-${card.status}`, attrs: { tabindex: "-1" }, dataset: { focus: "result" } },
          `${who} answered: `, h("strong", { text: ANSWER_LABEL[card.status] || card.status })),
        held ? h("p", { class: "ph-held", text: HELD }) : null,
        // Not while the answer is still being saved: its end would close the change again.
        ctx.state === "closed" ? null : btn("Change the answer", { class: "btn-small btn-quiet", focus: "change",
          disabled: s.busy, onClick: () => touch(card.id, { changing: true }, "answer-yes") }),
      ];
    }
    if (card.status === "answered" && !s.changing) {
      // Someone else of my organisation answered while answers are held.
      return [
        h("p", { class: "ph-result", attrs: { tabindex: "-1" }, dataset: { focus: "result" },
          text: "Answered by someone from your organisation — to be revealed." }),
        ctx.state === "closed" ? null : btn("Give your own answer", { class: "btn-small btn-quiet", focus: "change",
          disabled: s.busy, onClick: () => touch(card.id, { changing: true }, "answer-yes") }),
      ];
    }
    if (ctx.state === "closed") {
      return h("p", { class: "ph-muted", text: "Not answered: the meeting has closed." });
    }
    const noteId = `note-${card.id}`;
    const note = h("input", {
      attrs: { id: noteId, type: "text", maxlength: "500", autocomplete: "off", value: drafts.get(card.id) || null },
      dataset: { focus: "note" },
      on: { input: (event) => drafts.set(card.id, event.target.value) },
    });
    const answer = (value) => run(card.id, async () => {
      const error = await actions.reply(card, value, (drafts.get(card.id) || "").trim());
      if (!error) drafts.delete(card.id);
      return error;
    }, "result");
    return [
      h("div", { class: "field ph-note" },
        h("label", { attrs: { for: noteId }, text: "Note (optional)" }), note),
      h("div", { class: "ph-answers", attrs: { role: "group", "aria-label": "Your answer" } },
        ANSWERS.map((a) => btn(a.label, {
          class: `ph-answer ph-answer-${a.value}`, focus: `answer-${a.value}`, disabled: state(card.id).busy,
          pressed: s.changing ? String(card.status === a.value) : undefined,
          onClick: () => answer(a.value),
        }))),
      s.changing ? btn("Keep the answer", { class: "btn-small btn-quiet", focus: "keep",
        onClick: () => touch(card.id, { changing: false }, "result") }) : null,
    ];
  }

  function offerRow(offer, parent) {
    const accepted = offer.status === "accepted";
    return h("div", { class: `ph-offer${accepted ? " is-accepted" : ""}` },
      h("p", { class: "ph-offer-who" }, kindBadge("offer"), personLabel(offer.author)),
      h("p", { class: "card-text", text: offer.text }),
      accepted
        ? h("p", { class: "ph-accepted" },
            h("span", { attrs: { "aria-hidden": "true" }, text: "✓ " }), "Accepted — a commitment")
        : ctx.state === "closed" ? null
          : btn("Accept", { class: "btn-primary ph-accept", focus: `accept-${offer.id}`,
              disabled: state(parent.id).busy,
              onClick: () => run(parent.id, () => actions.accept(offer)) }));
  }

  function progressControls(card) {
    const current = card.commitment.progress;
    return h("div", { class: "ph-progress-group", attrs: { role: "group", "aria-label": "Progress" } },
      PROGRESS.map((p) => btn(p.label, {
        class: `ph-progress ph-progress-${p.value}`, focus: `progress-${p.value}`,
        pressed: String(current === p.value), disabled: state(card.id).busy,
        onClick: () => { if (current !== p.value) run(card.id, () => actions.progress(card, p.value), `progress-${p.value}`); },
      })));
  }

  // --- the sections ----------------------------------------------------------------

  /** On my own card: how the room sees my name, when it is not my name. */
  function shownAsLine(card) {
    const words = shownAs(card);
    if (!words) return null;
    return h("p", { class: "ph-shown-as" },
      h("span", { class: "ph-shown-as-icon", attrs: { "aria-hidden": "true" }, text: "◐" }),
      "Shown to the room as: ", h("strong", { text: words }));
  }

  // renderCard looks up what an offer replies to in `store.cards`: give it my side's view.
  const draw = (card, ui) => renderCard(card, { store: { cards: { get: ctx.own.get } }, actions: [
    h("div", { class: "ph-card-ui" }, ...ui),
  ] });

  /** Someone else's ask, as the room sees it (an anonymous one without its author). */
  function roomAskItem(card) {
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
        onClick: () => actions.offerHelp(card) }))] });
  }

  function askedItem(card) {
    return draw(card, [answerControls(card), errorLine(card.id)]);
  }

  function myAskItem(card) {
    const offers = offersTo(card.id);
    let status = null;
    if (card.kind === "request" && card.status === "answered") {
      status = h("p", { class: "ph-held", text: HELD });  // the badge above says "Answered — to be revealed"
    } else if (offers.length) {
      status = h("div", { class: "ph-offers" },
        h("h3", { text: offers.length === 1 ? "1 offer" : `${offers.length} offers` }),
        offers.map((offer) => offerRow(offer, card)));
    } else if (card.kind === "ask") {
      status = h("p", { class: "ph-muted", text: "No offers yet." });
    } else if (card.status === "open") {
      status = h("p", { class: "ph-muted", text: "Waiting for an answer." });
    }
    return draw(card, [shownAsLine(card), status, errorLine(card.id), withdrawControls(card)]);
  }

  function myOfferItem(card) {
    return draw(card, [shownAsLine(card), errorLine(card.id), withdrawControls(card)]);
  }

  function commitmentItem(card) {
    const { me } = ctx;
    const owner = card.commitment.owner;
    const mine = Boolean(owner && owner.id === me.id);
    const forWhom = beneficiary(card, ctx.own);
    // null is also an author anonymous to the room: then it is for "Anonymous".
    const parent = card.kind === "offer" && card.reply_to ? ctx.own.get(card.reply_to) : null;
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
    return draw(card, [line, held, progressUpdatedBy(card, me),
      authoredByMe ? shownAsLine(card) : null, progressControls(card),
      errorLine(card.id), mine && card.kind === "offer" && authoredByMe ? withdrawControls(card) : null]);
  }

  function pendingItem(item) {
    const server = ctx.lastFailure && !ctx.lastFailure.offline;
    const identity = item.body.identity && item.body.identity !== "named"
      ? shownAs({ identity: item.body.identity, author: ctx.me }) : null;
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

  function refusedItem(item) {
    return h("article", { class: `card card-${item.body.kind} is-refused`, dataset: { clientId: item.client_id } },
      h("header", { class: "card-head" }, kindBadge(item.body.kind),
        h("span", { class: "flag flag-refused", text: "Not sent" })),
      h("p", { class: "card-route", text: item.summary || "" }),
      h("p", { class: "card-text", text: item.body.text }),
      h("p", { class: "error-text", attrs: { role: "alert" }, text: item.why }),
      h("div", { class: "card-actions" },
        btn("Dismiss", { class: "btn-small", focus: "dismiss", onClick: () => actions.dismiss(item.client_id) })));
  }

  // --- keeping elements ----------------------------------------------------------------

  /** Put entries [{key, sig, build}] in the container, rebuilding only what changed. */
  function reconcile(container, entries) {
    const cache = caches.get(container) || new Map();
    const next = new Map();
    const active = document.activeElement;
    const placed = [];
    for (const entry of entries) {
      let kept = cache.get(entry.key);
      if (!kept || kept.sig !== entry.sig) {
        const focusKey = kept && kept.el.contains(active) && active.closest("[data-focus]")
          ? active.closest("[data-focus]").dataset.focus : null;
        const el = entry.build();
        if (!kept && !first) {
          el.classList.add("arriving");
          // Moving the card later must not replay its arrival.
          el.addEventListener("animationend", () => el.classList.remove("arriving"), { once: true });
        }
        kept = { sig: entry.sig, el, focusKey };
      } else {
        kept.focusKey = null;
      }
      next.set(entry.key, kept);
      placed.push(kept);
    }
    let ref = container.firstChild;
    for (const { el } of placed) {
      if (el === ref) ref = ref.nextSibling;
      else container.insertBefore(el, ref);
    }
    while (ref) {
      const after = ref.nextSibling;
      ref.remove();
      ref = after;
    }
    for (const kept of placed) {
      if (kept.focusKey) {
        const target = kept.el.querySelector(`[data-focus="${kept.focusKey}"]`);
        if (target && !target.disabled) {
          target.focus();
        } else {
          kept.el.setAttribute("tabindex", "-1");
          kept.el.focus();
        }
        kept.focusKey = null;
      }
    }
    caches.set(container, next);
  }

  function section(name, cards, build, extraSig = () => "") {
    const list = document.getElementById(`${name}-list`);
    const empty = document.getElementById(`${name}-empty`);
    reconcile(list, cards.map((card) => ({
      key: `c${card.id}`,
      sig: `${card.seq}|${card.status}|${card.replies.length}|${card.answer_revealed}|`
        + `${card.author ? card.author.name : ""}|${ctx.state}|${state(card.id).version}|${extraSig(card)}`,
      build: () => build(card),
    })));
    if (empty) empty.hidden = cards.length > 0;
  }

  /** Offers to one of my cards, oldest first, from my own side of the room. */
  function offersTo(id) {
    return ctx.cards.filter((c) => c.kind === "offer" && c.reply_to === id).sort((a, b) => a.id - b.id);
  }

  /**
   * Draw every section from the context {me, own, state, pending, refused, lastFailure,
   * room, asks}: `own` is my side of the room (phone-mine.js view(): get(id), cards,
   * authored); `room` the public store, `asks` the others' asks to list (phone-asks.js).
   * Returns {unanswered, commitments}: counts the page shows elsewhere.
   */
  function render(next) {
    ctx = next;
    // No one signed in, or the page was emptied (a deleted room): nothing to draw.
    if (!ctx || !ctx.me || !document.getElementById("joined")) return { unanswered: 0, commitments: 0 };
    const { own, me } = ctx;
    const cards = own.cards.filter((c) => c.status !== "withdrawn");
    ctx.cards = cards;
    const newestFirst = (a, b) => b.id - a.id;

    const pending = ctx.pending;
    const refused = ctx.refused || [];
    document.getElementById("outbox").hidden = pending.length === 0 && refused.length === 0;
    document.getElementById("outbox-heading").textContent = pending.length ? "Waiting to send" : "Not sent";
    reconcile(document.getElementById("outbox-list"), [
      ...refused.map((item) => ({ key: `x${item.client_id}`, sig: "refused", build: () => refusedItem(item) })),
      ...pending.map((item) => ({
        key: item.client_id, sig: `${Boolean(ctx.lastFailure && !ctx.lastFailure.offline)}`,
        build: () => pendingItem(item),
      })),
    ]);

    section("room-asks", ctx.asks, roomAskItem, (card) => ctx.room.offersTo(card.id)
      .map((o) => `${o.id}${own.authored.has(o.id) ? "m" : ""}`).join(","));

    const asked = cards.filter((c) => isAskedOfMe(c, me));
    const unanswered = asked.filter((c) => c.status === "open");
    asked.sort((a, b) => (a.status === "open") !== (b.status === "open")
      ? (a.status === "open" ? -1 : 1) : newestFirst(a, b));
    section("asked", asked, askedItem);
    const badge = document.getElementById("asked-count");
    badge.hidden = unanswered.length === 0;
    badge.replaceChildren(String(unanswered.length),
      h("span", { class: "visually-hidden", text: " unanswered" }));

    const mine = cards.filter((c) => own.authored.has(c.id));
    // A card's look depends on its own fields and, here, on what it replies to or receives.
    const parentSig = (card) => {
      const parent = card.reply_to ? own.get(card.reply_to) : null;
      return parent ? `${parent.seq}:${parent.author ? parent.author.name : ""}` : "";
    };
    const asks = mine.filter((c) => c.kind !== "offer").sort(newestFirst);
    section("asks", asks, myAskItem,
      (card) => offersTo(card.id).map((o) => `${o.id}:${o.seq}:${o.status}`).join(","));

    const offers = mine.filter((c) => c.kind === "offer" && !c.commitment).sort(newestFirst);
    document.getElementById("offers").hidden = offers.length === 0;
    section("offers", offers, myOfferItem, parentSig);

    const commitments = cards.filter((c) => {
      if (!c.commitment) return false;
      const forWhom = beneficiary(c, own);
      return (c.commitment.owner && c.commitment.owner.id === me.id) || (forWhom && forWhom.id === me.id);
    }).sort(newestFirst);
    section("commitments", commitments, commitmentItem, parentSig);

    if (ctx.ready) first = false;  // cards of the first snapshot do not "arrive"
    if (focusWanted) {
      const { id, focus } = focusWanted;
      focusWanted = null;
      const target = document.querySelector(`[data-card-id="${id}"] [data-focus="${focus}"]`);
      // An action may end after the person has moved on (to the composer, say): focus
      // follows the card only while it is still on the card, or nowhere.
      const active = document.activeElement;
      const onCard = active && active.closest && active.closest("[data-card-id]");
      const free = !active || active === document.body || (onCard && onCard.dataset.cardId === String(id));
      if (target && free) target.focus();
    }
    return { unanswered: unanswered.length, commitments: commitments.length };
  }

  return { render };
}

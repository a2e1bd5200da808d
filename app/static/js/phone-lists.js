// The phone's lists below the composer: Waiting to send, Asked of me, My asks, My offers,
// My commitments. Each card keeps its element while nothing about it changes, so a note
// being typed or a focused button survives the room's other events.

import { ANSWERS, ANSWER_LABEL, PROGRESS, h, personLabel } from "./dom.js";
import { kindBadge, renderCard } from "./cards.js";
import { orgKey } from "./phone-composer.js";

const WAITING_OFFLINE = "Waiting to send — it will be sent when you're back online";
const WAITING_SERVER = "Waiting to send — the server did not answer; it will be tried again";

/** Whom a commitment is for: the requester, or the author of the ask an offer answers. */
export function beneficiary(card, store) {
  if (card.kind === "request") return card.author;
  const parent = card.reply_to ? store.cards.get(card.reply_to) : null;
  return parent ? parent.author : null;
}

/** Is this request addressed to me, by name or through my organisation? */
export function isAskedOfMe(card, me) {
  if (card.kind !== "request" || card.status === "withdrawn") return false;
  if (card.author && card.author.id === me.id) return false;
  const to = card.to || {};
  if (to.participant && to.participant.id === me.id) return true;
  return Boolean(me.organisation) && orgKey(to.organisation) === orgKey(me.organisation);
}

/**
 * @param {object} actions  reply(card, answer, note), accept(offer), withdraw(card),
 *   progress(card, value): each → Promise<string|null> (an error sentence, or null)
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
    if (latest && !s.changing) {
      const who = latest.by && latest.by.id === ctx.me.id ? "You" : (latest.by ? latest.by.name : "Someone");
      return [
        h("p", { class: `ph-result ph-result-${card.status}`, attrs: { tabindex: "-1" }, dataset: { focus: "result" } },
          `${who} answered: `, h("strong", { text: ANSWER_LABEL[card.status] || card.status })),
        ctx.state === "closed" ? null : btn("Change the answer", { class: "btn-small btn-quiet", focus: "change",
          onClick: () => touch(card.id, { changing: true }, "answer-yes") }),
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

  function askedItem(card) {
    return renderCard(card, { store: ctx.store, actions: [
      h("div", { class: "ph-card-ui" }, answerControls(card), errorLine(card.id)),
    ] });
  }

  function myAskItem(card) {
    const offers = ctx.store.offersTo(card.id);
    let status = null;
    if (offers.length) {
      status = h("div", { class: "ph-offers" },
        h("h3", { text: offers.length === 1 ? "1 offer" : `${offers.length} offers` }),
        offers.map((offer) => offerRow(offer, card)));
    } else if (card.kind === "ask") {
      status = h("p", { class: "ph-muted", text: "No offers yet." });
    } else if (card.status === "open") {
      status = h("p", { class: "ph-muted", text: "Waiting for an answer." });
    }
    return renderCard(card, { store: ctx.store, actions: [
      h("div", { class: "ph-card-ui" }, status, errorLine(card.id), withdrawControls(card)),
    ] });
  }

  function myOfferItem(card) {
    return renderCard(card, { store: ctx.store, actions: [
      h("div", { class: "ph-card-ui" }, errorLine(card.id), withdrawControls(card)),
    ] });
  }

  function commitmentItem(card) {
    const owner = card.commitment.owner;
    const mine = owner && owner.id === ctx.me.id;
    const forWhom = beneficiary(card, ctx.store);
    let line;
    if (mine) {
      line = forWhom && forWhom.id !== ctx.me.id
        ? h("p", { class: "ph-for" }, "You will do this, for ", personLabel(forWhom))
        : h("p", { class: "ph-for", text: "You will do this." });
    } else {
      line = h("p", { class: "ph-for", text: `${owner ? owner.name : "Someone"} will do this for you.` });
    }
    return renderCard(card, { store: ctx.store, actions: [
      h("div", { class: "ph-card-ui" }, line, progressControls(card), errorLine(card.id),
        mine && card.kind === "offer" && card.author.id === ctx.me.id ? withdrawControls(card) : null),
    ] });
  }

  function pendingItem(item) {
    const server = ctx.lastFailure && !ctx.lastFailure.offline;
    return h("article", { class: `card card-${item.body.kind} is-pending`, dataset: { clientId: item.client_id } },
      h("header", { class: "card-head" }, kindBadge(item.body.kind),
        h("span", { class: "flag flag-pending", text: "Not sent yet" })),
      h("p", { class: "card-route", text: item.summary || "" }),
      h("p", { class: "card-text", text: item.body.text }),
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
      sig: `${card.seq}|${card.status}|${ctx.state}|${state(card.id).version}|${extraSig(card)}`,
      build: () => build(card),
    })));
    if (empty) empty.hidden = cards.length > 0;
  }

  /** Draw every section from the context {store, me, state, pending, lastFailure}. */
  function render(next) {
    ctx = next;
    if (!ctx || !ctx.me) return { unanswered: 0 };
    const { store, me } = ctx;
    const cards = store.visibleCards();
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

    const asked = cards.filter((c) => isAskedOfMe(c, me));
    const unanswered = asked.filter((c) => c.status === "open");
    asked.sort((a, b) => (a.status === "open") !== (b.status === "open")
      ? (a.status === "open" ? -1 : 1) : newestFirst(a, b));
    section("asked", asked, askedItem);
    const badge = document.getElementById("asked-count");
    badge.hidden = unanswered.length === 0;
    badge.replaceChildren(String(unanswered.length),
      h("span", { class: "visually-hidden", text: " unanswered" }));

    const mine = cards.filter((c) => c.author && c.author.id === me.id);
    const asks = mine.filter((c) => c.kind !== "offer").sort(newestFirst);
    section("asks", asks, myAskItem,
      (card) => store.offersTo(card.id).map((o) => `${o.id}:${o.seq}`).join(","));

    const offers = mine.filter((c) => c.kind === "offer" && !c.commitment).sort(newestFirst);
    document.getElementById("offers").hidden = offers.length === 0;
    section("offers", offers, myOfferItem,
      (card) => (card.reply_to && store.cards.get(card.reply_to) ? store.cards.get(card.reply_to).seq : ""));

    const commitments = store.commitments().filter((c) => {
      const forWhom = beneficiary(c, store);
      return (c.commitment.owner && c.commitment.owner.id === me.id) || (forWhom && forWhom.id === me.id);
    }).sort(newestFirst);
    section("commitments", commitments, commitmentItem,
      (card) => (card.reply_to && store.cards.get(card.reply_to) ? store.cards.get(card.reply_to).seq : ""));

    if (store.room) first = false;  // cards of the first snapshot do not "arrive"
    if (focusWanted) {
      const { id, focus } = focusWanted;
      focusWanted = null;
      const target = document.querySelector(`[data-card-id="${id}"] [data-focus="${focus}"]`);
      if (target) target.focus();
    }
    return { unanswered: unanswered.length };
  }

  return { render };
}

// The phone's lists below the composer: Asks in the room (others' asks, each with Offer
// help), Waiting to send, Asked of me, My asks, My offers, My commitments. They draw my
// own side of the room (phone-mine.js: /mine merged with the live store), which knows my
// anonymous cards and my held answers. Each card keeps its element while nothing about it
// changes, so a note being typed or a focused button survives the room's other events.
// What each card shows, and the controls on it: phone-items.js.

import { h } from "./dom.js";
import { isAskedOfMe } from "./phone-mine.js";
import { beneficiary } from "./phone-words.js";
import { ListItems, pendingItem, refusedItem } from "./phone-items.js";

const newestFirst = (a, b) => b.id - a.id;

/**
 * @param {object} actions  reply(card, answer, note), accept(offer), withdraw(card),
 *   progress(card, value): each → Promise<string|null> (an error sentence, or null);
 *   offerHelp(card): open the composer on an offer in reply to that ask;
 *   dismiss(clientId): forget a refused post
 */
export function createLists(actions) {
  return new Lists(actions);
}

/** Where the keyboard was in `el`, by its data-focus name, if it was there. */
function focusIn(el, active) {
  return el.contains(active) && active.closest("[data-focus]")
    ? active.closest("[data-focus]").dataset.focus : null;
}

/** Put the elements in the container in this order, moving only what must move. */
function placeAll(container, placed) {
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
}

/** A rebuilt card gets the keyboard back where it was on the old one (or the card). */
function refocus(placed) {
  for (const kept of placed) {
    if (!kept.focusKey) continue;
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

class Lists {
  constructor(actions) {
    this.actions = actions;
    this.ui = new Map();      // card id → {changing, confirm, error, busy, version}
    this.drafts = new Map();  // card id → the note being typed
    this.caches = new WeakMap();
    this.ctx = null;
    this.first = true;
    this.focusWanted = null;  // {id: card id, focus: data-focus} after the next render
    this.items = new ListItems(this);
  }

  state(id) {
    if (!this.ui.has(id)) this.ui.set(id, { changing: false, confirm: false, error: "", version: 0 });
    return this.ui.get(id);
  }

  touch(id, patch, focus) {
    Object.assign(this.state(id), patch);
    this.state(id).version += 1;
    if (focus) this.focusWanted = { id, focus };
    this.render(this.ctx);
  }

  /** Run an action; show its error on the card, or nothing when it worked. */
  async run(id, action, focus) {
    this.touch(id, { error: "", busy: true });
    const error = await action();
    this.touch(id, { error: error || "", busy: false, ...(error ? {} : { changing: false, confirm: false }) },
      error ? null : focus);
  }

  /** Offers to one of my cards, oldest first, from my own side of the room. */
  offersTo(id) {
    return this.ctx.cards.filter((c) => c.kind === "offer" && c.reply_to === id).sort((a, b) => a.id - b.id);
  }

  // --- keeping elements ----------------------------------------------------------------

  /** Put entries [{key, sig, build}] in the container, rebuilding only what changed. */
  reconcile(container, entries) {
    const cache = this.caches.get(container) || new Map();
    const next = new Map();
    const active = document.activeElement;
    const placed = [];
    for (const entry of entries) {
      let kept = cache.get(entry.key);
      if (!kept || kept.sig !== entry.sig) {
        const focusKey = kept ? focusIn(kept.el, active) : null;
        const el = entry.build();
        if (!kept && !this.first) {
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
    placeAll(container, placed);
    refocus(placed);
    this.caches.set(container, next);
  }

  section(name, cards, build, extraSig = () => "") {
    const list = document.getElementById(`${name}-list`);
    const empty = document.getElementById(`${name}-empty`);
    const { ctx } = this;
    this.reconcile(list, cards.map((card) => ({
      key: `c${card.id}`,
      sig: `${card.seq}|${card.status}|${card.replies.length}|${card.answer_revealed}|`
        + `${card.author ? card.author.name : ""}|${ctx.state}|${this.state(card.id).version}|${extraSig(card)}`,
      build: () => build(card),
    })));
    if (empty) empty.hidden = cards.length > 0;
  }

  // --- the sections ----------------------------------------------------------------

  renderOutbox() {
    const { ctx } = this;
    const pending = ctx.pending;
    const refused = ctx.refused || [];
    document.getElementById("outbox").hidden = pending.length === 0 && refused.length === 0;
    document.getElementById("outbox-heading").textContent = pending.length ? "Waiting to send" : "Not sent";
    this.reconcile(document.getElementById("outbox-list"), [
      ...refused.map((item) => ({
        key: `x${item.client_id}`, sig: "refused", build: () => refusedItem(item, this.actions.dismiss),
      })),
      ...pending.map((item) => ({
        key: item.client_id, sig: `${Boolean(ctx.lastFailure && !ctx.lastFailure.offline)}`,
        build: () => pendingItem(item, ctx),
      })),
    ]);
  }

  /** Asked of me, the unanswered first; returns how many wait for my answer. */
  renderAsked(cards) {
    const { me } = this.ctx;
    const asked = cards.filter((c) => isAskedOfMe(c, me));
    const unanswered = asked.filter((c) => c.status === "open");
    asked.sort((a, b) => (a.status === "open") !== (b.status === "open")
      ? (a.status === "open" ? -1 : 1) : newestFirst(a, b));
    this.section("asked", asked, (card) => this.items.askedItem(card));
    const badge = document.getElementById("asked-count");
    badge.hidden = unanswered.length === 0;
    badge.replaceChildren(String(unanswered.length),
      h("span", { class: "visually-hidden", text: " unanswered" }));
    return unanswered.length;
  }

  /** My asks and my offers; returns the signature of a card's parent (for others). */
  renderMine(cards) {
    const { own } = this.ctx;
    const mine = cards.filter((c) => own.authored.has(c.id));
    // A card's look depends on its own fields and, here, on what it replies to or receives.
    const parentSig = (card) => {
      const parent = card.reply_to ? own.get(card.reply_to) : null;
      return parent ? `${parent.seq}:${parent.author ? parent.author.name : ""}` : "";
    };
    const asks = mine.filter((c) => c.kind !== "offer").sort(newestFirst);
    this.section("asks", asks, (card) => this.items.myAskItem(card),
      (card) => this.offersTo(card.id).map((o) => `${o.id}:${o.seq}:${o.status}`).join(","));

    const offers = mine.filter((c) => c.kind === "offer" && !c.commitment).sort(newestFirst);
    document.getElementById("offers").hidden = offers.length === 0;
    this.section("offers", offers, (card) => this.items.myOfferItem(card), parentSig);
    return parentSig;
  }

  /** My commitments and those made to me; returns how many. */
  renderCommitments(cards, parentSig) {
    const { own, me } = this.ctx;
    const commitments = cards.filter((c) => {
      if (!c.commitment) return false;
      const forWhom = beneficiary(c, own);
      return (c.commitment.owner && c.commitment.owner.id === me.id) || (forWhom && forWhom.id === me.id);
    }).sort(newestFirst);
    this.section("commitments", commitments, (card) => this.items.commitmentItem(card), parentSig);
    return commitments.length;
  }

  /** After an action, focus goes where it asked, if the person is still on that card. */
  focusAfter() {
    if (!this.focusWanted) return;
    const { id, focus } = this.focusWanted;
    this.focusWanted = null;
    const target = document.querySelector(`[data-card-id="${id}"] [data-focus="${focus}"]`);
    // An action may end after the person has moved on (to the composer, say): focus
    // follows the card only while it is still on the card, or nowhere.
    const active = document.activeElement;
    const onCard = active && active.closest && active.closest("[data-card-id]");
    const free = !active || active === document.body || (onCard && onCard.dataset.cardId === String(id));
    if (target && free) target.focus();
  }

  /**
   * Draw every section from the context {me, own, state, pending, refused, lastFailure,
   * room, asks, ready}: `own` is my side of the room (phone-mine.js view(): get(id),
   * cards, authored); `room` the public store, `asks` the others' asks to list
   * (phone-asks.js). Returns {unanswered, commitments}: counts the page shows elsewhere.
   */
  render(next) {
    this.ctx = next;
    const { ctx } = this;
    // No one signed in, or the page was emptied (a deleted room): nothing to draw.
    if (!ctx || !ctx.me || !document.getElementById("joined")) return { unanswered: 0, commitments: 0 };
    const { own } = ctx;
    const cards = own.cards.filter((c) => c.status !== "withdrawn");
    ctx.cards = cards;

    this.renderOutbox();
    this.section("room-asks", ctx.asks, (card) => this.items.roomAskItem(card), (card) => ctx.room.offersTo(card.id)
      .map((o) => `${o.id}${own.authored.has(o.id) ? "m" : ""}`).join(","));
    const unanswered = this.renderAsked(cards);
    const parentSig = this.renderMine(cards);
    const commitments = this.renderCommitments(cards, parentSig);

    if (ctx.ready) this.first = false;  // cards of the first snapshot do not "arrive"
    this.focusAfter();
    return { unanswered, commitments };
  }
}

// The phone's composer: what the current prompt collects decides the form. A request
// needs a target (a person or a whole organisation, chosen in an accessible combobox);
// an offer may answer an open ask or request; an ask goes to the whole room. *Offer help*
// on an ask in the room turns the composer into an offer in reply to it, whatever the
// prompt collects. Where the prompt allows it, the author chooses how the room sees
// their name. The "sent" line sits under Send and is kept in view: it is cleared as soon
// as the form changes (another prompt, another kind, new words), so it never goes stale.

import { h, personName } from "./dom.js";
import { createReplyPicker } from "./phone-reply.js";
import { ToPicker, setError } from "./phone-to.js";
import { IdentityChoice } from "./phone-identity.js";

export const KIND_TABS = [
  { kind: "request", icon: "→", label: "Ask someone to do something differently" },
  { kind: "ask", icon: "?", label: "Ask the room for help" },
  { kind: "offer", icon: "+", label: "Offer help" },
];
const TAB_LABEL = Object.fromEntries(KIND_TABS.map((t) => [t.kind, t.label]));
const MAX_TEXT = 500;
const PLACEHOLDER = {
  request: "What could they do differently that would help you?",
  ask: "What do you need help with?",
  offer: "What could you offer — time, data, a contact, a skill?",
};

/**
 * Wire the composer already in the page.
 * @param {object} options
 *   onSend({kind, text, target, replyTo, identity, summary}) → called with a valid post;
 *     identity is null when the prompt offers no choice
 */
export function createComposer({ onSend }) {
  return new Composer(onSend);
}

/** The words under Send for a post about to go. */
function summaryOf(kind, target, parent) {
  if (kind === "request") return `To ${target.participant ? target.participant.name : target.organisation}`;
  if (kind === "ask") return "To the whole room";
  return parent ? `Offer to ${personName(parent.author)}` : "Offer to the room";
}

class Composer {
  constructor(onSend) {
    const $ = (id) => document.getElementById(id);
    this.onSend = onSend;
    this.els = {
      section: $("composer"), heading: $("composer-heading"), tabs: $("kind-tabs"),
      form: $("compose-form"), toField: $("to-field"), replyField: $("reply-field"),
      back: $("offer-back"), message: $("message"), count: $("message-count"),
      messageError: $("message-error"), sent: $("sent"),
    };
    this.store = null;
    this.me = null;
    this.authored = new Set();  // my own cards, anonymous ones too: never offered as "in reply to"
    this.collects = "any";
    this.promptId = null;       // the prompt the form was fitted to
    this.chosenKind = "request";
    this.replying = false;      // Offer help under a prompt that collects something else
    this.to = new ToPicker({ onInput: () => this.clearSent() });
    this.identity = new IdentityChoice(this.els.form);
    this.reply = createReplyPicker({ onChange: () => this.clearSent() });
    this.tabButtons = KIND_TABS.map((tab) => this.tabButton(tab));
    this.els.tabs.append(...this.tabButtons);
    this.wire();
    this.updateCount();
  }

  kind() {
    if (this.replying) return "offer";
    return this.collects === "any" ? this.chosenKind : this.collects;
  }

  tabButton(tab) {
    return h("button", {
      class: `ph-kind ph-kind-${tab.kind}`, attrs: { type: "button", "aria-pressed": "false" },
      dataset: { kind: tab.kind },
      on: { click: () => { this.chosenKind = tab.kind; this.clearErrors(); this.clearSent(); this.refresh(); } },
    }, h("span", { class: `ph-kind-icon kind-icon-${tab.kind}`, attrs: { "aria-hidden": "true" }, text: tab.icon }),
    h("span", { text: tab.label }));
  }

  wire() {
    const { els } = this;
    els.message.addEventListener("input", () => {
      this.updateCount();
      this.clearSent();
      if (els.message.value.trim()) setError(els.message, els.messageError, "");
    });
    els.back.addEventListener("click", () => {
      this.replying = false;
      this.clearErrors();
      this.clearSent();
      this.refresh();
      els.message.focus();
    });
    els.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  // --- message ------------------------------------------------------------------------

  updateCount() {
    const length = this.els.message.value.length;
    this.els.count.textContent = `${length} / ${MAX_TEXT}`;
    this.els.count.classList.toggle("is-near", length > MAX_TEXT - 50);
  }

  /** A confirmation belongs to the form it was given for; a refusal stays (its words are
   * back in the box) until the person sends again. */
  clearSent() {
    if (!this.els.sent.classList.contains("is-error")) this.els.sent.textContent = "";
  }

  /** Keep the confirmation where the thumb is: in view right after Send, below the
   * pinned prompt (scroll-padding) and above the bottom of the screen. */
  revealSent() {
    const { sent } = this.els;
    const box = sent.getBoundingClientRect();
    const top = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
    if (box.top < top || box.bottom > window.innerHeight) sent.scrollIntoView({ block: "nearest" });
  }

  clearErrors() {
    this.to.clearError();
    setError(this.els.message, this.els.messageError, "");
  }

  // --- sending ------------------------------------------------------------------------

  submit() {
    const { els } = this;
    const kind = this.kind();
    const text = els.message.value.trim();
    let problem = null;
    const target = kind === "request" ? this.to.validated() : null;
    if (kind === "request" && !target) problem = this.to.input;
    if (!text) {
      setError(els.message, els.messageError, "Write your message first.");
      problem = problem || els.message;
    }
    if (problem) {
      problem.focus();
      return;
    }
    const replyTo = kind === "offer" ? this.reply.value() : null;
    const parent = replyTo ? this.store.cards.get(replyTo) : null;
    this.onSend({ kind, text, target, replyTo, identity: this.identity.value(),
                  summary: summaryOf(kind, target, parent) });
    els.message.value = "";
    // One offer per tap of Offer help: the form goes back to what the prompt collects,
    // and the next offer starts from the spotlight again, not from the last ask by habit.
    this.replying = false;
    this.reply.reset();
    this.to.clear();
    this.updateCount();
    this.clearErrors();
    this.refresh();
    this.revealSent();
  }

  // --- refresh from the room ----------------------------------------------------------

  /** Bring the form in line with the prompt and the room. */
  refresh() {
    const { els, collects } = this;
    const kind = this.kind();
    els.tabs.hidden = collects !== "any";
    for (const button of this.tabButtons) {
      button.setAttribute("aria-pressed", button.dataset.kind === kind ? "true" : "false");
    }
    els.heading.textContent = collects === "any" ? "What would you like to send?" : TAB_LABEL[kind];
    els.section.dataset.kind = kind;
    els.section.dataset.collects = collects;
    els.toField.hidden = kind !== "request";
    els.replyField.hidden = kind !== "offer";
    els.back.hidden = !this.replying;
    this.to.refresh(kind === "request");
    if (kind === "offer") this.reply.refresh(this.store, this.me, this.authored);
    this.identity.refresh(this.store.prompt, this.me);
    els.message.placeholder = PLACEHOLDER[kind];
  }

  /** Re-fit the composer to the room; `prompt` may be null. `mine` is the set of my
   * own cards' ids (the room may not see that they are mine). */
  update(store, me, mine = new Set()) {
    this.store = store;
    this.me = me;
    this.authored = mine;
    const nextCollects = store.prompt ? store.prompt.collects : "any";
    const nextPrompt = store.prompt ? store.prompt.id : null;
    if (nextCollects !== this.collects || nextPrompt !== this.promptId) {
      // Another prompt: another form. What was confirmed for the last one goes.
      if (nextPrompt !== this.promptId) {
        this.replying = false;
        this.reply.reset();
      }
      this.collects = nextCollects;
      this.promptId = nextPrompt;
      this.clearErrors();
      this.clearSent();
    }
    this.to.update(store, me);
    this.refresh();
  }

  /** Offer help on this ask: an offer in reply to it, whatever the prompt collects. */
  offerTo(cardId) {
    if (this.collects === "any") this.chosenKind = "offer";
    else if (this.collects !== "offer") this.replying = true;
    this.clearErrors();
    this.clearSent();
    this.refresh();
    this.reply.choose(cardId);
    this.els.section.scrollIntoView({ block: "start" });
    this.els.message.focus({ preventScroll: true });
  }

  /** Show a short confirmation (or a problem) under the Send button. */
  confirm(message, { error = false } = {}) {
    this.els.sent.textContent = message;
    this.els.sent.classList.toggle("is-error", error);
  }

  /** Put a refused message back in the box, if the person has not started another. */
  restore(text) {
    if (this.els.message.value.trim()) return false;
    this.els.message.value = text;
    this.updateCount();
    return true;
  }

  kindLabel(kind) {
    return TAB_LABEL[kind];
  }
}

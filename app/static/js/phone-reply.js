// The composer's *In reply to*: the asks (and open requests) an offer may answer, as
// phone-asks.js defines them. The spotlighted one is chosen for the person until they
// choose themselves; the chosen one is quoted whole (its option is cut short on a phone);
// and with nothing to answer, a sentence says why instead of an empty list.

import { h, personName, KIND_LABEL } from "./dom.js";
import { nothingToReplyTo, offerTargets } from "./phone-asks.js";

function shorten(text, max) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Wire the picker already in the page (#reply-select and its label, quote and sentence).
 * @param onChange()  the person chose another card
 */
export function createReplyPicker({ onChange }) {
  const $ = (id) => document.getElementById(id);
  const select = $("reply-select");
  const label = $("reply-label");
  const none = $("reply-none");
  const quote = $("reply-quote");
  let store = null;
  let chosen = false;    // the person picked: the spotlight no longer moves the choice
  let signature = "";    // the options as last built

  function showQuote() {
    const parent = select.value && store ? store.cards.get(Number(select.value)) : null;
    quote.hidden = !parent;
    quote.textContent = parent ? parent.text : "";
  }

  select.addEventListener("change", () => {
    chosen = true;
    showQuote();
    onChange();
  });

  const has = (id) => [...select.options].some((o) => o.value === String(id));

  return {
    /** Bring the list in line with the room. `authored`: the ids of my own cards. */
    refresh(nextStore, me, authored) {
      store = nextStore;
      const open = offerTargets(store, me, authored);
      select.hidden = open.length === 0;
      label.hidden = open.length === 0;
      none.hidden = open.length > 0;
      if (!open.length) none.textContent = nothingToReplyTo(store, authored);
      const next = open.map((c) => `${c.id}:${c.seq}`).join(",");
      if (next !== signature) {
        signature = next;
        const keep = select.value;
        select.replaceChildren(
          h("option", { attrs: { value: "" }, text: "Nothing — a general offer" }),
          ...open.map((c) => h("option", { attrs: { value: String(c.id) },
            text: `${KIND_LABEL[c.kind]} from ${personName(c.author)}: ${shorten(c.text, 70)}` })));
        if (has(keep)) select.value = keep;
        else chosen = false;  // what they chose left the room (hidden, withdrawn)
      }
      const spotlit = open.find((c) => c.spotlight);
      if (!chosen && spotlit) select.value = String(spotlit.id);
      showQuote();
    },
    /** Answer this card, if it is one an offer may answer (Offer help on it). */
    choose(cardId) {
      if (!has(cardId)) return;
      select.value = String(cardId);
      chosen = true;
      showQuote();
    },
    /** The id of the card the offer answers, or null for a general offer. */
    value: () => (select.value ? Number(select.value) : null),
    /** After sending: the next offer starts from the spotlight, not the last ask by habit. */
    reset() {
      chosen = false;
      select.value = "";
    },
  };
}

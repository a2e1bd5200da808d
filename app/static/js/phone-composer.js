// The phone's composer: what the current prompt collects decides the form. A request
// needs a target (a person or a whole organisation, chosen in an accessible combobox);
// an offer may answer an open ask or request; an ask goes to the whole room. *Offer help*
// on an ask in the room turns the composer into an offer in reply to it, whatever the
// prompt collects. Where the prompt allows it, the author chooses how the room sees
// their name. The "sent" line sits under Send and is kept in view: it is cleared as soon
// as the form changes (another prompt, another kind, new words), so it never goes stale.

import { h, orgChip, personName } from "./dom.js";
import { createReplyPicker } from "./phone-reply.js";

export const KIND_TABS = [
  { kind: "request", icon: "→", label: "Ask someone to do something differently" },
  { kind: "ask", icon: "?", label: "Ask the room for help" },
  { kind: "offer", icon: "+", label: "Offer help" },
];
const TAB_LABEL = Object.fromEntries(KIND_TABS.map((t) => [t.kind, t.label]));
const MAX_TEXT = 500;
const MAX_OPTIONS = 30;

/** For type-ahead: lower case, accents off ("José" matches "jose"). */
function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/**
 * Wire the composer already in the page.
 * @param {object} options
 *   onSend({kind, text, target, replyTo, identity, summary}) → called with a valid post;
 *     identity is null when the prompt offers no choice
 */
export function createComposer({ onSend }) {
  const $ = (id) => document.getElementById(id);
  const els = {
    section: $("composer"), heading: $("composer-heading"), tabs: $("kind-tabs"),
    form: $("compose-form"), toField: $("to-field"), to: $("to-input"), toList: $("to-options"),
    toError: $("to-error"), toHint: $("to-hint"), replyField: $("reply-field"),
    back: $("offer-back"), message: $("message"), count: $("message-count"),
    messageError: $("message-error"), sent: $("sent"),
    identity: $("identity-field"), namedExample: $("identity-named-example"),
    orgExample: $("identity-org-example"),
  };
  let store = null;
  let me = null;
  let authored = new Set();  // my own cards, anonymous ones too: never offered as "in reply to"
  let identityPrompt = null;  // the prompt the identity choice was made under
  let collects = "any";
  let promptId = null;      // the prompt the form was fitted to
  let chosenKind = "request";
  let replying = false;     // Offer help under a prompt that collects something else
  let target = null;        // {participant} | {organisation}
  let options = [];         // the combobox's current matches
  let active = -1;          // index of the highlighted option
  let shownSignature = "";  // listSignature() of what the open list shows

  const kind = () => {
    if (replying) return "offer";
    return collects === "any" ? chosenKind : collects;
  };

  // --- kind tabs ----------------------------------------------------------------------

  const tabButtons = KIND_TABS.map((tab) => h("button", {
    class: `ph-kind ph-kind-${tab.kind}`, attrs: { type: "button", "aria-pressed": "false" },
    dataset: { kind: tab.kind },
    on: { click: () => { chosenKind = tab.kind; clearErrors(); clearSent(); refresh(); } },
  }, h("span", { class: `ph-kind-icon kind-icon-${tab.kind}`, attrs: { "aria-hidden": "true" }, text: tab.icon }),
  h("span", { text: tab.label })));
  els.tabs.append(...tabButtons);

  // --- the To combobox --------------------------------------------------------------

  /** Everyone and every organisation one may ask, excluding oneself. */
  function targets() {
    const people = [...store.participants.values()]
      .filter((p) => !me || p.id !== me.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => ({ type: "person", person: p, search: fold(`${p.name} ${p.organisation}`) }));
    const orgs = [...store.organisations().entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, members]) => ({ type: "organisation", name, size: members.length, search: fold(name) }));
    return [...people, ...orgs];
  }

  function optionLabel(option) {
    return option.type === "person"
      ? (option.person.organisation ? `${option.person.name} (${option.person.organisation})` : option.person.name)
      : option.name;
  }

  function matches(query) {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return targets().filter((t) => words.every((w) => t.search.includes(w))).slice(0, MAX_OPTIONS);
  }

  /** What the list shows, as one string: the same string, the same list. */
  function listSignature(found) {
    return found.length
      ? found.map((o) => (o.type === "person"
        ? `p${o.person.id}:${o.person.name}:${o.person.organisation}` : `o${o.name}:${o.size}`)).join("|")
      : `none:${store.participants.size > 1}`;
  }

  function openList() {
    const found = matches(els.to.value);
    active = found.length ? Math.max(0, Math.min(active, found.length - 1)) : -1;
    const signature = listSignature(found);
    options = found;
    // The room changes while someone is choosing (cards arrive, people join): rebuilding
    // the same options under their finger would swallow the tap (press on one element,
    // release on its replacement: no click). Only a list that changed is rebuilt.
    if (!els.toList.hidden && signature === shownSignature) {
      syncActive();
      return;
    }
    shownSignature = signature;
    if (!options.length) {
      fillList([h("li", { class: "combo-empty", attrs: { role: "option", "aria-disabled": "true", id: "to-none" },
        text: store.participants.size > 1 ? "Nobody matches — check the spelling" : "Nobody else has joined yet" })]);
    } else {
      fillList(options.map((option, index) => {
        const li = h("li", {
          class: `combo-option combo-${option.type}`,
          attrs: { role: "option", id: `to-option-${index}`, "aria-selected": index === active ? "true" : "false" },
          on: {
            mousedown: (event) => event.preventDefault(),  // keep focus in the input
            click: () => choose(option),
          },
        },
        option.type === "person"
          ? [h("span", { class: "combo-name", text: option.person.name }), orgChip(option.person.organisation)]
          : [orgChip(option.name),
             h("span", { class: "combo-meta", text: ` · everyone from it (${option.size} ${option.size === 1 ? "person" : "people"})` })]);
        return li;
      }));
    }
    els.toList.hidden = false;
    els.to.setAttribute("aria-expanded", "true");
    syncActive();
  }

  function fillList(items) {
    els.toList.replaceChildren(...items);
  }

  function closeList() {
    els.toList.hidden = true;
    els.to.setAttribute("aria-expanded", "false");
    els.to.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function syncActive() {
    [...els.toList.children].forEach((li, index) => {
      li.setAttribute("aria-selected", index === active ? "true" : "false");
    });
    if (active >= 0 && options[active]) {
      els.to.setAttribute("aria-activedescendant", `to-option-${active}`);
      const li = document.getElementById(`to-option-${active}`);
      if (li) li.scrollIntoView({ block: "nearest" });
    } else {
      els.to.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    target = option.type === "person" ? { participant: option.person } : { organisation: option.name };
    els.to.value = optionLabel(option);
    els.to.dataset.chosen = "true";
    setError(els.to, els.toError, "");
    closeList();
  }

  /** What the typed words name, if exactly one person or organisation fits them. */
  function resolveTyped() {
    const typed = fold(els.to.value.trim());
    if (!typed) return null;
    const all = targets();
    const exact = all.filter((t) => fold(optionLabel(t)) === typed
      || (t.type === "person" && fold(t.person.name) === typed));
    const found = exact.length === 1 ? exact : all.filter((t) => t.search.includes(typed));
    if (found.length !== 1) return null;
    const [option] = found;
    return option.type === "person" ? { participant: option.person } : { organisation: option.name };
  }

  els.to.addEventListener("input", () => {
    clearSent();
    target = null;
    delete els.to.dataset.chosen;
    active = 0;
    openList();
  });
  els.to.addEventListener("focus", () => { if (!target) openList(); });
  els.to.addEventListener("click", () => { if (els.toList.hidden) openList(); });
  els.to.addEventListener("blur", () => closeList());
  els.to.addEventListener("keydown", (event) => {
    const open = !els.toList.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) openList();
        if (options.length) active = (active + 1) % options.length;
        syncActive();
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!open) openList();
        if (options.length) active = (active - 1 + options.length) % options.length;
        syncActive();
        break;
      case "Enter":
        if (open && active >= 0 && options[active]) {
          event.preventDefault();  // choosing is not sending
          choose(options[active]);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          closeList();
        }
        break;
      default:
        break;
    }
  });

  // --- message ------------------------------------------------------------------------

  function updateCount() {
    const length = els.message.value.length;
    els.count.textContent = `${length} / ${MAX_TEXT}`;
    els.count.classList.toggle("is-near", length > MAX_TEXT - 50);
  }
  els.message.addEventListener("input", () => {
    updateCount();
    clearSent();
    if (els.message.value.trim()) setError(els.message, els.messageError, "");
  });

  function setError(input, holder, message) {
    holder.textContent = message;
    holder.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  /** A confirmation belongs to the form it was given for; a refusal stays (its words are
   * back in the box) until the person sends again. */
  function clearSent() {
    if (!els.sent.classList.contains("is-error")) els.sent.textContent = "";
  }

  /** Keep the confirmation where the thumb is: in view right after Send, below the
   * pinned prompt (scroll-padding) and above the bottom of the screen. */
  function revealSent() {
    const box = els.sent.getBoundingClientRect();
    const top = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
    if (box.top < top || box.bottom > window.innerHeight) els.sent.scrollIntoView({ block: "nearest" });
  }

  const reply = createReplyPicker({ onChange: clearSent });
  els.back.addEventListener("click", () => {
    replying = false;
    clearErrors();
    clearSent();
    refresh();
    els.message.focus();
  });

  function clearErrors() {
    setError(els.to, els.toError, "");
    setError(els.message, els.messageError, "");
  }

  // --- how the room sees my name ---------------------------------------------------------

  const identityRadio = (value) => els.form.querySelector(`input[name="identity"][value="${value}"]`);

  function chosenIdentity() {
    if (els.identity.hidden) return null;
    const checked = els.form.querySelector('input[name="identity"]:checked');
    return checked ? checked.value : "named";
  }

  /** Show the choice when the prompt offers it; a new prompt starts again from "My name". */
  function refreshIdentity() {
    const prompt = store.prompt;
    const offered = Boolean(prompt && prompt.identity_choice);
    els.identity.hidden = !offered;
    const promptId = offered ? prompt.id : null;
    if (promptId !== identityPrompt) {
      identityPrompt = promptId;
      identityRadio("named").checked = true;
    }
    if (!offered || !me) return;
    const organisation = me.organisation || "";
    els.namedExample.textContent = organisation ? `${me.name} · ${organisation}` : me.name;
    els.orgExample.textContent = organisation
      ? `“Someone from ${organisation}”`
      : "You gave no organisation when you joined";
    const orgRadio = identityRadio("organisation");
    orgRadio.disabled = !organisation;
    orgRadio.closest("label").classList.toggle("is-disabled", !organisation);
    if (orgRadio.disabled && orgRadio.checked) identityRadio("named").checked = true;
  }

  els.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const k = kind();
    const text = els.message.value.trim();
    let chosen = null;
    let problem = null;
    if (k === "request") {
      chosen = target || resolveTyped();
      if (!chosen) {
        setError(els.to, els.toError, els.to.value.trim()
          ? "Choose someone from the list: nobody in the room matches what you typed."
          : "Choose the person or organisation you are asking.");
        problem = els.to;
      } else if (chosen.participant && me && chosen.participant.id === me.id) {
        setError(els.to, els.toError, "A request goes to someone else: choose another person.");
        problem = els.to;
      }
    }
    if (!text) {
      setError(els.message, els.messageError, "Write your message first.");
      problem = problem || els.message;
    }
    if (problem) {
      problem.focus();
      return;
    }
    let replyTo = null;
    if (k === "offer") replyTo = reply.value();
    const parent = replyTo ? store.cards.get(replyTo) : null;
    let summary;
    if (k === "request") summary = `To ${chosen.participant ? chosen.participant.name : chosen.organisation}`;
    else if (k === "ask") summary = "To the whole room";
    else summary = parent ? `Offer to ${personName(parent.author)}` : "Offer to the room";
    onSend({ kind: k, text, target: chosen, replyTo, identity: chosenIdentity(), summary });
    els.message.value = "";
    // One offer per tap of Offer help: the form goes back to what the prompt collects,
    // and the next offer starts from the spotlight again, not from the last ask by habit.
    replying = false;
    reply.reset();
    // The next request is usually to someone else: never send it to the last one by habit.
    target = null;
    els.to.value = "";
    delete els.to.dataset.chosen;
    updateCount();
    clearErrors();
    refresh();
    revealSent();
  });

  // --- refresh from the room ----------------------------------------------------------

  /** Bring the form in line with the prompt and the room. */
  function refresh() {
    const k = kind();
    els.tabs.hidden = collects !== "any";
    for (const button of tabButtons) {
      button.setAttribute("aria-pressed", button.dataset.kind === k ? "true" : "false");
    }
    els.heading.textContent = collects === "any" ? "What would you like to send?" : TAB_LABEL[k];
    els.section.dataset.kind = k;
    els.section.dataset.collects = collects;
    els.toField.hidden = k !== "request";
    els.replyField.hidden = k !== "offer";
    els.back.hidden = !replying;
    if (k === "request") {
      const others = [...store.participants.values()].filter((p) => !me || p.id !== me.id).length;
      els.toHint.textContent = others
        ? "A person, or a whole organisation, in the room"
        : "Nobody else has joined yet: wait a moment";
      if (!els.toList.hidden) openList();
    } else {
      closeList();
    }
    if (k === "offer") reply.refresh(store, me, authored);
    refreshIdentity();
    els.message.placeholder = {
      request: "What could they do differently that would help you?",
      ask: "What do you need help with?",
      offer: "What could you offer — time, data, a contact, a skill?",
    }[k];
  }

  updateCount();
  return {
    /** Re-fit the composer to the room; `prompt` may be null. `mine` is the set of my
     * own cards' ids (the room may not see that they are mine). */
    update(nextStore, nextMe, mine = new Set()) {
      store = nextStore;
      me = nextMe;
      authored = mine;
      const nextCollects = store.prompt ? store.prompt.collects : "any";
      const nextPrompt = store.prompt ? store.prompt.id : null;
      if (nextCollects !== collects || nextPrompt !== promptId) {
        // Another prompt: another form. What was confirmed for the last one goes.
        if (nextPrompt !== promptId) {
          replying = false;
          reply.reset();
        }
        collects = nextCollects;
        promptId = nextPrompt;
        clearErrors();
        clearSent();
      }
      if (target && target.participant && !store.participants.has(target.participant.id)) target = null;
      refresh();
    },
    /** Offer help on this ask: an offer in reply to it, whatever the prompt collects. */
    offerTo(cardId) {
      if (collects === "any") chosenKind = "offer";
      else if (collects !== "offer") replying = true;
      clearErrors();
      clearSent();
      refresh();
      reply.choose(cardId);
      els.section.scrollIntoView({ block: "start" });
      els.message.focus({ preventScroll: true });
    },
    /** Show a short confirmation (or a problem) under the Send button. */
    confirm(message, { error = false } = {}) {
      els.sent.textContent = message;
      els.sent.classList.toggle("is-error", error);
    },
    /** Put a refused message back in the box, if the person has not started another. */
    restore(text) {
      if (els.message.value.trim()) return false;
      els.message.value = text;
      updateCount();
      return true;
    },
    kindLabel: (k) => TAB_LABEL[k],
  };
}

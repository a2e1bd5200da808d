// The composer's *To*: whom a request goes to, a person or a whole organisation in the
// room, chosen in an accessible combobox (type to narrow, arrows to move, Enter to
// choose) or typed out in full.

import { h, orgChip } from "./dom.js";

const MAX_OPTIONS = 30;

/** For type-ahead: lower case, accents off ("José" matches "jose"). */
export function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Show (or, with "", clear) a field's error under it. */
export function setError(input, holder, message) {
  holder.textContent = message;
  holder.hidden = !message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

function optionLabel(option) {
  return option.type === "person"
    ? (option.person.organisation ? `${option.person.name} (${option.person.organisation})` : option.person.name)
    : option.name;
}

const asTarget = (option) => (option.type === "person"
  ? { participant: option.person } : { organisation: option.name });

function optionItem(option, index, active, choose) {
  return h("li", {
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
       h("span", { class: "combo-meta", text: option.size
         ? ` · everyone from it (${option.size} ${option.size === 1 ? "person" : "people"})`
         : " · a member of the partnership, nobody here yet" })]);
}

export class ToPicker {
  /**
   * Wire the combobox already in the page (#to-input, #to-options, #to-error, #to-hint).
   * @param {function} onInput the person typed in it (the composer's "sent" line goes)
   */
  constructor({ onInput }) {
    const $ = (id) => document.getElementById(id);
    this.input = $("to-input");
    this.list = $("to-options");
    this.error = $("to-error");
    this.hint = $("to-hint");
    this.store = null;
    this.me = null;
    this.target = null;        // {participant} | {organisation}
    this.options = [];         // the combobox's current matches
    this.active = -1;          // index of the highlighted option
    this.shownSignature = "";  // listSignature() of what the open list shows
    this.input.addEventListener("input", () => {
      onInput();
      this.target = null;
      delete this.input.dataset.chosen;
      this.active = 0;
      this.openList();
    });
    this.input.addEventListener("focus", () => { if (!this.target) this.openList(); });
    this.input.addEventListener("click", () => { if (this.list.hidden) this.openList(); });
    this.input.addEventListener("blur", () => this.closeList());
    this.input.addEventListener("keydown", (event) => this.key(event));
  }

  /** Everyone and every organisation one may ask, excluding oneself. */
  targets() {
    const { me } = this;
    const people = [...this.store.participants.values()]
      .filter((p) => !me || p.id !== me.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((p) => ({ type: "person", person: p, search: fold(`${p.name} ${p.organisation}`) }));
    const orgs = [...this.store.organisations().entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, members]) => ({ type: "organisation", name, size: members.length, search: fold(name) }));
    return [...people, ...orgs];
  }

  matches(query) {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return this.targets().filter((t) => words.every((w) => t.search.includes(w))).slice(0, MAX_OPTIONS);
  }

  /** What the list shows, as one string: the same string, the same list. */
  listSignature(found) {
    return found.length
      ? found.map((o) => (o.type === "person"
        ? `p${o.person.id}:${o.person.name}:${o.person.organisation}` : `o${o.name}:${o.size}`)).join("|")
      : `none:${this.store.participants.size > 1}`;
  }

  openList() {
    const found = this.matches(this.input.value);
    this.active = found.length ? Math.max(0, Math.min(this.active, found.length - 1)) : -1;
    const signature = this.listSignature(found);
    this.options = found;
    // The room changes while someone is choosing (cards arrive, people join): rebuilding
    // the same options under their finger would swallow the tap (press on one element,
    // release on its replacement: no click). Only a list that changed is rebuilt.
    if (!this.list.hidden && signature === this.shownSignature) {
      this.syncActive();
      return;
    }
    this.shownSignature = signature;
    if (!found.length) {
      this.list.replaceChildren(h("li", {
        class: "combo-empty", attrs: { role: "option", "aria-disabled": "true", id: "to-none" },
        text: this.store.participants.size > 1 ? "Nobody matches — check the spelling" : "Nobody else has joined yet" }));
    } else {
      const choose = (option) => this.choose(option);
      this.list.replaceChildren(...found.map((option, index) => optionItem(option, index, this.active, choose)));
    }
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.syncActive();
  }

  closeList() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  syncActive() {
    [...this.list.children].forEach((li, index) => {
      li.setAttribute("aria-selected", index === this.active ? "true" : "false");
    });
    if (this.active >= 0 && this.options[this.active]) {
      this.input.setAttribute("aria-activedescendant", `to-option-${this.active}`);
      const li = document.getElementById(`to-option-${this.active}`);
      if (li) li.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  choose(option) {
    this.target = asTarget(option);
    this.input.value = optionLabel(option);
    this.input.dataset.chosen = "true";
    this.clearError();
    this.closeList();
  }

  key(event) {
    const open = !this.list.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) this.openList();
        if (this.options.length) this.active = (this.active + 1) % this.options.length;
        this.syncActive();
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!open) this.openList();
        if (this.options.length) this.active = (this.active - 1 + this.options.length) % this.options.length;
        this.syncActive();
        break;
      case "Enter":
        if (open && this.active >= 0 && this.options[this.active]) {
          event.preventDefault();  // choosing is not sending
          this.choose(this.options[this.active]);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          this.closeList();
        }
        break;
      default:
        break;
    }
  }

  /** What the typed words name, if exactly one person or organisation fits them. */
  resolveTyped() {
    const typed = fold(this.input.value.trim());
    if (!typed) return null;
    const all = this.targets();
    const exact = all.filter((t) => fold(optionLabel(t)) === typed
      || (t.type === "person" && fold(t.person.name) === typed));
    const found = exact.length === 1 ? exact : all.filter((t) => t.search.includes(typed));
    return found.length === 1 ? asTarget(found[0]) : null;
  }

  /** The request's target, or null with the reason shown under the field. */
  validated() {
    const chosen = this.target || this.resolveTyped();
    if (!chosen) {
      this.showError(this.input.value.trim()
        ? "Choose someone from the list: nobody in the room matches what you typed."
        : "Choose the person or organisation you are asking.");
      return null;
    }
    if (chosen.participant && this.me && chosen.participant.id === this.me.id) {
      this.showError("A request goes to someone else: choose another person.");
      return null;
    }
    return chosen;
  }

  showError(message) {
    setError(this.input, this.error, message);
  }

  clearError() {
    setError(this.input, this.error, "");
  }

  /** The next request is usually to someone else: never send it to the last one by habit. */
  clear() {
    this.target = null;
    this.input.value = "";
    delete this.input.dataset.chosen;
  }

  /** Fit to the room: someone who left is no longer the target. */
  update(store, me) {
    this.store = store;
    this.me = me;
    if (this.target && this.target.participant && !store.participants.has(this.target.participant.id)) {
      this.target = null;
    }
  }

  /** The form asks for a request (`shown`) or not: the hint follows the room. */
  refresh(shown) {
    if (!shown) {
      this.closeList();
      return;
    }
    const { me } = this;
    const others = [...this.store.participants.values()].filter((p) => !me || p.id !== me.id).length;
    const members = this.store.room && this.store.room.partnership ? "or partnership " : "";
    this.hint.textContent = others || members
      ? `A person, or a whole organisation, in the room ${members}`.trim()
      : "Nobody else has joined yet: wait a moment";
    if (!this.list.hidden) this.openList();
  }
}

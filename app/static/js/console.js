// The facilitator's console (SPEC §5, DESIGN "Console"): opened by the private link, it
// keeps the key on this device, takes it out of the address bar, works out whether it is
// the facilitator's or the organiser's, and runs the room over the live stream.

import { RoomStore } from "./store.js";
import { announce, api, connectionIndicator } from "./dom.js";
import { setUpPrompts } from "./console-prompts.js";
import { setUpCards } from "./console-cards.js";
import { setUpRoom } from "./console-room.js";
import { setUpRunSheet } from "./console-runsheet.js";
import { setUpMatters } from "./console-matters.js";
import { showCreatedNote } from "./console-share.js";
import { gateMessage, keep, keyFromAddressBar, keySlots, onKeyPasted, roleOf, stored } from "./keys.js";

const code = document.body.dataset.code;
const { facilitator: FACILITATOR_SLOT, organiser: ORGANISER_SLOT } = keySlots(code);

const $ = (id) => document.getElementById(id);

// --- the gate: no key, or a key that is not valid ---------------------------------------

function showGate(message) {
  $("console").hidden = true;
  $("gate").hidden = false;
  gateMessage(message);
}

// --- the alert line: every refused action says why -------------------------------------

function showAlert(message) {
  $("alert-text").textContent = message;
  $("alert").hidden = false;
}

function hideAlert() {
  $("alert").hidden = true;
  $("alert-text").textContent = "";
}

function errorMessage(result) {
  if (result.offline) return "You are offline: that was not sent. Try again when the connection is back.";
  if (result.status === 403) return "This console is read-only: this is the organiser's key.";
  const detail = result.data && result.data.detail;
  return detail || `Something went wrong (${result.status}); nothing was changed.`;
}

// --- a deleted room: nothing left to run ------------------------------------------------

function showDeleted() {
  for (const slot of [FACILITATOR_SLOT, ORGANISER_SLOT]) keep(slot, null);
  hideAlert();
  $("console").hidden = true;
  $("gate").hidden = true;
  $("deleted").hidden = false;
  document.body.dataset.state = "deleted";
  $("room-state").dataset.state = "deleted";
  $("room-state").textContent = "Deleted";
  $("deleted-title").focus();
}

// --- what every part of the console shares -------------------------------------------

/**
 * The context the console's parts (prompts, run sheet, cards, room) are given: the room's
 * store, the key and role, and the one way to call the API. `page` is the ConsolePage
 * that owns it (for a refusal that ends the session: a bad key, a deleted room).
 */
function consoleContext(page) {
  const { store } = page;
  const ctx = {
    code,
    store,
    key: null,
    role: null,
    joinUrl: document.body.dataset.joinUrl,
    organiserKey: () => stored(ORGANISER_SLOT),
    /** Facilitator's controls are live: the right key and a room that is not closed. */
    canAct: () => ctx.role === "facilitator" && !(store.room && store.room.state === "closed"),
    library: null,           // the prompt library, once loaded (console-prompts.js)
    sheet: null,             // the run sheet as last read (console-runsheet.js)
    plan: null,              // add a step to the run sheet (console-runsheet.js)
    /** Re-draw every part of the console (after something outside the stream changed). */
    rerender: (change = { type: "refresh" }) => { if (store.room) page.renderAll(change); },
    roomDeleted: () => page.gone(),
    /** Call the API with the key; a refusal is shown (inline when `errorEl` is given;
     * not at all when `quiet`: a background read that will be tried again). */
    async call(method, path, body, { errorEl, quiet } = {}) {
      const result = await api(method, `/api/rooms/${code}${path}`, { body, token: ctx.key });
      if (errorEl) {
        errorEl.textContent = result.ok ? "" : errorMessage(result);
        errorEl.hidden = result.ok;
      }
      if (result.ok) {
        hideAlert();
        return result;
      }
      if (result.status === 401) {
        page.denied();
        return result;
      }
      if (result.status === 404 && result.data && result.data.code === "room_not_found") {
        page.gone();
        return result;
      }
      if (quiet) return result;
      if (result.status === 403) page.setRole("organiser");
      if (!errorEl) showAlert(errorMessage(result));
      announce(errorMessage(result));
      return result;
    },
    showAlert,
    busy,
  };
  return ctx;
}

/**
 * Run one action from a button. While it runs the button is aria-disabled, not
 * disabled: a disabled button drops the keyboard focus, and the keyboard must keep
 * its place. A second press meanwhile does nothing.
 */
async function busy(button, action) {
  if (button.getAttribute("aria-busy") === "true") return null;
  button.setAttribute("aria-busy", "true");
  button.setAttribute("aria-disabled", "true");
  try {
    return await action();
  } finally {
    button.removeAttribute("aria-busy");
    button.removeAttribute("aria-disabled");
  }
}

// --- the page ----------------------------------------------------------------------------

class ConsolePage {
  constructor() {
    this.store = new RoomStore();
    this.setConn = connectionIndicator($("conn"));
    this.connection = null;
    this.started = false;
    this.ctx = consoleContext(this);
    const runSheet = setUpRunSheet(this.ctx);
    this.ctx.plan = runSheet.plan;
    this.views = [setUpPrompts(this.ctx), runSheet, setUpCards(this.ctx), setUpRoom(this.ctx),
                  setUpMatters(this.ctx)];
    this.store.subscribe((change) => this.changed(change));
  }

  renderAll(change) {
    for (const view of this.views) view.render(change);
  }

  /** The room was deleted (here, or in another tab): stop, and say so. */
  gone() {
    if (this.connection) this.connection.close();
    this.connection = null;
    this.setConn("deleted");
    showDeleted();
  }

  setRole(role) {
    this.ctx.role = role;
    document.body.dataset.role = role;
    const note = $("role-note");
    note.hidden = role !== "organiser";
    note.textContent = role === "organiser"
      ? "Organiser view: read-only. You see everything the facilitator sees and can download the log."
      : "";
    if (this.store.room) this.renderAll({ type: "snapshot" });
  }

  denied() {
    if (this.connection) this.connection.close();
    this.connection = null;
    this.started = false;
    for (const slot of [FACILITATOR_SLOT, ORGANISER_SLOT]) {
      if (stored(slot) === this.ctx.key) keep(slot, null);
    }
    this.ctx.key = null;
    this.setConn("denied");
    showGate("That key is not valid for this room. Check that you copied the whole link, "
             + "and that it is the link for this room.");
  }

  changed(change) {
    switch (change.type) {
      case "snapshot":
      case "room.updated":
      case "participant.joined":
      case "participant.left":
      case "runsheet.updated":
      case "prompt.opened":
      case "prompt.closed":
      case "timer.started":
      case "timer.stopped":
      case "card.created":
      case "card.updated":
      case "cards.renamed":  // reaches the console as the card.updated events it holds
      case "matter.updated":  // the matters panel redraws from the store
        break;
      default:
        throw new Error(`unknown change: ${change.type}`);
    }
    if (change.type === "room.updated" || change.type === "snapshot") {
      document.body.dataset.state = this.store.room.state;
    }
    this.renderAll(change);
  }

  async start(key, source) {
    if (this.started) return;
    this.started = true;
    this.ctx.key = key;
    const role = await roleOf(code, key);
    if (role === "invalid" || role === "participant") {
      this.denied();
      return;
    }
    keepKey(key, role, source);
    this.setRole(role === "unknown" ? (source === "organiser" ? "organiser" : "facilitator") : role);
    $("gate").hidden = true;
    $("console").hidden = false;
    showCreatedNote(this.ctx);
    this.connection = this.store.follow(code, {
      key,
      onStatus: (state) => {
        this.setConn(state);
        if (state === "denied") this.denied();
        if (state === "deleted") this.gone();
      },
    });
  }
}

/** A facilitator's key goes in its slot; an organiser's in its own, so opening the
 * organiser link on the facilitator's laptop does not lose the facilitator's key. */
function keepKey(key, role, source) {
  if (role === "organiser") {
    if (stored(FACILITATOR_SLOT) === key) keep(FACILITATOR_SLOT, null);
    keep(ORGANISER_SLOT, key);
  } else if (role === "facilitator" || (role === "unknown" && source !== "organiser")) {
    keep(FACILITATOR_SLOT, key);
  }
}

// --- start ------------------------------------------------------------------------------

function main() {
  const page = new ConsolePage();
  const start = (key, source) => page.start(key, source);
  $("alert-dismiss").addEventListener("click", hideAlert);
  onKeyPasted(start);

  const fromLink = keyFromAddressBar();
  if (fromLink) start(fromLink, "link");
  else if (stored(FACILITATOR_SLOT)) start(stored(FACILITATOR_SLOT), "stored");
  else if (stored(ORGANISER_SLOT)) start(stored(ORGANISER_SLOT), "organiser");
  else {
    page.setConn("offline");
    $("conn").textContent = "Not connected";
    showGate("");
  }
}

main();

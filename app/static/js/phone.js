// The participant's phone (SPEC §5, DESIGN "Phone"): join, then the current prompt, a
// composer fitted to it, and the short lists of what is asked of me, my asks and my
// commitments. One live connection keeps a RoomStore current; every change re-renders,
// and the lists keep the elements of cards that did not change.

import { RoomStore } from "./store.js";
import { ANSWER_LABEL, announce, api, clock, h, orgChip, secondsLeft } from "./dom.js";
import { Outbox, newClientId } from "./phone-outbox.js";
import { createComposer } from "./phone-composer.js";
import { beneficiary, createLists, isAskedOfMe } from "./phone-lists.js";
import { liveRoom } from "./phone-live.js";

const CONNECTION_WORDS = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline — your message will be sent when you're back online",
  denied: "Not connected",
};
const STATE_NOTICE = {
  locked: ["The facilitator has paused new posts",
    "You can still answer requests, accept offers and update your commitments."],
  closed: ["This meeting has closed",
    "You can still update the progress of your commitments."],
};

const $ = (id) => document.getElementById(id);
const code = document.body.dataset.code;
const base = `/api/rooms/${encodeURIComponent(code)}`;
const meKey = `askroom:me:${code}`;

followColourScheme();

const store = new RoomStore();
let me = loadMe();
let connection = "connecting";
let roomState = document.body.dataset.state;
let snapshotSeen = false;
let lastPromptId;
let orgSignature = null;
let renderQueued = false;
let refused = [];  // posts the server refused, shown until the person dismisses them

// --- who I am on this device ------------------------------------------------------------

function loadMe() {
  try {
    const saved = JSON.parse(localStorage.getItem(meKey));
    return saved && saved.token && saved.id ? saved : null;
  } catch {
    return null;
  }
}

function saveMe(person) {
  try {
    localStorage.setItem(meKey, JSON.stringify(person));
  } catch {
    // Private modes may refuse storage: the person stays signed in until the tab closes.
  }
}

function forgetMe(reason = "") {
  me = null;
  try {
    localStorage.removeItem(meKey);
  } catch {
    // nothing stored, nothing to forget
  }
  outbox.clear();
  refused = [];
  $("join-error").textContent = reason;
  scheduleRender();
}

/** A stored token may be stale (a re-created database, another server): 401 says so. */
async function checkStoredToken() {
  const result = await api("GET", `${base}/cards`, { token: me.token });
  if (result.status === 401) {
    forgetMe("This phone's place in the room is no longer valid. Please join again.");
  }
}

// --- the outbox -------------------------------------------------------------------------

const outbox = new Outbox(code, {
  post: (body) => api("POST", `${base}/cards`, { body, token: me && me.token }),
  onSent(item, card) {
    applyCard(card);
    composer.confirm(item.done || "Sent");
  },
  onRefused(item, result) {
    const why = (result.data && result.data.detail) || `The server refused it (error ${result.status}).`;
    if (roomState === "open" && me && composer.restore(item.body.text)) {
      composer.confirm(`Not sent: ${why} Your message is back in the box.`, { error: true });
    } else {
      // The composer may be hidden (a locked room) or busy: keep the words where they show.
      refused.push({ ...item, why });
      scheduleRender();
    }
  },
  onChange: () => scheduleRender(),
});

// --- the live room ----------------------------------------------------------------------

const composer = createComposer({ onSend: send });
const lists = createLists({
  reply: (card, answer, note) => act(`${card.id}/reply`, { answer, note }),
  accept: (offer) => act(`${offer.id}/accept`),
  withdraw: (card) => act(`${card.id}/withdraw`),
  progress: (card, progress) => act(`${card.id}/progress`, { progress }),
  dismiss(clientId) {
    refused = refused.filter((item) => item.client_id !== clientId);
    scheduleRender();
  },
});

const indicator = document.querySelector(".conn");
liveRoom(code, store, {
  onSnapshot() { snapshotSeen = true; },
  onStatus(state) {
    connection = state;
    indicator.dataset.state = state;
    indicator.textContent = CONNECTION_WORDS[state] || state;
    if (state === "live" && me) outbox.flush();
    scheduleRender();
  },
});

store.subscribe((change) => {
  if (me && snapshotSeen && change.type !== "snapshot") notice(change);
  scheduleRender();
});

window.addEventListener("online", () => { if (me) outbox.flush(); });

/** Tell a screen-reader user what others just did that concerns them. */
function notice(change) {
  const { card, before } = change;
  switch (change.type) {
    case "prompt.opened":
      announce(`New prompt: ${change.data.prompt.text}`);
      return;
    case "room.updated":
      if (STATE_NOTICE[change.data.room.state] && change.data.room.state !== roomState) {
        announce(STATE_NOTICE[change.data.room.state].join(". "));
      }
      return;
    case "card.created":
      if (!card) return;
      if (card.author && card.author.id === me.id) {
        outbox.remove(card.client_id);  // it reached the server, whichever tab sent it
      } else if (isAskedOfMe(card, me)) {
        announce(`New request from ${card.author.name}: ${card.text}`);
      } else if (card.kind === "offer" && card.reply_to) {
        const parent = store.cards.get(card.reply_to);
        if (parent && parent.author && parent.author.id === me.id) {
          announce(`New offer from ${card.author.name}: ${card.text}`);
        }
      }
      return;
    case "card.updated": {
      if (!card || !before || !card.author || card.author.id !== me.id) return;
      const latest = card.replies.length ? card.replies[card.replies.length - 1] : null;
      if (latest && card.replies.length > before.replies.length && latest.by && latest.by.id !== me.id) {
        announce(`${latest.by.name} answered your request: ${ANSWER_LABEL[latest.answer]}`);
      }
      if (card.status === "accepted" && before.status !== "accepted") {
        const forWhom = beneficiary(card, store);
        announce(`${forWhom ? forWhom.name : "Someone"} accepted your offer: it is now a commitment.`);
      }
      return;
    }
    case "prompt.closed":
    case "participant.joined":
    case "timer.started":
    case "timer.stopped":
      return;  // nothing to say aloud
    default:
      throw new Error(`unknown change: ${change.type}`);
  }
}

/** A card the API just answered with: it may reach the store before its event does. */
function applyCard(card) {
  if (!card || card.id === undefined) return;
  const known = store.cards.get(card.id);
  if (known && known.seq > card.seq) return;
  store.applyCard(card, known ? "card.updated" : "card.created");
}

/** Answer, accept, withdraw or report progress; an error sentence, or null when it worked. */
async function act(path, body) {
  if (!me) return "Join the room first.";
  const result = await api("POST", `${base}/cards/${path}`, { body, token: me.token });
  if (result.ok) {
    applyCard(result.data);
    return null;
  }
  if (result.offline) return "You are offline: try again when you're back online.";
  if (result.status === 401) {
    forgetMe("This phone's place in the room is no longer valid. Please join again.");
    return "Please join again.";
  }
  return (result.data && result.data.detail) || `That did not work (error ${result.status}). Please try again.`;
}

function send({ kind, text, target, replyTo, summary }) {
  const body = { client_id: newClientId(), kind, text };
  let done = "Offer sent";
  if (kind === "request") {
    if (target.participant) body.to_participant_id = target.participant.id;
    else body.to_organisation = target.organisation;
    done = `Sent to ${target.participant ? target.participant.name : target.organisation}`;
  } else if (kind === "ask") {
    done = "Asked the room";
  } else if (replyTo) {
    body.reply_to = replyTo;
    const parent = store.cards.get(replyTo);
    if (parent && parent.author) done = `Offer sent to ${parent.author.name}`;
  }
  composer.confirm("Sending…");
  outbox.add(body, { summary, done }).then(() => {
    if (outbox.items().some((item) => item.client_id === body.client_id)) {
      composer.confirm(connection === "offline" || !navigator.onLine
        ? "Saved on this phone."
        : "Saved on this phone: it will be sent as soon as the server answers.");
    }
  });
}

// --- join -------------------------------------------------------------------------------

$("join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const nameInput = $("join-name");
  const name = nameInput.value.trim();
  const organisation = $("join-org").value.trim().replace(/\s+/g, " ");
  const error = $("join-error");
  if (!name) {
    error.textContent = "Please type your name.";
    nameInput.setAttribute("aria-invalid", "true");
    nameInput.focus();
    return;
  }
  nameInput.removeAttribute("aria-invalid");
  const button = event.target.querySelector("button[type=submit]");
  button.disabled = true;
  error.textContent = "";
  const result = await api("POST", `${base}/participants`, { body: { name, organisation } });
  button.disabled = false;
  if (!result.ok) {
    if (result.offline) error.textContent = "You are offline. Join when you're back online.";
    else if (result.status === 422) error.textContent = "Check your name (up to 60 characters) and organisation (up to 80).";
    else error.textContent = (result.data && result.data.detail) || `Joining did not work (error ${result.status}). Please try again.`;
    return;
  }
  const { id, token } = result.data;
  me = { id, token, name: result.data.name, organisation: result.data.organisation };
  saveMe(me);
  render();
  $("main").focus({ preventScroll: true });
  window.scrollTo(0, 0);
  announce(`You have joined ${store.room ? store.room.title : "the room"} as ${me.name}.`);
});

// Land on the list (scroll-padding keeps it clear of the sticky prompt) and move focus there.
$("asked-jump").addEventListener("click", (event) => {
  event.preventDefault();
  const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
  $("asked").scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
  $("asked-heading").focus({ preventScroll: true });
});

// --- leave this device ------------------------------------------------------------------

$("sign-out").addEventListener("click", () => {
  const footer = $("sign-out").parentElement;
  const waiting = outbox.items().length;
  const keep = [...footer.children];
  const stay = () => {
    footer.replaceChildren(...keep);
    $("sign-out").focus();
  };
  const panel = h("div", { class: "ph-confirm", attrs: { role: "group", "aria-label": "Leave this room on this phone?" } },
    h("p", { text: `This phone will forget you in this room${waiting ? `, and ${waiting} unsent message${waiting === 1 ? "" : "s"} will be lost` : ""}. You can join again with your name.` }),
    h("button", { class: "btn btn-small btn-danger", attrs: { type: "button" }, text: "Leave",
      on: { click: () => { footer.replaceChildren(...keep); forgetMe(); render(); $("join-name").focus(); } } }),
    h("button", { class: "btn btn-small", attrs: { type: "button" }, text: "Stay", on: { click: stay } }));
  footer.replaceChildren(panel);
  panel.querySelector("button").focus();
});

// --- drawing ----------------------------------------------------------------------------

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  if (store.room) roomState = store.room.state;
  document.body.dataset.state = roomState;
  $("join").hidden = Boolean(me);
  $("joined").hidden = !me;
  $("me").hidden = !me;
  if (!me) renderJoin();
  else renderJoined();
}

function renderJoin() {
  const closed = roomState === "closed";
  $("join-closed").hidden = !closed;
  $("join-form").hidden = closed;
  $("join-locked").hidden = roomState !== "locked";
  const names = [...store.organisations().keys()].sort((a, b) => a.localeCompare(b));
  const signature = names.join("\n");
  if (signature !== orgSignature) {
    orgSignature = signature;
    $("join-orgs").replaceChildren(...names.map((name) => h("option", { attrs: { value: name } })));
  }
}

function renderJoined() {
  const person = store.participants.get(me.id) || me;
  $("me").replaceChildren(h("span", { class: "ph-me-label", text: "You are " }),
    h("strong", { text: person.name }), orgChip(person.organisation) || "");

  const open = roomState === "open";
  $("prompt").hidden = roomState === "closed";
  renderPrompt();
  const words = STATE_NOTICE[roomState];
  $("room-notice").hidden = !words;
  $("room-notice").dataset.state = roomState;
  if (words) {
    $("room-notice").replaceChildren(h("strong", { text: words[0] }), h("span", { text: words[1] }));
  }
  $("composer").hidden = !open;
  composer.update(store, me);
  $("offline-note").hidden = connection !== "offline";
  const { unanswered } = lists.render({ store, me, state: roomState, pending: outbox.items(),
                                       refused, lastFailure: outbox.lastFailure });
  const jump = $("asked-jump");
  jump.hidden = unanswered === 0 || roomState === "closed";
  jump.textContent = unanswered === 1
    ? "1 request is waiting for your answer"
    : `${unanswered} requests are waiting for your answer`;
}

function renderPrompt() {
  const prompt = store.prompt;
  const text = $("prompt-text");
  $("prompt").classList.toggle("is-waiting", !prompt);
  text.textContent = prompt ? prompt.text : "Waiting for the facilitator's next prompt";
  const id = prompt ? prompt.id : null;
  if (lastPromptId !== undefined && id !== lastPromptId && prompt) {
    $("prompt").classList.remove("is-new");
    void $("prompt").offsetWidth;  // restart the highlight
    $("prompt").classList.add("is-new");
  }
  lastPromptId = id;
  renderTimer();
}

function renderTimer() {
  const timer = $("prompt-timer");
  const left = secondsLeft(store.timer);
  timer.hidden = left === null || roomState === "closed";
  if (left === null) return;
  timer.textContent = left > 0 ? `${clock(left)} left` : "Time's up";
  timer.classList.toggle("is-ending", left > 0 && left <= 30);
}

setInterval(() => { if (me && store.timer) renderTimer(); }, 1000);

// Keep focused controls and jump targets clear of the sticky prompt.
new ResizeObserver(() => {
  const prompt = $("prompt");
  const sticky = !prompt.hidden && getComputedStyle(prompt).position === "sticky";
  document.documentElement.style.setProperty("scroll-padding-top", sticky ? `${prompt.offsetHeight + 16}px` : "0px");
}).observe($("prompt"));

function followColourScheme() {
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => { document.documentElement.dataset.theme = query.matches ? "dark" : "light"; };
  apply();
  query.addEventListener("change", apply);
}

// --- start ------------------------------------------------------------------------------

render();
if (me) {
  checkStoredToken();
  outbox.flush();  // whatever waited since the last visit goes now
}

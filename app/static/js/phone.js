// The participant's phone (SPEC §5, DESIGN "Phone"): join, then the current prompt, a
// composer fitted to it, the room's asks to offer help on (under a prompt where offers in
// reply make sense), and the short lists of what is asked of me, my asks and my
// commitments. One live connection keeps a RoomStore (the room as everyone sees it)
// current; GET /mine adds my own side, which the room may not see (phone-mine.js).
// Every change re-renders, and the lists keep the elements of cards that did not change.

import { RoomStore } from "./store.js";
import { announce, api, h, orgChip, personName } from "./dom.js";
import { Outbox, newClientId } from "./phone-outbox.js";
import { createComposer } from "./phone-composer.js";
import { createLists } from "./phone-lists.js";
import { createMine } from "./phone-mine.js";
import { STATE_NOTICE, notice } from "./phone-notices.js";
import { Device, wireKeepLink, wireLeaving } from "./phone-me.js";
import { createPromptView } from "./phone-prompt.js";
import { OFFERS_IN_REPLY, roomAsks } from "./phone-asks.js";

const CONNECTION_WORDS = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline — your message will be sent when you're back online",
  denied: "Not connected",
};
const NOT_VALID = "This phone's place in the room is no longer valid. Please join again.";

const $ = (id) => document.getElementById(id);
const code = document.body.dataset.code;
const base = `/api/rooms/${encodeURIComponent(code)}`;

followColourScheme();

const store = new RoomStore();
const device = new Device(code);
let me = device.load();
let connection = "connecting";
let roomState = document.body.dataset.state;
let snapshotSeen = false;
let mineLoaded = false;
let signingIn = false;   // a token link is being checked
let linkProblem = "";    // why a token link did not sign in
let leftMeeting = false; // withdrew from the meeting on this page
let deleted = false;     // the room is gone: nothing else is shown
let orgSignature = null;
let renderQueued = false;
let own = null;          // my side of the room, as last drawn (phone-mine.js view)
let refused = [];        // posts the server refused, shown until the person dismisses them

// --- who I am on this device ------------------------------------------------------------

function forgetMe(reason = "") {
  me = null;
  device.forget();
  outbox.clear();
  mine.clear();
  refused = [];
  $("join-error").textContent = reason;
  scheduleRender();
}

/** Sign in with the token a kept link brought (another phone, after the meeting). */
async function signInWithLink(token) {
  signingIn = true;
  render();
  const result = await api("GET", `${base}/mine`, { token });
  signingIn = false;
  if (result.ok) {
    const { participant } = result.data;
    // Posts queued by someone else on this device must not go out under this name.
    if (me && me.id !== participant.id) outbox.clear();
    me = { ...participant, token };
    device.save(me);
    Device.dropLinkToken();
    mine.refresh();
    render();
    announce(`Signed in as ${me.name}.`);
    return;
  }
  if (result.status === 404) {
    roomGone();
    return;
  }
  if (result.offline) {
    // Keep the token in the address: opening the link again, online, will work.
    linkProblem = "You are offline: open the link again when you're back online.";
  } else {
    Device.dropLinkToken();
    linkProblem = "That link no longer signs anyone in to this meeting.";
  }
  render();  // #join-link is a status region: it says the problem aloud
}

// --- the outbox -------------------------------------------------------------------------

const outbox = new Outbox(code, {
  post: (body) => api("POST", `${base}/cards`, { body, token: me && me.token }),
  onSent(item, card) {
    mine.take(card);  // my own post: my own name on it, whatever the room sees
    scheduleRender();
    composer.confirm(item.done || "Sent");
  },
  onRefused(item, result) {
    if (result.status === 404 && result.data && result.data.code === "room_not_found") {
      roomGone();
      return;
    }
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

// --- my side of the room ----------------------------------------------------------------

const mine = createMine({
  path: base,
  token: () => (me ? me.token : null),
  onChange(participant) {
    mineLoaded = true;
    if (me && participant && participant.id === me.id) {
      me = { ...me, name: participant.name, organisation: participant.organisation };
    }
    scheduleRender();
  },
  onGone(status) {
    if (status === 404) roomGone();
    else forgetMe(NOT_VALID);
  },
});

// --- the live room ----------------------------------------------------------------------

const promptView = createPromptView();
const composer = createComposer({ onSend: send });
const lists = createLists({
  reply: (card, answer, note) => act(`cards/${card.id}/reply`, { answer, note }),
  accept: (offer) => act(`cards/${offer.id}/accept`),
  withdraw: (card) => act(`cards/${card.id}/withdraw`),
  progress: (card, progress) => act(`cards/${card.id}/progress`, { progress }),
  offerHelp: (card) => composer.offerTo(card.id),
  dismiss(clientId) {
    refused = refused.filter((item) => item.client_id !== clientId);
    scheduleRender();
  },
});
const keepLink = wireKeepLink(() => (me ? device.link(me.token) : null));

const indicator = document.querySelector(".conn");
const live = store.follow(code, {
  onStatus(state) {
    if (deleted) return;
    if (state === "deleted") {
      showDeleted();
      return;
    }
    connection = state;
    indicator.dataset.state = state;
    indicator.textContent = CONNECTION_WORDS[state] || state;
    if (state === "live" && me) outbox.flush();
    scheduleRender();
  },
});

/** Another part of the page learnt that the room is gone (an API answer of 404). */
function roomGone() {
  live.close();
  showDeleted();
}

store.subscribe((change) => {
  if (change.type === "snapshot") {
    snapshotSeen = true;
    if (me) mine.refresh();
  } else if (me && snapshotSeen) {
    notice(change, { me, own, roomState, store });
    if (mine.concerns(change, me, own)) mine.schedule();
  }
  scheduleRender();
});

// Posts go by HTTP, not the stream: back online, the outbox tries at once (the stream's
// own reconnect is live.js's).
window.addEventListener("online", () => { if (me) outbox.flush(); });

/**
 * Answer, accept, withdraw or report progress; an error sentence, or null when it worked.
 * The API answers with the card as staff see it (names the room may not see), so the
 * page never draws that answer: it asks /mine, which shows me only what is mine to see.
 */
async function act(path, body) {
  if (!me) return "Join the room first.";
  const result = await api("POST", `${base}/${path}`, { body, token: me.token });
  if (result.ok) {
    await mine.refresh();
    return null;
  }
  if (result.offline) return "You are offline: try again when you're back online.";
  const why = result.data && result.data.code;
  if (result.status === 401) {
    forgetMe(NOT_VALID);
    return "Please join again.";
  }
  if (why === "room_not_found") {
    roomGone();
    return "This meeting's room has been deleted.";
  }
  if (why === "participant_left") {
    showLeft();
    return "You have withdrawn from this meeting.";
  }
  return (result.data && result.data.detail) || `That did not work (error ${result.status}). Please try again.`;
}

function send({ kind, text, target, replyTo, identity, summary }) {
  const body = { client_id: newClientId(), kind, text };
  if (identity) body.identity = identity;  // kept in the outbox: a queued post keeps it
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
    if (parent) done = `Offer sent to ${personName(parent.author)}`;
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
  linkProblem = "";
  me = { id, token, name: result.data.name, organisation: result.data.organisation };
  device.save(me);
  mine.refresh();
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

// --- leaving ----------------------------------------------------------------------------

wireLeaving({
  waiting: () => outbox.items().length,
  signOut() {
    forgetMe();
    render();
    $("join-name").focus();
  },
  async withdraw() {
    if (!me) return null;
    const result = await api("POST", `${base}/participants/me/withdraw`, { token: me.token });
    if (result.ok || result.status === 401) {
      showLeft();
      return null;
    }
    if (result.status === 404) {
      roomGone();
      return null;
    }
    if (result.offline) return "You are offline: try again when you're back online.";
    return (result.data && result.data.detail) || `That did not work (error ${result.status}). Please try again.`;
  },
});

/** Withdrawn from the meeting: this phone forgets the token and says so. */
function showLeft() {
  leftMeeting = true;
  forgetMe();
  render();
  $("left").focus();
  announce("You have left this meeting. Your name has been removed from it.");
}

/** The room was deleted: say so, and nothing else; keep nothing of it on this phone. */
function showDeleted() {
  if (deleted) return;
  deleted = true;
  me = null;
  device.forget();
  outbox.clear();
  mine.clear();
  document.title = "Room deleted · Askroom";
  document.body.dataset.deleted = "true";
  $("announcer").replaceChildren();
  // Out of the page, not just out of sight: the room's words and names are gone.
  promptView.stop();
  $("header").remove();
  for (const id of ["join", "joined", "left"]) $(id).remove();
  $("deleted").hidden = false;
  $("deleted").focus();
}

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
  if (deleted) return;
  if (store.room) roomState = store.room.state;
  document.body.dataset.state = roomState;
  const left = leftMeeting && !me;
  $("left").hidden = !left;
  $("join").hidden = Boolean(me) || left;
  $("joined").hidden = !me;
  $("me").hidden = !me;
  if (me) renderJoined();
  else if (!left) renderJoin();
}

function renderJoin() {
  const closed = roomState === "closed";
  const link = $("join-link");
  link.hidden = !signingIn && !linkProblem;
  link.textContent = signingIn ? "Signing you in…" : linkProblem;
  link.classList.toggle("is-error", !signingIn && Boolean(linkProblem));
  $("join-closed").hidden = !closed || signingIn;
  $("join-form").hidden = closed || signingIn;
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
  promptView.render(store, roomState);
  const words = STATE_NOTICE[roomState];
  $("room-notice").hidden = !words;
  $("room-notice").dataset.state = roomState;
  if (words) {
    $("room-notice").replaceChildren(h("strong", { text: words[0] }), h("span", { text: words[1] }));
  }
  own = mine.view(store, me);
  $("composer").hidden = !open;
  composer.update(store, me, own.authored);
  $("offline-note").hidden = connection !== "offline";
  // Others' asks, to offer help on: wherever an offer in reply makes sense, and only
  // while one can be sent (an open room). Empty, the list shows only under an ask prompt.
  const collects = store.prompt ? store.prompt.collects : "any";
  const asks = open && OFFERS_IN_REPLY.has(collects) ? roomAsks(store, me, own.authored) : [];
  $("room-asks").hidden = !open || !OFFERS_IN_REPLY.has(collects) || (!asks.length && collects !== "ask");
  const { unanswered, commitments } = lists.render({
    me, own, state: roomState, pending: outbox.items(), refused, lastFailure: outbox.lastFailure,
    ready: snapshotSeen && mineLoaded, room: store, asks,
  });
  keepLink.show(commitments > 0);
  const jump = $("asked-jump");
  jump.hidden = unanswered === 0 || roomState === "closed";
  jump.textContent = unanswered === 1
    ? "1 request is waiting for your answer"
    : `${unanswered} requests are waiting for your answer`;
}

function followColourScheme() {
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => { document.documentElement.dataset.theme = query.matches ? "dark" : "light"; };
  apply();
  query.addEventListener("change", apply);
}

// --- start ------------------------------------------------------------------------------

// A kept link pasted into a tab already on this page changes only the fragment.
window.addEventListener("hashchange", () => {
  const token = Device.tokenInLink();
  if (token && !deleted) signInWithLink(token);
});

const linkToken = Device.tokenInLink();
render();
if (linkToken) {
  signInWithLink(linkToken);
} else if (me) {
  mine.refresh();   // also checks the stored token: a 401 sends the person back to Join
  outbox.flush();   // whatever waited since the last visit goes now
}

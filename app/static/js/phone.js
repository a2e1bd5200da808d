// The participant's phone (SPEC §5, DESIGN "Phone"): join, then the current prompt, a
// composer fitted to it, the room's asks to offer help on (under a prompt where offers in
// reply make sense), and the short lists of what is asked of me, my asks and my
// commitments. One live connection keeps a RoomStore (the room as everyone sees it)
// current; GET /mine adds my own side, which the room may not see (phone-mine.js).
// Every change re-renders, and the lists keep the elements of cards that did not change.

import { RoomStore } from "./store.js";
import { announce, api } from "./dom.js";
import { Outbox, newPost } from "./phone-outbox.js";
import { createComposer } from "./phone-composer.js";
import { createLists } from "./phone-lists.js";
import { createMine } from "./phone-mine.js";
import { notice } from "./phone-notices.js";
import { Device, wireKeepLink, wireLeaving } from "./phone-me.js";
import { NOT_VALID, phoneActs } from "./phone-acts.js";
import { createPromptView } from "./phone-prompt.js";
import { followColourScheme, renderJoined, showConnection, showRoomDeleted, wireAskedJump }
  from "./phone-view.js";
import { JoinView, checkLink, wireJoinForm } from "./phone-join.js";
import { MattersView } from "./phone-matters.js";


const $ = (id) => document.getElementById(id);
const code = document.body.dataset.code;
const base = `/api/rooms/${encodeURIComponent(code)}`;

followColourScheme();

const store = new RoomStore();
const device = new Device(code);
const matters = new MattersView(base, store, () => scheduleRender());
let me = device.load();
let connection = "connecting";
let roomState = document.body.dataset.state;
let snapshotSeen = false;
let mineLoaded = false;
let signingIn = false;   // a token link is being checked
let linkProblem = "";    // why a token link did not sign in
let leftMeeting = false; // withdrew from the meeting on this page
let deleted = false;     // the room is gone: nothing else is shown
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
  const link = await checkLink(base, token);
  signingIn = false;
  if (link.gone) {
    roomGone();
    return;
  }
  if (link.problem) {
    if (link.dropToken) Device.dropLinkToken();
    linkProblem = link.problem;
    render();  // #join-link is a status region: it says the problem aloud
    return;
  }
  // Posts queued by someone else on this device must not go out under this name.
  if (me && me.id !== link.participant.id) outbox.clear();
  me = { ...link.participant, token };
  device.save(me);
  Device.dropLinkToken();
  mine.refresh();
  render();
  announce(`Signed in as ${me.name}.`);
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
const joinView = new JoinView();
const composer = createComposer({ onSend: send });
const acts = phoneActs({ base, me: () => me, mine, forget: forgetMe, roomGone, left: showLeft });
const lists = createLists({
  reply: acts.reply,
  accept: acts.accept,
  withdraw: acts.withdraw,
  progress: acts.progress,
  offerHelp: (card) => composer.offerTo(card.id),
  dismiss(clientId) {
    refused = refused.filter((item) => item.client_id !== clientId);
    scheduleRender();
  },
});
const keepLink = wireKeepLink(() => (me ? device.link(me.token) : null));

const live = store.follow(code, {
  onStatus(state) {
    if (deleted) return;
    if (state === "deleted") {
      showDeleted();
      return;
    }
    connection = state;
    showConnection(state);
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

function send(draft) {
  const { body, done } = newPost(draft, store);
  composer.confirm("Sending…");
  outbox.add(body, { summary: draft.summary, done }).then(() => {
    if (outbox.items().some((item) => item.client_id === body.client_id)) {
      composer.confirm(connection === "offline" || !navigator.onLine
        ? "Saved on this phone."
        : "Saved on this phone: it will be sent as soon as the server answers.");
    }
  });
}

// --- join -------------------------------------------------------------------------------

wireJoinForm(base, (participant) => {
  linkProblem = "";
  me = { id: participant.id, token: participant.token, name: participant.name,
         organisation: participant.organisation };
  device.save(me);
  mine.refresh();
  render();
  $("main").focus({ preventScroll: true });
  window.scrollTo(0, 0);
  announce(`You have joined ${store.room ? store.room.title : "the room"} as ${me.name}.`);
});

wireAskedJump();

// --- leaving ----------------------------------------------------------------------------

wireLeaving({
  waiting: () => outbox.items().length,
  signOut() {
    forgetMe();
    render();
    $("join-name").focus();
  },
  withdraw: () => acts.leave(),
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
  promptView.stop();
  showRoomDeleted();
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
  if (me) {
    own = renderJoined({ store, me, roomState, connection, refused, ready: snapshotSeen && mineLoaded },
                       { promptView, mine, composer, lists, outbox, keepLink, matters });
  }
  else if (!left) joinView.render({ roomState, signingIn, linkProblem, store });
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

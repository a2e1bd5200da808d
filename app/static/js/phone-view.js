// What someone signed in on the phone sees, drawn from the room and their side of it:
// who they are, the prompt, the room's state, the composer, the room's asks to offer help
// on, and their own lists (phone-lists.js); the header's connection indicator; the page
// of a deleted room; and the phone's colours, which follow the device's.

import { h, orgChip } from "./dom.js";
import { STATE_NOTICE } from "./phone-notices.js";
import { OFFERS_IN_REPLY, roomAsks } from "./phone-asks.js";

const $ = (id) => document.getElementById(id);

const CONNECTION_WORDS = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline — your message will be sent when you're back online",
  denied: "Not connected",
};

/** The header's connection indicator, in live.js's states. */
export function showConnection(state) {
  const indicator = document.querySelector(".conn");
  indicator.dataset.state = state;
  indicator.textContent = CONNECTION_WORDS[state] || state;
}

/** "2 requests are waiting for your answer" lands on the list (scroll-padding keeps it
 * clear of the sticky prompt) and moves focus there. */
export function wireAskedJump() {
  $("asked-jump").addEventListener("click", (event) => {
    event.preventDefault();
    const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
    $("asked").scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    $("asked-heading").focus({ preventScroll: true });
  });
}

/**
 * Draw the joined page.
 * @param {object} now {store, me, roomState, connection, refused, ready}: the page's state
 * @param {object} parts {promptView, mine, composer, lists, outbox, keepLink, matters}
 * @returns my side of the room as drawn (phone-mine.js view())
 */
export function renderJoined({ store, me, roomState, connection, refused, ready },
                             { promptView, mine, composer, lists, outbox, keepLink, matters }) {
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
  const own = mine.view(store, me);
  // Under matters arising there is nothing to post: people report on the list instead.
  $("composer").hidden = !open || Boolean(store.prompt && store.prompt.collects === "review");
  composer.update(store, me, own.authored);
  $("offline-note").hidden = connection !== "offline";
  // Others' asks, to offer help on: wherever an offer in reply makes sense, and only
  // while one can be sent (an open room). Empty, the list shows only under an ask prompt.
  const collects = store.prompt ? store.prompt.collects : "any";
  const asks = open && OFFERS_IN_REPLY.has(collects) ? roomAsks(store, me, own.authored) : [];
  $("room-asks").hidden = !open || !OFFERS_IN_REPLY.has(collects) || (!asks.length && collects !== "ask");
  const { unanswered, commitments } = lists.render({
    me, own, state: roomState, pending: outbox.items(), refused, lastFailure: outbox.lastFailure,
    ready, room: store, asks,
  });
  keepLink.show(commitments > 0);
  matters.render(store, me, me.token);
  const jump = $("asked-jump");
  jump.hidden = unanswered === 0 || roomState === "closed";
  jump.textContent = unanswered === 1
    ? "1 request is waiting for your answer"
    : `${unanswered} requests are waiting for your answer`;
  return own;
}

/** The room was deleted: out of the page, not just out of sight, go the room's words and
 * names; the page says so, and nothing else. */
export function showRoomDeleted() {
  document.title = "Room deleted · Askroom";
  document.body.dataset.deleted = "true";
  $("announcer").replaceChildren();
  $("header").remove();
  for (const id of ["join", "joined", "left"]) $(id).remove();
  $("deleted").hidden = false;
  $("deleted").focus();
}

export function followColourScheme() {
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => { document.documentElement.dataset.theme = query.matches ? "dark" : "light"; };
  apply();
  query.addEventListener("change", apply);
}

// The projector board (SPEC §5, DESIGN "Board"): everything on it follows the live
// stream; nothing needs a mouse (F full screen, T theme, J join panel size).

import { RoomStore } from "./store.js";
import { fill, announce, clock, connectionIndicator, ANSWER_LABEL } from "./dom.js";
import { renderCard } from "./cards.js";
import { Wall, STRAIN, cardGroup, closingItems, commitmentsIn, wallItems } from "./board-wall.js";
import { drawMap } from "./board-map.js";

const THEME_KEY = "askroom.board.theme";
// Once this many cards are up, most people have joined: the join panel gets smaller.
const COMPACT_AFTER_CARDS = 3;
// Room the board frees, step by step, when the wall is too short for its newest cards:
// 1 the join panel goes compact (once there is a card), 2 the prompt steps down in size
// and the title and purpose take a line each, 3 the prompt is 48 px at 1080p (no less).
const ROOM_STEPS = 3;
const RING = 2 * Math.PI * 52;  // the timer ring's circumference (r=52 in board.html)
// Closed, with more commitments than the wall holds: each page stays this long.
const CLOSING_PAGE_MS = 10000;

const $ = (id) => document.getElementById(id);
const code = document.body.dataset.code;
const store = new RoomStore();
const wall = new Wall($("wall"));
const seen = new Map();      // id -> text of cards already shown: a resync animates only news
let started = false;         // the first snapshot has arrived
let roomState = null;
let joinChoice = null;       // null: automatic size; true/false: chosen with J
let shownCommitments = null;
let serverBehindMs = null;   // how far the server's clock is behind ours (see noteServerTime)
let revealedNow = [];        // requests whose held answers were revealed since the last render
let deleted = false;         // the room was deleted: the board says so and stops
let closingFrom = 0;         // closed: the first commitment item on the wall's page
let closingNext = 0;         // ... and the first of the next page (0: back to the start)
let closingTimer = null;

// --- words ------------------------------------------------------------------------------

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Words for a person as the room sees them: an anonymous author is null, and one shown
 * by organisation only has no name. */
function who(person) {
  if (!person) return "someone, anonymously";
  if (!person.name) return person.organisation ? `someone from ${person.organisation}` : "someone";
  return person.organisation ? `${person.name} (${person.organisation})` : person.name;
}

function target(card) {
  const to = card.to || {};
  return to.participant ? who(to.participant) : to.organisation || "someone";
}

function describe(card) {
  switch (card.kind) {
    case "request": return `New request from ${who(card.author)} to ${target(card)}: ${card.text}`;
    case "ask": return `New ask from ${who(card.author)}: ${card.text}`;
    case "offer": return `New offer from ${who(card.author)}: ${card.text}`;
    default: throw new Error(`unknown card kind: ${card.kind}`);
  }
}

// --- what changed: announcements and arrivals --------------------------------------------

/** A hidden or withdrawn card's words must not linger in the live region either. */
function forget(card) {
  if (!card || !card.text) return;
  const region = $("announcer");
  const drop = () => {
    for (const line of [...region.children]) if (line.textContent.includes(card.text)) line.remove();
  };
  drop();
  requestAnimationFrame(drop);  // announce() appends on the next frame
}

function onCard(change) {
  const { card, before } = change;
  if (!card || card.status === "withdrawn") {
    forget(before);
    return;
  }
  if (change.type === "card.created" || !seen.has(card.id)) {
    seen.set(card.id, card.text);
    wall.markFresh(card.id);
    announce(describe(card));
    return;
  }
  if (before && before.status === "answered" && card.status !== "answered") {
    // A held answer revealed: announced with the others revealed at the same moment.
    wall.markRevealed(card.id);
    revealedNow.push(card);
    return;
  }
  if (card.status === "answered" && before && before.status !== "answered") {
    announce(`The request from ${who(card.author)} has been answered. The answer will be revealed later.`);
    return;
  }
  const reply = card.replies && card.replies[card.replies.length - 1];
  if (reply && before && (before.replies || []).length !== card.replies.length) {
    announce(`${who(reply.by)} answered the request from ${who(card.author)}: ${ANSWER_LABEL[reply.answer]}`);
  }
  if (card.spotlight && !(before && before.spotlight)) announce(`In the spotlight: ${card.text}`);
}

store.subscribe((change) => {
  if (change.type !== "snapshot") noteServerTime(store.eventAt);
  switch (change.type) {
    case "snapshot": {
      const shown = new Map(store.visibleCards().map((c) => [c.id, c.text]));
      // Hidden or withdrawn while we were away: gone from the wall and from the live region.
      for (const [id, text] of seen) if (!shown.has(id)) forget({ text });
      for (const id of shown.keys()) if (started && !seen.has(id)) wall.markFresh(id);
      seen.clear();
      for (const [id, text] of shown) seen.set(id, text);
      started = true;
      roomState = store.room.state;
      break;
    }
    case "card.created":
    case "card.updated":
      onCard(change);
      break;
    case "room.updated": {
      const state = change.data.room.state;
      if (state !== roomState && state === "locked") announce("New posts are paused");
      if (state !== roomState && state === "closed") announce("This meeting has closed — thank you");
      roomState = state;
      break;
    }
    case "prompt.opened":
      announce(`New prompt: ${change.data.prompt.text}`);
      break;
    case "participant.joined":
    case "participant.left":
    case "runsheet.updated":
    case "prompt.closed":
    case "timer.started":
    case "timer.stopped":
    case "cards.renamed":  // reaches the board as the card.updated events it holds
      break;
    default:
      throw new Error(`unknown change: ${change.type}`);
  }
  scheduleRender();
});

// --- drawing ----------------------------------------------------------------------------

function renderBand(room) {
  document.title = `${room.title} · Board · Askroom`;
  $("room-title").textContent = room.title;
  const count = room.participant_count ?? store.participants.size;
  $("people-words").textContent = count ? `${plural(count, "person", "people")} joined` : "No one has joined yet";
}

function renderJoin(room, cardCount, roomStep) {
  // Locked: nobody new may join, so the panel stays small whatever was chosen.
  const auto = cardCount >= COMPACT_AFTER_CARDS || (cardCount > 0 && roomStep >= 1);
  const compact = room.state === "locked" || (joinChoice ?? auto);
  document.body.classList.toggle("join-compact", compact);
  $("btn-join").setAttribute("aria-pressed", String(compact));
  $("join").hidden = room.state === "closed";
  $("join-paused").hidden = room.state !== "locked";
}

function renderNow(room, commitments) {
  const prompt = store.prompt;
  const closed = room.state === "closed";
  const banner = $("banner");
  banner.hidden = room.state !== "locked";
  banner.textContent = room.state === "locked" ? "New posts are paused" : "";
  document.body.dataset.state = room.state;
  document.body.classList.toggle("has-prompt", Boolean(prompt) && !closed);

  let kicker;
  let text;
  if (closed) {
    kicker = "Meeting closed";
    text = "This meeting has closed — thank you";
  } else if (prompt) {
    kicker = prompt.collects === "any" ? "Now" : { request: "Now — send a request", ask: "Now — ask the room",
                                                  offer: "Now — offer help" }[prompt.collects] || "Now";
    text = prompt.text;
  } else {
    kicker = room.purpose ? "Our purpose" : "Welcome";
    text = room.purpose || "Scan the code to join";
  }
  $("prompt-kicker").textContent = kicker;
  $("prompt-text").textContent = text;
  $("round-note").hidden = closed || !room.answers_held;
  const note = $("closing-note");
  note.hidden = !closed;
  note.textContent = closed ? `The room leaves with ${plural(commitments, "commitment", "commitments")}.` : "";
  // Long prompts step down in size (never under 48 px at 1080p), so they still fit.
  $("prompt").dataset.length = text.length > 170 ? "long" : text.length > 90 ? "medium" : "short";
  const purpose = $("room-purpose");
  purpose.textContent = room.purpose || "";
  purpose.hidden = !room.purpose || (!prompt && !closed);
}

function renderTally(commitments, closed) {
  $("commit-count").textContent = String(commitments);
  const words = commitments === 1 ? "commitment" : "commitments";
  $("tally-words").textContent = closed ? `${words} made` : `${words} so far`;
  if (shownCommitments !== null && commitments > shownCommitments) {
    const tally = $("commit-count");
    tally.classList.remove("bump");
    void tally.offsetWidth;  // restart the animation
    tally.classList.add("bump");
    announce(`${plural(commitments, "commitment", "commitments")} so far`);
  }
  shownCommitments = commitments;
}

function renderSpotlight() {
  const card = store.visibleCards().find((c) => c.spotlight);
  const layer = $("spotlight");
  document.body.classList.toggle("has-spotlight", Boolean(card));
  // Behind the spotlight the board is dimmed and, for assistive technology, out of play.
  for (const el of [$("stage"), $("side")]) el.inert = Boolean(card);
  if (!card) {
    layer.hidden = true;
    fill($("spotlight-card"));
    return;
  }
  const item = wallItems(store).find((i) => i.card.id === card.id) || { card, offers: [] };
  layer.hidden = false;
  fill($("spotlight-card"), cardGroup(item, (c) => renderCard(c, { large: true })));
}

/** "Reveal shows them all at once": one announcement for the answers revealed together. */
function announceRevealed() {
  if (!revealedNow.length) return;
  if (revealedNow.length === 1) {
    const card = revealedNow[0];
    const reply = card.replies && card.replies[card.replies.length - 1];
    announce(`Answer revealed: ${reply ? who(reply.by) : target(card)} to ${who(card.author)}: `
             + `${ANSWER_LABEL[card.status] || card.status}`);
  } else {
    announce(`${revealedNow.length} answers revealed`);
  }
  revealedNow = [];
}

function renderLegend() {
  // The "answered" colour matters only in an answer round, or while some answer is held.
  const held = Boolean(store.room.answers_held)
    || store.visibleCards().some((c) => c.kind === "request" && c.status === "answered");
  $("legend-answered").hidden = !held;
}

/** The room was deleted: nothing more will come, and the wall says so plainly. */
function showDeleted() {
  if (deleted) return;
  deleted = true;
  document.body.classList.add("is-deleted");
  for (const el of [$("stage"), $("side"), $("spotlight")]) el.inert = true;
  $("spotlight").hidden = true;
  $("deleted").hidden = false;
  document.title = "Room deleted · Askroom";
  announce("This room has been deleted");
}

function render() {
  const room = store.room;
  if (!room || deleted) return;
  const cards = store.visibleCards();
  const commitments = store.commitments().length;
  renderBand(room);
  renderNow(room, commitments);
  renderTally(commitments, room.state === "closed");
  renderTimer();  // before the wall: the timer ring takes room above it
  const laid = renderWall(room, cards.length);
  $("wall-empty").hidden = laid.count > 0;
  renderClosingPage(laid);
  drawMap($("map"), store, remPx() / 16);
  renderLegend();
  renderSpotlight();
  announceRevealed();
}

/** Lay the wall out; while its newest cards do not fit whole, free room above it and
 * lay it out again (a flowed ask needs no more than a compact join panel). If even the
 * most room cannot show them whole, the prompt keeps the largest size that shows as much. */
function renderWall(room, cardCount) {
  const apply = (step) => {
    renderJoin(room, cardCount, step);
    $("prompt").dataset.fit = String(Math.max(0, step - 1));
    document.body.classList.toggle("band-short", step >= 2);
    return wall.render(store, { from: closingFrom });
  };
  let step = 0;
  let laid = apply(step);
  let best = { step, ...laid };
  while (step < ROOM_STEPS
         && (laid.strain >= STRAIN.squeezed || (laid.strain === STRAIN.flowed && step < 1))) {
    step += 1;
    laid = apply(step);
    // While something is still lost (a commitment out of sight, say), the most room wins.
    if (laid.lost < best.lost
        || (laid.lost === best.lost && (laid.strain < best.strain || laid.lost > 0))) {
      best = { step, ...laid };
    }
  }
  return best.step < step ? apply(best.step) : laid;
}

/** Closed, the wall lists the commitments; when they are more than it holds whole, it shows
 * them a page at a time ("Commitments 1–4 of 9"), turning every CLOSING_PAGE_MS. */
function renderClosingPage(laid) {
  const items = closingItems(store);
  const line = $("closing-page");
  if (!items || (closingFrom === 0 && laid.run >= items.length)) {
    closingFrom = 0;
    line.hidden = true;
    line.textContent = "";
    clearInterval(closingTimer);
    closingTimer = null;
    return;
  }
  const from = Math.min(closingFrom, items.length - 1);
  const upto = Math.min(items.length, from + Math.max(1, laid.run));
  const before = commitmentsIn(items.slice(0, from));
  const shown = commitmentsIn(items.slice(from, upto));
  const total = commitmentsIn(items);
  line.textContent = shown > 1 ? `Commitments ${before + 1}–${before + shown} of ${total}`
    : `Commitment ${before + 1} of ${total}`;
  line.hidden = false;
  closingNext = upto >= items.length ? 0 : upto;
  if (!closingTimer) {
    closingTimer = setInterval(() => {
      closingFrom = closingNext;
      scheduleRender();
    }, CLOSING_PAGE_MS);
  }
}

let pending = false;
function scheduleRender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    render();
  });
}

const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

// --- the timer --------------------------------------------------------------------------

// A projector laptop's clock may be wrong; the timer's end is the server's time. Each
// event's `at` bounds the offset (it can only be late by the network), so keep the least.
function noteServerTime(eventAt) {
  const at = Date.parse(eventAt);
  if (Number.isNaN(at)) return;
  const behind = Date.now() - at;
  serverBehindMs = serverBehindMs === null ? behind : Math.min(serverBehindMs, behind);
}

function renderTimer() {
  const timer = store.timer;
  const el = $("timer");
  if (!timer || !timer.ends_at || (store.room && store.room.state === "closed")) {
    el.hidden = true;
    document.body.classList.remove("has-timer");
    return;
  }
  const now = Date.now() - (serverBehindMs ?? 0);
  const left = Math.max(0, (Date.parse(timer.ends_at) - now) / 1000);
  const total = Math.max(timer.seconds || 0, left, 1);
  el.hidden = false;
  document.body.classList.add("has-timer");
  $("timer-text").textContent = clock(Math.ceil(left));
  $("timer-caption").textContent = left > 0 ? "left" : "time’s up";
  $("ring-left").setAttribute("stroke-dasharray", `${RING} ${RING}`);
  $("ring-left").setAttribute("stroke-dashoffset", String(RING * (1 - left / total)));
  el.classList.toggle("is-ending", left > 0 && left <= 10);
  el.classList.toggle("is-done", left === 0);
}

setInterval(renderTimer, 250);

// --- controls: theme, full screen, join panel -------------------------------------------

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  $("btn-theme").setAttribute("aria-pressed", String(theme === "light"));
  // The words say the state as well: the pressed look alone left "Light theme" unchanged.
  $("theme-words").textContent = `Light theme: ${theme === "light" ? "on" : "off"}`;
}

function toggleTheme() {
  const next = document.documentElement.dataset.theme === "light" ? "dark" : "light";
  applyTheme(next);
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // Storage may be off (a locked-down kiosk): the theme still changes for now.
  }
  scheduleRender();
}

function toggleFullscreen() {
  if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  } else if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
}

function toggleJoin() {
  const now = document.body.classList.contains("join-compact");
  joinChoice = !now;
  scheduleRender();
}

try {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === "light" || saved === "dark") applyTheme(saved);
} catch {
  // No storage: the default (dark) stands.
}

$("btn-theme").addEventListener("click", toggleTheme);
$("btn-full").addEventListener("click", toggleFullscreen);
$("btn-join").addEventListener("click", toggleJoin);
document.addEventListener("fullscreenchange", () => {
  $("btn-full").setAttribute("aria-pressed", String(Boolean(document.fullscreenElement)));
});
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const actions = { f: toggleFullscreen, t: toggleTheme, j: toggleJoin };
  const action = actions[event.key.toLowerCase()];
  if (!action) return;
  event.preventDefault();
  action();
});
window.addEventListener("resize", scheduleRender);
// Whatever changes the wall's size (a banner, the timer, the screen) lays it out again.
new ResizeObserver(scheduleRender).observe($("wall"));

// --- the live connection ----------------------------------------------------------------

const setConn = connectionIndicator($("conn"));
// The store's connection (live.js) is the board's one reconnect path: back online it
// starts a fresh socket that resumes after the last seq seen.
store.follow(code, {
  onStatus: (state) => {
    setConn(state);
    if (state === "deleted") showDeleted();
  },
});

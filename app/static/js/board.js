// The projector board (SPEC §5, DESIGN "Board"): everything on it follows the live
// stream; nothing needs a mouse (board-controls.js). What it says aloud as the room
// changes: board-news.js; the card wall: board-wall.js; the map: board-map.js.

import { RoomStore } from "./store.js";
import { fill, announce, connectionIndicator } from "./dom.js";
import { renderCard } from "./cards.js";
import { Wall } from "./board-wall.js";
import { STRAIN } from "./board-fit.js";
import { cardGroup, closingItems, commitmentsIn, wallItems } from "./board-items.js";
import { drawMap } from "./board-map.js";
import { BoardNews, plural } from "./board-news.js";
import { BoardTimer } from "./board-timer.js";
import { setUpControls } from "./board-controls.js";
import { BoardMatters } from "./board-matters.js";

// Once this many cards are up, most people have joined: the join panel gets smaller.
const COMPACT_AFTER_CARDS = 3;
// Room the board frees, step by step, when the wall is too short for its newest cards:
// 1 the join panel goes compact (once there is a card), 2 the prompt steps down in size
// and the title and purpose take a line each, 3 the prompt is 48 px at 1080p (no less).
const ROOM_STEPS = 3;
// Closed, with more commitments than the wall holds: each page stays this long.
const CLOSING_PAGE_MS = 10000;

const $ = (id) => document.getElementById(id);
const code = document.body.dataset.code;
const store = new RoomStore();
const wall = new Wall($("wall"));
const news = new BoardNews(store, wall);
const timer = new BoardTimer(store);
const controls = setUpControls(() => scheduleRender());
const matters = new BoardMatters(`/api/rooms/${encodeURIComponent(code)}`, store,
                                 () => scheduleRender());
let shownCommitments = null;
let deleted = false;         // the room was deleted: the board says so and stops
let closingFrom = 0;         // closed: the first commitment item on the wall's page
let closingNext = 0;         // ... and the first of the next page (0: back to the start)
let closingTimer = null;

store.subscribe((change) => {
  if (change.type !== "snapshot") timer.note(store.eventAt);
  news.changed(change);
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
  const compact = room.state === "locked" || (controls.joinChoice() ?? auto);
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
                                                  offer: "Now — offer help",
                                                  review: "Now — matters arising" }[prompt.collects] || "Now";
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
  timer.render();  // before the wall: the timer ring takes room above it
  if (matters.render()) {
    // Matters arising take the wall's place, with all the room it can free above it.
    renderJoin(room, cards.length, ROOM_STEPS);
    $("prompt").dataset.fit = String(ROOM_STEPS - 1);
    document.body.classList.add("band-short");
  } else {
    const laid = renderWall(room, cards.length);
    $("wall-empty").hidden = laid.count > 0;
    renderClosingPage(laid);
  }
  drawMap($("map"), store, remPx() / 16);
  renderLegend();
  renderSpotlight();
  news.announceRevealed();
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

setInterval(() => timer.render(), 250);
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

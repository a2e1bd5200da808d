// The landing page: create a room (and go straight to its console) or join one by code.

import { api, h, fill, invalidMessage } from "./dom.js";
import { createdSlot } from "./console-share.js";

// The server's join-code alphabet: no 0/O, 1/I/L look-alikes.
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{6}$`);
const RECENT_KEY = "askroom:recent";
const RECENT_MAX = 5;
const FIELD_LABEL = { title: "Title", purpose: "Purpose", run_by: "Who runs this meeting" };

/** "k7m q2p" → "K7MQ2P": any case, spaces and dashes ignored. */
export function normaliseCode(raw) {
  return raw.toUpperCase().replace(/[\s-]+/g, "");
}

function showError(el, input, message) {
  el.textContent = message;
  el.hidden = !message;
  if (input) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

function store(name, value) {
  try {
    localStorage.setItem(name, value);
    return true;
  } catch {
    return false;  // private mode or storage full: the key still travels in the URL
  }
}

function readRecent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function createError(result) {
  if (result.offline) return "You seem to be offline. Check the connection and try again.";
  if (result.status === 422) return invalidMessage(result.data, FIELD_LABEL);
  if (result.status === 429) return "Too many rooms created from here — wait a minute";
  return (result.data && result.data.detail) || `Something went wrong (${result.status}).`;
}

function setUpCreate() {
  const form = document.getElementById("create-form");
  const title = document.getElementById("room-title");
  const purpose = document.getElementById("room-purpose");
  const runBy = document.getElementById("room-run-by");
  const error = document.getElementById("create-error");
  const submit = document.getElementById("create-submit");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(error, title, "");
    submit.disabled = true;
    submit.textContent = "Creating…";
    const result = await api("POST", "/api/rooms",
                             { body: { title: title.value, purpose: purpose.value,
                                       run_by: runBy.value.trim() } });
    if (!result.ok) {
      submit.disabled = false;
      submit.textContent = "Create room";
      const field = result.data && result.data.errors && result.data.errors[0];
      const fields = { purpose, run_by: runBy };
      const input = (field && fields[field.field]) || title;
      showError(error, input, createError(result));
      input.focus();
      return;
    }
    const room = result.data;
    store(`askroom:facilitator:${room.code}`, room.facilitator_key);
    // The organiser key is shown only in this answer: keep it for the console's link.
    store(`askroom:organiser:${room.code}`, room.organiser_key);
    const recent = readRecent().filter((r) => r.code !== room.code);
    recent.unshift({ code: room.code, title: room.title });
    store(RECENT_KEY, JSON.stringify(recent.slice(0, RECENT_MAX)));
    try {
      // The console shows the facilitator's private link once, on arriving from here.
      sessionStorage.setItem(createdSlot(room.code), "1");
    } catch {
      // No storage: the link is still in the console, under Share and export.
    }
    location.assign(room.facilitate_url);
  });
}

function setUpJoin() {
  const form = document.getElementById("join-form");
  const input = document.getElementById("join-code");
  const error = document.getElementById("join-error");
  const submit = form.querySelector("button[type=submit]");

  input.addEventListener("input", () => {
    if (!error.hidden) showError(error, input, "");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = normaliseCode(input.value);
    if (!code) {
      showError(error, input, "Type the room code shown on the board.");
      input.focus();
      return;
    }
    if (!CODE_PATTERN.test(code)) {
      showError(error, input,
                "A room code is 6 letters and digits, like K7MQ2P (there is no 0, 1, I, L or O).");
      input.focus();
      return;
    }
    submit.disabled = true;
    const result = await api("GET", `/api/rooms/${code}`);
    submit.disabled = false;
    if (result.ok) {
      location.assign(`/r/${result.data.code}`);
      return;
    }
    const message = result.offline
      ? "You seem to be offline. Check the connection and try again."
      : result.status === 404
        ? "No room has that code"
        : (result.data && result.data.detail) || `Something went wrong (${result.status}).`;
    showError(error, input, message);
    input.focus();
  });
}

/** Rooms this browser created, so a facilitator who closed the tab finds the console again. */
function showRecent() {
  const recent = readRecent().filter((r) => {
    try {
      return r && r.code && localStorage.getItem(`askroom:facilitator:${r.code}`);
    } catch {
      return false;
    }
  });
  if (!recent.length) return;
  fill(document.getElementById("recent-list"), recent.map((r) =>
    h("li", { class: "recent-item" },
      h("span", { class: "recent-title", text: r.title || r.code }),
      h("span", { class: "recent-code", text: r.code }),
      h("a", { class: "btn btn-small", text: "Open console",
               attrs: { href: `/r/${encodeURIComponent(r.code)}/facilitate`,
                        "aria-label": `Open console: ${r.title || r.code}` } }))));
  document.getElementById("recent").hidden = false;
}

setUpCreate();
setUpJoin();
showRecent();

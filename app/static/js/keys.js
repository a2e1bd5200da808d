// The facilitator's and organiser's keys on this device: read from the private link,
// kept per room in localStorage, and told apart by asking the server (GET /me), which
// changes nothing. Shared by the console and the report.

import { api } from "./dom.js";

export function keySlots(code) {
  return { facilitator: `askroom:facilitator:${code}`, organiser: `askroom:organiser:${code}` };
}

export function stored(name) {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

export function keep(name, value) {
  try {
    if (value === null) localStorage.removeItem(name);
    else localStorage.setItem(name, value);
  } catch {
    // Storage refused (private mode): the key lives for this tab only.
  }
}

/** The key from "#key=…" (or a pasted link or bare key), or null. */
export function keyFrom(text) {
  const trimmed = (text || "").trim();
  const match = trimmed.match(/#key=([^&\s]+)/) || trimmed.match(/^key=([^&\s]+)$/);
  if (match) return decodeURIComponent(match[1]);
  return /^[\w-]{16,}$/.test(trimmed) ? trimmed : null;
}

/** Take the key out of the address bar at once, so a screen-share never shows it. */
export function keyFromAddressBar() {
  const key = keyFrom(location.hash);
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  return key;
}

/**
 * Whose key is this, in this room: "facilitator", "organiser", "participant", "invalid"
 * (401), "deleted" (404), or "unknown" (offline or a server problem).
 */
export async function roleOf(code, key) {
  const result = await api("GET", `/api/rooms/${code}/me`, { token: key });
  if (result.ok) return result.data.role;
  if (result.status === 401) return "invalid";
  if (result.status === 404) return "deleted";
  return "unknown";
}

// --- the key gate (templates/_key_gate.html), for the console and the report -------------

/** Say why the gate is shown (or nothing), and put the cursor in its field. */
export function gateMessage(message) {
  const error = document.getElementById("gate-error");
  error.textContent = message || "";
  error.hidden = !message;
  document.getElementById("gate-key").focus();
}

/** A pasted link or key goes to `open(key, "pasted")`; anything else is explained. */
export function onKeyPasted(open) {
  const field = document.getElementById("gate-key");
  document.getElementById("gate-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = keyFrom(field.value);
    if (!key) {
      gateMessage("That does not look like a private link or key. Copy the whole link, "
                  + "including the part after #key=.");
      return;
    }
    field.value = "";
    open(key, "pasted");
  });
}

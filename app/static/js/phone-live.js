// The phone's live room: live.js's one connection feeding a RoomStore, plus one repair.
//
// live.js reports "live" only when a frame arrives, and a stream resumed with `after` in
// a quiet room sends none, so a healthy connection can keep saying "Reconnecting…" or
// "Offline" after the network returns. When that lasts, and the server answers over
// HTTP, a fresh connection replaces it: its snapshot proves the room live again.

import { connect } from "./live.js";
import { api } from "./dom.js";

const STUCK_MS = 5000;
const AFTER_ONLINE_MS = 1500;

/**
 * @param {string} code the room code
 * @param {RoomStore} store kept current from the stream
 * @param {object} hooks onSnapshot(), onStatus(state)
 */
export function liveRoom(code, store, hooks) {
  let generation = 0;
  let stuckTimer = null;
  let state = "connecting";
  let live = null;

  function start() {
    const mine = ++generation;
    const current = () => mine === generation;  // a replaced connection's last frames are ignored
    return connect(code, {
      onSnapshot(frame) {
        if (!current()) return;
        store.applySnapshot(frame);
        hooks.onSnapshot();
      },
      onEvent(frame) {
        if (current() && frame.seq > store.seq) store.applyEvent(frame);
      },
      onStatus(next) {
        if (!current()) return;
        state = next;
        clearTimeout(stuckTimer);
        if (next === "reconnecting" || next === "offline") stuckTimer = setTimeout(unstick, STUCK_MS);
        hooks.onStatus(next);
      },
    });
  }

  async function unstick() {
    clearTimeout(stuckTimer);
    if (state === "live" || !navigator.onLine) return;  // the "online" event calls again
    const probe = await api("GET", `/api/rooms/${encodeURIComponent(code)}`);
    if (state === "live") return;
    if (probe.ok) {
      live.close();
      live = start();
    } else {
      stuckTimer = setTimeout(unstick, STUCK_MS * 2);  // live.js keeps its own back-off meanwhile
    }
  }

  window.addEventListener("online", () => {
    // A socket that lived through the outage gives no sign at all: check soon.
    clearTimeout(stuckTimer);
    stuckTimer = setTimeout(unstick, AFTER_ONLINE_MS);
  });

  live = start();
  return { get state() { return state; } };
}

// The one live connection every page uses (SPEC §4): a snapshot, then events in seq
// order; de-duplicated by seq; on a drop it reconnects with `after` = the last seq seen,
// with exponential back-off and jitter, and at once when the device comes back online
// or the tab becomes visible again (a laptop waking from sleep).

import { CLOSE } from "./vocab.js";

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;
// After this long hidden, a socket that looks open may be dead (sleep, network change).
const STALE_AFTER_HIDDEN_MS = 20000;

/**
 * Connect to a room's stream.
 * @param {string} code the room code
 * @param {object} handlers
 *   onSnapshot(frame)  a whole room (first, and after any resync)
 *   onEvent(frame)     one event frame, each seq once, in order
 *   onStatus(state)    "connecting" | "live" | "reconnecting" | "offline" | "denied" |
 *                      "deleted" (the room was deleted: it will not reconnect)
 * @param {object} [options] { key: a facilitator/organiser key for the private view }
 * @returns {{close(): void, reconnectNow(): void, get seq(): number|null}}
 */
export function connect(code, handlers, options = {}) {
  let socket = null;
  let seq = null;          // the last seq applied; null before the first snapshot
  let attempt = 0;
  let timer = null;
  let stopped = false;
  let hiddenSince = null;

  const status = (state) => handlers.onStatus && handlers.onStatus(state);

  function url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const after = seq === null ? "" : `?after=${seq}`;
    return `${scheme}://${location.host}/ws/rooms/${encodeURIComponent(code)}${after}`;
  }

  function open() {
    clearTimeout(timer);
    timer = null;
    if (stopped) return;
    if (!navigator.onLine) {
      status("offline");
      return;  // the "online" event brings us back
    }
    status(attempt === 0 && seq === null ? "connecting" : "reconnecting");
    const ws = new WebSocket(url());
    socket = ws;
    ws.onopen = () => {
      if (ws !== socket) return;
      if (options.key) ws.send(JSON.stringify({ type: "auth", key: options.key }));
      // Open is live: a resume with nothing to replay sends no frame until the next event.
      attempt = 0;
      status("live");
    };
    ws.onmessage = (message) => {
      if (ws !== socket) return;
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      receive(frame);
    };
    let opened = false;
    ws.addEventListener("open", () => { opened = true; });
    ws.onclose = (event) => {
      if (ws !== socket) return;
      socket = null;
      if (!opened) {
        // A refused handshake looks like a network failure from here: ask whether the
        // room is still there (deleted while we were away) before trying again.
        checkRoomThenSchedule();
        return;
      }
      if (event.code === CLOSE.BAD_KEY || event.code === CLOSE.ROOM_GONE) {
        stopped = true;
        status(event.code === CLOSE.BAD_KEY ? "denied" : "deleted");
        return;
      }
      schedule();
    };
  }

  function receive(frame) {
    switch (frame.type) {
      case "snapshot":
        seq = frame.seq;
        handlers.onSnapshot(frame);
        break;
      case "event":
        if (seq !== null && frame.seq <= seq) return;  // seen already
        if (seq !== null && frame.seq !== seq + 1) {
          resync();  // never expected: start again from what we have
          return;
        }
        seq = frame.seq;
        handlers.onEvent(frame);
        break;
      case "batch":
        for (const event of frame.events) receive(event);
        break;
      default:
        throw new Error(`unknown frame type: ${frame.type}`);
    }
  }

  function resync() {
    if (socket) {
      const old = socket;
      socket = null;
      old.close();
    }
    open();
  }

  async function checkRoomThenSchedule() {
    try {
      const response = await fetch(`/api/rooms/${encodeURIComponent(code)}`);
      if (response.status === 404) {
        stopped = true;
        status("deleted");
        return;
      }
    } catch {
      // offline: the schedule below says so
    }
    schedule();
  }

  function schedule() {
    if (stopped || timer) return;
    status(navigator.onLine ? "reconnecting" : "offline");
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;  // jitter: no thundering herd
    attempt += 1;
    timer = setTimeout(open, delay);
  }

  function reconnectNow() {
    if (stopped) return;
    attempt = 0;
    resync();
  }

  // A socket that looks open after the network comes back may be dead (frames dropped
  // silently on the way): start a fresh one, resuming after the last seq seen.
  const wentOffline = () => { if (!stopped) status("offline"); };
  function visibilityChanged() {
    if (document.visibilityState === "hidden") {
      hiddenSince = Date.now();
      return;
    }
    const wasAwayLong = hiddenSince !== null && Date.now() - hiddenSince > STALE_AFTER_HIDDEN_MS;
    hiddenSince = null;
    if (!socket || wasAwayLong) reconnectNow();
  }
  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", wentOffline);
  document.addEventListener("visibilitychange", visibilityChanged);

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (socket) socket.close();
      // A closed connection leaves nothing behind that could act for it later.
      window.removeEventListener("online", reconnectNow);
      window.removeEventListener("offline", wentOffline);
      document.removeEventListener("visibilitychange", visibilityChanged);
    },
    reconnectNow,
    get seq() { return seq; },
  };
}

// The one live connection every page uses (SPEC §4): a snapshot, then events in seq
// order; de-duplicated by seq; on a drop it reconnects with `after` = the last seq seen,
// with exponential back-off and jitter, and at once when the device comes back online
// or the tab becomes visible again (a laptop waking from sleep). Pages do not call it
// themselves: RoomStore.follow (store.js) feeds a room's store from it.

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
  return new Connection(code, handlers, options);
}

class Connection {
  constructor(code, handlers, options) {
    this.code = code;
    this.handlers = handlers;
    this.key = options.key || null;
    this.socket = null;
    this.seq = null;          // the last seq applied; null before the first snapshot
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.hiddenSince = null;
    // Bound once, so that close() can take exactly these listeners off again.
    this.reconnectNow = this.reconnectNow.bind(this);
    this.wentOffline = () => { if (!this.stopped) this.status("offline"); };
    this.visibilityChanged = this.visibilityChanged.bind(this);
    window.addEventListener("online", this.reconnectNow);
    window.addEventListener("offline", this.wentOffline);
    document.addEventListener("visibilitychange", this.visibilityChanged);
    this.open();
  }

  status(state) {
    if (this.handlers.onStatus) this.handlers.onStatus(state);
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const after = this.seq === null ? "" : `?after=${this.seq}`;
    return `${scheme}://${location.host}/ws/rooms/${encodeURIComponent(this.code)}${after}`;
  }

  open() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    if (!navigator.onLine) {
      this.status("offline");
      return;  // the "online" event brings us back
    }
    this.status(this.attempt === 0 && this.seq === null ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.url());
    this.socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      if (ws !== this.socket) return;
      if (this.key) ws.send(JSON.stringify({ type: "auth", key: this.key }));
      // Open is live: a resume with nothing to replay sends no frame until the next event.
      this.attempt = 0;
      this.status("live");
    };
    ws.onmessage = (message) => {
      if (ws !== this.socket) return;
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      this.receive(frame);
    };
    ws.onclose = (event) => {
      if (ws !== this.socket) return;
      this.socket = null;
      this.closed(event.code, opened);
    };
  }

  closed(code, opened) {
    if (!opened) {
      // A refused handshake looks like a network failure from here: ask whether the
      // room is still there (deleted while we were away) before trying again.
      this.checkRoomThenSchedule();
      return;
    }
    if (code === CLOSE.BAD_KEY || code === CLOSE.ROOM_GONE) {
      this.stopped = true;
      this.status(code === CLOSE.BAD_KEY ? "denied" : "deleted");
      return;
    }
    this.schedule();
  }

  receive(frame) {
    switch (frame.type) {
      case "snapshot":
        this.seq = frame.seq;
        this.handlers.onSnapshot(frame);
        break;
      case "event":
        if (this.seq !== null && frame.seq <= this.seq) return;  // seen already
        if (this.seq !== null && frame.seq !== this.seq + 1) {
          this.resync();  // never expected: start again from what we have
          return;
        }
        this.seq = frame.seq;
        this.handlers.onEvent(frame);
        break;
      case "batch":
        for (const event of frame.events) this.receive(event);
        break;
      default:
        throw new Error(`unknown frame type: ${frame.type}`);
    }
  }

  resync() {
    if (this.socket) {
      const old = this.socket;
      this.socket = null;
      old.close();
    }
    this.open();
  }

  async checkRoomThenSchedule() {
    try {
      const response = await fetch(`/api/rooms/${encodeURIComponent(this.code)}`);
      if (response.status === 404) {
        this.stopped = true;
        this.status("deleted");
        return;
      }
    } catch {
      // offline: the schedule below says so
    }
    this.schedule();
  }

  schedule() {
    if (this.stopped || this.timer) return;
    this.status(navigator.onLine ? "reconnecting" : "offline");
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;  // jitter: no thundering herd
    this.attempt += 1;
    this.timer = setTimeout(() => this.open(), delay);
  }

  /** Start a fresh socket now, resuming after the last seq seen: a socket that looks open
   * after the network comes back may be dead (frames dropped silently on the way). */
  reconnectNow() {
    if (this.stopped) return;
    this.attempt = 0;
    this.resync();
  }

  visibilityChanged() {
    if (document.visibilityState === "hidden") {
      this.hiddenSince = Date.now();
      return;
    }
    const wasAwayLong = this.hiddenSince !== null
      && Date.now() - this.hiddenSince > STALE_AFTER_HIDDEN_MS;
    this.hiddenSince = null;
    if (!this.socket || wasAwayLong) this.reconnectNow();
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close();
    // A closed connection leaves nothing behind that could act for it later.
    window.removeEventListener("online", this.reconnectNow);
    window.removeEventListener("offline", this.wentOffline);
    document.removeEventListener("visibilitychange", this.visibilityChanged);
  }
}

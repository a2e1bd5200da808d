// The phone's live room: live.js's one connection feeding a RoomStore, plus one check.
//
// live.js learns that a room was deleted only from the close code of an open stream
// (4404). A phone that was away when it happened (asleep, offline) meets a refused
// handshake instead, which looks like any network failure; so while it reconnects, it
// asks the API once per attempt whether the room still exists.

import { connect } from "./live.js";
import { api } from "./dom.js";

/**
 * @param {string} code the room code
 * @param {RoomStore} store kept current from the stream
 * @param {object} hooks onSnapshot(), onStatus(state) — state as live.js gives it, and
 *   "deleted" also when the API says the room is gone
 */
export function liveRoom(code, store, hooks) {
  let state = "connecting";
  let probing = false;

  const live = connect(code, {
    onSnapshot(frame) {
      store.applySnapshot(frame);
      hooks.onSnapshot();
    },
    onEvent(frame) {
      store.applyEvent(frame);
    },
    onStatus(next) {
      if (state === "deleted") return;
      state = next;
      hooks.onStatus(next);
      if (next === "reconnecting") probe();
    },
  });

  async function probe() {
    if (probing) return;
    probing = true;
    const result = await api("GET", `/api/rooms/${encodeURIComponent(code)}`);
    probing = false;
    if (result.status === 404) gone();
  }

  function gone() {
    if (state === "deleted") return;
    live.close();
    state = "deleted";
    hooks.onStatus("deleted");
  }

  return {
    get state() { return state; },
    /** Another part of the page learnt that the room is gone (an API answer of 404). */
    gone,
  };
}

// The board's timer ring: the time left on the room's timer, by the server's clock.

import { clock } from "./dom.js";

const $ = (id) => document.getElementById(id);
const RING = 2 * Math.PI * 52;  // the timer ring's circumference (r=52 in board.html)

export class BoardTimer {
  constructor(store) {
    this.store = store;
    this.serverBehindMs = null;  // how far the server's clock is behind ours (see note)
  }

  /** A projector laptop's clock may be wrong; the timer's end is the server's time. Each
   * event's `at` bounds the offset (it can only be late by the network), so keep the least. */
  note(eventAt) {
    const at = Date.parse(eventAt);
    if (Number.isNaN(at)) return;
    const behind = Date.now() - at;
    this.serverBehindMs = this.serverBehindMs === null ? behind : Math.min(this.serverBehindMs, behind);
  }

  render() {
    const { timer, room } = this.store;
    const el = $("timer");
    if (!timer || !timer.ends_at || (room && room.state === "closed")) {
      el.hidden = true;
      document.body.classList.remove("has-timer");
      return;
    }
    const now = Date.now() - (this.serverBehindMs ?? 0);
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
}

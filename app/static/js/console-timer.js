// The console's timer: start one from a preset or a typed number of minutes, stop it, and
// keep the clock, the bar and the spoken "Time is up" in step with the room's timer.

import { announce, clock, secondsLeft } from "./dom.js";

const $ = (id) => document.getElementById(id);

/** Wire the timer's buttons and start its clock; returns the render that redraws it and enables them. */
export function setUpTimer(ctx) {
  let announcedEnd = null;

  async function start(minutes, button) {
    const call = () => ctx.call("POST", "/timer", { seconds: Math.round(minutes * 60) });
    const result = button ? await ctx.busy(button, call) : await call();
    if (result && result.ok) announce(`Timer started: ${minutes} minute${minutes === 1 ? "" : "s"}`);
  }

  for (const button of document.querySelectorAll(".presets [data-minutes]")) {
    button.addEventListener("click", () => start(Number(button.dataset.minutes), button));
  }
  const input = $("timer-minutes");
  $("timer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const minutes = Number(input.value);
    if (input.value === "" || !Number.isFinite(minutes) || minutes <= 0 || minutes > 1440) {
      ctx.showAlert("Timer: type a number of minutes from 1 to 1440.");
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    start(minutes, event.submitter || null);
  });
  $("timer-stop").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    if (!ctx.store.timer) return;  // nothing to stop: the button says so (aria-disabled)
    const result = await ctx.busy(button, () => ctx.call("POST", "/timer", { seconds: 0 }));
    if (result && result.ok) announce("Timer stopped");
    button.setAttribute("aria-disabled", String(!ctx.store.timer));
  });

  function tick() {
    const timer = ctx.store.timer;
    const left = secondsLeft(timer);
    const face = $("timer-clock");
    const note = $("timer-note");
    const running = left !== null;
    face.textContent = running ? clock(left) : "–:––";
    face.dataset.state = !running ? "idle" : left <= 0 ? "done" : left <= 30 ? "ending" : "running";
    const total = timer && timer.seconds ? timer.seconds : 0;
    note.textContent = !running ? "No timer running"
      : left <= 0 ? "Time is up" : `of ${clock(total)}`;
    $("timer-fill").style.setProperty("--left", String(running && total ? Math.min(1, left / total) : 0));
    if (running && left <= 0 && announcedEnd !== timer.ends_at) {
      announcedEnd = timer.ends_at;
      announce("Time is up");
    }
  }
  setInterval(tick, 250);

  return () => {
    tick();
    const canAct = ctx.canAct();
    for (const button of document.querySelectorAll(".presets button, #timer-form button")) {
      button.disabled = !canAct;
    }
    $("timer-minutes").disabled = !canAct;
    const stop = $("timer-stop");
    stop.disabled = !canAct;
    if (stop.getAttribute("aria-busy") !== "true") {
      stop.setAttribute("aria-disabled", String(!ctx.store.timer));
    }
  };
}

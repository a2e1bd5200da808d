// The current prompt at the top of the joined phone: its words, a short highlight when a
// new one arrives, and its timer, ticking each second. Once the person scrolls past it,
// a one-line copy is pinned to the top of the screen (with *Show all* for the whole
// text), so a long prompt never takes a quarter of a small phone, and the cards scrolled
// under it keep their headers clear (scroll-padding in phone.css is the bar's height).
// The copy is out of the flow: pinning it never moves the page, so it cannot flicker.

import { clock, secondsLeft } from "./dom.js";

// Where there is no height for even one pinned line, nothing is pinned (phone.css too).
const PINNED = "(min-height: 520px) and (min-width: 280px)";

export function createPromptView() {
  const section = document.getElementById("prompt");
  const text = document.getElementById("prompt-text");
  const timer = document.getElementById("prompt-timer");
  const bar = document.getElementById("prompt-bar");
  const barText = document.getElementById("prompt-bar-text");
  const barTimer = document.getElementById("prompt-bar-timer");
  const more = document.getElementById("prompt-more");
  const pinnable = window.matchMedia(PINNED);
  let lastPromptId;
  let shown = null;  // {store, closed} of the last render, for the ticking timer
  let open = false;  // the pinned copy shows the whole prompt
  let queued = false;

  function renderTimer() {
    const left = secondsLeft(shown.store.timer);
    timer.hidden = left === null || shown.closed;
    barTimer.hidden = timer.hidden;
    if (left === null) return;
    timer.textContent = left > 0 ? `${clock(left)} left` : "Time's up";
    barTimer.textContent = timer.textContent;
    timer.classList.toggle("is-ending", left > 0 && left <= 30);
    barTimer.classList.toggle("is-ending", left > 0 && left <= 30);
  }

  /** Pin the one-line copy once the prompt's top has gone under the top of the screen. */
  function place() {
    queued = false;
    const prompt = shown && shown.store.prompt;
    const passed = !section.hidden && section.getBoundingClientRect().top < 0;
    const pin = Boolean(prompt) && passed && pinnable.matches && !shown.closed;
    if (!pin) open = false;
    bar.hidden = !pin;
    bar.classList.toggle("is-open", open);
    more.setAttribute("aria-expanded", String(open));
    more.textContent = open ? "Show less" : "Show all";
    // Only a prompt cut short needs its button.
    if (pin) more.hidden = !open && barText.scrollWidth <= barText.clientWidth;
  }

  function schedulePlace() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(place);
  }

  more.addEventListener("click", () => {
    open = !open;
    place();
  });
  window.addEventListener("scroll", schedulePlace, { passive: true });
  window.addEventListener("resize", schedulePlace);
  pinnable.addEventListener("change", schedulePlace);

  const ticking = setInterval(() => { if (shown && shown.store.timer) renderTimer(); }, 1000);

  return {
    /** Draw the store's prompt; nothing of it shows in a closed room. */
    render(store, roomState) {
      shown = { store, closed: roomState === "closed" };
      section.hidden = shown.closed;
      const prompt = store.prompt;
      section.classList.toggle("is-waiting", !prompt);
      text.textContent = prompt ? prompt.text : "Waiting for the facilitator's next prompt";
      barText.textContent = prompt ? prompt.text : "";
      const id = prompt ? prompt.id : null;
      if (lastPromptId !== undefined && id !== lastPromptId && prompt) {
        open = false;
        for (const el of [section, bar]) {
          el.classList.remove("is-new");
          void el.offsetWidth;  // restart the highlight
          el.classList.add("is-new");
        }
      }
      lastPromptId = id;
      renderTimer();
      schedulePlace();
    },
    /** Stop drawing: the page is being emptied. */
    stop() {
      clearInterval(ticking);
      window.removeEventListener("scroll", schedulePlace);
      window.removeEventListener("resize", schedulePlace);
      pinnable.removeEventListener("change", schedulePlace);
      shown = null;
    },
  };
}

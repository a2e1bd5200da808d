// The current prompt at the top of the joined phone: its words, a short highlight when a
// new one arrives, and its timer, ticking each second. It stays sticky while there is
// room, so focused controls and jump targets are kept clear of it.

import { clock, secondsLeft } from "./dom.js";

export function createPromptView() {
  const section = document.getElementById("prompt");
  const text = document.getElementById("prompt-text");
  const timer = document.getElementById("prompt-timer");
  let lastPromptId;
  let shown = null;  // {store, closed} of the last render, for the ticking timer

  function renderTimer() {
    const left = secondsLeft(shown.store.timer);
    timer.hidden = left === null || shown.closed;
    if (left === null) return;
    timer.textContent = left > 0 ? `${clock(left)} left` : "Time's up";
    timer.classList.toggle("is-ending", left > 0 && left <= 30);
  }

  const ticking = setInterval(() => { if (shown && shown.store.timer) renderTimer(); }, 1000);

  const size = new ResizeObserver(() => {
    const sticky = !section.hidden && getComputedStyle(section).position === "sticky";
    document.documentElement.style.setProperty("scroll-padding-top", sticky ? `${section.offsetHeight + 16}px` : "0px");
  });
  size.observe(section);

  return {
    /** Draw the store's prompt; nothing of it shows in a closed room. */
    render(store, roomState) {
      shown = { store, closed: roomState === "closed" };
      section.hidden = shown.closed;
      const prompt = store.prompt;
      section.classList.toggle("is-waiting", !prompt);
      text.textContent = prompt ? prompt.text : "Waiting for the facilitator's next prompt";
      const id = prompt ? prompt.id : null;
      if (lastPromptId !== undefined && id !== lastPromptId && prompt) {
        section.classList.remove("is-new");
        void section.offsetWidth;  // restart the highlight
        section.classList.add("is-new");
      }
      lastPromptId = id;
      renderTimer();
    },
    /** Stop drawing: the page is being emptied. */
    stop() {
      clearInterval(ticking);
      size.disconnect();
      shown = null;
    },
  };
}

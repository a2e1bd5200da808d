// The console's left column: the prompt now on the board, the prompt library (each
// structure with its steps, timings and guidance) and a box for a prompt of your own.

import { announce, api, fill, h } from "./dom.js";

export const COLLECTS_LABEL = {
  request: "Collects requests",
  ask: "Collects asks for help",
  offer: "Collects offers",
  any: "Collects any kind",
  review: "Reviews earlier meetings' commitments",
};

const $ = (id) => document.getElementById(id);

function minutes(seconds) {
  return `${Math.round(seconds / 60)} min`;
}

/** Guidance is plain text with blank lines between paragraphs: one <p> per paragraph. */
function paragraphs(text) {
  return text.split(/\n\s*\n/).map((para) => para.trim()).filter(Boolean)
    .map((para) => h("p", { text: para.replace(/\s*\n\s*/g, " ") }));
}

/** A library prompt as pushed or planned: with the console-wide choice of names. */
const fromLibrary = (entry) => ({ library_key: entry.key,
                                  identity_choice: $("library-identity").checked });

/** One structure of the library, with its Plan and Push buttons (added to `buttons`).
 * `push(body, button, label)` and `plan(body, button, label)` do what they say. */
function libraryItem(entry, { push, plan, buttons }) {
  const pushButton = h("button", {
    class: "btn btn-small btn-push", text: "Push",
    attrs: { type: "button", "aria-label": `Push “${entry.title}”`, "data-facilitator-only": true },
    on: { click: () => push(fromLibrary(entry), pushButton, entry.title) },
  });
  const planButton = h("button", {
    class: "btn btn-small btn-plan", text: "Plan",
    attrs: { type: "button", "aria-label": `Plan “${entry.title}” (add to the run sheet)`,
             "data-facilitator-only": true },
    on: { click: () => plan(fromLibrary(entry), planButton, entry.title) },
  });
  buttons.push(pushButton, planButton);
  return h("li", { class: "lib-item", dataset: { key: entry.key } },
    h("div", { class: "lib-head" },
      h("h4", { class: "lib-title", text: entry.title }),
      h("div", { class: "lib-buttons" }, planButton, pushButton)),
    h("p", { class: "lib-meta" },
      h("span", { class: `collects collects-${entry.collects}`,
                  text: COLLECTS_LABEL[entry.collects] }),
      h("span", { text: ` · ${minutes(entry.duration_s)}` }),
      entry.self_commit ? h("span", { class: "flag", text: "Offers are commitments" }) : null,
      h("span", { class: "lib-live", text: "On the board" })),
    h("p", { class: "lib-summary", text: entry.summary }),
    h("details", { class: "lib-details" },
      h("summary", { text: "Steps, timings and guidance" }),
      h("p", { class: "lib-label", text: "People see" }),
      h("blockquote", { class: "lib-text", text: entry.text }),
      h("p", { class: "lib-label", text: "Steps" }),
      h("ol", { class: "lib-steps" }, entry.steps.map((step) =>
        h("li", {},
          h("span", { text: step.title }),
          h("span", { class: "step-time", text: `${step.minutes} min` })))),
      h("p", { class: "lib-label", text: "Guidance" }),
      h("div", { class: "lib-guidance" }, paragraphs(entry.guidance))));
}

// --- the prompt now on the board ----------------------------------------------------------

async function startTimerFor(ctx, seconds, button) {
  const result = await ctx.busy(button, () => ctx.call("POST", "/timer", { seconds }));
  if (result && result.ok) $("current-prompt").focus();
}

async function closePrompt(ctx, button) {
  const result = await ctx.busy(button, () => ctx.call("POST", "/prompts/current/close"));
  if (result && result.ok) {
    announce("Prompt closed");
    $("current-prompt").focus();  // the button is gone: keep the keyboard nearby
  }
}

function currentPromptActions(ctx, prompt) {
  const timerRunning = ctx.store.timer && ctx.store.timer.ends_at;
  const startTimer = prompt.duration_s && !timerRunning ? h("button", {
    class: "btn btn-small", text: `Start ${minutes(prompt.duration_s)} timer`,
    attrs: { type: "button", id: "start-prompt-timer", "data-facilitator-only": true,
             disabled: !ctx.canAct() },
    on: { click: (event) => startTimerFor(ctx, prompt.duration_s, event.currentTarget) },
  }) : null;
  const closeButton = h("button", {
    class: "btn btn-small", text: "Close prompt",
    attrs: { type: "button", id: "close-prompt", "data-facilitator-only": true,
             disabled: !ctx.canAct() },
    on: { click: (event) => closePrompt(ctx, event.currentTarget) },
  });
  return h("div", { class: "current-actions" }, startTimer, closeButton);
}

/** The prompt on the board, where it came from, and its Start timer and Close buttons. */
function currentPrompt(ctx, library) {
  const prompt = ctx.store.prompt;
  if (!prompt) {
    return h("p", { class: "current-empty" },
      "No prompt is open. Push one from the library, or write your own below.");
  }
  const from = prompt.library_key && library.find((e) => e.key === prompt.library_key);
  const steps = ctx.sheet ? ctx.sheet.steps : [];
  const stepAt = prompt.run_item_id ? steps.findIndex((s) => s.id === prompt.run_item_id) : -1;
  return h("div", { class: "current-card" },
    h("p", { class: "current-text", text: prompt.text }),
    h("p", { class: "lib-meta" },
      h("span", { class: `collects collects-${prompt.collects}`,
                  text: COLLECTS_LABEL[prompt.collects] }),
      prompt.duration_s ? h("span", { text: ` · ${minutes(prompt.duration_s)}` }) : null,
      prompt.self_commit ? h("span", { class: "flag", text: "Offers are commitments" }) : null),
    prompt.identity_choice
      ? h("p", { class: "option-note", text: "People choose how their name is shown" }) : null,
    from ? h("p", { class: "current-from", text: `From the library: ${from.title}` }) : null,
    stepAt >= 0 ? h("p", { class: "current-from",
                           text: `Step ${stepAt + 1} of ${steps.length} on the run sheet` }) : null,
    currentPromptActions(ctx, prompt));
}

// --- your own prompt ----------------------------------------------------------------------

/** The box for a prompt of one's own: Push sends it to the board, Plan adds it to the run
 * sheet. Its two buttons join `buttons` (disabled when the console may not act). */
function setUpCustom(ctx, buttons) {
  const form = $("custom-form");
  const text = $("custom-text");
  const count = $("custom-count");
  const minutesInput = $("custom-minutes");
  const error = $("custom-error");
  const submit = form.querySelector("button[type=submit]");
  buttons.push(submit);

  text.addEventListener("input", () => {
    count.textContent = `${text.value.length} of 280 characters`;
    text.removeAttribute("aria-invalid");
  });
  minutesInput.addEventListener("input", () => minutesInput.removeAttribute("aria-invalid"));

  const typed = () => typedPrompt({ text, minutesInput, error });
  function done() {
    form.reset();
    count.textContent = "Up to 280 characters.";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = typed();
    if (!body) return;
    const result = await ctx.busy(submit,
                                  () => ctx.call("POST", "/prompts", body, { errorEl: error }));
    if (result && result.ok) {
      announce(`Pushed to the board: ${body.text}`);
      done();
    }
  });

  const planButton = $("custom-plan");
  buttons.push(planButton);
  planButton.addEventListener("click", async () => {
    const body = typed();
    if (!body) return;
    const result = await ctx.plan(body, planButton, body.text, { errorEl: error });
    if (result && result.ok) done();
  });
}

/** The prompt as typed, or null (the problem shown, its field focused) when it cannot be
 * sent. */
function typedPrompt({ text, minutesInput, error }) {
  const fail = (message, field) => {
    error.textContent = message;
    error.hidden = false;
    field.setAttribute("aria-invalid", "true");
    field.focus();
  };
  error.hidden = true;
  if (!text.value.trim()) {
    fail("Write the prompt first: it is what people see on their phones and the board.", text);
    return null;
  }
  const body = { text: text.value.trim(), collects: $("custom-collects").value,
                 self_commit: $("custom-commit").checked,
                 identity_choice: $("custom-identity").checked };
  if (minutesInput.value !== "" || minutesInput.validity.badInput) {
    const value = Number(minutesInput.value);
    if (!Number.isInteger(value) || value < 1 || value > 1440) {
      fail("Duration: a whole number of minutes from 1 to 1440, or leave it empty.", minutesInput);
      return null;
    }
    body.duration_s = value * 60;
  }
  return body;
}

// --- the column ---------------------------------------------------------------------------

/** After a push the keyboard goes to what was pushed: the Push button it left may be
 * scrolled away by the prompt box growing above it. */
function showPushed() {
  const panel = $("current-prompt");
  panel.focus({ preventScroll: true });
  panel.closest(".current").scrollIntoView({ block: "nearest" });
}

export function setUpPrompts(ctx) {
  let library = [];
  const buttons = [];  // every Push and Close button, disabled when the console may not act
  let drawn = null;

  async function push(body, button, label) {
    const result = await ctx.busy(button, () => ctx.call("POST", "/prompts", body));
    if (result && result.ok) {
      announce(`Pushed to the board: ${label}`);
      showPushed();
    }
    return result;
  }

  async function loadLibrary() {
    const result = await api("GET", "/api/prompts");
    const status = $("library-status");
    if (!result.ok) {
      status.textContent = result.offline
        ? "The prompt library could not be loaded: you seem to be offline."
        : "The prompt library could not be loaded.";
      return;
    }
    library = result.data;
    ctx.library = library;
    status.hidden = true;
    fillLibrary();
    ctx.rerender();  // the run sheet names library steps by their titles
  }

  // Matters arising reviews a partnership's earlier meetings: a room of none has none, so
  // the list is drawn again once the room is known to be (or not to be) a meeting.
  const isSeries = () => Boolean(ctx.store.room && ctx.store.room.partnership);
  let filledFor = null;
  function fillLibrary() {
    filledFor = isSeries();
    const actions = { push, plan: (...args) => ctx.plan(...args), buttons };
    fill($("library"), library.filter((entry) => filledFor || entry.collects !== "review")
      .map((entry) => libraryItem(entry, actions)));
    // The buttons of a list drawn before are gone from the page: forget them.
    buttons.splice(0, buttons.length, ...buttons.filter((button) => button.isConnected));
  }

  /** Re-draw the current prompt only when it changes, and keep the keyboard's place in it. */
  function renderCurrent() {
    const { prompt, timer } = ctx.store;
    const steps = ctx.sheet ? ctx.sheet.steps : [];
    const signature = JSON.stringify([prompt && prompt.id, timer && timer.ends_at, ctx.role,
                                      ctx.canAct(), library.length, steps.map((s) => s.id)]);
    if (signature === drawn) return;
    drawn = signature;
    const panel = $("current-prompt");
    const focused = panel.contains(document.activeElement) ? document.activeElement.id : null;
    fill(panel, currentPrompt(ctx, library));
    if (focused) {
      const again = document.getElementById(focused);
      if (again && panel.contains(again)) again.focus();
      else panel.focus();
    }
  }

  function render() {
    renderCurrent();
    const current = ctx.store.prompt && ctx.store.prompt.library_key;
    if (library.length && isSeries() !== filledFor) fillLibrary();
    for (const item of document.querySelectorAll(".lib-item")) {
      item.classList.toggle("is-current", item.dataset.key === current);
    }
    for (const button of buttons) button.disabled = !ctx.canAct();
    $("library-identity").disabled = !ctx.canAct();
  }

  setUpCustom(ctx, buttons);
  loadLibrary();
  return { render };
}

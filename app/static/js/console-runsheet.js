// The console's run sheet: the meeting planned as an ordered list of prompts (from the
// library or the facilitator's own), each with its duration and options; Next pushes the
// next planned step with its timer, and each step shows the time it used against plan.

import { announce, fill, h, placeInOrder } from "./dom.js";

const $ = (id) => document.getElementById(id);

const STATE_LABEL = { planned: "Planned", current: "On the board", done: "Done" };
const COLLECTS_SHORT = { request: "Requests", ask: "Asks", offer: "Offers", any: "Any kind" };
// Step states come only from GET /runsheet (the private event carries the plan, not the
// states): re-read it shortly after anything that may move them, once for a burst.
const REFRESH_DELAY_MS = 150;

/** Time used against plan: "32 of 45 min", "40 s of 15 min"; "12 min" with no plan. */
export function timeAgainstPlan(used, planned) {
  const s = Math.max(0, Math.round(used));
  // Under a minute in seconds, so a step just started does not read "0 of 15 min".
  const words = s < 60 ? `${s} s` : `${Math.round(s / 60)}`;
  if (planned) return `${words} of ${Math.round(planned / 60)} min`;
  return s < 60 ? words : `${words} min`;
}

export function setUpRunSheet(ctx) {
  let sheet = null;          // the last GET /runsheet (or PUT answer): {steps, next, ...}
  let receivedAt = 0;        // when it arrived: the current step's time runs on from here
  let refreshTimer = null;
  let loading = false;
  let again = false;
  const drawn = new Map();   // step id -> {sig, el}
  const list = $("runsheet");
  const next = $("runsheet-next");

  // --- reading the sheet ------------------------------------------------------------

  async function refresh() {
    if (!ctx.key) return;
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    const result = await ctx.call("GET", "/runsheet", undefined, { quiet: true });
    loading = false;
    if (result.ok) setSheet(result.data);
    if (again) {
      again = false;
      refresh();
    }
  }

  function soon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
  }

  function setSheet(data) {
    sheet = data;
    ctx.sheet = data;
    receivedAt = Date.now();
    draw();
    ctx.rerender({ type: "runsheet-read" });  // "Step 2 of 5" beside the prompt on the board
  }

  /** The plan from a private event (no states): shown at once, states re-read after. */
  function fromEvent(steps) {
    const known = new Map((sheet ? sheet.steps : []).map((s) => [s.id, s]));
    const merged = steps.map((s) => ({ state: "planned", used_s: 0, ...known.get(s.id), ...s }));
    const firstPlanned = merged.find((s) => s.state === "planned");
    setSheet({
      steps: merged,
      next: firstPlanned ? firstPlanned.id : null,
      planned_s: merged.reduce((sum, s) => sum + (s.duration_s || 0), 0),
      used_s: merged.reduce((sum, s) => sum + (s.used_s || 0), 0),
    });
    soon();
  }

  // --- words --------------------------------------------------------------------------

  function libraryEntry(step) {
    return step.library_key && (ctx.library || []).find((e) => e.key === step.library_key);
  }

  /** A library step by its structure's name; one's own by its words. */
  function title(step) {
    const entry = libraryEntry(step);
    return entry ? entry.title : step.text;
  }

  function minutesOf(step) {
    return step.duration_s ? ` (${Math.round(step.duration_s / 60)} min)` : "";
  }

  /** Seconds this step has used, the current one counting on since the sheet arrived. */
  function usedNow(step) {
    const running = step.state === "current" ? (Date.now() - receivedAt) / 1000 : 0;
    return (step.used_s || 0) + running;
  }

  function stepTime(step) {
    if (step.state === "planned") {
      return step.duration_s ? `${Math.round(step.duration_s / 60)} min planned` : "No duration";
    }
    const used = usedNow(step);
    const over = step.duration_s && used > step.duration_s;
    return `${timeAgainstPlan(used, step.duration_s)} used${over ? " · over time" : ""}`;
  }

  // --- actions ------------------------------------------------------------------------

  /** Add a step at the end (from the library's Plan, or the custom box). */
  async function plan(body, button, label, { errorEl } = {}) {
    const result = await ctx.busy(button, () => ctx.call("POST", "/runsheet", body, { errorEl }));
    if (result && result.ok) {
      announce(`Added to the run sheet: ${label}`);
      soon();
    }
    return result;
  }

  async function pushNext(button) {
    if (!sheet || sheet.next === null) return;
    const step = sheet.steps.find((s) => s.id === sheet.next);
    const result = await ctx.busy(button, () => ctx.call("POST", "/runsheet/next"));
    if (result && result.ok) {
      announce(`Pushed to the board: ${step ? title(step) : result.data.text}`);
      soon();
    }
  }

  async function move(step, by, button) {
    const ids = sheet.steps.map((s) => s.id);
    const at = ids.indexOf(step.id);
    const to = at + by;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    const result = await ctx.busy(button, () => ctx.call("PUT", "/runsheet/order", { order: ids }));
    if (result && result.ok) {
      setSheet(result.data);
      announce(`${title(step)}: now step ${to + 1} of ${ids.length}`);
    }
  }

  async function remove(step, button) {
    const index = sheet.steps.findIndex((s) => s.id === step.id);
    const result = await ctx.busy(button, () => ctx.call("DELETE", `/runsheet/${step.id}`));
    if (!result || !result.ok) return;
    announce(`Removed from the run sheet: ${title(step)}`);
    setSheet({ ...sheet, steps: sheet.steps.filter((s) => s.id !== step.id) });
    // The button is gone: keep the keyboard on the step that took its place, or the list.
    const neighbour = list.children[Math.min(index, list.children.length - 1)];
    const target = neighbour && neighbour.querySelector("[data-control='remove']:not([disabled])");
    (target || $("runsheet-title")).focus();
    soon();
  }

  async function change(step, fields, input) {
    const result = await ctx.call("PATCH", `/runsheet/${step.id}`, fields);
    if (result.ok) {
      announce(`Run sheet updated: ${title(step)}`);
      soon();
    } else {
      draw({ force: step.id });  // put the control back as the sheet has it
      if (input) input.focus();
    }
  }

  function changeMinutes(step, input) {
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < 1 || value > 1440) {
      ctx.showAlert("Duration: a whole number of minutes from 1 to 1440.");
      input.setAttribute("aria-invalid", "true");
      return;
    }
    input.removeAttribute("aria-invalid");
    if (value * 60 !== step.duration_s) change(step, { duration_s: value * 60 }, input);
  }

  // --- drawing ------------------------------------------------------------------------

  function option(step, field, label, canEdit) {
    const id = `step-${step.id}-${field}`;
    return h("div", { class: "step-option" },
      h("input", { attrs: { id, type: "checkbox", checked: Boolean(step[field]), disabled: !canEdit,
                            "data-control": field },
                   on: { change: (event) => change(step, { [field]: event.currentTarget.checked },
                                                   event.currentTarget) } }),
      h("label", { attrs: { for: id }, text: label }));
  }

  function buildStep(step, index, count) {
    const facilitator = ctx.role === "facilitator";
    const canAct = ctx.canAct();
    const editable = facilitator && step.state === "planned";
    const name = title(step);
    const entry = libraryEntry(step);
    const minutes = editable ? h("label", { class: "step-minutes" },
      h("input", { attrs: { type: "number", min: "1", max: "1440", step: "1", inputmode: "numeric",
                            value: step.duration_s ? String(Math.round(step.duration_s / 60)) : "",
                            placeholder: "–", disabled: !canAct, "data-control": "minutes",
                            "aria-label": `Duration in minutes: ${name}` },
                   on: { change: (event) => changeMinutes(step, event.currentTarget),
                         keydown: (event) => { if (event.key === "Enter") event.currentTarget.blur(); } } }),
      h("span", { text: "min", attrs: { "aria-hidden": "true" } })) : null;
    const offers = step.collects === "offer" || step.collects === "any";
    const options = editable ? h("div", { class: "step-options" },
      offers ? option(step, "self_commit", "Offers are commitments", canAct) : null,
      option(step, "identity_choice", "People choose how their name is shown", canAct)) : null;
    // Planned steps move among themselves: what has been pushed stays where it happened.
    const steps = sheet.steps;
    const movable = (at) => at >= 0 && at < count && steps[at].state === "planned";
    const moveButton = (by, word, arrow) => h("button", {
      class: "btn btn-icon", attrs: {
        type: "button", "data-control": by < 0 ? "up" : "down", title: word,
        disabled: !canAct || !movable(index + by),
        "aria-label": `${word}: ${name}` },
      on: { click: (event) => move(step, by, event.currentTarget) },
    }, h("span", { attrs: { "aria-hidden": "true" }, text: arrow }));
    const actions = editable ? h("div", { class: "step-actions" },
      moveButton(-1, "Move up", "↑"),
      moveButton(1, "Move down", "↓"),
      h("button", {
        class: "btn btn-small", text: "Remove",
        attrs: { type: "button", "data-control": "remove", disabled: !canAct,
                 "aria-label": `Remove from the run sheet: ${name}` },
        on: { click: (event) => remove(step, event.currentTarget) } })) : null;

    return h("li", { class: `step step-${step.state}`, dataset: { stepId: String(step.id) } },
      h("span", { class: "step-n", text: step.state === "done" ? "✓" : String(index + 1),
                  attrs: { "aria-hidden": "true" } }),
      h("div", { class: "step-body" },
        h("p", { class: "step-title" },
          h("span", { class: "visually-hidden", text: `Step ${index + 1}: ` }),
          h("span", { text: name })),
        entry && entry.text !== step.text ? h("p", { class: "step-text", text: step.text }) : null,
        h("p", { class: "step-meta" },
          h("span", { class: `step-state state-${step.state}`, text: STATE_LABEL[step.state] }),
          h("span", { class: `collects collects-${step.collects}`, text: COLLECTS_SHORT[step.collects] }),
          minutes,
          // A planned step's minutes are in its field; the others say the time they used.
          minutes ? null
            : h("span", { class: "step-used", dataset: { used: String(step.id) }, text: stepTime(step) })),
        !editable && step.self_commit
          ? h("p", { class: "step-flags" }, h("span", { class: "flag", text: "Offers are commitments" }))
          : null,
        !editable && step.identity_choice
          ? h("p", { class: "option-note", text: "People choose how their name is shown" }) : null,
        options,
        actions));
  }

  const place = (wanted) => placeInOrder(list, wanted);

  /** Re-draw what changed, keeping the keyboard on the control it was on. */
  function draw({ force } = {}) {
    const active = document.activeElement;
    const activeStep = active && list.contains(active) ? active.closest("[data-step-id]") : null;
    const activeControl = active && active.dataset ? active.dataset.control : null;

    const steps = sheet ? sheet.steps : [];
    const wanted = steps.map((step, index) => {
      const sig = JSON.stringify([step.id, step.text, step.collects, step.duration_s,
        step.self_commit, step.identity_choice, step.state, step.state === "planned" ? 0 : step.used_s,
        index, steps.length, ctx.role, ctx.canAct(), Boolean(libraryEntry(step)),
        steps.map((s) => s.state).join()]);
      const known = drawn.get(step.id);
      if (known && known.sig === sig && force !== step.id) return known.el;
      const el = buildStep(step, index, steps.length);
      drawn.set(step.id, { sig, el });
      return el;
    });
    for (const id of [...drawn.keys()]) if (!steps.some((s) => s.id === id)) drawn.delete(id);
    place(wanted);

    if (activeStep && document.activeElement !== active) {
      const twin = list.querySelector(`[data-step-id="${activeStep.dataset.stepId}"]`);
      const target = twin && ([`[data-control="${activeControl}"]`, "[data-control='up']",
                               "[data-control='down']"]
        .map((selector) => twin.querySelector(selector)).find((el) => el && !el.disabled));
      if (target) target.focus();
    }
    drawHead();
  }

  function drawHead() {
    const steps = sheet ? sheet.steps : [];
    const empty = $("runsheet-empty");
    empty.hidden = steps.length > 0;
    const upcoming = sheet && sheet.next !== null ? steps.find((s) => s.id === sheet.next) : null;
    const facilitator = ctx.role === "facilitator";
    const hadFocus = document.activeElement === next;
    next.hidden = !facilitator || !upcoming;
    if (hadFocus && next.hidden) $("runsheet-title").focus();  // the last step went out
    if (upcoming) {
      const words = `Next: ${title(upcoming)}${minutesOf(upcoming)}`;
      if (next.textContent !== words) {
        fill(next, h("span", { class: "next-arrow", attrs: { "aria-hidden": "true" }, text: "▶" }),
          h("span", { class: "next-words", text: words }));
      }
    }
    next.disabled = !ctx.canAct();
    const done = $("runsheet-done");
    done.hidden = !(steps.length && !upcoming);
    done.textContent = steps.length && !upcoming
      ? "Every step has been pushed. Add another, or push a prompt from the library." : "";
    tick();
  }

  /** The clock-driven parts: the current step's time and the total against plan. */
  function tick() {
    const steps = sheet ? sheet.steps : [];
    for (const step of steps) {
      if (step.state !== "current") continue;
      const el = list.querySelector(`[data-used="${step.id}"]`);
      if (el) el.textContent = stepTime(step);
    }
    const planned = steps.reduce((sum, s) => sum + (s.duration_s || 0), 0);
    const used = steps.reduce((sum, s) => sum + (s.state === "planned" ? 0 : usedNow(s)), 0);
    const total = $("runsheet-total");
    total.hidden = !steps.length;
    total.textContent = !steps.length ? ""
      : planned ? `${timeAgainstPlan(used, planned)} used` : `${timeAgainstPlan(used, 0)} used`;
    total.classList.toggle("is-over", Boolean(planned) && used > planned);
    $("runsheet-fill").style.setProperty("--used", String(planned ? Math.min(1, used / planned) : 0));
    $("runsheet-bar").hidden = !planned;
  }

  next.addEventListener("click", (event) => pushNext(event.currentTarget));
  setInterval(tick, 1000);

  return {
    plan,
    render(change) {
      switch (change.type) {
        case "snapshot":
          refresh();
          return;
        case "runsheet.updated":
          if (ctx.store.runsheet) fromEvent(ctx.store.runsheet);
          return;
        case "prompt.opened":
        case "prompt.closed":
        case "room.updated":
          soon();
          break;
        case "runsheet-read":
        case "card.created":
        case "card.updated":
        case "participant.joined":
        case "participant.left":
        case "timer.started":
        case "timer.stopped":
          return;  // nothing on the run sheet depends on these
        default:
          break;  // the role, the library: re-draw from what we have
      }
      draw();
    },
  };
}

// One step of the console's run sheet, as words and as a list item: its title (a library
// structure's name, or one's own words), the time it used against plan, and, while it is
// planned, the facilitator's controls (minutes, options, move up and down, remove).

import { h } from "./dom.js";

const STATE_LABEL = { planned: "Planned", current: "On the board", done: "Done" };
const COLLECTS_SHORT = { request: "Requests", ask: "Asks", offer: "Offers", any: "Any kind",
                         review: "Matters arising" };

/** Time used against plan: "32 of 45 min", "40 s of 15 min"; "12 min" with no plan. */
export function timeAgainstPlan(used, planned) {
  const s = Math.max(0, Math.round(used));
  // Under a minute in seconds, so a step just started does not read "0 of 15 min".
  const words = s < 60 ? `${s} s` : `${Math.round(s / 60)}`;
  if (planned) return `${words} of ${Math.round(planned / 60)} min`;
  return s < 60 ? words : `${words} min`;
}

/** The library structure a step was planned from, if any (`library`: the prompt library). */
export function libraryEntry(step, library) {
  return step.library_key && (library || []).find((e) => e.key === step.library_key);
}

/** A library step by its structure's name; one's own by its words. */
export function stepTitle(step, library) {
  const entry = libraryEntry(step, library);
  return entry ? entry.title : step.text;
}

export function minutesOf(step) {
  return step.duration_s ? ` (${Math.round(step.duration_s / 60)} min)` : "";
}

/** Seconds this step has used, the current one counting on from `receivedAt` (when the
 * sheet arrived, in ms). */
export function usedNow(step, receivedAt) {
  const running = step.state === "current" ? (Date.now() - receivedAt) / 1000 : 0;
  return (step.used_s || 0) + running;
}

export function stepTime(step, receivedAt) {
  if (step.state === "planned") {
    return step.duration_s ? `${Math.round(step.duration_s / 60)} min planned` : "No duration";
  }
  const used = usedNow(step, receivedAt);
  const over = step.duration_s && used > step.duration_s;
  return `${timeAgainstPlan(used, step.duration_s)} used${over ? " · over time" : ""}`;
}

// --- a step's controls ----------------------------------------------------------------------

function option(step, field, label, canEdit, actions) {
  const id = `step-${step.id}-${field}`;
  return h("div", { class: "step-option" },
    h("input", { attrs: { id, type: "checkbox", checked: Boolean(step[field]), disabled: !canEdit,
                          "data-control": field },
                 on: { change: (event) => actions.change(step, { [field]: event.currentTarget.checked },
                                                         event.currentTarget) } }),
    h("label", { attrs: { for: id }, text: label }));
}

function minutesField(step, name, canAct, actions) {
  return h("label", { class: "step-minutes" },
    h("input", { attrs: { type: "number", min: "1", max: "1440", step: "1", inputmode: "numeric",
                          value: step.duration_s ? String(Math.round(step.duration_s / 60)) : "",
                          placeholder: "–", disabled: !canAct, "data-control": "minutes",
                          "aria-label": `Duration in minutes: ${name}` },
                 on: { change: (event) => actions.changeMinutes(step, event.currentTarget),
                       keydown: (event) => { if (event.key === "Enter") event.currentTarget.blur(); } } }),
    h("span", { text: "min", attrs: { "aria-hidden": "true" } }));
}

function stepOptions(step, canAct, actions) {
  const offers = step.collects === "offer" || step.collects === "any";
  return h("div", { class: "step-options" },
    offers ? option(step, "self_commit", "Offers are commitments", canAct, actions) : null,
    option(step, "identity_choice", "People choose how their name is shown", canAct, actions));
}

function stepActions(step, index, steps, name, canAct, actions) {
  // Planned steps move among themselves: what has been pushed stays where it happened.
  const movable = (at) => at >= 0 && at < steps.length && steps[at].state === "planned";
  const moveButton = (by, word, arrow) => h("button", {
    class: "btn btn-icon", attrs: {
      type: "button", "data-control": by < 0 ? "up" : "down", title: word,
      disabled: !canAct || !movable(index + by),
      "aria-label": `${word}: ${name}` },
    on: { click: (event) => actions.move(step, by, event.currentTarget) },
  }, h("span", { attrs: { "aria-hidden": "true" }, text: arrow }));
  return h("div", { class: "step-actions" },
    moveButton(-1, "Move up", "↑"),
    moveButton(1, "Move down", "↓"),
    h("button", {
      class: "btn btn-small", text: "Remove",
      attrs: { type: "button", "data-control": "remove", disabled: !canAct,
               "aria-label": `Remove from the run sheet: ${name}` },
      on: { click: (event) => actions.remove(step, event.currentTarget) } }));
}

/**
 * The list item of one step.
 * @param {object} view {library, role, canAct, receivedAt}: what the console knows now
 * @param {object} actions change(step, fields, input), changeMinutes(step, input),
 *   move(step, by, button), remove(step, button)
 */
export function buildStep(step, index, steps, view, actions) {
  const editable = view.role === "facilitator" && step.state === "planned";
  const name = stepTitle(step, view.library);
  const entry = libraryEntry(step, view.library);
  const minutes = editable ? minutesField(step, name, view.canAct, actions) : null;
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
          : h("span", { class: "step-used", dataset: { used: String(step.id) },
                        text: stepTime(step, view.receivedAt) })),
      !editable && step.self_commit
        ? h("p", { class: "step-flags" }, h("span", { class: "flag", text: "Offers are commitments" }))
        : null,
      !editable && step.identity_choice
        ? h("p", { class: "option-note", text: "People choose how their name is shown" }) : null,
      editable ? stepOptions(step, view.canAct, actions) : null,
      editable ? stepActions(step, index, steps, name, view.canAct, actions) : null));
}

/** What a step's drawing depends on: the same signature, the same element. */
export function stepSignature(step, index, steps, view) {
  return JSON.stringify([step.id, step.text, step.collects, step.duration_s,
    step.self_commit, step.identity_choice, step.state, step.state === "planned" ? 0 : step.used_s,
    index, steps.length, view.role, view.canAct, Boolean(libraryEntry(step, view.library)),
    steps.map((s) => s.state).join()]);
}

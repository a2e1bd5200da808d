// The console's run sheet: the meeting planned as an ordered list of prompts (from the
// library or the facilitator's own), each with its duration and options; Next pushes the
// next planned step with its timer, and each step shows the time it used against plan
// (each step's drawing: console-steps.js).

import { announce, fill, h, placeInOrder } from "./dom.js";
import { buildStep, minutesOf, stepSignature, stepTime, stepTitle, timeAgainstPlan, usedNow }
  from "./console-steps.js";

const $ = (id) => document.getElementById(id);

// Step states come only from GET /runsheet (the private event carries the plan, not the
// states): re-read it shortly after anything that may move them, once for a burst.
const REFRESH_DELAY_MS = 150;

export function setUpRunSheet(ctx) {
  return new RunSheet(ctx);
}

class RunSheet {
  constructor(ctx) {
    this.ctx = ctx;
    this.sheet = null;         // the last GET /runsheet (or PUT answer): {steps, next, ...}
    this.receivedAt = 0;       // when it arrived: the current step's time runs on from here
    this.refreshTimer = null;
    this.loading = false;
    this.again = false;
    this.drawn = new Map();    // step id -> {sig, el}
    this.list = $("runsheet");
    this.next = $("runsheet-next");
    this.plan = this.plan.bind(this);  // handed to the prompt library's Plan buttons
    this.stepActions = {
      change: (step, fields, input) => this.change(step, fields, input),
      changeMinutes: (step, input) => this.changeMinutes(step, input),
      move: (step, by, button) => this.move(step, by, button),
      remove: (step, button) => this.remove(step, button),
    };
    this.next.addEventListener("click", (event) => this.pushNext(event.currentTarget));
    setInterval(() => this.tick(), 1000);
  }

  get steps() {
    return this.sheet ? this.sheet.steps : [];
  }

  title(step) {
    return stepTitle(step, this.ctx.library);
  }

  // --- reading the sheet ------------------------------------------------------------

  async refresh() {
    if (!this.ctx.key) return;
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    const result = await this.ctx.call("GET", "/runsheet", undefined, { quiet: true });
    this.loading = false;
    if (result.ok) this.setSheet(result.data);
    if (this.again) {
      this.again = false;
      this.refresh();
    }
  }

  soon() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  setSheet(data) {
    this.sheet = data;
    this.ctx.sheet = data;
    this.receivedAt = Date.now();
    this.draw();
    this.ctx.rerender({ type: "runsheet-read" });  // "Step 2 of 5" beside the prompt on the board
  }

  /** The plan from a private event (no states): shown at once, states re-read after. */
  fromEvent(steps) {
    const known = new Map(this.steps.map((s) => [s.id, s]));
    const merged = steps.map((s) => ({ state: "planned", used_s: 0, ...known.get(s.id), ...s }));
    const firstPlanned = merged.find((s) => s.state === "planned");
    this.setSheet({
      steps: merged,
      next: firstPlanned ? firstPlanned.id : null,
      planned_s: merged.reduce((sum, s) => sum + (s.duration_s || 0), 0),
      used_s: merged.reduce((sum, s) => sum + (s.used_s || 0), 0),
    });
    this.soon();
  }

  // --- actions ------------------------------------------------------------------------

  /** Add a step at the end (from the library's Plan, or the custom box). */
  async plan(body, button, label, { errorEl } = {}) {
    const result = await this.ctx.busy(button,
                                       () => this.ctx.call("POST", "/runsheet", body, { errorEl }));
    if (result && result.ok) {
      announce(`Added to the run sheet: ${label}`);
      this.soon();
    }
    return result;
  }

  async pushNext(button) {
    const { sheet } = this;
    if (!sheet || sheet.next === null) return;
    const step = sheet.steps.find((s) => s.id === sheet.next);
    const result = await this.ctx.busy(button, () => this.ctx.call("POST", "/runsheet/next"));
    if (result && result.ok) {
      announce(`Pushed to the board: ${step ? this.title(step) : result.data.text}`);
      this.soon();
    }
  }

  async move(step, by, button) {
    const ids = this.steps.map((s) => s.id);
    const at = ids.indexOf(step.id);
    const to = at + by;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    const result = await this.ctx.busy(button,
                                       () => this.ctx.call("PUT", "/runsheet/order", { order: ids }));
    if (result && result.ok) {
      this.setSheet(result.data);
      announce(`${this.title(step)}: now step ${to + 1} of ${ids.length}`);
    }
  }

  async remove(step, button) {
    const index = this.steps.findIndex((s) => s.id === step.id);
    const result = await this.ctx.busy(button, () => this.ctx.call("DELETE", `/runsheet/${step.id}`));
    if (!result || !result.ok) return;
    announce(`Removed from the run sheet: ${this.title(step)}`);
    this.setSheet({ ...this.sheet, steps: this.steps.filter((s) => s.id !== step.id) });
    // The button is gone: keep the keyboard on the step that took its place, or the list.
    const { list } = this;
    const neighbour = list.children[Math.min(index, list.children.length - 1)];
    const target = neighbour && neighbour.querySelector("[data-control='remove']:not([disabled])");
    (target || $("runsheet-title")).focus();
    this.soon();
  }

  async change(step, fields, input) {
    const result = await this.ctx.call("PATCH", `/runsheet/${step.id}`, fields);
    if (result.ok) {
      announce(`Run sheet updated: ${this.title(step)}`);
      this.soon();
    } else {
      this.draw({ force: step.id });  // put the control back as the sheet has it
      if (input) input.focus();
    }
  }

  changeMinutes(step, input) {
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < 1 || value > 1440) {
      this.ctx.showAlert("Duration: a whole number of minutes from 1 to 1440.");
      input.setAttribute("aria-invalid", "true");
      return;
    }
    input.removeAttribute("aria-invalid");
    if (value * 60 !== step.duration_s) this.change(step, { duration_s: value * 60 }, input);
  }

  // --- drawing ------------------------------------------------------------------------

  /** What the steps' drawing needs to know of the console now. */
  view() {
    return { library: this.ctx.library, role: this.ctx.role, canAct: this.ctx.canAct(),
             receivedAt: this.receivedAt };
  }

  /** Re-draw what changed, keeping the keyboard on the control it was on. */
  draw({ force } = {}) {
    const { list } = this;
    const active = document.activeElement;
    const activeStep = active && list.contains(active) ? active.closest("[data-step-id]") : null;
    const activeControl = active && active.dataset ? active.dataset.control : null;

    const { steps } = this;
    const view = this.view();
    const wanted = steps.map((step, index) => {
      const sig = stepSignature(step, index, steps, view);
      const known = this.drawn.get(step.id);
      if (known && known.sig === sig && force !== step.id) return known.el;
      const el = buildStep(step, index, steps, view, this.stepActions);
      this.drawn.set(step.id, { sig, el });
      return el;
    });
    for (const id of [...this.drawn.keys()]) if (!steps.some((s) => s.id === id)) this.drawn.delete(id);
    placeInOrder(list, wanted);

    if (activeStep && document.activeElement !== active) {
      const twin = list.querySelector(`[data-step-id="${activeStep.dataset.stepId}"]`);
      const target = twin && ([`[data-control="${activeControl}"]`, "[data-control='up']",
                               "[data-control='down']"]
        .map((selector) => twin.querySelector(selector)).find((el) => el && !el.disabled));
      if (target) target.focus();
    }
    this.drawHead();
  }

  drawHead() {
    const { steps, sheet, next } = this;
    $("runsheet-empty").hidden = steps.length > 0;
    const upcoming = sheet && sheet.next !== null ? steps.find((s) => s.id === sheet.next) : null;
    const facilitator = this.ctx.role === "facilitator";
    const hadFocus = document.activeElement === next;
    next.hidden = !facilitator || !upcoming;
    if (hadFocus && next.hidden) $("runsheet-title").focus();  // the last step went out
    if (upcoming) {
      const words = `Next: ${this.title(upcoming)}${minutesOf(upcoming)}`;
      if (next.textContent !== words) {
        fill(next, h("span", { class: "next-arrow", attrs: { "aria-hidden": "true" }, text: "▶" }),
          h("span", { class: "next-words", text: words }));
      }
    }
    next.disabled = !this.ctx.canAct();
    const done = $("runsheet-done");
    done.hidden = !(steps.length && !upcoming);
    done.textContent = steps.length && !upcoming
      ? "Every step has been pushed. Add another, or push a prompt from the library." : "";
    this.tick();
  }

  /** The clock-driven parts: the current step's time and the total against plan. */
  tick() {
    const { steps, receivedAt } = this;
    for (const step of steps) {
      if (step.state !== "current") continue;
      const el = this.list.querySelector(`[data-used="${step.id}"]`);
      if (el) el.textContent = stepTime(step, receivedAt);
    }
    const planned = steps.reduce((sum, s) => sum + (s.duration_s || 0), 0);
    const used = steps.reduce((sum, s) => sum + (s.state === "planned" ? 0 : usedNow(s, receivedAt)), 0);
    const total = $("runsheet-total");
    total.hidden = !steps.length;
    total.textContent = !steps.length ? ""
      : planned ? `${timeAgainstPlan(used, planned)} used` : `${timeAgainstPlan(used, 0)} used`;
    total.classList.toggle("is-over", Boolean(planned) && used > planned);
    $("runsheet-fill").style.setProperty("--used", String(planned ? Math.min(1, used / planned) : 0));
    $("runsheet-bar").hidden = !planned;
  }

  /** One change of the console (console.js): a store change, or one of the console's own. */
  render(change) {
    switch (change.type) {
      case "snapshot":
        this.refresh();
        return;
      case "runsheet.updated":
        if (this.ctx.store.runsheet) this.fromEvent(this.ctx.store.runsheet);
        return;
      case "prompt.opened":
      case "prompt.closed":
      case "room.updated":
        this.soon();
        break;
      case "refresh":  // the role or the library changed: re-draw from what we have
        break;
      case "runsheet-read":
      case "card.created":
      case "card.updated":
      case "cards.renamed":
      case "matter.updated":
      case "participant.joined":
      case "participant.left":
      case "timer.started":
      case "timer.stopped":
        return;  // nothing on the run sheet depends on these
      default:
        throw new Error(`unknown change: ${change.type}`);
    }
    this.draw();
  }
}

// Matters arising in the console: while the prompt collects "review", the open
// commitments of the partnership's earlier meetings, with who owns each; the facilitator
// records progress for someone who is not here or said it aloud (the history says so).

import { fill, h, orgChip, PROGRESS_LABEL } from "./dom.js";
import { MattersLoader, isReview } from "./matters.js";

const $ = (id) => document.getElementById(id);
const REPORTS = [["in_progress", "In progress"], ["done", "Done"], ["dropped", "Dropped"]];

function recordForm(ctx, matter) {
  const id = `record-${matter.ref.toLowerCase()}`;
  const progress = h("select", { attrs: { id: `${id}-progress`, "aria-label": `Progress of ${matter.ref}` } },
    REPORTS.map(([value, label]) => h("option", { text: label, attrs: { value } })));
  const note = h("input", { attrs: { id: `${id}-note`, type: "text", maxlength: "500",
                                      "aria-label": `A line about ${matter.ref}`,
                                      placeholder: "What they said (optional)" } });
  const error = h("p", { class: "form-error", attrs: { role: "alert" } });
  error.hidden = true;
  const button = h("button", { class: "btn btn-small", text: "Record for them",
                               attrs: { type: "submit" } });
  return h("form", {
    class: "matter-record",
    on: { submit: (event) => {
      event.preventDefault();
      ctx.busy(button, async () => {
        const result = await ctx.call("POST", `/matters/${encodeURIComponent(matter.ref)}/progress`,
                                      { progress: progress.value, note: note.value },
                                      { errorEl: error });
        if (result.ok) {
          ctx.store.matters.set(result.data.ref, result.data);
          ctx.rerender();
        }
      });
    } },
  }, progress, note, button, error);
}

function matterItem(ctx, matter) {
  const owner = matter.owner || {};
  return h("li", { class: `matter-item status-${matter.status}` },
    h("p", { class: "matter-head" },
      h("strong", { text: matter.ref }), ` · meeting ${matter.meeting.number} · `,
      owner.name ? `${owner.name} ` : "", owner.organisation ? orgChip(owner.organisation) : ""),
    h("p", { class: "matter-what", text: matter.what }),
    h("p", { class: "muted", text: `${PROGRESS_LABEL[matter.progress] || matter.progress}`
      + `${matter.note ? `: “${matter.note}”` : ""}` }),
    ctx.canAct() && (matter.status === "open" || matter.status === "overdue")
      ? recordForm(ctx, matter) : "");
}

export function setUpMatters(ctx) {
  const loader = new MattersLoader(`/api/rooms/${encodeURIComponent(ctx.code)}`, ctx.store,
                                   () => ctx.rerender(), () => ctx.key);
  return {
    render() {
      const on = isReview(ctx.store);
      $("matters-box").hidden = !on;
      if (!on) return;
      loader.refresh();
      const matters = [...ctx.store.matters.values()];
      $("matters-none").hidden = matters.length > 0;
      fill($("matters-items"), matters.map((m) => matterItem(ctx, m)));
    },
  };
}

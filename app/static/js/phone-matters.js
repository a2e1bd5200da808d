// Matters arising on the phone: while the facilitator's prompt collects "review", the
// open commitments of the partnership's earlier meetings, my organisation's first; for
// those, the form to say where they have got to (the room sees it as matter.updated).

import { api, fill, h, organisationKey, orgChip, PROGRESS_LABEL } from "./dom.js";
import { MattersLoader, isReview } from "./matters.js";
import { Device } from "./phone-me.js";

const REPORTS = [["in_progress", "In progress"], ["done", "Done"], ["dropped", "Dropped"]];
const $ = (id) => document.getElementById(id);

/** This phone was in the meeting the matter was raised in, as its owner. */
function mineFromBefore(matter) {
  const then = new Device(matter.meeting.code).load();
  return Boolean(then && matter.owner && matter.owner.id === then.id);
}

function ownedBy(matter, me) {
  const org = organisationKey((matter.owner && matter.owner.organisation) || "");
  return Boolean(org) && org === organisationKey(me.organisation || "");
}

function reportForm(matter, send) {
  const id = matter.ref.toLowerCase();
  const progress = h("select", { attrs: { id: `${id}-progress` } },
    REPORTS.map(([value, label]) => h("option", { text: label, attrs: { value } })));
  const note = h("input", { attrs: { id: `${id}-note`, type: "text", maxlength: "500",
                                      autocomplete: "off" } });
  const status = h("p", { class: "ph-matter-status", attrs: { role: "status" } });
  const button = h("button", { class: "btn btn-primary", text: "Report",
                               attrs: { type: "submit" } });
  return h("form", {
    class: "ph-matter-form",
    on: { submit: (event) => {
      event.preventDefault();
      send(matter, progress.value, note.value, { button, status });
    } },
  },
  h("label", { text: "Where it has got to", attrs: { for: progress.id } }), progress,
  h("label", { text: "A line about it (optional)", attrs: { for: note.id } }), note,
  button, status);
}

function matterItem(matter, { mine, yours, canReport }, send) {
  const owner = matter.owner;
  return h("article", { class: `card ph-matter${mine ? " ph-matter-mine" : ""}` },
    h("p", { class: "ph-matter-ref", text: `${matter.ref} · from meeting ${matter.meeting.number}`
                                             + `${yours ? " · yours" : ""}` }),
    h("p", { class: "ph-matter-what", text: matter.what }),
    h("p", { class: "ph-matter-who" },
      owner && owner.name ? `${owner.name} ` : (owner ? "" : "Anonymous "),
      owner ? orgChip(owner.organisation) : ""),
    h("p", { class: "ph-matter-progress",
             text: `${PROGRESS_LABEL[matter.progress] || matter.progress}`
               + `${matter.note ? `: “${matter.note}”` : ""}` }),
    canReport ? reportForm(matter, send) : "");
}

export class MattersView {
  /** @param base the room's API path; @param store the page's RoomStore */
  constructor(base, store, onChange) {
    this.base = base;
    this.store = store;
    this.onChange = onChange;
    this.loader = new MattersLoader(base, store, onChange);
  }

  render(store, me, token) {
    const shown = isReview(store) && Boolean(me);
    $("matters").hidden = !shown;
    if (!shown) return;
    this.loader.refresh();
    const open = store.openMatters();
    // My own commitments from the meetings this phone was in first, then my organisation's.
    const own = open.filter(mineFromBefore);
    const mine = [...own, ...open.filter((m) => ownedBy(m, me) && !own.includes(m))];
    const others = open.filter((m) => !mine.includes(m));
    $("matters-empty").hidden = open.length > 0;
    $("matters-mine-heading").hidden = !mine.length;
    const send = (matter, progress, note, parts) => this.send(matter, progress, note, token, parts);
    const item = (m) => matterItem(m, { mine: mine.includes(m), yours: own.includes(m),
                                        canReport: ownedBy(m, me) }, send);
    fill($("matters-mine"), mine.map(item));
    $("matters-others-heading").hidden = !others.length;
    fill($("matters-others"), others.map(item));
  }

  async send(matter, progress, note, token, { button, status }) {
    button.disabled = true;
    status.textContent = "Sending…";
    const result = await api("POST", `${this.base}/matters/${encodeURIComponent(matter.ref)}/progress`,
                             { body: { progress, note }, token });
    button.disabled = false;
    if (!result.ok) {
      status.textContent = result.offline ? "You seem to be offline: try again."
        : (result.data && result.data.detail) || `Not sent (error ${result.status}).`;
      return;
    }
    this.store.matters.set(result.data.ref, result.data);
    this.onChange();
  }
}

// Matters arising on the board: while the prompt collects "review", the open commitments
// of the partnership's earlier meetings take the wall's place, grouped by the owner's
// organisation and a page at a time (hundreds stay readable from the back of a hall);
// each report (matter.updated) shows as it arrives, done ones marked so before they go.

import { fill, h, orgChip, PROGRESS_LABEL } from "./dom.js";
import { MattersLoader, isReview } from "./matters.js";

// What one page holds at 1080p in the board's type, and how long each page stays.
const PER_PAGE = 5;
const PAGE_MS = 12000;
const $ = (id) => document.getElementById(id);

function owner(matter) {
  return (matter.owner && matter.owner.organisation) || "No organisation";
}

/** The matters in organisation order, PER_PAGE to a page, each page's grouped by
 * organisation (a group that runs on to the next page starts it again). */
export function pagesOf(matters) {
  const ordered = [...matters].sort((a, b) => owner(a).localeCompare(owner(b)));
  const pages = [];
  for (let from = 0; from < ordered.length; from += PER_PAGE) {
    const groups = [];
    for (const matter of ordered.slice(from, from + PER_PAGE)) {
      const last = groups[groups.length - 1];
      if (last && last.name === owner(matter)) last.items.push(matter);
      else groups.push({ name: owner(matter), items: [matter] });
    }
    pages.push(groups);
  }
  return pages;
}

function matterLine(matter) {
  const who = matter.owner && matter.owner.name ? matter.owner.name : "";
  return h("li", { class: "matter", dataset: { status: matter.status, progress: matter.progress } },
    h("span", { class: "matter-ref", text: matter.ref }),
    h("span", { class: "matter-what", text: matter.what }),
    h("span", { class: "matter-who", text: who }),
    h("span", { class: "matter-progress",
                text: PROGRESS_LABEL[matter.progress] || matter.progress }));
}

export class BoardMatters {
  constructor(base, store, onChange) {
    this.store = store;
    this.loader = new MattersLoader(base, store, onChange);
    this.page = 0;
    this.onChange = onChange;
    this.turner = null;
    this.shown = new Set();  // refs on the board under this prompt: a done one stays a while
  }

  /** Whether the board shows matters now (the wall steps aside), drawing them if so. */
  render() {
    const on = isReview(this.store);
    $("matters-section").hidden = !on;
    $("wall-section").hidden = on;
    if (!on) {
      this.stop();
      return false;
    }
    this.loader.refresh();
    const all = [...this.store.matters.values()];
    // Reported done or dropped under this prompt: still shown, marked, until the next load.
    const matters = all.filter((m) => m.status === "open" || m.status === "overdue"
                                      || this.shown.has(m.ref));
    for (const m of matters) this.shown.add(m.ref);
    const pages = pagesOf(matters);
    this.page = pages.length ? this.page % pages.length : 0;
    $("matters-empty").hidden = matters.length > 0;
    $("matters-page").textContent = pages.length > 1 ? `· page ${this.page + 1} of ${pages.length}` : "";
    fill($("matters-groups"), (pages[this.page] || []).map((group) =>
      h("section", { class: "matters-group" },
        h("h3", { class: "matters-org" }, orgChip(group.name)),
        h("ol", { class: "matters-list" }, group.items.map(matterLine)))));
    if (pages.length > 1 && !this.turner) {
      this.turner = setInterval(() => { this.page += 1; this.onChange(); }, PAGE_MS);
    } else if (pages.length <= 1) this.stop();
    return true;
  }

  stop() {
    clearInterval(this.turner);
    this.turner = null;
  }
}

// The partnership page's action register: every commitment of every meeting, filtered
// here (organisation, status, meeting, overdue), its kept rate per meeting and per
// organisation drawn as SVG from the same data, and its downloads.

import { PROGRESS_LABEL, fill, h, organisationKey, orgChip, saveDownload } from "./dom.js";

const STATUS_LABEL = { open: "Open", overdue: "Overdue", done: "Done", dropped: "Dropped" };
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The share of these entries done, 0–100, or null with none. */
export function keptRate(entries) {
  if (!entries.length) return null;
  return Math.round(100 * entries.filter((e) => e.status === "done").length / entries.length);
}

function groupBy(entries, label) {
  const groups = new Map();
  for (const entry of entries) {
    const name = label(entry);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(entry);
  }
  return [...groups].map(([name, group]) => ({ name, rate: keptRate(group), size: group.length }));
}

/** Horizontal bars, one per group: its name, a bar as long as its kept rate, the rate. */
function barChart(groups, caption) {
  const row = 40;
  const height = Math.max(1, groups.length) * row;
  const chart = svg("svg", { viewBox: `0 0 420 ${height}`, class: "p-chart", role: "img",
    "aria-label": `${caption}: ${groups.map((g) => `${g.name} ${g.rate}%`).join(", ")}` });
  groups.forEach((group, index) => {
    const y = index * row;
    const name = group.name.length > 13 ? `${group.name.slice(0, 12)}…` : group.name;
    chart.append(svg("text", { x: 0, y: y + 26, class: "p-chart-label" }, name),
                 svg("rect", { x: 150, y: y + 9, width: 180, height: 24, rx: 5,
                               class: "p-chart-track" }),
                 svg("rect", { x: 150, y: y + 9, width: (180 * group.rate) / 100, height: 24,
                               rx: 5, class: "p-chart-bar" }),
                 svg("text", { x: 420, y: y + 26, "text-anchor": "end",
                               class: "p-chart-value" }, `${group.rate}% of ${group.size}`));
  });
  // The full names, where a long one was cut short to fit.
  chart.prepend(svg("title", {}, groups.map((g) => `${g.name}: ${g.rate}%`).join("\n")));
  return h("figure", { class: "p-figure" }, h("figcaption", { text: caption }), chart);
}

function charts(entries) {
  if (!entries.length) return [];
  const byMeeting = groupBy(entries, (e) => `Meeting ${e.meeting.number}`);
  const byOrg = groupBy(entries, (e) => (e.owner && e.owner.organisation) || "No organisation");
  return [barChart(byMeeting, "Kept rate by meeting (share done)"),
          barChart(byOrg, "Kept rate by organisation (share done)")];
}

function person(who, fallback) {
  if (!who) return h("span", { class: "muted", text: fallback });
  return h("span", {}, who.name ? `${who.name} ` : "", orgChip(who.organisation));
}

function entryItem(entry) {
  const latest = entry.history.length ? entry.history[entry.history.length - 1] : null;
  return h("li", { class: `p-entry status-${entry.status}` },
    h("div", { class: "p-entry-head" },
      h("span", { class: "p-ref", text: entry.ref }),
      h("span", { class: `p-status status-${entry.status}`, text: STATUS_LABEL[entry.status] })),
    h("p", { class: "p-what", text: entry.what }),
    h("p", { class: "p-who" }, h("span", { class: "p-label", text: "Owner " }),
      person(entry.owner, "Anonymous"), h("span", { class: "p-label", text: " · for " }),
      person(entry.for_whom, "the room")),
    h("p", { class: "p-meta", text: `Meeting ${entry.meeting.number} · `
      + `${PROGRESS_LABEL[entry.progress] || entry.progress}`
      + `${entry.note ? ` · “${entry.note}”` : ""}`
      + `${latest ? ` · ${entry.history.length} update${entry.history.length === 1 ? "" : "s"}` : ""}` }));
}

export function matches(entry, chosen) {
  const org = (entry.owner && entry.owner.organisation) || "";
  if (chosen.organisation && organisationKey(org) !== organisationKey(chosen.organisation)) {
    return false;
  }
  if (chosen.status && entry.status !== chosen.status) return false;
  if (chosen.meeting && entry.meeting.number !== Number(chosen.meeting)) return false;
  return !chosen.overdue || entry.status === "overdue";
}

function options(select, values, all) {
  const kept = select.value;
  fill(select, h("option", { text: all, attrs: { value: "" } }),
       values.map(([value, label]) => h("option", { text: label, attrs: { value } })));
  select.value = values.some(([value]) => String(value) === kept) ? kept : "";
}

export class Register {
  constructor(id, key) {
    this.id = id;
    this.key = key;
    this.entries = [];
    this.form = document.getElementById("register-filters");
    this.form.addEventListener("change", () => this.draw());
    for (const button of document.querySelectorAll("[data-register]")) {
      button.addEventListener("click", () => this.download(button));
    }
  }

  show(register, partnership) {
    this.entries = register.entries;
    const owners = register.entries.map((e) => e.owner && e.owner.organisation).filter(Boolean);
    const orgs = [...new Map([...partnership.members, ...owners]
      .map((name) => [organisationKey(name), name])).values()].sort((a, b) => a.localeCompare(b));
    options(this.form.elements.organisation, orgs.map((o) => [o, o]), "Every organisation");
    options(this.form.elements.meeting, partnership.meetings.map((m) => [m.number,
      `${m.number}. ${m.title}`]), "Every meeting");
    const c = register.counts;
    document.getElementById("register-counts").textContent = register.entries.length
      ? `${register.entries.length} commitments · ${c.open} open · ${c.overdue} overdue · `
        + `${c.done} done · ${c.dropped} dropped`
      : "No commitments yet: they appear here as meetings make them.";
    fill(document.getElementById("register-charts"), charts(register.entries));
    this.draw();
  }

  draw() {
    const f = this.form.elements;
    const chosen = { organisation: f.organisation.value, status: f.status.value,
                     meeting: f.meeting.value, overdue: f.overdue.checked };
    const shown = this.entries.filter((e) => matches(e, chosen));
    fill(document.getElementById("register-list"), shown.map(entryItem));
    const none = document.getElementById("register-none");
    none.hidden = !this.entries.length || shown.length > 0;
  }

  async download(button) {
    const status = document.getElementById("register-download-status");
    const ext = button.dataset.register;
    let response = null;
    try {
      response = await fetch(`/api/partnerships/${encodeURIComponent(this.id)}/register.${ext}`,
                             { headers: { Authorization: `Bearer ${this.key()}` } });
    } catch {
      response = null;
    }
    if (!response || !response.ok) {
      status.textContent = response ? `The download failed (error ${response.status}).`
        : "You seem to be offline: the download failed.";
      return;
    }
    status.textContent = `Downloaded ${await saveDownload(response, `register.${ext}`)}.`;
  }
}

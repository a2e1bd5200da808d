// The organiser's report: opened like the console, with the private key
// in the link's #fragment (or one this device already keeps), it reads the room's log
// from export.json and lays it out as a document to print, save as PDF, or send one
// organisation its own page (?org=Name; the key never goes in the query).

import { announce, api, fill, h, learnOrgColours, organisationKey, saveDownload } from "./dom.js";
import { gateMessage, keep, keyFromAddressBar, keySlots, onKeyPasted, roleOf, stored } from "./keys.js";
import { buildReport, organisationPart, storeFor } from "./report-model.js";
import {
  commitmentEntry, count, docHeader, figures, keptRate, longDate, requestsByAnswer, section, askItem,
} from "./report-view.js";
import {
  mapSection, organisationGlance, organisationParts, organisationSections, participantsByOrganisation,
} from "./report-orgs.js";

const code = document.body.dataset.code;
const retentionDays = document.body.dataset.retentionDays;
const { facilitator: FACILITATOR_SLOT, organiser: ORGANISER_SLOT } = keySlots(code);

const $ = (id) => document.getElementById(id);

// --- the key: from the link, this device, or pasted --------------------------------------

/** Keep a key that opened the report in the slot the console reads, so the console and
 * the report open without the link next time. */
async function remember(key) {
  if (stored(FACILITATOR_SLOT) === key || stored(ORGANISER_SLOT) === key) return;
  const role = await roleOf(code, key);
  if (role === "facilitator") keep(FACILITATOR_SLOT, key);
  else if (role === "organiser") keep(ORGANISER_SLOT, key);
}

function forget(key) {
  for (const slot of [FACILITATOR_SLOT, ORGANISER_SLOT]) {
    if (stored(slot) === key) keep(slot, null);
  }
}

const REFUSED = {
  0: "You seem to be offline: the report could not be loaded. Try again when you are back online.",
  401: "That key is not valid for this room. Check that you copied the whole link, and that it "
    + "is the link for this room.",
  403: "That is a participant's link, and it cannot open the report. Use the facilitator's "
    + "private link or the organiser's link.",
  404: "This room no longer exists: it has been deleted, so there is nothing to report.",
};

// --- what the page shows: loading, the gate, or the report -------------------------------

function showOnly(which) {
  $("loading").hidden = which !== "loading";
  $("gate").hidden = which !== "gate";
  $("toolbar").hidden = which !== "report";
  $("report").hidden = which !== "report";
}

function showGate(message) {
  showOnly("gate");
  gateMessage(message);
}

// --- the document --------------------------------------------------------------------------

/** A CSS string for the printed page header (set as a custom property, never as markup). */
const cssString = (text) => `"${text.replace(/[\\"]/g, "\\$&").replace(/[\u0000-\u001f\u007f]/g, " ")}"`;

function footer(report, { whole }) {
  const notes = [
    `Prepared from the Askroom log of room ${report.room.code} on ${longDate(new Date().toISOString())}.`,
    "People who chose to be shown by organisation only, or anonymously, appear here as the "
      + "room saw them.",
  ];
  if (whole && report.hiddenCount) {
    notes.push(`${count(report.hiddenCount, "card")} hidden by the facilitator ${report.hiddenCount === 1
      ? "is" : "are"} not included.`);
  }
  if (retentionDays) {
    notes.push(`Askroom deletes the meeting's data ${retentionDays} days after the room closes; `
      + "keep this report if you need the record for longer.");
  }
  return h("footer", { class: "doc-foot" }, notes.map((text) => h("p", { text })));
}

function wholeReport(report) {
  const answered = report.requests.filter((r) => r.answer !== "open").length;
  const map = mapSection(report);
  const elements = [
    docHeader(report, null),
    section("glance-title", "At a glance", { className: "glance" },
      figures([
        [report.participants.length, "participants"],
        [report.orgs.filter((o) => o.people.length).length, "organisations"],
        [report.requests.length, "requests"],
        [answered, "answered"],
        [report.commitments.length, "commitments"],
      ]),
      keptRate(report.tally)),
    section("commitments-title", "Commitments", {
      className: "commitments",
      intro: report.commitments.length
        ? "Every commitment made in the meeting, in the order it was made: who will act, for "
          + "whom, where it came from, and the progress reported since."
        : "No commitments were made in this meeting.",
    }, h("div", { class: "commitment-list" }, report.commitments.map((c) => commitmentEntry(report, c)))),
    section("people-title", "Who took part", { className: "people",
      intro: `${count(report.participants.length, "person", "people")} from `
        + `${count(report.orgs.filter((o) => o.people.length).length, "organisation")}.` },
    participantsByOrganisation(report)),
    map.element,
    section("answers-title", "Requests by answer", { className: "answers",
      intro: report.requests.length
        ? "Only four answers were allowed: yes, I'll try, no, and unclear (ask again)."
        : "No requests were made in this meeting." },
    report.requests.length ? requestsByAnswer(report) : null),
    report.asks.length ? section("asks-title", "Asks to the room", { className: "asks" },
      h("ul", { class: "req-list" }, report.asks.map(askItem))) : null,
    report.orgs.length ? organisationSections(report) : null,
    footer(report, { whole: true }),
  ];
  return { elements, drawn: () => map.draw() };
}

function organisationReport(report, key) {
  const part = organisationPart(report, key);
  return {
    elements: [
      docHeader(report, part.org),
      ...organisationGlance(report, part),
      ...organisationParts(report, part, { level: 2, full: true, prefix: "own" }),
      footer(report, { whole: false }),
    ],
    drawn: () => {},
  };
}

// --- the page ------------------------------------------------------------------------------

function main() {
  let report = null;
  let key = null;
  const select = $("org-select");

  /** The organisation chosen in ?org=, if the report has it. */
  function chosenOrg() {
    const wanted = organisationKey(new URLSearchParams(location.search).get("org"));
    return wanted && report.orgs.some((o) => o.key === wanted) ? wanted : "";
  }

  function render() {
    const org = chosenOrg();
    const doc = org ? organisationReport(report, org) : wholeReport(report);
    fill($("report"), doc.elements);
    doc.drawn();
    const orgName = org ? report.orgs.find((o) => o.key === org).name : "";
    select.value = org;
    document.body.dataset.view = org ? "organisation" : "all";
    $("org-hint").textContent = org
      ? `This page shows only ${orgName}'s part: print it or save it as PDF to send it to them.`
      : "";
    const title = orgName ? `${report.room.title} · ${orgName}` : report.room.title;
    document.title = `Report · ${title} · Askroom`;
    document.documentElement.style.setProperty("--report-title", cssString(title));
  }

  function choose(chosen) {
    const org = report.orgs.find((o) => o.key === chosen);
    const query = org ? `?org=${encodeURIComponent(org.name)}` : "";
    history.replaceState(null, "", location.pathname + query);
    render();
    announce(org ? `Showing the report for ${org.name}.` : "Showing the report for all organisations.");
  }

  function fillChoices() {
    fill(select, h("option", { attrs: { value: "" }, text: "All organisations" }),
      report.orgs.map((o) => h("option", { attrs: { value: o.key }, text: o.name })));
  }

  async function open(candidate, source) {
    showOnly("loading");
    const result = await api("GET", `/api/rooms/${code}/export.json`, { token: candidate });
    if (!result.ok) {
      if (source === "stored" && result.status === 401) forget(candidate);
      showGate(REFUSED[result.status]
        || `The report could not be loaded (error ${result.status}). Try again in a moment.`);
      return;
    }
    key = candidate;
    report = buildReport(result.data);
    learnOrgColours(storeFor(report));  // the same colours as on the board
    fillChoices();
    showOnly("report");
    render();
    if (source !== "stored") remember(candidate);
  }

  select.addEventListener("change", () => choose(select.value));
  $("print").addEventListener("click", () => window.print());
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => download(button, key));
  }
  onKeyPasted(open);

  const fromLink = keyFromAddressBar();
  const kept = stored(FACILITATOR_SLOT) || stored(ORGANISER_SLOT);
  if (fromLink) open(fromLink, "link");
  else if (kept) open(kept, "stored");
  else showGate("");
}

/** The exports need the key in a header, so a plain link cannot fetch them. */
async function download(button, key) {
  const status = $("export-status");
  if (button.getAttribute("aria-busy") === "true") return;
  const ext = button.dataset.export;
  button.setAttribute("aria-busy", "true");
  status.textContent = "Preparing the download…";
  let response = null;
  try {
    response = await fetch(`/api/rooms/${code}/export.${ext}`, { headers: { Authorization: `Bearer ${key}` } });
  } catch {
    response = null;
  }
  button.removeAttribute("aria-busy");
  if (!response || !response.ok) {
    status.textContent = response ? `The download failed (error ${response.status}).`
      : "You seem to be offline: the download failed.";
    return;
  }
  const filename = await saveDownload(response, `askroom-${code}.${ext}`);
  status.textContent = `Downloaded ${filename}.`;
}

main();

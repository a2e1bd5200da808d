// The organisations in the report: who came from each, the who-asked-whom map (drawn by
// the board's own map module) with its table, and one section per organisation.

import { h, orgChip } from "./dom.js";
import { drawMap } from "./board-map.js";
import { ANSWER_ORDER, organisationPart, requestMatrix, storeFor } from "./report-model.js";
import {
  askItem, commitmentEntry, commitmentLine, count, figures, keptRate,
  requestItem, section,
} from "./report-view.js";

const none = (text) => h("p", { class: "doc-none", text });

/** Participants grouped by organisation. */
export function participantsByOrganisation(report) {
  const groups = report.orgs.filter((o) => o.people.length);
  if (report.unaffiliated.length) groups.push({ key: "", name: "", people: report.unaffiliated });
  if (!groups.length) return none("Nobody joined.");
  return h("ul", { class: "org-people" }, groups.map((org) =>
    h("li", { class: "org-block", dataset: { org: org.key } },
      h("p", { class: "org-block-head" },
        org.name ? orgChip(org.name) : h("span", { class: "org-none", text: "No organisation given" })),
      h("p", { class: "org-names", text: org.people.map((p) => p.name).join(", ") }),
      h("p", { class: "org-count", text: count(org.people.length, "person", "people") }))));
}

const LEGEND = [["yes", "Yes"], ["try", "I'll try"], ["no", "No"], ["unclear", "Unclear"], ["open", "Not answered"]];

/** The counts behind the map, as a table anyone can read (and print). */
function matrixTable(report) {
  const name = new Map(report.orgs.map((o) => [o.key, o.name]));
  const pairs = requestMatrix(report);
  if (!pairs.length) return none("No requests were made between organisations.");
  const cell = (n) => h("td", { class: n ? "num" : "num is-zero", text: String(n) });
  return h("table", { class: "doc-table matrix" },
    h("caption", { text: "Requests between organisations, by answer" }),
    h("thead", {}, h("tr", {},
      h("th", { attrs: { scope: "col" }, text: "From" }), h("th", { attrs: { scope: "col" }, text: "To" }),
      h("th", { class: "num", attrs: { scope: "col" }, text: "Requests" }),
      ANSWER_ORDER.map((a) => h("th", { class: "num", attrs: { scope: "col" },
                                       text: a === "open" ? "Open" : LEGEND.find(([k]) => k === a)[1] })))),
    h("tbody", {}, pairs.map((pair) => h("tr", {},
      h("th", { attrs: { scope: "row" } }, orgChip(name.get(pair.from))),
      h("td", {}, orgChip(name.get(pair.to))),
      h("td", { class: "num total", text: String(pair.total) }),
      ANSWER_ORDER.map((a) => cell(pair.byAnswer[a]))))));
}

/** The who-asked-whom map section; call draw() once it is in the page (it sizes to its box). */
export function mapSection(report) {
  const figure = h("div", { class: "map-figure" });
  const legend = h("ul", { class: "map-legend", attrs: { "aria-hidden": "true" } }, LEGEND.map(([status, word]) =>
    h("li", { class: `status-${status}` }, h("span", { class: "legend-line" }), h("span", { text: word }))));
  const element = section("map-title", "Who asked whom", {
    className: "map-section",
    intro: "Each arrow is requests from one organisation to another, coloured and labelled by "
      + "the answer. The table gives the same counts.",
  }, figure, legend, matrixTable(report));
  const draw = () => {
    drawMap(figure, storeFor(report));
    // The board's map hides a table for screen readers; ours is on the page for everyone.
    for (const hidden of figure.querySelectorAll(":scope > .visually-hidden")) hidden.remove();
  };
  return { element, draw };
}

/** Figures for one organisation. */
function organisationFigures(part) {
  return figures([
    [part.org.people.length, part.org.people.length === 1 ? "person took part" : "people took part"],
    [part.askedOfOthers.length, "requests made"],
    [part.askedOfIt.length, "requests received"],
    [part.commitmentsBy.length, "commitments made"],
    [part.commitmentsTo.length, "commitments to it"],
  ]);
}

/**
 * One organisation's sections: what it asked, what it was asked, its commitments and
 * those made to it. `full` draws each commitment in full (the organisation's own page);
 * otherwise a line pointing to the numbered entry in the commitments list.
 */
export function organisationParts(report, part, { level, full, prefix }) {
  const name = part.org.name;
  const asked = [
    ...part.askedOfOthers.map(requestItem),
    ...part.asksToRoom.map(askItem),
  ];
  const entries = (list, show) => (full
    ? h("div", { class: "commitment-list" }, list.map((c) => commitmentEntry(report, c)))
    : h("ul", { class: "c-lines" }, list.map((c) => commitmentLine(c, { show }))));
  return [
    section(`${prefix}-asked`, `What ${name} asked of others`, { level, className: "org-part" },
      asked.length ? h("ul", { class: "req-list" }, asked) : none("Nothing.")),
    section(`${prefix}-asked-of`, `What was asked of ${name}`, { level, className: "org-part" },
      part.askedOfIt.length ? h("ul", { class: "req-list" }, part.askedOfIt.map(requestItem))
        : none("Nothing.")),
    section(`${prefix}-commitments`, `${name}'s commitments`, { level, className: "org-part" },
      part.commitmentsBy.length ? [keptRate(part.tally, { who: ` by ${name}`, compact: !full }),
                                   entries(part.commitmentsBy, "beneficiary")]
        : none("None.")),
    section(`${prefix}-to`, `Commitments made to ${name}`, { level, className: "org-part" },
      part.commitmentsTo.length ? entries(part.commitmentsTo, "owner") : none("None.")),
  ];
}

/** "By organisation": a section for each organisation, in the order they appeared. */
export function organisationSections(report) {
  return section("orgs-title", "By organisation", {
    className: "orgs",
    intro: "What each organisation asked, what it was asked, and the commitments made by it "
      + "and to it (the numbers refer to the list of commitments).",
  }, h("p", { class: "screen-only doc-intro", text: "To print or send one organisation its own "
      + "report, choose it under “Show the report for” at the top of the page." }),
  report.orgs.map((org, index) => {
    const part = organisationPart(report, org.key);
    const id = `org-${index}`;
    return h("section", { class: "org-section", dataset: { org: org.key },
                          attrs: { "aria-labelledby": `${id}-title` } },
      h("h3", { class: "org-title", attrs: { id: `${id}-title` } }, orgChip(org.name)),
      organisationFigures(part),
      organisationParts(report, part, { level: 4, full: false, prefix: id }));
  }));
}

/** The figures and people of the organisation whose own report this is. */
export function organisationGlance(report, part) {
  const people = part.org.people;
  return [
    section("glance-title", `At a glance: ${part.org.name}`, { className: "glance" },
      organisationFigures(part),
      h("p", { class: "org-people-line" },
        h("strong", { text: "Who took part: " }),
        people.length ? people.map((p) => p.name).join(", ") : "nobody from it joined the room.")),
  ];
}

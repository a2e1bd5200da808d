// The pieces of the printed report: the header, the figures, a commitment, a request.
// Every word a person typed goes through h() as text, never as HTML.

import { ANSWER_LABEL, PROGRESS_LABEL, h, orgChip, personLabel, personName } from "./dom.js";
import { updatedByLine } from "./progress-by.js";
import { answerBadge } from "./cards.js";
import { ANSWER_ORDER, PROGRESS_ORDER, percent } from "./report-model.js";

const LONG_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric" });
const STATE_WORD = { open: "Open", locked: "Locked (no new cards)", closed: "Closed" };
export const ANSWER_HEADING = { ...ANSWER_LABEL, no: "No, I won't", unclear: "Unclear: ask again",
                                open: "Not answered yet" };
const ANSWER_SHORT = { yes: "Yes", try: "I'll try", no: "No", unclear: "Unclear", open: "Not answered" };
const PROGRESS_WORDS = { done: "done", in_progress: "in progress", not_started: "not started",
                         dropped: "dropped" };

/** "27 November 2026", or "" for no date. */
export function longDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : LONG_DATE.format(date);
}

/** "43 %": a no-break space, so the sign never wraps away from its number. */
export const pct = (n) => `${n}\u00a0%`;

/** "1 commitment", "3 commitments". */
export const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A section with its heading; `level` 2 or 3. */
export function section(id, title, { level = 2, intro = null, className = "" } = {}, ...body) {
  return h("section", { class: `doc-section ${className}`.trim(), attrs: { "aria-labelledby": id } },
    h(`h${level}`, { attrs: { id }, text: title }),
    intro ? h("p", { class: "doc-intro", text: intro }) : null,
    ...body);
}

/** The document's head: title, purpose, and the facts of the meeting. */
export function docHeader(report, org) {
  const room = report.room;
  const facts = [
    ["Date", longDate(room.created_at)],
    ["Run by", room.run_by || "Not recorded"],
    ["State", room.state === "closed" && room.closed_at ? `Closed on ${longDate(room.closed_at)}`
      : STATE_WORD[room.state] || room.state],
  ];
  return h("header", { class: "doc-head" },
    h("p", { class: "doc-kicker" },
      org ? h("span", {}, "Report for ", orgChip(org.name, { class: "kicker-org" }))
        : h("span", { text: "Meeting report" })),
    h("h1", { class: "doc-title", text: room.title }),
    room.purpose ? h("p", { class: "doc-purpose", text: room.purpose }) : null,
    h("dl", { class: "doc-facts" },
      facts.map(([term, value]) => h("div", {}, h("dt", { text: term }), h("dd", { text: value })))));
}

/** The headline figures as a row of tiles. */
export function figures(items) {
  return h("ul", { class: "figures" }, items.map(([n, label]) =>
    h("li", { class: "figure" }, h("span", { class: "figure-n", text: String(n) }),
      h("span", { class: "figure-label", text: label }))));
}

/** "3 of 7 commitments done (43 %)" with a bar and the other states counted. */
export function keptRate(tally, { who = "", compact = false } = {}) {
  const sentence = `${tally.done} of ${count(tally.total, "commitment")}${who} done (${pct(tally.rate)})`;
  if (compact && tally.total) {
    return h("p", { class: "kept-compact", dataset: { keptRate: String(tally.rate) } },
      h("strong", { text: sentence }),
      h("span", { text: PROGRESS_ORDER.slice(1).filter((p) => tally[p])
        .map((p, i) => `${i ? ", " : " · "}${tally[p]} ${PROGRESS_WORDS[p]}`).join("") }));
  }
  if (!tally.total) {
    return h("div", { class: "kept is-empty" },
      h("p", { class: "kept-line", text: `No commitments were made${who}.` }));
  }
  const bar = h("div", { class: "kept-bar", attrs: { "aria-hidden": "true" } },
    PROGRESS_ORDER.filter((p) => tally[p]).map((p) => {
      const part = h("span", { class: `kept-part part-${p}` });
      part.style.setProperty("--share", String(tally[p]));
      return part;
    }));
  return h("div", { class: tally.done ? "kept" : "kept is-none" },
    h("p", { class: "kept-rate" },
      h("span", { class: "kept-n", text: pct(tally.rate) }),
      h("span", { class: "kept-word", text: "kept" })),
    h("div", { class: "kept-detail" },
      h("p", { class: "kept-line", dataset: { keptRate: String(tally.rate) },
               text: sentence }),
      bar,
      h("ul", { class: "kept-legend" }, PROGRESS_ORDER.map((p) =>
        h("li", { class: `legend-${p}` },
          h("span", { class: `legend-swatch part-${p}`, attrs: { "aria-hidden": "true" } }),
          h("span", { text: `${tally[p]} ${PROGRESS_WORDS[p]}` }))))));
}

/** A person, or an organisation standing in for one (a request to "Borough Council"). */
function target(card) {
  const to = card.to || {};
  if (to.participant) {
    return h("span", { class: "target" }, personLabel(to.participant),
      to.organisation && to.organisation !== to.participant.organisation
        ? h("span", { class: "also", text: ` and ${to.organisation}` }) : null);
  }
  return h("span", { class: "person" }, orgChip(to.organisation));
}

/** The line under a commitment that says where it came from. */
function origin(report, commitment) {
  const { card, source } = commitment;
  if (card.kind === "request") {
    const latest = card.replies[card.replies.length - 1];
    return h("p", { class: "c-source" },
      h("span", { class: "c-source-label", text: "Request from " }), personLabel(card.author),
      h("span", { text: ", answered " }),
      h("strong", { text: ANSWER_LABEL[card.status] || card.status }),
      latest && latest.note ? h("span", {}, ": ", h("q", { text: latest.note })) : null);
  }
  if (source) {
    return h("p", { class: "c-source" },
      h("span", { class: "c-source-label",
                  text: `Offered in reply to ${source.kind === "ask" ? "the ask" : "the request"} of ` }),
      personLabel(source.card.author), h("span", { text: ": " }), h("q", { text: source.card.text }));
  }
  const prompt = report.prompts.get(card.prompt_id);
  return h("p", { class: "c-source" },
    h("span", { class: "c-source-label", text: "Made to the room" }),
    prompt ? h("span", {}, " in answer to ", h("q", { text: prompt.text })) : null);
}

/** The state of a commitment: its badge, the owner's note, and when it was last told. */
function progressFacts(commitment) {
  return [
    h("span", { class: `progress progress-${commitment.progress}`,
                text: PROGRESS_LABEL[commitment.progress] || commitment.progress }),
    commitment.note ? h("q", { class: "c-note", text: commitment.note }) : null,
    h("span", { class: "c-updated",
                text: commitment.updatedAt ? `Updated ${longDate(commitment.updatedAt)}` : "No update yet" }),
    updatedByLine(commitment.card.commitment, { className: "c-updated c-updated-by" }),
  ];
}

/** One commitment in full: what, where it came from, owner, for whom, progress. */
export function commitmentEntry(report, commitment) {
  const fact = (term, ...value) => h("div", { class: "c-fact" }, h("dt", { text: term }), h("dd", {}, ...value));
  return h("article", { class: `commitment is-${commitment.progress}`,
                        dataset: { cardId: String(commitment.card.id), progress: commitment.progress },
                        attrs: { "aria-label": `Commitment ${commitment.number}` } },
    h("p", { class: "c-number", attrs: { "aria-hidden": "true" }, text: `C${commitment.number}` }),
    h("div", { class: "c-main" },
      h("p", { class: "c-what", text: commitment.card.text }),
      origin(report, commitment),
      h("dl", { class: "c-facts" },
        fact("Owner", personLabel(commitment.owner)),
        fact("For", commitment.forRoom ? h("span", { class: "for-room", text: "The room" })
          : personLabel(commitment.beneficiary)),
        fact("Progress", ...progressFacts(commitment)))));
}

/** A commitment in two short lines, where the full entry is elsewhere in the document. */
export function commitmentLine(commitment, { show = "owner" } = {}) {
  const who = show === "owner" ? commitment.owner : commitment.beneficiary;
  return h("li", { class: "c-line", dataset: { cardId: String(commitment.card.id) } },
    h("span", { class: "c-line-ref", text: `C${commitment.number}` }),
    h("div", {},
      h("p", { class: "c-line-what", text: commitment.card.text }),
      h("p", { class: "c-line-meta" },
        h("span", { text: show === "owner" ? "by" : "for" }),
        commitment.forRoom && show !== "owner" ? h("span", { class: "for-room", text: "the room" })
          : personLabel(who),
        h("span", { class: `progress progress-${commitment.progress}`,
                    text: PROGRESS_LABEL[commitment.progress] || commitment.progress }))));
}

/** A request: who asked whom, what, and the answer with its note. */
export function requestItem(request) {
  const { card, latest } = request;
  return h("li", { class: `req answer-is-${request.answer}`, dataset: { cardId: String(card.id) } },
    h("p", { class: "req-route" }, personLabel(card.author),
      h("span", { class: "arrow", attrs: { "aria-hidden": "true" }, text: "→" }),
      h("span", { class: "visually-hidden", text: " to " }),
      target(card),
      answerBadge(card) || h("span", { class: "answer answer-open", text: "Not answered" })),
    h("p", { class: "req-text", text: card.text }),
    latest && (latest.note || (card.to || {}).organisation)
      ? h("p", { class: "req-note" },
          h("span", { text: `${personName(latest.by)} answered${latest.note ? ": " : "."}` }),
          latest.note ? h("q", { text: latest.note }) : null)
      : null);
}

/** An ask to the room, with the offers it drew. */
export function askItem(ask) {
  const accepted = ask.offers.filter((o) => o.status === "accepted").length;
  return h("li", { class: "ask", dataset: { cardId: String(ask.card.id) } },
    h("p", { class: "req-route" }, personLabel(ask.card.author),
      h("span", { class: "ask-tag", text: "asked the room" }),
      h("span", { class: "ask-count", text: ask.offers.length
        ? `${count(ask.offers.length, "offer")}, ${accepted} accepted` : "no offers" })),
    h("p", { class: "req-text", text: ask.card.text }),
    ask.offers.length ? h("ul", { class: "offers" }, ask.offers.map((offer) =>
      h("li", { class: `offer ${offer.status === "accepted" ? "is-accepted" : ""}`.trim() },
        personLabel(offer.author), h("span", { text: ": " }), h("span", { text: offer.text }),
        offer.status === "accepted" ? h("span", { class: "answer answer-yes", text: "Accepted" }) : null)))
      : null);
}

/** "Requests by answer": the counts, then each answer's requests. */
export function requestsByAnswer(report) {
  const total = report.requests.length;
  const summary = h("ul", { class: "answer-summary" }, ANSWER_ORDER.map((a) =>
    h("li", { class: `answer-count answer-is-${a}` },
      h("span", { class: "answer-count-n", text: String(report.answers[a].length) }),
      h("span", { class: "answer-count-word", text: ANSWER_SHORT[a] }),
      h("span", { class: "answer-count-pct", text: pct(percent(report.answers[a].length, total)) }))));
  const groups = ANSWER_ORDER.filter((a) => report.answers[a].length).map((a) =>
    h("div", { class: "answer-group" },
      h("h3", { text: `${ANSWER_HEADING[a]} (${report.answers[a].length})` }),
      h("ul", { class: "req-list" }, report.answers[a].map(requestItem))));
  return [summary, ...groups];
}

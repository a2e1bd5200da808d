// The organiser's report as data: the export (SPEC §6) in, the facts the document shows
// out. No DOM here, so every figure on the page comes from one place.
//
// The report is a document meant to be sent on (a whole or one organisation's page), so
// it shows each card as the room saw it: an author who chose to be shown by organisation
// only, or anonymously, stays so here too (the exports, which are the organiser's own,
// name everyone). Cards the facilitator hid and cards withdrawn by their authors are left
// out; the document says how many were hidden.

import { organisationKey } from "./dom.js";

export const ANSWER_ORDER = ["yes", "try", "no", "unclear", "open"];
export const PROGRESS_ORDER = ["done", "in_progress", "not_started", "dropped"];


/** A person as the room saw them, by their choice on the card they wrote. */
const maskedAs = (person, identity) => {
  if (!person || !identity || identity === "named") return person;
  return identity === "organisation" ? { id: null, name: null, organisation: person.organisation } : null;
};

/** A card as the room saw its author (see views.public_card on the server). */
function asTheRoomSawIt(card) {
  let { author, commitment } = card;
  if (card.identity && card.identity !== "named" && author) {
    author = maskedAs(card.author, card.identity);
    // An offer's owner is its author: masked the same way. A request's owner is whoever
    // answered it, who made no such choice.
    if (commitment && commitment.owner && commitment.owner.id === card.author.id) {
      commitment = { ...commitment, owner: author };
    }
  }
  // Who set the progress: as they chose on the card they wrote (this one, or the ask).
  if (commitment && commitment.updated_by) {
    commitment = { ...commitment,
                   updated_by: maskedAs(commitment.updated_by, commitment.updated_by_shown) };
  }
  return author === card.author && commitment === card.commitment
    ? card : { ...card, author, commitment };
}

/**
 * The one definition behind every count per organisation, here and in the XLSX export's
 * Organisations sheet (app/rooms/export.py `counts_in_the_room`): a card counts when the
 * room saw it, so not one its author withdrew, nor one the facilitator hid; and an author
 * anonymous to the room counts for no organisation (asTheRoomSawIt).
 */
export const countsInTheRoom = (card) => card.status !== "withdrawn" && !card.hidden;

/** "43" for 3 of 7; 0 when there is nothing to divide. */
export const percent = (part, whole) => (whole ? Math.round((100 * part) / whole) : 0);

/** Counts of commitments by progress, and the kept rate (done ÷ all). */
export function tally(commitments) {
  const counts = Object.fromEntries(PROGRESS_ORDER.map((p) => [p, 0]));
  for (const c of commitments) counts[c.progress in counts ? c.progress : "not_started"] += 1;
  const total = commitments.length;
  return { total, ...counts, rate: percent(counts.done, total) };
}

/**
 * Build the report from export.json.
 * Returns {room, prompts, participants, orgs, unaffiliated, cards, byId, requests, asks, offers,
 *          commitments, tally, answers, hiddenCount}.
 */
export function buildReport(log) {
  const participants = log.participants || [];
  const orgs = new Map();
  const orgOf = new Map();  // participant id → org key ("" for none)
  const see = (name) => {
    const key = organisationKey(name);
    if (!key) return "";
    // The first spelling seen is the one shown (SPEC §2).
    if (!orgs.has(key)) orgs.set(key, { key, name: name.trim().replace(/\s+/g, " "), people: [] });
    return key;
  };
  const unaffiliated = [];
  for (const person of participants) {
    const key = see(person.organisation);
    orgOf.set(person.id, key);
    if (key) orgs.get(key).people.push(person);
    else unaffiliated.push(person);
  }
  // Membership comes from the participants list; the copy inside a card is a fallback.
  const keyOf = (person) => {
    if (!person) return "";
    if (person.id !== null && person.id !== undefined && orgOf.has(person.id)) return orgOf.get(person.id);
    return see(person.organisation);
  };

  const hiddenCount = log.cards.filter((c) => c.hidden && c.status !== "withdrawn").length;
  const cards = log.cards.filter(countsInTheRoom).map(asTheRoomSawIt);
  const byId = new Map(cards.map((c) => [c.id, c]));

  const requests = cards.filter((c) => c.kind === "request").map((card) => {
    const to = card.to || {};
    const receivers = new Set();
    if (to.organisation) receivers.add(see(to.organisation));
    if (to.participant) receivers.add(keyOf(to.participant));
    receivers.delete("");
    const latest = card.replies.length ? card.replies[card.replies.length - 1] : null;
    return { card, from: keyOf(card.author), receivers, latest,
             answer: ANSWER_ORDER.includes(card.status) ? card.status : "open" };
  });
  const asks = cards.filter((c) => c.kind === "ask").map((card) => ({
    card, from: keyOf(card.author),
    offers: cards.filter((o) => o.kind === "offer" && o.reply_to === card.id),
  }));
  const offers = cards.filter((c) => c.kind === "offer");

  const commitments = cards.filter((c) => c.commitment).map((card, index) => {
    const answered = card.reply_to !== null && card.reply_to !== undefined ? byId.get(card.reply_to) : null;
    // Whom it is for: the requester; the author of the ask or request an offer answers;
    // or, for a self-commitment made to nobody in particular, the room.
    const forRoom = card.kind !== "request" && !answered;
    const beneficiary = card.kind === "request" ? card.author : (answered ? answered.author : null);
    const source = card.kind === "request" ? { kind: "request", card }
      : answered ? { kind: answered.kind, card: answered } : null;
    return {
      number: index + 1,
      card,
      owner: card.commitment.owner,
      ownerOrg: keyOf(card.commitment.owner),
      beneficiary,
      forRoom,
      beneficiaryOrg: forRoom ? "" : keyOf(beneficiary),
      source,
      progress: card.commitment.progress || "not_started",
      note: card.commitment.note || "",
      updatedAt: card.commitment.updated_at,
    };
  });

  const answers = Object.fromEntries(ANSWER_ORDER.map((a) => [a, []]));
  for (const request of requests) answers[request.answer].push(request);

  return {
    room: log.room,
    prompts: new Map((log.prompts || []).map((p) => [p.id, p])),
    participants,
    orgs: [...orgs.values()],
    unaffiliated,
    cards,
    byId,
    requests,
    asks,
    offers,
    commitments,
    tally: tally(commitments),
    answers,
    hiddenCount,
  };
}

/** One organisation's part of the report. */
export function organisationPart(report, key) {
  const org = report.orgs.find((o) => o.key === key);
  const commitmentsBy = report.commitments.filter((c) => c.ownerOrg === key);
  return {
    org,
    askedOfOthers: report.requests.filter((r) => r.from === key),
    asksToRoom: report.asks.filter((a) => a.from === key),
    askedOfIt: report.requests.filter((r) => r.receivers.has(key)),
    commitmentsBy,
    commitmentsTo: report.commitments.filter((c) => c.beneficiaryOrg === key && c.ownerOrg !== key),
    // Promises inside one organisation are listed once, under what it committed to.
    tally: tally(commitmentsBy),
  };
}

/** Requests between organisations: [{from, to, total, byAnswer: {yes: n, …}}]. */
export function requestMatrix(report) {
  const pairs = new Map();
  for (const request of report.requests) {
    if (!request.from) continue;
    for (const to of request.receivers) {
      const id = `${request.from}\n${to}`;
      if (!pairs.has(id)) {
        pairs.set(id, { from: request.from, to, total: 0,
                        byAnswer: Object.fromEntries(ANSWER_ORDER.map((a) => [a, 0])) });
      }
      const pair = pairs.get(id);
      pair.total += 1;
      pair.byAnswer[request.answer] += 1;
    }
  }
  return [...pairs.values()];
}

/** A stand-in for the board's RoomStore, so board-map.js can draw the same map. */
export function storeFor(report) {
  return {
    participants: new Map(report.participants.map((p) => [p.id, p])),
    visibleCards: () => report.cards,
  };
}

// A room as the page knows it: built from a snapshot, kept current by events.
// Every page keeps one and gets its events only through it (follow), so the same event
// means the same thing everywhere.
//
// An event type the store does not know (a newer server than this page) is passed over:
// its seq counts and nothing else changes, so a page left open through an upgrade keeps
// working. The types it does know (vocab.js's EVENT_TYPES) each have a case below, and
// every page's switch on a change's type names all of them, so a new type is a decision
// made in each page, not a silent gap.

import { connect } from "./live.js";
import { learnOrgColours, organisationKey } from "./dom.js";
import { EVENT_TYPES } from "./vocab.js";

export class RoomStore {
  constructor() {
    this.room = null;
    this.prompt = null;
    this.timer = null;
    this.participants = new Map();  // id -> {id, name, organisation}
    this.cards = new Map();         // id -> card JSON (SPEC §3), in arrival order
    this.seq = 0;
    this.eventAt = null;            // the server's time (ISO) of the last event applied
    this.runsheet = null;
    // A partnership's meeting: the open commitments of its earlier meetings, by ref.
    // Pages that show them load them (GET /matters); matter.updated keeps them current.
    this.matters = new Map();
    this.listeners = new Set();
  }

  /**
   * Keep this store current from the room's live stream (live.js), the one way a page
   * hears of events. onStatus(state) gets live.js's connection states; `key` asks for
   * the private (staff) view. Returns the connection, to close.
   */
  follow(code, { key, onStatus } = {}) {
    return connect(code, {
      onSnapshot: (frame) => this.applySnapshot(frame),
      onEvent: (frame) => this.applyEvent(frame),
      onStatus: (state) => { if (onStatus) onStatus(state); },
    }, { key });
  }

  /** fn(change) is called after each snapshot or event; change.type says which. */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(change) {
    learnOrgColours(this);  // before anything is drawn: colours follow arrival, not drawing
    for (const fn of this.listeners) fn(change);
  }

  applySnapshot(frame) {
    this.room = frame.room;
    this.prompt = frame.prompt;
    this.timer = frame.timer;
    this.seq = frame.seq;
    this.participants = new Map(frame.participants.map((p) => [p.id, p]));
    this.cards = new Map(frame.cards.map((c) => [c.id, c]));
    this.emit({ type: "snapshot" });
  }

  applyEvent(frame) {
    const data = frame.data;
    this.seq = frame.seq;
    this.eventAt = frame.at || null;
    if (this.room) this.room = { ...this.room, seq: frame.seq };
    if (!EVENT_TYPES.includes(frame.event)) return;  // a newer server's: see the top
    switch (frame.event) {
      case "room.updated":
        this.room = data.room;
        break;
      case "participant.joined":
        this.participants.set(data.participant.id, data.participant);
        if (this.room) this.room = { ...this.room, participant_count: this.participants.size };
        break;
      case "participant.left":
        // Their name is erased; the cards that named them follow as card.updated events.
        this.participants.delete(data.participant.id);
        break;
      case "cards.renamed":
        // Staff only (the public gets the seq, empty): cards whose unnamed author left.
        // Each reaches the page as the card.updated it is; the event itself says no more.
        for (const card of data.cards || []) this.applyCard(card, "card.updated");
        return;
      case "runsheet.updated":
        // Private views get the plan; the public gets the seq and an empty payload.
        if (data.runsheet) this.runsheet = data.runsheet;
        break;
      case "prompt.opened":
        this.prompt = data.prompt;
        break;
      case "prompt.closed":
        if (this.prompt && this.prompt.id === data.prompt.id) this.prompt = null;
        break;
      case "timer.started":
        this.timer = data.timer;
        break;
      case "timer.stopped":
        this.timer = null;
        break;
      case "card.created":
      case "card.updated":
        this.applyCard(data.card, frame.event);
        return;
      case "matter.updated":
        this.matters.set(data.matter.ref, data.matter);
        break;
      default:
        throw new Error(`vocab.js has an event type the store does not handle: ${frame.event}`);
    }
    this.emit({ type: frame.event, data });
  }

  applyCard(card, event) {
    const before = this.cards.get(card.id) || null;
    // A public stub ({id, hidden: true}) carries no text: the card leaves this view.
    const gone = card.text === undefined;
    if (gone) this.cards.delete(card.id);
    else this.cards.set(card.id, card);
    this.emit({ type: event, card: gone ? null : card, id: card.id, before });
  }

  /** The matters arising as GET /matters gives them, oldest meeting first (the caller
   * draws them: no change is emitted, so no page's switch meets a type it does not know). */
  loadMatters(list) {
    this.matters = new Map(list.map((m) => [m.ref, m]));
  }

  /** Matters still open (a report of done or dropped closes one). */
  openMatters() {
    return [...this.matters.values()].filter((m) => m.status === "open" || m.status === "overdue");
  }

  /** Cards still on the board: not withdrawn (hidden ones only reach private views). */
  visibleCards() {
    return [...this.cards.values()].filter((c) => c.status !== "withdrawn");
  }

  offersTo(cardId) {
    return this.visibleCards().filter((c) => c.kind === "offer" && c.reply_to === cardId);
  }

  commitments() {
    return this.visibleCards().filter((c) => c.commitment);
  }

  /** Organisations in the room, by their shown spelling, with their people. */
  organisations() {
    // A meeting of a partnership offers every member organisation, before anyone from it
    // is here (in the partnership's spelling, which people joining from it take too).
    const members = (this.room && this.room.partnership && this.room.partnership.members) || [];
    const found = new Map(members.map((name) => [name, []]));
    const spelling = new Map(members.map((name) => [organisationKey(name), name]));
    for (const person of this.participants.values()) {
      if (!person.organisation) continue;
      const name = spelling.get(organisationKey(person.organisation)) || person.organisation;
      if (!found.has(name)) found.set(name, []);
      found.get(name).push(person);
    }
    return found;
  }
}

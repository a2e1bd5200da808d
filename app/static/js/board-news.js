// What the board says aloud (through the page's live region) as the room changes, and
// which cards arrive with an animation: a new card, a new prompt, an answer (held answers
// revealed together), a spotlight, the room pausing or closing. Words about a card that
// left the board (hidden, withdrawn) leave the live region too.

import { ANSWER_LABEL, announce } from "./dom.js";

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Words for a person as the room sees them: an anonymous author is null, and one shown
 * by organisation only has no name. */
function who(person) {
  if (!person) return "someone, anonymously";
  if (!person.name) return person.organisation ? `someone from ${person.organisation}` : "someone";
  return person.organisation ? `${person.name} (${person.organisation})` : person.name;
}

function target(card) {
  const to = card.to || {};
  return to.participant ? who(to.participant) : to.organisation || "someone";
}

function describe(card) {
  switch (card.kind) {
    case "request": return `New request from ${who(card.author)} to ${target(card)}: ${card.text}`;
    case "ask": return `New ask from ${who(card.author)}: ${card.text}`;
    case "offer": return `New offer from ${who(card.author)}: ${card.text}`;
    default: throw new Error(`unknown card kind: ${card.kind}`);
  }
}

/** A hidden or withdrawn card's words must not linger in the live region either. */
function forget(card) {
  if (!card || !card.text) return;
  const region = document.getElementById("announcer");
  const drop = () => {
    for (const line of [...region.children]) if (line.textContent.includes(card.text)) line.remove();
  };
  drop();
  requestAnimationFrame(drop);  // announce() appends on the next frame
}

export class BoardNews {
  /** @param {Wall} wall marks the cards that arrive, or whose held answer is revealed */
  constructor(store, wall) {
    this.store = store;
    this.wall = wall;
    this.seen = new Map();    // id -> text of cards already shown: a resync animates only news
    this.started = false;     // the first snapshot has arrived
    this.roomState = null;
    this.revealedNow = [];    // requests whose held answers were revealed since the last render
  }

  /** One RoomStore change. */
  changed(change) {
    switch (change.type) {
      case "snapshot":
        this.snapshot();
        break;
      case "card.created":
      case "card.updated":
        this.card(change);
        break;
      case "room.updated": {
        const state = change.data.room.state;
        if (state !== this.roomState && state === "locked") announce("New posts are paused");
        if (state !== this.roomState && state === "closed") announce("This meeting has closed — thank you");
        this.roomState = state;
        break;
      }
      case "prompt.opened":
        announce(`New prompt: ${change.data.prompt.text}`);
        break;
      case "participant.joined":
      case "participant.left":
      case "runsheet.updated":
      case "prompt.closed":
      case "timer.started":
      case "timer.stopped":
      case "cards.renamed":  // reaches the board as the card.updated events it holds
      case "matter.updated":  // the matters panel redraws from the store
        break;
      default:
        throw new Error(`unknown change: ${change.type}`);
    }
  }

  snapshot() {
    const { seen, wall } = this;
    const shown = new Map(this.store.visibleCards().map((c) => [c.id, c.text]));
    // Hidden or withdrawn while we were away: gone from the wall and from the live region.
    for (const [id, text] of seen) if (!shown.has(id)) forget({ text });
    for (const id of shown.keys()) if (this.started && !seen.has(id)) wall.markFresh(id);
    seen.clear();
    for (const [id, text] of shown) seen.set(id, text);
    this.started = true;
    this.roomState = this.store.room.state;
  }

  card(change) {
    const { card, before } = change;
    if (!card || card.status === "withdrawn") {
      forget(before);
      return;
    }
    if (change.type === "card.created" || !this.seen.has(card.id)) {
      this.seen.set(card.id, card.text);
      this.wall.markFresh(card.id);
      announce(describe(card));
      return;
    }
    if (before && before.status === "answered" && card.status !== "answered") {
      // A held answer revealed: announced with the others revealed at the same moment.
      this.wall.markRevealed(card.id);
      this.revealedNow.push(card);
      return;
    }
    if (card.status === "answered" && before && before.status !== "answered") {
      announce(`The request from ${who(card.author)} has been answered. The answer will be revealed later.`);
      return;
    }
    const reply = card.replies && card.replies[card.replies.length - 1];
    if (reply && before && (before.replies || []).length !== card.replies.length) {
      announce(`${who(reply.by)} answered the request from ${who(card.author)}: ${ANSWER_LABEL[reply.answer]}`);
    }
    if (card.spotlight && !(before && before.spotlight)) announce(`In the spotlight: ${card.text}`);
  }

  /** "Reveal shows them all at once": one announcement for the answers revealed together. */
  announceRevealed() {
    const { revealedNow } = this;
    if (!revealedNow.length) return;
    if (revealedNow.length === 1) {
      const card = revealedNow[0];
      const reply = card.replies && card.replies[card.replies.length - 1];
      announce(`Answer revealed: ${reply ? who(reply.by) : target(card)} to ${who(card.author)}: `
               + `${ANSWER_LABEL[card.status] || card.status}`);
    } else {
      announce(`${revealedNow.length} answers revealed`);
    }
    this.revealedNow = [];
  }
}

// My own side of the room. The public stream does not say who wrote an anonymous or
// organisation-only card, nor what a held answer was, so GET /mine (with my token) is
// the truth for "Asked of me", "My asks", "My offers" and "My commitments". The public
// store still brings news first: a view merges the two, so an offer to my ask shows the
// moment it arrives, and /mine is fetched again shortly after to fill in what I may see.

import { api, h, organisationKey } from "./dom.js";
import { updatedByLine, updatedByOther } from "./progress-by.js";

const DEBOUNCE_MS = 250;

/** Is this request addressed to me, by name or through my organisation? */
export function isAskedOfMe(card, me) {
  if (card.kind !== "request" || card.status === "withdrawn") return false;
  if (card.author && card.author.id === me.id) return false;
  const to = card.to || {};
  if (to.participant && to.participant.id === me.id) return true;
  return Boolean(me.organisation) && organisationKey(to.organisation) === organisationKey(me.organisation);
}

const isMe = (person, me) => Boolean(person && person.id === me.id);
const masked = (person) => !person || person.id === null || person.id === undefined;

/**
 * A card from the public stream that is newer than what /mine said, with back what
 * /mine told me about myself: that I wrote it, that I own it, what I answered.
 */
function overlay(live, own, me) {
  const card = { ...live };
  if (isMe(own.author, me) && masked(card.author)) card.author = own.author;
  const ownOwner = own.commitment && own.commitment.owner;
  if (card.commitment && isMe(ownOwner, me) && masked(card.commitment.owner)) {
    card.commitment = { ...card.commitment, owner: ownOwner };
  }
  const ownUpdater = own.commitment && own.commitment.updated_by;
  if (card.commitment && isMe(ownUpdater, me) && masked(card.commitment.updated_by)) {
    card.commitment = { ...card.commitment, updated_by: ownUpdater };
  }
  if (card.status === "answered" && own.replies.some((r) => isMe(r.by, me))) {
    // Still held: my own answer, which the room does not see yet.
    card.status = own.status;
    card.replies = own.replies;
    card.commitment = own.commitment;
  }
  return card;
}

/**
 * Under one of my commitments: who set its progress, when it was not its owner — "you"
 * for me (the person it is for), else as the room knows them. Null otherwise.
 */
export function progressUpdatedBy(card, me) {
  const by = updatedByOther(card.commitment);
  if (!by) return null;
  return isMe(by, me) ? h("p", { class: "updated-by", text: "Progress updated by you" })
    : updatedByLine(card.commitment);
}

/**
 * @param {object} options
 *   path          the room's API path, /api/rooms/{code}
 *   token()       my token now, or null
 *   onChange()    /mine answered with something new
 *   onGone(status) 401 (this token is no longer valid) or 404 (the room is gone)
 */
export function createMine({ path, token, onChange, onGone }) {
  let cards = new Map();  // id → card, as /mine last said
  let asked = 0;          // to drop answers that arrive out of order
  let timer = null;

  /** Fetch /mine now; resolves once it is applied (or failed). */
  async function refresh() {
    clearTimeout(timer);
    timer = null;
    const mine = token();
    if (!mine) return false;
    const ticket = ++asked;
    const result = await api("GET", `${path}/mine`, { token: mine });
    if (ticket !== asked || token() !== mine) return false;  // a newer question, or signed out
    if (result.ok) {
      cards = new Map(result.data.cards.map((card) => [card.id, card]));
      onChange(result.data.participant);
      return true;
    }
    if (result.status === 401 || result.status === 404) onGone(result.status);
    return false;
  }

  return {
    refresh,
    /** Fetch soon: a burst of events costs one request. */
    schedule() {
      if (!timer) timer = setTimeout(refresh, DEBOUNCE_MS);
    },
    /** A card of mine the API just answered with (my own post: my own name on it). */
    take(card) {
      const known = cards.get(card.id);
      if (!known || known.seq <= card.seq) cards.set(card.id, card);
    },
    clear() {
      clearTimeout(timer);
      timer = null;
      asked += 1;
      cards = new Map();
    },
    knows: (id) => cards.has(id),

    /** Does this store change touch my side, so that /mine may say something new?
     * `own` is the view last drawn (or null). */
    concerns(change, me, own) {
      const mineOrAuthored = (id) => cards.has(id) || Boolean(own && own.authored.has(id));
      switch (change.type) {
        case "participant.left":
          return true;  // a name on my cards may have gone
        case "card.created":
        case "card.updated": {
          const { card } = change;
          if (mineOrAuthored(change.id)) return true;
          if (!card) return false;
          if (isAskedOfMe(card, me) || isMe(card.author, me)) return true;
          if (card.reply_to && mineOrAuthored(card.reply_to)) return true;
          // An author the room may not see could be me, writing from another tab.
          return change.type === "card.created" && masked(card.author);
        }
        case "room.updated":
        case "participant.joined":
        case "prompt.opened":
        case "prompt.closed":
        case "timer.started":
        case "timer.stopped":
        case "runsheet.updated":
        case "cards.renamed":  // its cards come as card.updated changes
        case "matter.updated":  // an earlier meeting's commitment, not this room's card
          return false;  // nothing /mine says depends on these
        default:
          throw new Error(`unknown change: ${change.type}`);
      }
    },

    /**
     * My side now: /mine's cards, newer public versions overlaid, and public cards that
     * concern me and that /mine has not seen yet.
     * @returns {{get(id), cards: object[], authored: Set<number>}}
     */
    view(store, me) {
      const merged = new Map();
      for (const [id, own] of cards) {
        const live = store.cards.get(id);
        merged.set(id, live && live.seq > own.seq ? overlay(live, own, me) : own);
      }
      const authored = new Set([...merged.values()].filter((c) => isMe(c.author, me)).map((c) => c.id));
      for (const card of store.cards.values()) {
        if (merged.has(card.id)) continue;
        if (isMe(card.author, me)) authored.add(card.id);
        else if (!isAskedOfMe(card, me) && !(card.reply_to && authored.has(card.reply_to))) continue;
        merged.set(card.id, card);
      }
      return {
        get: (id) => merged.get(id) || store.cards.get(id),
        cards: [...merged.values()],
        authored,
      };
    },
  };
}

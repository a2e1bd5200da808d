// What an offer may answer on this phone: the room's open asks (and open requests), as
// the public view gives them, never my own. One definition for the composer's
// "In reply to" and for the room's asks listed with *Offer help*, so both agree.

/** Prompts under which offering in reply makes sense (SPEC appendix: an ask prompt
 * "collects `ask`, then `offer` in reply"). */
export const OFFERS_IN_REPLY = new Set(["ask", "offer", "any"]);

/**
 * Open asks and requests an offer from me may answer: the spotlighted one first, then
 * the newest (the one just made in the room is the likely one). Hidden cards never reach
 * the public store; withdrawn ones are left out here.
 * @param store     a RoomStore (the public view)
 * @param me        {id} or null
 * @param authored  ids of my own cards: the room may not see that an anonymous one is mine
 */
export function offerTargets(store, me, authored) {
  return store.visibleCards()
    .filter((c) => (c.kind === "ask" || (c.kind === "request" && c.status === "open"))
      && !authored.has(c.id) && !(me && c.author && c.author.id === me.id))
    .sort((a, b) => (Number(Boolean(b.spotlight)) - Number(Boolean(a.spotlight))) || b.id - a.id);
}

/** The room's open asks from others, for the list with *Offer help* on each. */
export function roomAsks(store, me, authored) {
  return offerTargets(store, me, authored).filter((c) => c.kind === "ask");
}

/** Why there is nothing to reply to, in words: my own asks are not offer targets. */
export function nothingToReplyTo(store, authored) {
  const asked = store.visibleCards().some((c) => c.kind !== "offer" && authored.has(c.id));
  return asked
    ? "Your own asks can't be offered against, and nobody else has asked yet: this offer goes to the whole room."
    : "No asks from others yet: this offer goes to the whole room.";
}

// Words the phone uses in more than one place: whom a commitment is for, a name at the
// start of a line, how the room sees the author of my own card.

import { personName } from "./dom.js";

export const HELD = "The facilitator will reveal answers to the room together.";

/** Whom a commitment is for: the requester, or the author of the ask an offer answers.
 * `cards` has get(id) (a RoomStore's map, or my own side's view). */
export function beneficiary(card, cards) {
  if (card.kind === "request") return card.author;
  const parent = card.reply_to ? cards.get(card.reply_to) : null;
  return parent ? parent.author : null;
}

/** "Sam" → "Sam"; "someone from NHS CCG" → "Someone from NHS CCG", for the start of a line. */
export function capitalName(person) {
  const name = personName(person);
  return person && person.name ? name : name.charAt(0).toUpperCase() + name.slice(1);
}

/** How the room sees the author of my own card, or null when it sees my name. */
export function shownAs(card) {
  if (card.identity === "anonymous") return "Anonymous";
  if (card.identity === "organisation") {
    const organisation = card.author && card.author.organisation;
    return organisation ? `Someone from ${organisation}` : "Anonymous";
  }
  return null;
}

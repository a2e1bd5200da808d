// What the person signed in does on the room straight through the API (posts go through
// the outbox instead): answer a request, accept an offer, withdraw a card, report
// progress, withdraw from the meeting. Each ends in an error sentence, or null.

import { api } from "./dom.js";

export const NOT_VALID = "This phone's place in the room is no longer valid. Please join again.";

/** Why an action did not work, for the person to try again. */
function notDone(result) {
  if (result.offline) return "You are offline: try again when you're back online.";
  return (result.data && result.data.detail) || `That did not work (error ${result.status}). Please try again.`;
}

/**
 * @param {object} page
 *   base        the room's API path
 *   me()        the person signed in, or null
 *   mine        my side of the room (phone-mine.js), asked again after each action
 *   forget(why) this phone's token is no longer valid
 *   roomGone()  the room was deleted
 *   left()      the person has withdrawn from the meeting (here or on another device)
 * @returns {{reply, accept, withdraw, progress, leave}} each → Promise<string|null>
 */
export function phoneActs({ base, me, mine, forget, roomGone, left }) {
  /**
   * The API answers with the card as staff see it (names the room may not see), so the
   * page never draws that answer: it asks /mine, which shows me only what is mine to see.
   */
  async function act(path, body) {
    const person = me();
    if (!person) return "Join the room first.";
    const result = await api("POST", `${base}/${path}`, { body, token: person.token });
    if (result.ok) {
      await mine.refresh();
      return null;
    }
    const why = result.data && result.data.code;
    if (result.status === 401) {
      forget(NOT_VALID);
      return "Please join again.";
    }
    if (why === "room_not_found") {
      roomGone();
      return "This meeting's room has been deleted.";
    }
    if (why === "participant_left") {
      left();
      return "You have withdrawn from this meeting.";
    }
    return notDone(result);
  }

  async function leave() {
    const person = me();
    if (!person) return null;
    const result = await api("POST", `${base}/participants/me/withdraw`, { token: person.token });
    if (result.ok || result.status === 401) {
      left();
      return null;
    }
    if (result.status === 404) {
      roomGone();
      return null;
    }
    return notDone(result);
  }

  return {
    reply: (card, answer, note) => act(`cards/${card.id}/reply`, { answer, note }),
    accept: (offer) => act(`cards/${offer.id}/accept`),
    withdraw: (card) => act(`cards/${card.id}/withdraw`),
    progress: (card, progress) => act(`cards/${card.id}/progress`, { progress }),
    leave,
  };
}

// What the phone says aloud (through the page's live region) when others do something
// that concerns the person holding it: a new prompt, a request to them, an offer to
// their ask, an answer to their request, an accepted offer.

import { ANSWER_LABEL, announce, personName } from "./dom.js";
import { HELD, beneficiary, capitalName } from "./phone-words.js";
import { isAskedOfMe } from "./phone-mine.js";

export const STATE_NOTICE = {
  locked: ["The facilitator has paused new posts",
    "You can still answer requests, accept offers and update your commitments."],
  closed: ["This meeting has closed",
    "You can still update the progress of your commitments."],
};

/**
 * Announce one RoomStore change, if it concerns me.
 * @param {object} change as RoomStore.subscribe gives it
 * @param {object} ctx {me, own: my side's view (phone-mine.js) or null, roomState, store}
 */
export function notice(change, { me, own, roomState, store }) {
  const { card, before } = change;
  const authoredByMe = (id) => Boolean(own && own.authored.has(id));
  switch (change.type) {
    case "prompt.opened":
      announce(`New prompt: ${change.data.prompt.text}`);
      return;
    case "room.updated":
      if (STATE_NOTICE[change.data.room.state] && change.data.room.state !== roomState) {
        announce(STATE_NOTICE[change.data.room.state].join(". "));
      }
      return;
    case "card.created":
      if (!card) return;
      if (isAskedOfMe(card, me)) {
        announce(`New request from ${personName(card.author)}: ${card.text}`);
      } else if (card.kind === "offer" && card.reply_to && authoredByMe(card.reply_to)) {
        announce(`New offer from ${personName(card.author)}: ${card.text}`);
      }
      return;
    case "card.updated": {
      if (!card || !before) return;
      // The room may not see that an anonymous card is mine; my side does.
      if (!(card.author && card.author.id === me.id) && !authoredByMe(card.id)) return;
      const replies = card.replies || [];
      const latest = replies.length ? replies[replies.length - 1] : null;
      if (latest && replies.length > (before.replies || []).length && !(latest.by && latest.by.id === me.id)) {
        announce(`${capitalName(latest.by)} answered your request: ${ANSWER_LABEL[latest.answer]}`);
      } else if (card.status === "answered" && before.status !== "answered") {
        announce(`Your request has been answered. ${HELD}`);
      }
      if (card.status === "accepted" && before.status !== "accepted") {
        const forWhom = beneficiary(card, own || store.cards);
        announce(`${forWhom ? capitalName(forWhom) : "Someone"} accepted your offer: it is now a commitment.`);
      }
      return;
    }
    case "participant.left":
      // Their name is erased everywhere: not left behind in a recent announcement either.
      document.getElementById("announcer").replaceChildren();
      return;
    case "prompt.closed":
    case "participant.joined":
    case "runsheet.updated":
    case "timer.started":
    case "timer.stopped":
    case "cards.renamed":  // reaches the phone as the card.updated events it holds
    case "matter.updated":  // the matters list says it, where it is shown
      return;  // nothing to say aloud
    default:
      throw new Error(`unknown change: ${change.type}`);
  }
}

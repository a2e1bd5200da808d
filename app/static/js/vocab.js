// Written by `python -m app.rooms.vocab` from app/rooms/vocab.py; do not edit.
// tests/rooms/test_vocab.py fails when the two disagree.

export const EVENT_TYPES = Object.freeze(["room.updated","participant.joined","participant.left","prompt.opened","prompt.closed","timer.started","timer.stopped","card.created","card.updated","runsheet.updated","cards.renamed","matter.updated"]);
export const PRIVATE_EVENTS = Object.freeze(["cards.renamed","runsheet.updated"]);
export const CARD_KINDS = Object.freeze(["request","ask","offer"]);
export const ANSWERS = Object.freeze(["yes","no","try","unclear"]);
export const PROGRESS = Object.freeze(["not_started","in_progress","done","dropped"]);
export const ROOM_STATES = Object.freeze(["open","locked","closed"]);
export const COLLECTS = Object.freeze(["request","ask","offer","any","review"]);
export const IDENTITIES = Object.freeze(["named","organisation","anonymous"]);
export const CLOSE = Object.freeze({"GOING_AWAY":1001,"TOO_BIG":1009,"TOO_SLOW":1013,"BAD_KEY":4401,"ROOM_GONE":4404});

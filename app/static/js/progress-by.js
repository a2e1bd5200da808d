// Who last set a commitment's progress, when it was not its owner: the person it is for
// (SPEC: the owner, or the person it is for, may report progress). One rule for the
// console, the report and the phone.

import { h, personLabel } from "./dom.js";

const same = (a, b) => Boolean(a && b) && (a.id !== null && a.id !== undefined
  ? a.id === b.id
  : a.name === b.name && a.organisation === b.organisation);

/** The person who last set the progress, or null when nobody has or it was the owner. */
export function updatedByOther(commitment) {
  const by = commitment && commitment.updated_by;
  return by && !same(by, commitment.owner) ? by : null;
}

/** "Progress updated by Priya Shah · NHS CCG", or null (see updatedByOther). */
export function updatedByLine(commitment, { className = "updated-by" } = {}) {
  const by = updatedByOther(commitment);
  return by ? h("p", { class: className }, "Progress updated by ", personLabel(by)) : null;
}

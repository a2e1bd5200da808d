// Matters arising, for the pages that show them (the phone, the board): whether the
// current prompt is the review of earlier meetings' commitments, and loading them once
// per such prompt (GET /matters); matter.updated events keep the store's copy current.

import { api } from "./dom.js";

export function isReview(store) {
  return Boolean(store.prompt && store.prompt.collects === "review");
}

export class MattersLoader {
  /** @param base the room's API path; onChange() once a list has arrived; key() a staff
   * key for the secretariat's view (the console), or nothing for the rooms' */
  constructor(base, store, onChange, key = () => null) {
    this.base = base;
    this.store = store;
    this.onChange = onChange;
    this.key = key;
    this.loadedFor = null;  // the review prompt the list was last loaded under
  }

  /** Under a review prompt not loaded for yet, load the list; otherwise nothing. */
  async refresh() {
    const prompt = this.store.prompt;
    if (!isReview(this.store) || this.loadedFor === prompt.id) return;
    this.loadedFor = prompt.id;
    const result = await api("GET", `${this.base}/matters`, { token: this.key() });
    if (result.ok) {
      this.store.loadMatters(result.data.matters);
      this.onChange();
    } else {
      this.loadedFor = null;  // try again on the next change
    }
  }
}

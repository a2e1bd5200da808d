// The phone's outbox: a card is never lost and never doubled (SPEC §3 idempotency).
//
// The client_id is fixed when the person presses Send, and the post is written to
// localStorage BEFORE the first fetch, so a dead network, a crashed tab or a reload
// cannot lose it. Retries reuse the same client_id: the server answers 200 with the
// card it already has instead of making a second one.

import { personName } from "./dom.js";

const RETRY_MS = 8000;

/** A client_id: crypto.randomUUID where the page is a secure context, else the same shape. */
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Plain http on a hall's LAN address is not a secure context, but getRandomValues works.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A post for the outbox from the composer's draft ({kind, text, target, replyTo,
 * identity}): the API's body, with its client_id, and the words to show once it is sent.
 * `store` names the author of what an offer replies to.
 */
export function newPost({ kind, text, target, replyTo, identity }, store) {
  const body = { client_id: newClientId(), kind, text };
  if (identity) body.identity = identity;  // kept in the outbox: a queued post keeps it
  let done = "Offer sent";
  if (kind === "request") {
    if (target.participant) body.to_participant_id = target.participant.id;
    else body.to_organisation = target.organisation;
    done = `Sent to ${target.participant ? target.participant.name : target.organisation}`;
  } else if (kind === "ask") {
    done = "Asked the room";
  } else if (replyTo) {
    body.reply_to = replyTo;
    const parent = store.cards.get(replyTo);
    if (parent) done = `Offer sent to ${personName(parent.author)}`;
  }
  return { body, done };
}

/** True when a failed post should stay queued: no network, the server failing, or too fast. */
function worthRetrying(result) {
  return result.offline || result.status >= 500 || result.status === 429 || result.status === 0;
}

export class Outbox {
  /**
   * @param {string} code the room code (one outbox per room on this device)
   * @param {object} hooks
   *   post(body)             → Promise<{ok, status, data, offline}> (dom.js api())
   *   onSent(item, card)     the server has the card (201 new, or 200 already had it)
   *   onRefused(item, result) a 4xx: the card will never be accepted; it leaves the queue
   *   onChange()             the queue changed or a flush finished
   */
  constructor(code, hooks) {
    this.key = `askroom:outbox:${code}`;
    this.hooks = hooks;
    this.memory = null;  // used only if localStorage is unavailable (private modes)
    this.running = false;
    this.again = false;
    this.retryTimer = null;
    this.lastFailure = null;  // {offline, status} of the last failed attempt, or null
  }

  /** The queued items, oldest first. Read afresh: another tab may have changed them. */
  items() {
    if (this.memory) return [...this.memory];
    try {
      const raw = localStorage.getItem(this.key);
      const items = raw ? JSON.parse(raw) : [];
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  }

  save(items) {
    if (!this.memory) {
      try {
        if (items.length) localStorage.setItem(this.key, JSON.stringify(items));
        else localStorage.removeItem(this.key);
        return;
      } catch {
        this.memory = [];  // storage refused: keep the queue for this page's life at least
      }
    }
    this.memory = [...items];
  }

  /** Queue a post (stored first), then try to send everything queued. */
  add(body, extra = {}) {
    const item = { client_id: body.client_id, body, queued_at: new Date().toISOString(), ...extra };
    this.save([...this.items(), item]);
    this.hooks.onChange();
    return this.flush();
  }

  remove(clientId) {
    const items = this.items();
    const left = items.filter((item) => item.client_id !== clientId);
    if (left.length !== items.length) {
      this.save(left);
      this.hooks.onChange();
    }
  }

  clear() {
    this.save([]);
    this.hooks.onChange();
  }

  /** Send what is queued, in order; stop at the first failure worth retrying. */
  async flush() {
    if (this.running) {
      this.again = true;  // something was added while sending: go round once more
      return;
    }
    this.running = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    try {
      let failed = false;
      do {
        this.again = false;
        for (const item of this.items()) {
          const result = await this.hooks.post(item.body);
          if (result.ok) {
            this.lastFailure = null;
            this.remove(item.client_id);
            this.hooks.onSent(item, result.data);
          } else if (worthRetrying(result)) {
            this.lastFailure = { offline: result.offline, status: result.status };
            failed = true;
            break;  // keep the order: later posts wait behind this one
          } else {
            this.remove(item.client_id);
            this.hooks.onRefused(item, result);
          }
        }
      } while (this.again && !failed);
      if (failed || this.items().length) this.scheduleRetry();
    } finally {
      this.running = false;
      this.hooks.onChange();
    }
  }

  /** A slow background retry, for a server that failed while the network stayed up. */
  scheduleRetry() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), RETRY_MS);
  }
}

// Who I am on this phone: the stored token, the link that carries it to another device,
// and the two ways to go — forget me on this phone, or withdraw from the meeting.

import { announce, h } from "./dom.js";

/** The person stored on this device for this room: {id, token, name, organisation}. */
export class Device {
  constructor(code) {
    this.code = code;
    this.key = `askroom:me:${code}`;
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key));
      return saved && saved.token && saved.id ? saved : null;
    } catch {
      return null;
    }
  }

  save(person) {
    try {
      localStorage.setItem(this.key, JSON.stringify(person));
    } catch {
      // Private modes may refuse storage: the person stays signed in until the tab closes.
    }
  }

  forget() {
    try {
      localStorage.removeItem(this.key);
    } catch {
      // nothing stored, nothing to forget
    }
  }

  /** The link that signs in as this person anywhere: the token rides in the fragment,
   * which browsers never send to a server, so it stays out of every log. */
  link(token) {
    return `${location.origin}/r/${encodeURIComponent(this.code)}#token=${encodeURIComponent(token)}`;
  }

  /** A token brought by such a link, or null. */
  static tokenInLink() {
    const token = new URLSearchParams(location.hash.slice(1)).get("token");
    return token && token.trim() ? token.trim() : null;
  }

  /** Take the token out of the address bar (and so out of history and screenshots). */
  static dropLinkToken() {
    history.replaceState(history.state, "", location.pathname + location.search);
  }
}

/**
 * The "Keep this link" panel in My commitments.
 * @param {() => string|null} linkNow the link for the person signed in now
 */
export function wireKeepLink(linkNow) {
  const $ = (id) => document.getElementById(id);
  const status = $("copy-status");
  const field = $("keep-link-field");
  const input = $("keep-link-url");

  $("copy-link").addEventListener("click", async () => {
    const link = linkNow();
    if (!link) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      // No clipboard (plain http on a hall's LAN is not a secure context): show the link.
    }
    if (copied) {
      field.hidden = true;
      status.textContent = "Link copied. Keep it somewhere safe, such as a note or an email to yourself.";
      announce("Link copied.");
      return;
    }
    input.value = link;
    field.hidden = false;
    input.focus();
    input.select();
    status.textContent = "Copy the link above and keep it somewhere safe.";
  });

  return {
    /** Show the panel only to someone with commitments; the link is never left on show. */
    show(visible) {
      $("keep-link").hidden = !visible;
      if (!visible) {
        field.hidden = true;
        input.value = "";
        status.textContent = "";
      }
    },
  };
}

/**
 * The quiet controls at the foot of the joined page, each with a confirmation that
 * says what will happen.
 * @param {object} hooks
 *   waiting()      how many posts are still waiting to be sent
 *   signOut()      forget this person on this phone
 *   withdraw()     → Promise<string|null>: leave the meeting (an error sentence, or null)
 */
export function wireLeaving({ waiting, signOut, withdraw }) {
  const $ = (id) => document.getElementById(id);
  const footer = $("footer");
  const actions = $("footer-actions");

  function restore(focusId) {
    footer.replaceChildren(actions);
    $(focusId).focus();
  }

  function confirmPanel(label, words, buttons) {
    const panel = h("div", { class: "ph-confirm", attrs: { role: "group", "aria-label": label } },
      words, ...buttons);
    footer.replaceChildren(panel);
    panel.querySelector("button").focus();
    return panel;
  }

  $("sign-out").addEventListener("click", () => {
    const count = waiting();
    const lost = count ? `, and ${count} unsent message${count === 1 ? "" : "s"} will be lost` : "";
    confirmPanel("Leave this room on this phone?",
      h("p", { text: `This phone will forget you in this room${lost}. You can join again with your name.` }),
      [h("button", { class: "btn btn-small btn-danger", attrs: { type: "button" }, text: "Leave",
         on: { click: () => { footer.replaceChildren(actions); signOut(); } } }),
       h("button", { class: "btn btn-small", attrs: { type: "button" }, text: "Stay",
         on: { click: () => restore("sign-out") } })]);
  });

  $("withdraw-me").addEventListener("click", () => {
    const error = h("p", { class: "error-text", attrs: { role: "alert" } });
    error.hidden = true;
    const yes = h("button", { class: "btn btn-small btn-danger", attrs: { type: "button" },
      text: "Withdraw from this meeting",
      on: { click: async () => {
        yes.disabled = true;
        const problem = await withdraw();
        if (!problem) {
          footer.replaceChildren(actions);
          return;
        }
        yes.disabled = false;
        error.textContent = problem;
        error.hidden = false;
      } } });
    confirmPanel("Withdraw from this meeting?", [
      h("p", { class: "ph-confirm-title", text: "Withdraw from this meeting?" }),
      h("p", { class: "ph-confirm-detail",
        text: "Your name will be removed from everything in this room. Your cards stay, as 'A participant', unless you withdraw them first." }),
      error,
    ], [h("button", { class: "btn btn-small", attrs: { type: "button" }, text: "Stay in the meeting",
      on: { click: () => restore("withdraw-me") } }), yes]);
  });
}

// Joining on the phone: the form (a name, and an organisation from the room's list or
// one's own), and what the join section says (signing in with a kept link, a room that
// is locked or closed).

import { api, h } from "./dom.js";

const $ = (id) => document.getElementById(id);

/** Why the API did not let someone join, in words for them. */
function joinRefusal(result) {
  if (result.offline) return "You are offline. Join when you're back online.";
  if (result.status === 422) return "Check your name (up to 60 characters) and organisation (up to 80).";
  return (result.data && result.data.detail) || `Joining did not work (error ${result.status}). Please try again.`;
}

/**
 * Wire the join form. `onJoined(participant)` gets the API's answer ({id, token, name,
 * organisation}) once someone has joined; a refusal is shown under the form.
 */
export function wireJoinForm(base, onJoined) {
  $("join-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const nameInput = $("join-name");
    const name = nameInput.value.trim();
    const organisation = $("join-org").value.trim().replace(/\s+/g, " ");
    const error = $("join-error");
    if (!name) {
      error.textContent = "Please type your name.";
      nameInput.setAttribute("aria-invalid", "true");
      nameInput.focus();
      return;
    }
    nameInput.removeAttribute("aria-invalid");
    const button = event.target.querySelector("button[type=submit]");
    button.disabled = true;
    error.textContent = "";
    const result = await api("POST", `${base}/participants`, { body: { name, organisation } });
    button.disabled = false;
    if (!result.ok) {
      error.textContent = joinRefusal(result);
      return;
    }
    onJoined(result.data);
  });
}

/**
 * Check the token a kept link brought (another phone, after the meeting): {participant}
 * when it signs someone in, {gone} when the room is gone, else {problem} in words, with
 * `dropToken` when the link will never work.
 */
export async function checkLink(base, token) {
  const result = await api("GET", `${base}/mine`, { token });
  if (result.ok) return { participant: result.data.participant };
  if (result.status === 404) return { gone: true };
  // Offline, the token stays in the address: opening the link again, online, will work.
  if (result.offline) return { problem: "You are offline: open the link again when you're back online." };
  return { problem: "That link no longer signs anyone in to this meeting.", dropToken: true };
}

export class JoinView {
  constructor() {
    this.orgSignature = null;  // the organisations the list offers, as last drawn
  }

  /** The join section for someone not (or no longer) signed in on this phone. */
  render({ roomState, signingIn, linkProblem, store }) {
    const closed = roomState === "closed";
    const link = $("join-link");
    link.hidden = !signingIn && !linkProblem;
    link.textContent = signingIn ? "Signing you in…" : linkProblem;
    link.classList.toggle("is-error", !signingIn && Boolean(linkProblem));
    $("join-closed").hidden = !closed || signingIn;
    $("join-form").hidden = closed || signingIn;
    $("join-locked").hidden = roomState !== "locked";
    const names = [...store.organisations().keys()].sort((a, b) => a.localeCompare(b));
    const signature = names.join("\n");
    if (signature !== this.orgSignature) {
      this.orgSignature = signature;
      $("join-orgs").replaceChildren(...names.map((name) => h("option", { attrs: { value: name } })));
    }
  }
}

// The secretariat changes the partnership's members from its page (PATCH, backbone key).

import { api, invalidMessage } from "./dom.js";
const $ = (id) => document.getElementById(id);

/** Members as typed, one per line; blank lines are not members. */
export function membersFrom(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** Wire the form; `show(partnership)` redraws the page with what the server answered. */
export function setUpMembers(id, key, show) {
  const form = $("members-form");
  const error = $("members-error");
  let current = [];
  const close = () => {
    form.hidden = true;
    $("edit-members").hidden = false;
    $("edit-members").focus();
  };
  $("edit-members").addEventListener("click", () => {
    $("members-text").value = current.join("\n");
    error.hidden = true;
    form.hidden = false;
    $("edit-members").hidden = true;
    $("members-text").focus();
  });
  $("members-cancel").addEventListener("click", close);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("PATCH", `/api/partnerships/${encodeURIComponent(id)}`,
                             { body: { members: membersFrom($("members-text").value) },
                               token: key() });
    if (!result.ok) {
      error.textContent = result.status === 422 ? invalidMessage(result.data, { members: "Members" })
        : (result.data && result.data.detail) || `Not saved (error ${result.status}).`;
      error.hidden = false;
      return;
    }
    show(result.data);
    close();
  });
  return {
    /** The page drew this partnership: the button is the secretariat's only. */
    shown(partnership) {
      current = partnership.members;
      $("edit-members").hidden = partnership.role !== "backbone" || !form.hidden;
    },
  };
}

// The console's right column: lock, unlock and close, who runs the meeting, deleting the
// room, live counts and the people by organisation; setUpRoom also wires the timer
// (console-timer.js) and what the facilitator hands on (console-share.js).

import { announce, fill, h, orgChip, ANSWER_LABEL } from "./dom.js";
import { setUpTimer } from "./console-timer.js";
import { setUpExports, setUpPrivateLinks } from "./console-share.js";

const $ = (id) => document.getElementById(id);

const STATE_NOTE = {
  open: "Open: people can join and post.",
  locked: "Locked: no new people or cards. Answers, acceptances and progress still flow.",
  closed: "Closed for good: the room is read-only. The board and the log stay.",
};
const STATE_LABEL = { open: "Open", locked: "Locked", closed: "Closed" };

// --- lock, unlock, close ----------------------------------------------------------------

function setUpState(ctx) {
  const lock = $("lock");
  const closeRoom = $("close-room");
  const confirm = $("close-confirm");

  const setConfirm = (open) => {
    confirm.hidden = !open;
    closeRoom.setAttribute("aria-expanded", String(open));
    if (open) $("close-yes").focus();
  };

  lock.addEventListener("click", async () => {
    const to = ctx.store.room.state === "locked" ? "open" : "locked";
    const result = await ctx.busy(lock, () => ctx.call("PATCH", "", { state: to }));
    if (result && result.ok) announce(to === "locked" ? "Room locked" : "Room unlocked");
  });
  closeRoom.addEventListener("click", () => setConfirm(confirm.hidden));
  $("close-no").addEventListener("click", () => {
    setConfirm(false);
    closeRoom.focus();
  });
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setConfirm(false);
      closeRoom.focus();
    }
  });
  $("close-yes").addEventListener("click", async (event) => {
    const result = await ctx.busy(event.currentTarget,
                                  () => ctx.call("PATCH", "", { state: "closed" }));
    if (result && result.ok) {
      setConfirm(false);
      announce("Room closed");
      $("state-note").focus();
    }
  });

  return () => {
    const room = ctx.store.room;
    const state = room.state;
    const pill = $("room-state");
    pill.dataset.state = state;
    pill.textContent = STATE_LABEL[state] || state;
    $("state-note").textContent = STATE_NOTE[state] || "";
    $("state-note").setAttribute("tabindex", "-1");
    lock.textContent = state === "locked" ? "Unlock room" : "Lock room";
    lock.hidden = state === "closed";
    closeRoom.hidden = state === "closed";
    if (state === "closed") setConfirm(false);
    lock.disabled = !ctx.canAct();
    closeRoom.disabled = !ctx.canAct();
    if ($("room-title").textContent !== room.title) {
      $("room-title").textContent = room.title;
      document.title = `Console · ${room.title} · Askroom`;
    }
    $("room-purpose").textContent = room.purpose || "";
    $("room-purpose").hidden = !room.purpose;
  };
}

// --- who runs the meeting, and deleting the room (names are personal data) -------------

function setUpRunBy(ctx) {
  const edit = $("run-by-edit");
  const form = $("run-by-form");
  const input = $("run-by-input");
  const error = $("run-by-error");

  const setOpen = (open) => {
    form.hidden = !open;
    edit.setAttribute("aria-expanded", String(open));
    error.hidden = true;
    if (open) {
      input.value = ctx.store.room.run_by || "";
      input.focus();
    }
  };
  edit.addEventListener("click", () => setOpen(form.hidden));
  $("run-by-cancel").addEventListener("click", () => {
    setOpen(false);
    edit.focus();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setOpen(false);
      edit.focus();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]");
    const runBy = input.value.trim();
    const result = await ctx.busy(submit,
                                  () => ctx.call("PATCH", "", { run_by: runBy }, { errorEl: error }));
    if (result && result.ok) {
      setOpen(false);
      announce(runBy ? `Run by ${runBy}` : "Who runs the meeting: cleared");
      edit.focus();
    }
  });

  return () => {
    const runBy = ctx.store.room.run_by;
    const text = $("run-by-text");
    text.textContent = runBy || "Not set: the join page does not say who runs this meeting";
    text.classList.toggle("muted", !runBy);
    edit.disabled = !ctx.canAct();
    if (!ctx.canAct() && !form.hidden) setOpen(false);
  };
}

function setUpDelete(ctx) {
  const open = $("delete-room");
  const confirm = $("delete-confirm");
  const input = $("delete-code");
  const error = $("delete-error");

  const setConfirm = (shown) => {
    confirm.hidden = !shown;
    open.setAttribute("aria-expanded", String(shown));
    input.value = "";
    input.removeAttribute("aria-invalid");
    error.hidden = true;
    if (shown) input.focus();
  };
  open.addEventListener("click", () => setConfirm(confirm.hidden));
  $("delete-no").addEventListener("click", () => {
    setConfirm(false);
    open.focus();
  });
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setConfirm(false);
      open.focus();
    }
  });
  input.addEventListener("input", () => {
    input.removeAttribute("aria-invalid");
    error.hidden = true;
  });
  $("delete-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    // The code typed, in any case and with any spaces: a deliberate act, not a slip.
    if (input.value.toUpperCase().replace(/[\s-]+/g, "") !== ctx.code) {
      error.textContent = `Type the room code, ${ctx.code}, to delete the room.`;
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    const submit = event.submitter || $("delete-yes");
    const result = await ctx.busy(submit,
                                  () => ctx.call("DELETE", "", undefined, { errorEl: error }));
    if (result && (result.ok || result.status === 404)) {
      announce("Room deleted");
      ctx.roomDeleted();
    }
  });

  return () => {
    // Deleting is the facilitator's, even once the room is closed (that is when it matters).
    open.disabled = ctx.role !== "facilitator";
  };
}

// --- counts and people ------------------------------------------------------------------

function counts(ctx) {
  // What the board shows: cards neither withdrawn nor hidden.
  const cards = ctx.store.visibleCards().filter((c) => !c.hidden);
  const requests = cards.filter((c) => c.kind === "request");
  // Commitments first and widest: they are what the room leaves with.
  const tiles = [
    ["commitments", "Commitments", cards.filter((c) => c.commitment).length],
    ["participants", "People", ctx.store.participants.size],
    ["requests", "Requests", requests.length],
    ["answered", "Answered", requests.filter((c) => ANSWER_LABEL[c.status]).length],
    ["asks", "Asks", cards.filter((c) => c.kind === "ask").length],
    ["offers", "Offers", cards.filter((c) => c.kind === "offer").length],
  ];
  fill($("counts"), tiles.map(([key, label, value]) =>
    h("div", { class: `count count-${key}`, dataset: { count: key } },
      h("dt", { text: label }), h("dd", { text: String(value) }))));
}

function people(ctx) {
  const everyone = [...ctx.store.participants.values()];
  $("people-count").textContent = everyone.length ? `(${everyone.length})` : "";
  if (!everyone.length) {
    fill($("people"), h("p", { class: "muted", text: "Nobody has joined yet. Share the code or the join link." }));
    return;
  }
  const byName = (a, b) => a.name.localeCompare(b.name);
  const groups = [...ctx.store.organisations().entries()]
    .filter(([, members]) => members.length)  // a partnership's member nobody came from
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([organisation, members]) => ({ organisation, members }));
  const alone = everyone.filter((p) => !p.organisation);
  if (alone.length) groups.push({ organisation: null, members: alone });
  fill($("people"), groups.map((group) =>
    h("section", { class: "org-group", dataset: { organisation: group.organisation || "" } },
      h("h3", { class: "org-head" },
        group.organisation ? orgChip(group.organisation) : h("span", { class: "org", text: "No organisation" }),
        h("span", { class: "org-size", text: String(group.members.length),
                    attrs: { "aria-label": `${group.members.length} ${group.members.length === 1 ? "person" : "people"}` } })),
      h("ul", { class: "org-people" },
        [...group.members].sort(byName).map((p) => h("li", { text: p.name }))))));
}

/** Wire the right column; its render() redraws every part from the store, once there is a room. */
export function setUpRoom(ctx) {
  const timer = setUpTimer(ctx);
  const state = setUpState(ctx);
  const links = setUpPrivateLinks(ctx);
  const runBy = setUpRunBy(ctx);
  const deletion = setUpDelete(ctx);
  setUpExports(ctx);
  return {
    render() {
      if (!ctx.store.room) return;
      timer();
      state();
      runBy();
      deletion();
      counts(ctx);
      people(ctx);
      links();
    },
  };
}

// The partnership page (/p/{id}): its members and its meetings, read with the key in the
// fragment (the secretariat's or a member's); the secretariat opens the next meeting here.

import { api, fill, h, orgChip } from "./dom.js";
import { keep, keyFrom, keyFromAddressBar, stored } from "./keys.js";
import { partnershipSlots } from "./partnership-keys.js";
import { Register } from "./partnership-register.js";
import { setUpMembers } from "./partnership-members.js";

const id = document.body.dataset.partnership;
const slots = partnershipSlots(id);
const STATE_LABEL = { open: "Open", locked: "Locked", closed: "Closed" };

function when(iso) {
  return new Date(iso).toLocaleDateString(undefined,
    { day: "numeric", month: "short", year: "numeric" });
}

function meetingItem(meeting, partnership, key) {
  const room = `/r/${encodeURIComponent(meeting.code)}`;
  const links = [h("a", { class: "btn btn-small", text: "Board",
                          attrs: { href: `${room}/board` } }),
                 h("a", { class: "btn btn-small", text: "Report",
                          attrs: { href: `${room}/report#key=${key}` } })];
  if (partnership.role === "backbone") {
    links.unshift(h("a", { class: "btn btn-small", text: "Console",
                           attrs: { href: `${room}/facilitate#key=${key}` } }));
  }
  const people = meeting.participant_count === 1 ? "1 person"
    : `${meeting.participant_count} people`;
  return h("li", { class: `p-meeting state-${meeting.state}` },
    h("span", { class: "p-number", text: String(meeting.number),
                attrs: { "aria-label": `Meeting ${meeting.number}` } }),
    h("div", { class: "p-meeting-what" },
      h("p", { class: "p-meeting-title", text: meeting.title }),
      h("p", { class: "p-meeting-meta",
               text: `${when(meeting.created_at)} · ${STATE_LABEL[meeting.state]} · ${people} · `
                 + `room ${meeting.code}` })),
    h("div", { class: "p-meeting-links" }, ...links));
}

function show(partnership, key) {
  document.title = `${partnership.title} · Askroom`;
  document.getElementById("p-id").textContent = partnership.id;
  document.getElementById("p-title").textContent = partnership.title;
  const mission = document.getElementById("p-mission");
  mission.textContent = partnership.mission;
  mission.hidden = !partnership.mission;
  fill(document.getElementById("p-members"),
       partnership.members.map((name) => h("li", {}, orgChip(name))));
  const role = document.getElementById("p-role");
  role.textContent = partnership.role === "backbone" ? "Secretariat" : "Member (read only)";
  role.hidden = false;
  const meetings = [...partnership.meetings].reverse();  // the latest first
  fill(document.getElementById("meetings"),
       meetings.map((m) => meetingItem(m, partnership, key)));
  document.getElementById("no-meetings").hidden = meetings.length > 0;
  fill(document.getElementById("asked"), partnership.asked.map((pair) =>
    h("li", {}, orgChip(pair.from), h("span", { class: "p-arrow", text: " → ",
                                                attrs: { "aria-label": "asked" } }),
      orgChip(pair.to), h("span", { class: "p-meta",
                                    text: ` · ${pair.requests} request${pair.requests === 1 ? "" : "s"}` }))));
  document.getElementById("asked-none").hidden = partnership.asked.length > 0;
  const next = document.getElementById("open-next");
  next.hidden = partnership.role !== "backbone";
  next.textContent = `Open meeting ${partnership.meetings.length + 1}`;
  const memberKey = stored(slots.member);
  document.getElementById("share").hidden = partnership.role !== "backbone" || !memberKey;
  document.getElementById("member-link").textContent =
    `${location.origin}/p/${partnership.id}#key=${memberKey}`;
  document.getElementById("gate").hidden = true;
  document.getElementById("partnership").hidden = false;
  membersForm.shown(partnership);
}

function gate(message) {
  document.getElementById("partnership").hidden = true;
  document.getElementById("gate").hidden = false;
  const error = document.getElementById("gate-error");
  error.textContent = message || "";
  error.hidden = !message;
  document.getElementById("gate-key").focus();
}

async function open(key) {
  const result = await api("GET", `/api/partnerships/${encodeURIComponent(id)}`, { token: key });
  document.getElementById("loading").hidden = true;
  if (result.ok) {
    keep(result.data.role === "backbone" ? slots.backbone : slots.member, key);
    show(result.data, key);
    const register = await api("GET", `/api/partnerships/${encodeURIComponent(id)}/register`,
                               { token: key });
    if (register.ok) registerView.show(register.data, result.data);
    return result.data;
  }
  if (result.status === 404) {
    gate("There is no partnership with this address. Check the link.");
  } else if (result.status === 401) {
    for (const slot of Object.values(slots)) if (stored(slot) === key) keep(slot, null);
    gate(key ? "That link is not this partnership's. Paste its private link." : "");
  } else {
    gate(result.offline ? "You seem to be offline. Check the connection and try again."
      : `Something went wrong (${result.status}).`);
  }
  return null;
}

function setUpOpenNext(key) {
  const button = document.getElementById("open-next");
  const error = document.getElementById("open-error");
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.hidden = true;
    const result = await api("POST", `/api/partnerships/${encodeURIComponent(id)}/rooms`,
                             { body: {}, token: key() });
    button.disabled = false;
    if (!result.ok) {
      error.textContent = (result.data && result.data.detail)
        || "The meeting could not be opened. Try again.";
      error.hidden = false;
      return;
    }
    location.assign(`/r/${encodeURIComponent(result.data.code)}/facilitate#key=${key()}`);
  });
}

function setUpGate(use) {
  document.getElementById("gate-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = keyFrom(document.getElementById("gate-key").value);
    if (!key) {
      gate("That does not look like a private link. Copy the whole link, including the "
           + "part after #key=.");
      return;
    }
    use(key);
  });
}

let current = keyFromAddressBar() || stored(slots.backbone) || stored(slots.member);
const registerView = new Register(id, () => current);
const membersForm = setUpMembers(id, () => current, (partnership) => show(partnership, current));
setUpOpenNext(() => current);
document.getElementById("print").addEventListener("click", () => window.print());
setUpGate((key) => {
  current = key;
  open(key);
});
if (current) open(current);
else {
  document.getElementById("loading").hidden = true;
  gate("");
}

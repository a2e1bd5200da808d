// Start a partnership: the form, then its two links, each shown once.

import { api, invalidMessage } from "./dom.js";
import { keep } from "./keys.js";
import { partnershipSlots } from "./partnership-keys.js";
import { membersFrom } from "./partnership-members.js";

const FIELD_LABEL = { title: "Name", mission: "Mission", members: "Members",
                      timezone: "Time zone", ref_prefix: "Reference prefix" };

function refusal(result) {
  if (result.offline) return "You seem to be offline. Check the connection and try again.";
  if (result.status === 429) return "Too many started from here — wait a minute.";
  if (result.status === 422) return invalidMessage(result.data, FIELD_LABEL);
  return (result.data && result.data.detail) || `Something went wrong (${result.status}).`;
}

function fieldOf(result) {
  const first = result.data && result.data.errors && result.data.errors[0];
  const name = first ? first.field : result.data && result.data.code === "duplicate_member"
    ? "members" : "title";
  return document.querySelector(`#start-form [name="${name}"]`)
    || document.getElementById("p-title");
}

function offerTimeZones() {
  const zones = typeof Intl.supportedValuesOf === "function"
    ? Intl.supportedValuesOf("timeZone") : ["Europe/London"];
  document.getElementById("timezones").append(
    ...zones.map((zone) => Object.assign(document.createElement("option"), { value: zone })));
}

function showLinks(partnership) {
  const memberLink = `${location.origin}/p/${partnership.id}#key=${partnership.member_key}`;
  document.getElementById("backbone-link").textContent = partnership.page_url;
  document.getElementById("member-link").textContent = memberLink;
  document.getElementById("open-partnership").href = partnership.page_url;
  const slots = partnershipSlots(partnership.id);
  keep(slots.backbone, partnership.backbone_key);
  // The member key is shown only in this answer: kept, the partnership page can share it.
  keep(slots.member, partnership.member_key);
  document.getElementById("start").hidden = true;
  const started = document.getElementById("started");
  started.hidden = false;
  document.getElementById("started-title").focus();
}

function setUpCopy() {
  const status = document.getElementById("copy-status");
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent;
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = "Copied.";
      } catch {
        status.textContent = "Select the link and copy it by hand.";
      }
    });
  }
}

function setUpStart() {
  const form = document.getElementById("start-form");
  const error = document.getElementById("start-error");
  const submit = document.getElementById("start-submit");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const value = (name) => form.elements[name].value;
    const body = { title: value("title"), mission: value("mission"),
                   members: membersFrom(value("members")),
                   timezone: value("timezone").trim() || "Europe/London" };
    const prefix = value("ref_prefix").trim().toUpperCase();
    if (prefix) body.ref_prefix = prefix;
    submit.disabled = true;
    const result = await api("POST", "/api/partnerships", { body });
    submit.disabled = false;
    if (result.ok) {
      showLinks(result.data);
      return;
    }
    error.textContent = refusal(result);
    error.hidden = false;
    const input = fieldOf(result);
    input.setAttribute("aria-invalid", "true");
    input.focus();
  });
}

offerTimeZones();
setUpCopy();
setUpStart();

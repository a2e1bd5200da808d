// What the facilitator hands on, from the console's "Share and export" box: the organiser
// link (kept only on the device that created the room), the facilitator's own link (to
// open the console on another device) and the log's downloads.

import { fill, h, saveDownload } from "./dom.js";

const $ = (id) => document.getElementById(id);

/**
 * A private link, masked so a shared screen never shows the key: Copy, and Show/Hide.
 * `id` prefixes its elements' ids, `name` ("the organiser link") is in its buttons' labels,
 * `copied` says what to do with it once copied.
 */
export function privateLinkBox(link, { id, name, labelId, copied }) {
  const masked = h("code", { class: "link-masked",
                             text: link.replace(/^https?:\/\//, "").replace(/#key=.*$/, "#key=••••••••") });
  const field = h("input", { class: "link-field", attrs: {
    id: `${id}-link`, type: "text", readonly: true, value: link,
    "aria-labelledby": labelId, hidden: true } });
  const status = h("p", { class: "hint", attrs: { role: "status", id: `${id}-status` } });
  const show = h("button", { class: "btn btn-small", text: "Show",
    attrs: { type: "button", "aria-pressed": "false", "aria-label": `Show ${name}` },
    on: { click: () => {
      const shown = field.hidden;
      field.hidden = !shown;
      masked.hidden = shown;
      show.textContent = shown ? "Hide" : "Show";
      show.setAttribute("aria-pressed", String(shown));
    } } });
  const copy = h("button", { class: "btn btn-small btn-primary", text: "Copy",
    attrs: { type: "button", id: `${id}-copy`, "aria-label": `Copy ${name}` },
    on: { click: async () => {
      try {
        await navigator.clipboard.writeText(link);
        status.textContent = `Copied. ${copied}`;
      } catch {
        // No clipboard (an insecure origin, or refused): select it for Ctrl+C instead.
        field.hidden = false;
        masked.hidden = true;
        field.focus();
        field.select();
        status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy it.";
      }
    } } });
  return [masked, field, h("div", { class: "link-buttons" }, copy, show), status];
}

/** The console's own link: the facilitator's key on this device, as a link to open it again. */
export const facilitatorLink = (ctx) => `${ctx.joinUrl}/facilitate#key=${ctx.key}`;

export const FACILITATOR_COPIED = "Keep it somewhere private: it runs the room from any device.";

/** The slot the landing page marks on creating a room: the console then shows its link once. */
export const createdSlot = (code) => `askroom:created:${code}`;

/** Once, on the console of a room just created: "keep your facilitator link". */
export function showCreatedNote(ctx) {
  let created = false;
  try {
    created = sessionStorage.getItem(createdSlot(ctx.code)) !== null;
    sessionStorage.removeItem(createdSlot(ctx.code));
  } catch {
    return;  // no storage: the link is still under Share and export
  }
  if (!created || ctx.role !== "facilitator") return;
  const note = $("created");
  fill($("created-body"), privateLinkBox(facilitatorLink(ctx), {
    id: "created", name: "your facilitator link", labelId: "created-title",
    copied: FACILITATOR_COPIED }));
  $("created-done").addEventListener("click", () => {
    note.hidden = true;
    // The keyboard goes to where the link stays: the same Copy under Share and export.
    const again = $("facilitator-copy");
    if (again) again.focus();
  }, { once: true });
  note.hidden = false;
  note.focus();
}

/** Returns the render that draws the organiser's and the facilitator's links, again only
 * when the key or role changes. */
export function setUpPrivateLinks(ctx) {
  const organiserBody = $("organiser-body");
  const facilitatorBody = $("facilitator-body");
  let drawnFor = null;

  return () => {
    const key = ctx.organiserKey();
    if (drawnFor === `${ctx.role}:${key}:${ctx.key}`) return;
    drawnFor = `${ctx.role}:${key}:${ctx.key}`;
    fill(facilitatorBody, ctx.role === "facilitator" && ctx.key
      ? privateLinkBox(facilitatorLink(ctx), { id: "facilitator", name: "your facilitator link",
                                               labelId: "facilitator-label",
                                               copied: FACILITATOR_COPIED })
      : null);
    if (!key) {
      fill(organiserBody, h("p", { class: "muted",
        text: "The organiser link is kept only on the device that created the room." }));
      return;
    }
    fill(organiserBody, privateLinkBox(`${ctx.joinUrl}/facilitate#key=${key}`, {
      id: "organiser", name: "the organiser link", labelId: "organiser-label",
      copied: "Send it to the organiser privately: it opens everything." }));
  };
}

/** Wire the download buttons ([data-export]): each fetches the log with the key and saves it. */
export function setUpExports(ctx) {
  const status = $("export-status");
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", async () => {
      const ext = button.dataset.export;
      if (button.getAttribute("aria-busy") === "true") return;
      button.setAttribute("aria-busy", "true");
      status.textContent = "Preparing the download…";
      let response;
      try {
        // The export routes need the key in a header, so a plain link cannot fetch them.
        response = await fetch(`/api/rooms/${ctx.code}/export.${ext}`,
                               { headers: { Authorization: `Bearer ${ctx.key}` } });
      } catch {
        response = null;
      }
      button.removeAttribute("aria-busy");
      if (!response || !response.ok) {
        let detail = response ? `The download failed (${response.status}).` : "You seem to be offline: the download failed.";
        try {
          if (response) detail = (await response.json()).detail || detail;
        } catch { /* not JSON: keep the status line */ }
        status.textContent = detail;
        return;
      }
      const filename = await saveDownload(response, `askroom-${ctx.code}.${ext}`);
      status.textContent = `Downloaded ${filename}.`;
    });
  }
}

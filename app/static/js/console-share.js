// What the facilitator hands on, from the console's "Share and export" box: the organiser
// link (kept only on the device that created the room) and the log's downloads.

import { fill, h, saveDownload } from "./dom.js";

const $ = (id) => document.getElementById(id);

/** Returns the render that draws the organiser link, again only when the key or role changes. */
export function setUpOrganiserLink(ctx) {
  const body = $("organiser-body");
  let drawnFor = null;

  return () => {
    const key = ctx.organiserKey();
    if (drawnFor === `${ctx.role}:${key}`) return;
    drawnFor = `${ctx.role}:${key}`;
    if (!key) {
      fill(body, h("p", { class: "muted",
        text: "The organiser link is kept only on the device that created the room." }));
      return;
    }
    const link = `${ctx.joinUrl}/facilitate#key=${key}`;
    const masked = h("code", { class: "link-masked",
                               text: `${ctx.joinUrl.replace(/^https?:\/\//, "")}/facilitate#key=••••••••` });
    const field = h("input", { class: "link-field", attrs: {
      id: "organiser-link", type: "text", readonly: true, value: link,
      "aria-labelledby": "organiser-label", hidden: true } });
    const status = h("p", { class: "hint", attrs: { role: "status", id: "organiser-status" } });
    const show = h("button", { class: "btn btn-small", text: "Show",
      attrs: { type: "button", "aria-pressed": "false", "aria-label": "Show the organiser link" },
      on: { click: () => {
        const shown = field.hidden;
        field.hidden = !shown;
        masked.hidden = shown;
        show.textContent = shown ? "Hide" : "Show";
        show.setAttribute("aria-pressed", String(shown));
      } } });
    const copy = h("button", { class: "btn btn-small btn-primary", text: "Copy",
      attrs: { type: "button", id: "organiser-copy", "aria-label": "Copy the organiser link" },
      on: { click: async () => {
        try {
          await navigator.clipboard.writeText(link);
          status.textContent = "Copied. Send it to the organiser privately: it opens everything.";
        } catch {
          // No clipboard (an insecure origin, or refused): select it for Ctrl+C instead.
          field.hidden = false;
          masked.hidden = true;
          field.focus();
          field.select();
          status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy it.";
        }
      } } });
    fill(body, masked, field, h("div", { class: "link-buttons" }, copy, show), status);
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

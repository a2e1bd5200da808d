// Small helpers shared by every page. User text only ever becomes a text node.

/**
 * Make an element. props: {class, text, attrs: {name: value}, on: {event: fn}, dataset}.
 * Children may be elements, strings (as text) or null (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined && props.text !== null) el.textContent = String(props.text);
  for (const [name, value] of Object.entries(props.attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const [name, value] of Object.entries(props.dataset || {})) el.dataset[name] = value;
  for (const [event, fn] of Object.entries(props.on || {})) el.addEventListener(event, fn);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return el;
}

/** Put `wanted` in `list` in this order without detaching the elements already there
 * (a detached element loses focus, scroll and a half-typed field); remove the rest. */
export function placeInOrder(list, wanted) {
  let ref = list.firstChild;
  for (const el of wanted) {
    if (el === ref) ref = ref.nextSibling;
    else list.insertBefore(el, ref);
  }
  while (ref) {
    const next = ref.nextSibling;
    ref.remove();
    ref = next;
  }
}

/** The server's rule for telling organisations apart (SPEC §2): trimmed, spaces collapsed,
 * case-folded, so "NHS  ccg" is NHS CCG. */
export const organisationKey = (name) => (name || "").trim().replace(/\s+/g, " ").toLowerCase();

// The colours a room's organisations take, in order of arrival: a hash alone can give two
// of six organisations the same hue. Far apart in hue (each next one as far
// as it can be from those before it) and all of one luminance, chosen so that every one is
// at least 3.4:1 against the card surfaces of BOTH themes (AA for graphics is 3:1), and so
// the same colour serves the board, the phone, the console and the printed report.
export const ORG_COLOURS = [
  "#197ee2", "#bb6815", "#109110", "#d918d9", "#e93939", "#0f8b8b",
  "#a257ec", "#4e8c10", "#6d6def", "#81810e", "#109050", "#e72a89",
];

// Organisation key -> its place in ORG_COLOURS' order. Once given, a colour stays for the
// life of the page: someone withdrawing or a card being hidden never recolours the room.
const orgSlots = new Map();

/**
 * The room's organisations in order of arrival: by the id of the first person from each
 * (those in the room, and those who wrote or are named on a card, which keeps the place of
 * someone who has since withdrawn), then those only named as a card's target, by card id.
 * Hidden and withdrawn cards do not count, so the board and the console agree.
 */
export function organisationsInOrder(store) {
  const cards = store.visibleCards()
    .filter((c) => !c.hidden && c.status !== "withdrawn")
    .sort((a, b) => a.id - b.id);
  const people = [...store.participants.values()].filter((p) => !p.withdrawn);
  for (const card of cards) people.push(card.author, card.to && card.to.participant);
  const named = people
    .filter((p) => p && p.id !== null && p.id !== undefined)
    .sort((a, b) => a.id - b.id)
    .map((p) => p.organisation);
  // An author shown by organisation only has no id: their organisation comes with the card.
  const unnamed = cards.flatMap((c) => [c.author && c.author.organisation,
                                        c.to && c.to.organisation]);
  const seen = new Map();
  for (const name of [...named, ...unnamed]) {
    if (!name || !name.trim()) continue;
    const key = organisationKey(name);
    if (!seen.has(key)) seen.set(key, name.trim());
  }
  return [...seen.values()];
}

/** Give the room's organisations their colours in order of arrival (RoomStore does this on
 * every change; a page that draws from other data calls it once with a store-like object). */
export function learnOrgColours(store) {
  for (const name of organisationsInOrder(store)) orgSlot(name);
}

function orgSlot(name) {
  const key = organisationKey(name);
  if (!orgSlots.has(key)) orgSlots.set(key, orgSlots.size);
  return orgSlots.get(key);
}

/** An organisation's colour in this room. Beyond twelve organisations colours repeat; the
 * name beside every swatch still says which is which. */
export function orgColour(name) {
  return ORG_COLOURS[orgSlot(name) % ORG_COLOURS.length];
}

/** The organisation's colour swatch and name; the name carries the meaning, not the colour. */
export function orgChip(organisation, props = {}) {
  if (!organisation) return null;
  const chip = h("span", { class: `org ${props.class || ""}`.trim() },
    h("span", { class: "org-swatch", attrs: { "aria-hidden": "true" } }),
    h("span", { class: "org-name", text: organisation }));
  chip.style.setProperty("--org-colour", orgColour(organisation));
  return chip;
}

/** "Sam" with their organisation chip beside; an author who chose to be shown by
 * organisation only has no name ("Someone from" the chip); an anonymous one is null. */
export function personLabel(person, props = {}) {
  const classes = `person ${props.class || ""}`.trim();
  if (!person) return h("span", { class: `${classes} is-anonymous`, text: "Anonymous" });
  if (!person.name) {
    return h("span", { class: `${classes} is-anonymous` },
      h("span", { class: "person-name", text: "Someone from" }), orgChip(person.organisation));
  }
  return h("span", { class: classes },
    h("span", { class: "person-name", text: person.name }),
    orgChip(person.organisation));
}

/** How a person is called in a sentence: "Sam", "someone from NHS CCG", "someone". */
export function personName(person) {
  if (!person) return "someone";
  return person.name || (person.organisation ? `someone from ${person.organisation}` : "someone");
}

// How long an announcement stays in the live region: long enough to be read out, short
// enough that a card hidden by the facilitator does not linger in the page.
const ANNOUNCE_FOR_MS = 7000;

/** Announce to screen readers through the page's live region. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  // A fresh node each time, so that repeating the same words is announced again.
  const note = h("p", { text: message });
  requestAnimationFrame(() => {
    region.append(note);
    while (region.childNodes.length > 3) region.firstChild.remove();
  });
  setTimeout(() => note.remove(), ANNOUNCE_FOR_MS);
}

/** A 422 in words a person would use ("Title can't be blank."), its fields named by
 * `labels` (API field name -> the form's label); with no field errors, the detail. */
export function invalidMessage(data, labels) {
  const first = data && Array.isArray(data.errors) ? data.errors[0] : null;
  if (!first) return (data && data.detail) || "That was not accepted: check the fields.";
  const label = labels[first.field] || first.field;
  if (first.type === "string_too_short" || /blank/.test(first.message)) {
    return `${label} can't be blank.`;
  }
  return `${label}: ${String(first.message).replace(/^Value error, /, "")}`;
}

/** Call the API; never throws for HTTP errors: {ok, status, data, offline}. */
export async function api(method, path, { body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: null, offline: true };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data, offline: false };
}

/** "4:05" for 245 seconds. */
export function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, "0")}`;
}

/** Seconds left on a timer {ends_at}, or null. */
export function secondsLeft(timer) {
  if (!timer || !timer.ends_at) return null;
  return Math.max(0, (Date.parse(timer.ends_at) - Date.now()) / 1000);
}

/** The small, honest connection indicator. */
export function connectionIndicator(el) {
  const words = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    offline: "Offline",
    denied: "Key not valid",
    deleted: "Room deleted",
  };
  return (state) => {
    el.dataset.state = state;
    el.textContent = words[state] || state;
  };
}

export const ANSWERS = [
  { value: "yes", label: "Yes, I will" },
  { value: "try", label: "I'll try" },
  { value: "no", label: "No" },
  { value: "unclear", label: "Unclear — ask again" },
];

export const ANSWER_LABEL = Object.fromEntries(ANSWERS.map((a) => [a.value, a.label]));

export const PROGRESS = [
  { value: "not_started", label: "Not started" },
  { value: "in_progress", label: "In progress" },
  { value: "done", label: "Done" },
  { value: "dropped", label: "Dropped" },
];

export const PROGRESS_LABEL = Object.fromEntries(PROGRESS.map((p) => [p.value, p.label]));

export const KIND_LABEL = { request: "Request", ask: "Ask", offer: "Offer" };

/**
 * Save a fetched file under the name its Content-Disposition gives (else `fallback`), as
 * a click on a temporary link would; returns the name.
 */
export async function saveDownload(response, fallback) {
  const named = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
  const filename = named ? named[1] : fallback;
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { attrs: { href: url, download: filename, hidden: true } });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once the click is handled; the blob is freed a minute later.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return filename;
}

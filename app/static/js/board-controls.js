// The board's few controls, each also on a key (nothing needs a mouse): F full screen,
// T theme (kept on this device), J the join panel's size.

const $ = (id) => document.getElementById(id);
const THEME_KEY = "askroom.board.theme";

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  $("btn-theme").setAttribute("aria-pressed", String(theme === "light"));
  // The words say the state too: the button's look alone is not read out.
  $("theme-words").textContent = `Light theme: ${theme === "light" ? "on" : "off"}`;
}

function toggleFullscreen() {
  if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  } else if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
}

/**
 * Wire the buttons and keys. `onChange()` is called when the board must be drawn again.
 * Returns {joinChoice()}: null while the join panel's size is automatic, else whether J
 * made it compact.
 */
export function setUpControls(onChange) {
  let joinChoice = null;

  function toggleTheme() {
    const next = document.documentElement.dataset.theme === "light" ? "dark" : "light";
    applyTheme(next);
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Storage may be off (a locked-down kiosk): the theme changes for this visit only.
    }
    onChange();
  }

  function toggleJoin() {
    joinChoice = !document.body.classList.contains("join-compact");
    onChange();
  }

  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === "light" || saved === "dark") applyTheme(saved);
  } catch {
    // No storage: the default (dark) stands.
  }

  $("btn-theme").addEventListener("click", toggleTheme);
  $("btn-full").addEventListener("click", toggleFullscreen);
  $("btn-join").addEventListener("click", toggleJoin);
  document.addEventListener("fullscreenchange", () => {
    $("btn-full").setAttribute("aria-pressed", String(Boolean(document.fullscreenElement)));
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const actions = { f: toggleFullscreen, t: toggleTheme, j: toggleJoin };
    const action = actions[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });
  return { joinChoice: () => joinChoice };
}

// One layout of the wall (board-wall.js says what it promises): the items take their room
// in the order a rank gives, each whole into the lowest column it fits in; the newest item
// (or, short of room, an item holding a commitment) that fits no column is fitted
// (board-fit.js); each column then reads newest first, and what found no room fades off
// the bottom of the columns with room to spare.

import { priority } from "./board-items.js";
import { STRAIN, fit, foldOthers, mayFlow, widen } from "./board-fit.js";

const MIN_TAIL_REM = 5;       // an old card that does not fit shows only if this much can
const MIN_NEWEST_REM = 2.5;   // the newest card, cut to make room for the commitments

export class Layout {
  /**
   * @param {Wall} wall the wall whose elements are laid (its group(), order() and el)
   * @param {object} geometry {count: columns, rem, height, gap, offerGap, colW} in px
   */
  constructor(wall, { count, rem, height, gap, offerGap, colW }) {
    this.wall = wall;
    this.dense = wall.dense;  // short of room for the commitments (see Wall.render)
    Object.assign(this, { count, rem, height, gap, offerGap, colW });
    this.lost = 0;  // offers folded away, cards shortened or cut, to show the newest whole
  }

  place(el, column, top) {
    el.style.setProperty("left", `${column * (this.colW + this.gap)}px`);
    el.style.setProperty("top", `${top}px`);
  }

  /** Draw what of an old item fits under the others in a column, fading off the bottom. */
  tail(group, column, top) {
    const blocks = [group.main, ...group.lis];
    let y = top;
    blocks.forEach((el, i) => {
      if (i > 0) y += this.offerGap;
      if (y >= this.height) {
        el.hidden = true;
        return;
      }
      this.place(el, column, y);
      el.classList.add("is-fading");
      el.style.setProperty("--fade-from", `${top - y}px`);
      el.style.setProperty("--fade-to", `${this.height - y}px`);
      y += el.offsetHeight;
    });
  }

  /** The lowest column with room for `tall` more, or -1. */
  lowest(y, tall) {
    let column = -1;
    for (let c = 0; c < y.length; c += 1) {
      const top = y[c] === null ? 0 : y[c] + this.gap;
      const lower = column < 0 || (y[c] ?? -1) < (y[column] ?? -1);
      if (top + tall <= this.height && lower) column = c;
    }
    return column;
  }

  /** Place the items on the wall, taking their room in the order `rank` gives (least
   * first, then newest first): {strain, lost, run, unseen: items holding a commitment that
   * is not drawn whole, newestDrawn}. */
  lay(items, rank) {
    this.y = new Array(this.count).fill(null);  // where each column's cards end; null: none yet
    this.stacks = Array.from({ length: this.count }, () => []);  // whole items, per column
    this.base = new Array(this.count).fill(null);  // where what fit() placed in a column ends
    this.strain = STRAIN.none;
    this.lost = 0;
    // A commitment is the outcome of the meeting: the items holding one take their room
    // before the others (see rank), and those newest first. Each goes whole into the lowest
    // column it fits in, so no card fades while another column has room.
    this.whole = new Set();    // indices of the items drawn whole
    this.outcome = new Set();  // and of those whose commitments are whole (others may fold)
    const shown = [];   // [index in items, group] of everything drawn
    const left = [];    // [index, group] of items that found no room whole
    const order = items.map((item, i) => i)
      .sort((a, b) => rank(items[a], a) - rank(items[b], b) || a - b);
    let cut = false;  // the newest card found no room whole: the older ones fade after it
    for (const i of order) {
      const item = items[i];
      const group = this.wall.group(item);
      shown.push([i, group]);
      this.wall.order(shown.map(([, g]) => g));  // in the wall, to be measured
      if (cut) {
        left.push([i, group]);
        continue;
      }
      if (this.take(i, item, group, rank)) continue;
      if (rank(item, i) < 2) {
        // A commitment out of sight, or the newest card behind them: free room.
        this.strain = Math.max(this.strain, STRAIN.squeezed);
        this.lost += 1;
      }
      if (i === 0) cut = true;
      left.push([i, group]);
    }
    this.stackColumns();
    const drawn = this.fadeTheRest(shown, left);
    this.keep(shown, drawn);
    let run = 0;  // how many items, from the first, are drawn whole
    while (this.whole.has(run)) run += 1;
    const unseen = items.filter((item, i) => priority(item, 1) === 1 && !this.outcome.has(i)).length;
    return { strain: this.strain, lost: this.lost, run, unseen, newestDrawn: drawn.has(0) };
  }

  /** Give an item its room whole in a column, or fitted over the empty ones; returns
   * whether it found room. */
  take(i, item, group, rank) {
    const { y } = this;
    let tall = group.main.offsetHeight;
    for (const li of group.lis) tall += this.offerGap + li.offsetHeight;
    let column = this.lowest(y, tall);
    // Short of room, an accepted offer and its ask stay whole and its other offers fold.
    const folding = column < 0 && this.dense && i > 0 && group.kept.includes(true)
      ? foldOthers(this, group, y) : null;
    if (folding) {
      [column, tall] = folding;
      this.strain = Math.max(this.strain, STRAIN.squeezed);
    }
    if (column >= 0) {
      this.whole.add(i);
      this.outcome.add(i);
      this.stacks[column].push([i, group, tall]);
      y[column] = (y[column] === null ? 0 : y[column] + this.gap) + tall;
      return true;
    }
    return this.spread(i, item, group, rank);
  }

  /** No column holds the item whole: over the empty columns, an older commitment taller
   * than a column goes whole across two or more, and the newest item (or an ask with an
   * accepted offer) is fitted: its offers flow on or fold (never an accepted one), or its
   * text shortens (see fit). Returns whether it found room. */
  spread(i, item, group, rank) {
    const { y } = this;
    const empty = y.indexOf(null);
    if (empty < 0) return false;
    const before = [...y];
    const settle = () => y.forEach((end, c) => {
      if (before[c] === null && end !== null) this.base[c] = end;  // under it, whole items go on
    });
    if (rank(item, i) === 1 && !group.lis.length && widen(this, group, empty, y, 2)) {
      this.whole.add(i);
      this.outcome.add(i);
      this.strain = Math.max(this.strain, STRAIN.flowed);
      settle();
      return true;
    }
    if (rank(item, i) === 0 || mayFlow(this, group, y)) {
      const lostBefore = this.lost;
      this.strain = Math.max(this.strain, fit(this, group, empty, y));
      if (this.lost === lostBefore) this.whole.add(i);
      if (!group.main.classList.contains("is-fading")) this.outcome.add(i);  // see fit's last resort
      settle();
      return true;
    }
    return false;
  }

  /** Each column newest first, under whatever fit() placed at its top. */
  stackColumns() {
    this.stacks.forEach((stack, c) => {
      stack.sort((a, b) => a[0] - b[0]);
      let top = this.base[c] === null ? 0 : this.base[c] + this.gap;
      for (const [, group, tall] of stack) {
        this.place(group.main, c, top);
        let below = top + group.main.offsetHeight;
        for (const li of [group.more, ...group.lis]) {
          if (li.hidden) continue;  // folded, or no "+1 earlier offer" line
          this.place(li, c, below + this.offerGap);
          below += this.offerGap + li.offsetHeight;
        }
        top += tall + this.gap;
      }
    });
  }

  /** Under the columns with room to spare, the newest of the rest fade off the bottom;
   * returns the indices of the items drawn. */
  fadeTheRest(shown, left) {
    const { y } = this;
    const drawn = new Set(shown.map(([i]) => i));
    for (const [i, group] of left) {
      const column = y.reduce((best, end, c) =>
        ((end ?? -this.gap) < (y[best] ?? -this.gap) ? c : best), 0);
      const top = y[column] === null ? 0 : y[column] + this.gap;
      // The newest card, behind the commitments, shows even if only its first line.
      if (this.height - top < (i === 0 ? MIN_NEWEST_REM : MIN_TAIL_REM) * this.rem) {
        drawn.delete(i);
        continue;
      }
      this.tail(group, column, top);
      y[column] = this.height;
    }
    return drawn;
  }

  /** The wall keeps the items drawn, in the meeting's order, and drops the rest. */
  keep(shown, drawn) {
    const kept = shown.filter(([i]) => drawn.has(i)).sort((a, b) => a[0] - b[0])
      .map(([, group]) => group);
    this.wall.order(kept);
    const { el } = this.wall;
    while (el.children.length > kept.length) el.lastElementChild.remove();
  }
}

// Multi-pattern search (Aho–Corasick): one pass over a text finds every pattern of a set, in time
// linear in the text's length whatever the number and length of the patterns, after a build
// linear in their total length. Code units of patterns and text are compared after `fold`.

/** Maps a UTF-16 code unit to the unit it is compared as (e.g. ASCII letters to lower case). */
export type Fold = (unit: number) => number;

const NONE = -1;

export class PatternSearch {
  // Trie edges. States of long patterns have one child: kept in two arrays, the rare others in a Map.
  readonly #firstUnit: Int32Array;
  readonly #firstChild: Int32Array;
  readonly #moreChildren = new Map<number, Map<number, number>>();
  readonly #hasMore: Uint8Array;
  /** Failure link: the state of the longest proper suffix that is also a trie path. */
  readonly #fail: Int32Array;
  /** Length of the longest pattern that ends at each state (0 when none does). */
  readonly #longest: Int32Array;
  /** The root's children for ASCII units: most of a text is read at the root. */
  readonly #rootAscii = new Int32Array(128).fill(NONE);
  readonly #fold: Fold;

  constructor(patterns: readonly string[], fold: Fold) {
    this.#fold = fold;
    let capacity = 1;
    for (const pattern of patterns) capacity += pattern.length;
    this.#firstUnit = new Int32Array(capacity).fill(NONE);
    this.#firstChild = new Int32Array(capacity).fill(NONE);
    this.#hasMore = new Uint8Array(capacity);
    this.#fail = new Int32Array(capacity);
    this.#longest = new Int32Array(capacity);
    let states = 1;
    for (const pattern of patterns) {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const unit = fold(pattern.charCodeAt(i));
        let next = this.#child(state, unit);
        if (next === NONE) {
          next = states++;
          this.#addChild(state, unit, next);
        }
        state = next;
      }
      if (state !== 0) this.#longest[state] = pattern.length;
    }
    this.#linkFailures(states);
  }

  /** Calls `found(start, end)` wherever a pattern ends in `text`, with the longest pattern ending there. */
  scan(text: string, found: (start: number, end: number) => void): void {
    const fold = this.#fold;
    const rootAscii = this.#rootAscii;
    const fail = this.#fail;
    const longest = this.#longest;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = fold(text.charCodeAt(i));
      for (;;) {
        const next = state === 0 && unit < 128 ? (rootAscii[unit] as number) : this.#child(state, unit);
        if (next !== NONE) {
          state = next;
          break;
        }
        if (state === 0) break;
        state = fail[state] as number;
      }
      const length = longest[state] as number;
      if (length > 0) found(i + 1 - length, i + 1);
    }
  }

  /** Breadth first, so a state's failure link is final before its children's are computed. */
  #linkFailures(states: number): void {
    const queue = new Int32Array(states);
    let tail = 0;
    const link = (state: number, unit: number, child: number): void => {
      let fallback = this.#fail[state] as number;
      let target = state === 0 ? NONE : this.#child(fallback, unit);
      while (target === NONE && fallback !== 0) {
        fallback = this.#fail[fallback] as number;
        target = this.#child(fallback, unit);
      }
      const to = target === NONE ? 0 : target;
      this.#fail[child] = to;
      if (this.#longest[child] === 0) this.#longest[child] = this.#longest[to] as number;
      if (state === 0 && unit < 128) this.#rootAscii[unit] = child;
      queue[tail++] = child;
    };
    for (let head = -1; head < tail; head++) {
      const state = head < 0 ? 0 : (queue[head] as number);
      if (this.#firstUnit[state] !== NONE) link(state, this.#firstUnit[state] as number, this.#firstChild[state] as number);
      for (const [unit, child] of this.#moreChildren.get(state) ?? []) link(state, unit, child);
    }
  }

  #child(state: number, unit: number): number {
    if (this.#firstUnit[state] === unit) return this.#firstChild[state] as number;
    return this.#hasMore[state] === 1 ? (this.#moreChildren.get(state)?.get(unit) ?? NONE) : NONE;
  }

  #addChild(state: number, unit: number, child: number): void {
    if (this.#firstUnit[state] === NONE) {
      this.#firstUnit[state] = unit;
      this.#firstChild[state] = child;
      return;
    }
    let more = this.#moreChildren.get(state);
    if (!more) this.#moreChildren.set(state, (more = new Map()));
    more.set(unit, child);
    this.#hasMore[state] = 1;
  }
}

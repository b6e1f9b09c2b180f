// Decoded copies ("views") of a text, one per way a secret may be written in it: percent-encoded
// (URLs, forms), JSON-escaped (`\"`, `\/`, `\n`, `\u00e9`...) and HTML character references
// (`&amp;`, `&#39;`, `&#x2F;`), and each of these decoded once more (double encoding, JSON inside a
// JSON string, a URL inside JSON or HTML). Every code unit of a view keeps the span of the original
// text it came from, so a secret found in a view is redacted in the original.
//
// Decoding the text, rather than encoding each secret every possible way, also catches secrets whose
// characters are escaped inconsistently (`%2f%2F`, `a\u0062c`, an encoder that escapes only some
// characters): after decoding there is one spelling left. Each view costs one linear pass, and a
// view is only built when the text holds its escape character.

export interface View {
  readonly text: string;
  /** Start (inclusive) in the original text of code unit `i` of the view. */
  startOf(i: number): number;
  /** End (exclusive) in the original text of code unit `i` of the view. */
  endOf(i: number): number;
}

/** A decoding step: the decoded text and, per code unit, its span in the step's input; undefined when nothing decodes. */
export type Decoder = (text: string) => Decoded | undefined;

export interface Decoded {
  text: string;
  from: Int32Array;
  to: Int32Array;
}

class DecodedBuilder {
  readonly #input: string;
  // Allocated at the first escape: most texts hold an escape character but no escape.
  #units: Uint16Array | undefined;
  #from: Int32Array | undefined;
  #to: Int32Array | undefined;
  #length = 0;

  constructor(input: string) {
    this.#input = input;
  }

  raw(at: number): void {
    if (this.#units) this.#push(this.#input.charCodeAt(at), at, at + 1);
  }

  decoded(codePoint: number, from: number, to: number): void {
    if (!this.#units) {
      // Decoding never lengthens a text: every escape is at least as long as the code units it stands for.
      const capacity = this.#input.length;
      this.#units = new Uint16Array(capacity);
      this.#from = new Int32Array(capacity);
      this.#to = new Int32Array(capacity);
      for (let at = 0; at < from; at++) this.#push(this.#input.charCodeAt(at), at, at + 1);
    }
    if (codePoint > 0xffff) {
      const offset = codePoint - 0x10000;
      this.#push(0xd800 + (offset >> 10), from, to);
      this.#push(0xdc00 + (offset & 0x3ff), from, to);
    } else {
      this.#push(codePoint, from, to);
    }
  }

  result(): Decoded | undefined {
    if (!this.#units || !this.#from || !this.#to) return undefined;
    const n = this.#length;
    let text = "";
    // In slices: an argument list per code unit would overflow the stack on long texts.
    for (let i = 0; i < n; i += 8192) text += String.fromCharCode(...this.#units.subarray(i, Math.min(n, i + 8192)));
    return { text, from: this.#from.subarray(0, n), to: this.#to.subarray(0, n) };
  }

  #push(unit: number, from: number, to: number): void {
    (this.#units as Uint16Array)[this.#length] = unit;
    (this.#from as Int32Array)[this.#length] = from;
    (this.#to as Int32Array)[this.#length] = to;
    this.#length++;
  }
}

function hexValue(unit: number): number {
  if (unit >= 48 && unit <= 57) return unit - 48;
  const lower = unit | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The byte of a `%XX` escape at `at`, or -1. */
function percentByte(text: string, at: number): number {
  if (at + 2 >= text.length || text.charCodeAt(at) !== 37) return -1;
  const high = hexValue(text.charCodeAt(at + 1));
  const low = hexValue(text.charCodeAt(at + 2));
  return high < 0 || low < 0 ? -1 : (high << 4) | low;
}

/** `%XX` escapes, read as UTF-8 (any hex case); bytes that do not form a character stay as written. */
export const decodePercent: Decoder = (text) => {
  if (!text.includes("%")) return undefined;
  const out = new DecodedBuilder(text);
  for (let i = 0; i < text.length; ) {
    const lead = percentByte(text, i);
    const size = lead < 0x80 ? (lead < 0 ? 0 : 1) : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    let codePoint = size === 1 ? lead : size === 2 ? lead & 0x1f : size === 3 ? lead & 0x0f : lead & 0x07;
    for (let k = 1; k < size && codePoint >= 0; k++) {
      const next = percentByte(text, i + 3 * k);
      codePoint = next >= 0x80 && next <= 0xbf ? (codePoint << 6) | (next & 0x3f) : -1;
    }
    const minimum = size === 2 ? 0x80 : size === 3 ? 0x800 : size === 4 ? 0x10000 : 0;
    if (size > 0 && codePoint >= minimum && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff)) {
      out.decoded(codePoint, i, i + 3 * size);
      i += 3 * size;
    } else {
      out.raw(i);
      i++;
    }
  }
  return out.result();
};

const JSON_SHORT_ESCAPES: Record<string, number> = { '"': 34, "\\": 92, "/": 47, b: 8, f: 12, n: 10, r: 13, t: 9 };

/** JSON string escapes: the short ones and `\uXXXX` in any hex case (surrogate pairs come out as the pair). */
export const decodeJson: Decoder = (text) => {
  if (!text.includes("\\")) return undefined;
  const out = new DecodedBuilder(text);
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 92 && i + 1 < text.length) {
      const short = JSON_SHORT_ESCAPES[text.charAt(i + 1)];
      if (short !== undefined) {
        out.decoded(short, i, i + 2);
        i += 2;
        continue;
      }
      if (text.charCodeAt(i + 1) === 117 && i + 5 < text.length) {
        let unit = 0;
        for (let k = 2; k < 6 && unit >= 0; k++) {
          const digit = hexValue(text.charCodeAt(i + k));
          unit = digit < 0 ? -1 : (unit << 4) | digit;
        }
        if (unit >= 0) {
          out.decoded(unit, i, i + 6);
          i += 6;
          continue;
        }
      }
    }
    out.raw(i);
    i++;
  }
  return out.result();
};

const HTML_NAMED: Record<string, number> = { amp: 38, lt: 60, gt: 62, quot: 34, apos: 39, AMP: 38, LT: 60, GT: 62, QUOT: 34 };
/** Longest reference read: `&#x` or `&#`, leading zeros and a code point, `;`. */
const HTML_MAX_REFERENCE = 32;

/** The code point of an HTML character reference body (between `&` and `;`), or -1. */
function htmlReference(body: string): number {
  if (body.charCodeAt(0) !== 35) return HTML_NAMED[body] ?? -1;
  const hex = (body.charCodeAt(1) | 0x20) === 120;
  const digits = body.slice(hex ? 2 : 1);
  if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return -1;
  const value = parseInt(digits, hex ? 16 : 10);
  return value <= 0x10ffff && (value < 0xd800 || value > 0xdfff) ? value : -1;
}

/** HTML character references: the named ones escapers use, and decimal or hex numeric ones. */
export const decodeHtml: Decoder = (text) => {
  if (!text.includes("&")) return undefined;
  const out = new DecodedBuilder(text);
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 38) {
      const limit = Math.min(text.length, i + HTML_MAX_REFERENCE);
      let end = i + 1;
      while (end < limit && text.charCodeAt(end) !== 59 && text.charCodeAt(end) !== 38) end++;
      const codePoint = end < limit && text.charCodeAt(end) === 59 ? htmlReference(text.slice(i + 1, end)) : -1;
      if (codePoint >= 0) {
        out.decoded(codePoint, i, end + 1);
        i = end + 1;
        continue;
      }
    }
    out.raw(i);
    i++;
  }
  return out.result();
};

const DECODERS: readonly Decoder[] = [decodePercent, decodeJson, decodeHtml];

class OriginalText implements View {
  constructor(readonly text: string) {}
  startOf(i: number): number {
    return i;
  }
  endOf(i: number): number {
    return i + 1;
  }
}

function viewOf(parent: View, step: Decoded): View {
  return {
    text: step.text,
    startOf: (i) => parent.startOf(step.from[i] as number),
    endOf: (i) => parent.endOf((step.to[i] as number) - 1),
  };
}

/**
 * Calls `visit` with the text itself, then each decoding and each decoding of a decoding. A step
 * that decodes nothing is skipped with what follows it: that chain equals a shorter one, visited too.
 */
export function forEachView(text: string, visit: (view: View) => void): void {
  const original = new OriginalText(text);
  visit(original);
  for (const first of DECODERS) {
    const once = first(text);
    if (!once) continue;
    const view = viewOf(original, once);
    visit(view);
    for (const second of DECODERS) {
      const twice = second(view.text);
      if (twice) visit(viewOf(view, twice));
    }
  }
}

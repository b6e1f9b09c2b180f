// Replaces a fixed set of secret values in texts, in time linear in the text: one multi-pattern
// search for the secrets and their usual spellings (encoded-forms.ts) over the text and each of its
// decoded views (encoded-views.ts), so a secret is found raw, percent-encoded (any hex case, `+` for
// space, twice), JSON-escaped or HTML-escaped, escaped consistently or not, at any length. Secrets
// under MIN_SECRET_LENGTH characters are only replaced where they form a whole value
// (whole-values.ts). Built once per change of the set; nothing is compiled from the secrets' text.
import { encodedForms } from "./encoded-forms.js";
import { decodeHtml, decodeJson, decodePercent, forEachView, type View } from "./encoded-views.js";
import { PatternSearch, type Fold } from "./pattern-search.js";
import { findWholeValues } from "./whole-values.js";

export const REDACTED = "[REDACTED]";

/** In characters (code points). Shorter secrets would shred words if replaced wherever they occur. */
const MIN_SECRET_LENGTH = 4;

// Longer texts (a huge error body) are searched in overlapping windows, so the decoded views built
// for them stay small. The overlap holds any written form of a live secret: at most 16 characters
// per code unit (`%25F0%259F%2598%2580` is 20 for two units; `\\u00e9` inside JSON is 7).
const WINDOW = 1 << 20;
const MAX_EXPANSION = 16;
/** Room for the longest written form of a short secret (whole-values.ts), with its delimiters. */
const SHORT_OVERLAP = 64;

// ASCII letters compare without case (URL parsing lower-cases host names; some proxies change case),
// and `+` as a space (form encoding). Over-redacting a near-identical text is the safe side.
const fold: Fold = (unit) => (unit >= 65 && unit <= 90 ? unit + 32 : unit === 43 ? 32 : unit);

function foldText(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(fold(text.charCodeAt(i)));
  return out;
}

export class SecretMatcher {
  readonly #long: PatternSearch | undefined;
  /** Folded short secrets. */
  readonly #short = new Set<string>();
  /** How far two windows of a long text overlap. */
  readonly #overlap: number;
  readonly #isShortValue = (value: string): boolean => this.#isShort(value);

  constructor(secrets: Iterable<string>) {
    const long: string[] = [];
    let longest = 0;
    for (const secret of secrets) {
      if ([...secret].length < MIN_SECRET_LENGTH) {
        this.#short.add(foldText(secret));
        continue;
      }
      long.push(...encodedForms(secret));
      longest = Math.max(longest, secret.length);
    }
    this.#long = long.length > 0 ? new PatternSearch(long, fold) : undefined;
    this.#overlap = Math.max(SHORT_OVERLAP, longest * MAX_EXPANSION);
  }

  redact(text: string): string {
    const spans = new Spans();
    const step = Math.max(WINDOW, this.#overlap);
    for (let start = 0; ; start += step) {
      const end = start + step + this.#overlap;
      this.#search(start === 0 && end >= text.length ? text : text.slice(start, end), start, spans);
      if (end >= text.length) break;
    }
    return spans.replace(text);
  }

  /** Adds the spans of secrets in `text`, which starts at `offset` of the whole text. */
  #search(text: string, offset: number, spans: Spans): void {
    forEachView(text, (view: View) => {
      const add = (start: number, end: number) => spans.add(offset + view.startOf(start), offset + view.endOf(end - 1));
      this.#long?.scan(view.text, add);
      if (this.#short.size > 0) findWholeValues(view.text, this.#isShortValue, add);
    });
  }

  #isShort(value: string): boolean {
    if (this.#short.has(foldText(value))) return true;
    for (const decode of [decodePercent, decodeJson, decodeHtml]) {
      const decoded = decode(value);
      if (decoded && this.#short.has(foldText(decoded.text))) return true;
    }
    return false;
  }
}

/** Spans of a text to replace, each run of overlapping or touching spans by one REDACTED. */
class Spans {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  add(start: number, end: number): void {
    this.#starts.push(start);
    this.#ends.push(end);
  }

  replace(text: string): string {
    if (this.#starts.length === 0) return text;
    const starts = this.#starts;
    const ends = this.#ends;
    const order = starts.map((_, k) => k).sort((a, b) => (starts[a] as number) - (starts[b] as number));
    // A match inside an earlier REDACTED (a secret like "DACT") is left alone, so redacting twice
    // changes nothing.
    const markers: number[] = [];
    for (let at = text.indexOf(REDACTED); at >= 0; at = text.indexOf(REDACTED, at + REDACTED.length)) markers.push(at);
    let marker = 0;
    let out = "";
    let copyFrom = 0;
    let runStart = -1;
    let runEnd = -1;
    for (const k of order) {
      const start = starts[k] as number;
      const end = ends[k] as number;
      while (marker < markers.length && (markers[marker] as number) + REDACTED.length <= start) marker++;
      if (marker < markers.length && (markers[marker] as number) <= start && end <= (markers[marker] as number) + REDACTED.length) continue;
      if (start <= runEnd) {
        runEnd = Math.max(runEnd, end);
        continue;
      }
      if (runStart >= 0) out += text.slice(copyFrom, runStart) + REDACTED;
      copyFrom = runEnd >= 0 ? runEnd : 0;
      runStart = start;
      runEnd = end;
    }
    if (runStart < 0) return text;
    return `${out}${text.slice(copyFrom, runStart)}${REDACTED}${text.slice(runEnd)}`;
  }
}

// Where a short secret may be redacted: only where it is a whole value, never inside words (a
// one-character password must not turn "got no response" into "got no res[REDACTED]onse"). A whole
// value is the whole text (a header value, a JSON string value, a message that is only the secret),
// a quoted string (`"x"`, `'x'`), a query or form value (`=x` up to `&`, `;`, `#`, whitespace, a
// quote, `<`, `>`, `,` or the end) or an element's text (`>x<`).

/** Longest written form of a short secret looked at: three characters, each escaped (`%25E2%2582%25AC`). */
const MAX_VALUE = 48;

const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
const EQUALS = 61;
const LESS_THAN = 60;
const GREATER_THAN = 62;

function isSpace(unit: number): boolean {
  return unit === 32 || (unit >= 9 && unit <= 13);
}

function endsQueryValue(unit: number): boolean {
  // & ; # " ' < > , and whitespace
  return unit === 38 || unit === 59 || unit === 35 || unit === 34 || unit === 39 || unit === 60 || unit === 62 || unit === 44 || isSpace(unit);
}

/**
 * Calls `found(start, end)` for each whole value of `text` that `isSecret` recognises. Linear: every
 * position looks at most MAX_VALUE units ahead.
 */
export function findWholeValues(text: string, isSecret: (value: string) => boolean, found: (start: number, end: number) => void): void {
  const n = text.length;
  const check = (start: number, end: number): void => {
    if (end > start && isSecret(text.slice(start, end))) found(start, end);
  };
  if (n <= MAX_VALUE) {
    let start = 0;
    let end = n;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    check(start, end);
  }
  for (let i = 0; i < n; i++) {
    const unit = text.charCodeAt(i);
    const limit = Math.min(n, i + 2 + MAX_VALUE);
    if (unit === DOUBLE_QUOTE || unit === SINGLE_QUOTE) {
      let j = i + 1;
      while (j < limit && text.charCodeAt(j) !== unit) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
      if (j < limit) check(i + 1, j);
    } else if (unit === EQUALS) {
      let j = i + 1;
      while (j < limit && !endsQueryValue(text.charCodeAt(j))) j++;
      if (j < limit || j === n) check(i + 1, j);
    } else if (unit === GREATER_THAN) {
      let j = i + 1;
      while (j < limit && text.charCodeAt(j) !== LESS_THAN) j++;
      if (j < limit) check(i + 1, j);
    }
  }
}

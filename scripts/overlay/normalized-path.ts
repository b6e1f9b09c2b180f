// RFC 9535 normalized paths, as jsonpath-rfc9535 reports matches: segments with names still escaped.

/** Undoes the normalized-path escaping of one name segment (\' \\ \b \f \n \r \t \uXXXX). */
export function unescapeName(segment: string): string {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = segment[++i] ?? "";
    if (next === "u") {
      out += String.fromCharCode(parseInt(segment.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += ({ b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" } as Record<string, string>)[next] ?? next;
    }
  }
  return out;
}

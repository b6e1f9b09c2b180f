// JSON Pointer (RFC 6901) helpers in the "#/a/b" fragment form that $refs and error reports use.
import { isObject } from "./json-types.js";

export function encodeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? "#" : "#/" + segments.map((s) => encodeSegment(String(s))).join("/");
}

function decodeSegment(segment: string): string {
  let text = segment;
  // $refs are URI fragments, so they may also be percent-encoded.
  try {
    text = decodeURIComponent(text);
  } catch {
    // keep the raw text: a stray % is not an encoding
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Resolves a local "#/..." pointer; returns undefined when any segment is missing. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const body = ref.slice(1);
  if (body === "") return root;
  if (!body.startsWith("/")) return undefined;
  let current: unknown = root;
  for (const raw of body.slice(1).split("/")) {
    const key = decodeSegment(raw);
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * pointerOf, but a pointer longer than maxChars keeps its head and tail segments and says how many were
 * left out between them, so a message about a very deep location stays readable.
 */
export function abbreviatedPointer(segments: readonly (string | number)[], maxChars = 200): string {
  const full = pointerOf(segments);
  if (full.length <= maxChars) return full;
  const encoded = segments.map((s) => encodeSegment(String(s)));
  const tail = encoded.slice(-2);
  const budget = maxChars - tail.join("/").length;
  const head: string[] = [];
  let used = 1;
  for (const segment of encoded.slice(0, -2)) {
    if (used + segment.length + 1 > budget && head.length > 0) break;
    head.push(segment);
    used += segment.length + 1;
  }
  const omitted = encoded.length - head.length - tail.length;
  return `#/${head.join("/")}/…(${omitted} more levels)…/${tail.join("/")}`;
}

/** Follows $refs (guarding against loops) and returns the target with the refs taken. */
export function deref(doc: unknown, node: unknown): { value: unknown; refs: string[] } {
  const refs: string[] = [];
  let value = node;
  while (isObject(value) && typeof value["$ref"] === "string" && !refs.includes(value["$ref"])) {
    refs.push(value["$ref"]);
    value = resolvePointer(doc, value["$ref"]);
  }
  return { value, refs };
}

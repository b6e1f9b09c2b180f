// JSON Pointer (RFC 6901) helpers in the "#/a/b" fragment form that $refs and error reports use.

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

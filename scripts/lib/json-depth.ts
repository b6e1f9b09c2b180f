// How deeply a parsed JSON value nests, measured without recursion: a recursive walk would itself
// overflow the stack on exactly the documents this check exists to turn away.

/** Deepest nesting the pipeline accepts. Real Swagger documents stay under 20; the recursive steps
 * (validation, conversion, type generation) cope with a few hundred, so 256 leaves a wide margin. */
export const MAX_JSON_DEPTH = 256;

interface Frame {
  value: object;
  /** 1 for the root object or array. */
  level: number;
  parent: Frame | undefined;
  key: string | number;
}

/** Path of the first (in document order) object or array nested deeper than maxDepth, or undefined. */
export function findTooDeep(root: unknown, maxDepth = MAX_JSON_DEPTH): (string | number)[] | undefined {
  if (root === null || typeof root !== "object") return undefined;
  // Parents are linked rather than each frame holding its full path, so memory stays linear in the size.
  const stack: Frame[] = [{ value: root, level: 1, parent: undefined, key: "" }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.level > maxDepth) return pathOf(frame);
    const entries: [string | number, unknown][] = Array.isArray(frame.value)
      ? frame.value.map((v, i) => [i, v])
      : Object.entries(frame.value);
    // Pushed in reverse so the first child is visited first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string | number, unknown];
      if (child !== null && typeof child === "object") stack.push({ value: child, level: frame.level + 1, parent: frame, key });
    }
  }
  return undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}

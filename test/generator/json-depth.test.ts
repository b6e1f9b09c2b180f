// The non-recursive depth walk behind the parse step's nesting limit, and the shortened pointers it reports.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findTooDeep, MAX_JSON_DEPTH } from "../../scripts/lib/json-depth.js";
import { abbreviatedPointer, pointerOf, resolvePointer } from "../../scripts/lib/json-pointer.js";

/** Reference depth by plain recursion (safe on fast-check's small values): 1 for a root object/array. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce((max: number, c) => Math.max(max, depthOf(c)), 0);
}

/** A chain of `levels` objects, each holding the next under "k", built without recursion. */
function chain(levels: number): unknown {
  let node: unknown = "leaf";
  for (let i = 0; i < levels; i++) node = { k: node };
  return node;
}

describe("findTooDeep", () => {
  it("finds something exactly when the value nests deeper than the limit, and points at such a container", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        const found = findTooDeep(value, limit);
        if (depthOf(value) <= limit) return found === undefined;
        if (found === undefined || found.length !== limit) return false;
        const target = resolvePointer(value, pointerOf(found));
        return target !== null && typeof target === "object";
      }),
    );
  });

  it("reports the first too-deep container in document order", () => {
    const doc = { a: { b: { c: {} } }, z: { y: { x: {} } } };
    expect(findTooDeep(doc, 3)).toEqual(["a", "b", "c"]);
    expect(findTooDeep([[1], [[[]]]], 3)).toEqual([1, 0, 0]);
  });

  it("walks a 100,000-level chain without overflowing the stack", () => {
    expect(findTooDeep(chain(100_000))).toHaveLength(MAX_JSON_DEPTH);
    expect(findTooDeep(chain(MAX_JSON_DEPTH))).toBeUndefined();
  });
});

describe("abbreviatedPointer", () => {
  it("keeps short pointers whole, escaped as RFC 6901 asks", () => {
    expect(abbreviatedPointer(["definitions", "a/b~c", 0])).toBe("#/definitions/a~1b~0c/0");
    expect(abbreviatedPointer([])).toBe("#");
  });

  it("shortens long pointers to head, count of the omitted segments, and tail", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 40, maxLength: 300 }), (segments) => {
        const full = pointerOf(segments);
        const short = abbreviatedPointer(segments, 120);
        if (full.length <= 120) return short === full;
        const match = /^#\/(.*)\/…\((\d+) more levels\)…\/(.*)$/s.exec(short);
        if (!match) return false;
        const shown = full.slice(2);
        return shown.startsWith(match[1] ?? "\0") && shown.endsWith(match[3] ?? "\0") && Number(match[2]) > 0 && short.length < full.length;
      }),
    );
  });
});

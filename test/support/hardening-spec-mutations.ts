// Damages a Swagger document the ways real downloads and hand edits do: cut short, bytes that are
// not UTF-8, nodes deleted or replaced by the wrong type, dangling $refs, absurd nesting, or not
// a Swagger document at all. Each mutation is a pure function of the original text and a small descriptor, so
// fast-check can generate descriptors, shrink them and replay a failure from its seed.
import fc from "fast-check";

export type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "garbage-bytes"; at: number; bytes: readonly number[] }
  | { kind: "delete-node"; node: number }
  | { kind: "replace-node"; node: number; value: unknown }
  | { kind: "dangling-ref"; node: number }
  | { kind: "deep-nesting"; depth: number }
  | { kind: "wrong-root"; text: string };

type Segment = string | number;

/** Every location in a JSON value, parents before children. */
export function listPointers(value: unknown): Segment[][] {
  const out: Segment[][] = [];
  const walk = (node: unknown, at: Segment[]): void => {
    out.push(at);
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...at, i]));
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, [...at, k]);
    }
  };
  walk(value, []);
  return out;
}

/**
 * Locations worth damaging: structural keys whose value the pipeline depends on (types, refs,
 * parameters, responses...). Random leaves of a 20k-line document are mostly descriptions,
 * whose damage every run survives at the cost of a full (slow) generation.
 */
const STRUCTURAL = new Set([
  "swagger", "openapi", "info", "paths", "definitions", "parameters", "responses", "schema", "type", "items",
  "properties", "required", "in", "name", "$ref", "operationId", "basePath", "enum", "format", "allOf",
  "additionalProperties", "consumes", "produces", "get", "post", "put", "delete", "patch",
  "x-cyberark-paging", "x-cyberark-min-version", "x-cyberark-deployment", "x-cyberark-secret-change",
]);

export function structuralPointers(value: unknown): Segment[][] {
  return listPointers(value).filter((p) => p.length > 0 && typeof p.at(-1) === "string" && STRUCTURAL.has(p.at(-1) as string));
}

function parentOf(root: unknown, at: Segment[]): unknown {
  let node = root;
  for (const seg of at.slice(0, -1)) node = (node as Record<string | number, unknown>)[seg];
  return node;
}

function set(root: unknown, at: Segment[], value: unknown): void {
  (parentOf(root, at) as Record<string | number, unknown>)[at.at(-1) as Segment] = value;
}

function remove(root: unknown, at: Segment[]): void {
  const parent = parentOf(root, at);
  const key = at.at(-1) as Segment;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<string, unknown>)[key as string];
}

/** The damaged document as bytes (some mutations are not representable as a JS string). */
export function applyMutation(originalText: string, m: Mutation): Buffer {
  switch (m.kind) {
    case "truncate":
      return Buffer.from(originalText.slice(0, m.at % originalText.length), "utf8");
    case "garbage-bytes": {
      const bytes = Buffer.from(originalText, "utf8");
      const at = m.at % bytes.length;
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    }
    case "deep-nesting": {
      // A schema nested thousands of levels deep: recursive walkers must not overflow the stack.
      // Built as text: JSON.stringify itself overflows on values this deep.
      const doc = JSON.parse(originalText) as Record<string, unknown>;
      const bucket = (doc["definitions"] ??= {}) as Record<string, unknown>;
      bucket["HardeningDeep"] = "__HARDENING_DEEP__";
      const open = '{"type":"object","properties":{"inner":'.repeat(m.depth);
      const nested = `${open}{"type":"string"}${"}}".repeat(m.depth)}`;
      return Buffer.from(JSON.stringify(doc).replace('"__HARDENING_DEEP__"', nested), "utf8");
    }
    case "wrong-root":
      return Buffer.from(m.text, "utf8");
    default:
      break;
  }
  const doc = JSON.parse(originalText) as unknown;
  const pointers = m.kind === "delete-node" || m.kind === "replace-node" ? structuralPointers(doc) : listPointers(doc);
  switch (m.kind) {
    case "delete-node":
      remove(doc, pointers[m.node % pointers.length] ?? []);
      break;
    case "replace-node":
      set(doc, pointers[m.node % pointers.length] ?? [], m.value);
      break;
    case "dangling-ref": {
      const refs = pointers.filter((p) => p.at(-1) === "$ref");
      const at = refs[m.node % Math.max(1, refs.length)];
      if (at) set(doc, at, "#/definitions/HardeningNoSuchDefinition");
      break;
    }
  }
  return Buffer.from(JSON.stringify(doc, null, 2), "utf8");
}

const wrongTypedValue = fc.constantFrom<unknown>(null, 0, -1, 1e308, "", "x", true, [], {}, [null], { $ref: 7 });

/** Random damage; "deep-nesting" is left to explicit cases (its outcome depends only on the depth). */
export function mutationArbitrary(): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: 2 ** 31 - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at }),
    fc.record({
      kind: fc.constant("garbage-bytes" as const),
      at,
      // Lone continuation bytes, overlong forms, a NUL, a BOM in the middle, UTF-16 halves.
      bytes: fc.constantFrom([0xff], [0xc0, 0x80], [0x80, 0x80], [0x00], [0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xfe, 0xff]),
    }),
    fc.record({ kind: fc.constant("delete-node" as const), node: at }),
    fc.record({ kind: fc.constant("replace-node" as const), node: at, value: wrongTypedValue }),
    fc.record({ kind: fc.constant("dangling-ref" as const), node: at }),
    fc.record({
      kind: fc.constant("wrong-root" as const),
      text: fc.constantFrom(
        "",
        "   \n",
        "null",
        "[]",
        '"swagger"',
        "{}",
        '{"swagger":"1.2","paths":{}}',
        '{"openapi":"4.0.0","paths":{}}',
        '{"swagger":"2.0"}',
        '{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":[]}',
        "<!DOCTYPE html><html><body>Sign in</body></html>",
        "\ufeff",
      ),
    }),
  );
}

export function describeMutation(m: Mutation): string {
  const text = JSON.stringify(m);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

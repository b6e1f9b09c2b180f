// Compares two versions of a schema (OpenAPI 3) and lists what changed, marking what breaks callers:
// in responses a removed property or a changed type; anywhere a removed enum value; in requests a
// property that became (or newly is) required.
import { resolvePointer } from "./json-pointer.js";
import { isObject, type JsonObject } from "./json-types.js";

export interface ChangeDetail {
  text: string;
  breaking: boolean;
}

export type Direction = "request" | "response";

interface SchemaView {
  type: string | undefined;
  enumValues: unknown[] | undefined;
  properties: Map<string, unknown>;
  required: Set<string>;
  items: unknown;
  additional: unknown;
  /** Chain of $refs followed to reach this schema (cycle detection). */
  refs: string;
}

/** Follows $refs (guarding against loops) and returns the target with the refs taken. */
export function deref(doc: JsonObject, node: unknown): { value: unknown; refs: string[] } {
  const refs: string[] = [];
  let value = node;
  while (isObject(value) && typeof value["$ref"] === "string" && !refs.includes(value["$ref"])) {
    refs.push(value["$ref"]);
    value = resolvePointer(doc, value["$ref"]);
  }
  return { value, refs };
}

function typeName(schema: JsonObject): string | undefined {
  const t = schema["type"];
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const names = t.filter((x): x is string => typeof x === "string" && x !== "null").sort();
    return names.length > 0 ? names.join("|") : undefined;
  }
  return undefined;
}

function view(doc: JsonObject, node: unknown, depth = 0): SchemaView {
  const { value, refs } = deref(doc, node);
  const schema = isObject(value) ? value : {};
  const out: SchemaView = {
    type: typeName(schema),
    enumValues: Array.isArray(schema["enum"]) ? schema["enum"] : undefined,
    properties: new Map(isObject(schema["properties"]) ? Object.entries(schema["properties"]) : []),
    required: new Set(Array.isArray(schema["required"]) ? schema["required"].filter((r) => typeof r === "string") : []),
    items: schema["items"],
    additional: isObject(schema["additionalProperties"]) ? schema["additionalProperties"] : undefined,
    refs: refs.join(">"),
  };
  // allOf: the members' properties and requirements belong to this schema.
  if (Array.isArray(schema["allOf"]) && depth < 20) {
    for (const member of schema["allOf"]) {
      const m = view(doc, member, depth + 1);
      out.type ??= m.type;
      for (const [k, v] of m.properties) if (!out.properties.has(k)) out.properties.set(k, v);
      for (const r of m.required) out.required.add(r);
    }
  }
  if (out.type === undefined && out.properties.size > 0) out.type = "object";
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

export class SchemaDiff {
  readonly details: ChangeDetail[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly oldDoc: JsonObject,
    private readonly newDoc: JsonObject,
  ) {}

  add(text: string, breaking: boolean): void {
    this.details.push({ text, breaking });
  }

  /** label: what holds the schema ("response 200", "parameter query limit"); at: property path inside it. */
  compare(oldNode: unknown, newNode: unknown, label: string, direction: Direction, at = ""): void {
    const o = view(this.oldDoc, oldNode);
    const n = view(this.newDoc, newNode);
    if (o.refs !== "" && n.refs !== "") {
      // Recursive schemas: each pair of referenced schemas is compared once per label.
      const pairKey = `${label}|${direction}|${o.refs}|${n.refs}`;
      if (this.seen.has(pairKey)) return;
      this.seen.add(pairKey);
    }
    const where = at === "" ? `${label} body` : `${label} ${at}`;
    if (o.type !== n.type) {
      this.add(`${where}: type ${o.type ?? "any"} -> ${n.type ?? "any"}`, direction === "response");
      return;
    }
    if (o.enumValues && n.enumValues) {
      const removed = o.enumValues.filter((v) => !n.enumValues?.some((w) => same(v, w)));
      const added = n.enumValues.filter((v) => !o.enumValues?.some((w) => same(v, w)));
      if (removed.length > 0) this.add(`${where}: enum value(s) removed: ${list(removed)}`, true);
      if (added.length > 0) this.add(`${where}: enum value(s) added: ${list(added)}`, false);
    } else if (o.enumValues && !n.enumValues) {
      this.add(`${where}: no longer limited to ${list(o.enumValues)}`, false);
    } else if (!o.enumValues && n.enumValues) {
      this.add(`${where}: now limited to ${list(n.enumValues)}`, false);
    }
    if (o.items !== undefined || n.items !== undefined) {
      this.compare(o.items ?? {}, n.items ?? {}, label, direction, `${at}[]`);
    }
    const names = [...new Set([...o.properties.keys(), ...n.properties.keys()])].sort();
    for (const name of names) {
      const path = at === "" ? name : `${at}.${name}`;
      const before = o.properties.get(name);
      const after = n.properties.get(name);
      if (after === undefined) {
        this.add(`${label} ${path}: property removed`, direction === "response");
      } else if (before === undefined) {
        const required = n.required.has(name);
        this.add(`${label} ${path}: ${required ? "new required" : "new optional"} property`, direction === "request" && required);
      } else {
        if (o.required.has(name) !== n.required.has(name)) {
          const nowRequired = n.required.has(name);
          this.add(`${label} ${path}: became ${nowRequired ? "required" : "optional"}`, direction === "request" && nowRequired);
        }
        this.compare(before, after, label, direction, path);
      }
    }
    if (o.additional !== undefined && n.additional !== undefined) {
      this.compare(o.additional, n.additional, label, direction, `${at}{*}`);
    }
  }
}

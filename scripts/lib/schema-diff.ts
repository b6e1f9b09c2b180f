// Compares two versions of a schema (OpenAPI 3) and lists what changed, marking what breaks callers: what no
// longer compiles against the generated TypeScript (strict null checks on) or fails at run time. A response
// may only narrow (the caller reads it), a request may only widen (the caller writes it).
import { deref } from "./json-pointer.js";
import { isObject, type JsonObject } from "./json-types.js";

export interface ChangeDetail {
  text: string;
  breaking: boolean;
}

export type Direction = "request" | "response";

interface SchemaView {
  /** JSON types allowed ("null" apart); undefined: any. */
  types: Set<string> | undefined;
  nullable: boolean;
  enumValues: unknown[] | undefined;
  properties: Map<string, unknown>;
  required: Set<string>;
  items: unknown;
  additional: unknown;
  /** additionalProperties allowed: the TypeScript type has an index signature, so unknown keys still compile. */
  open: boolean;
  /** Chain of $refs followed to reach this schema (cycle detection). */
  refs: string;
}


function typesOf(schema: JsonObject): Set<string> | undefined {
  const t = schema["type"];
  const names = (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === "string" && x !== "null");
  return names.length > 0 ? new Set(names) : undefined;
}

const isNullable = (schema: JsonObject) =>
  schema["nullable"] === true || (Array.isArray(schema["type"]) && schema["type"].includes("null"));

function view(doc: JsonObject, node: unknown, depth = 0): SchemaView {
  const { value, refs } = deref(doc, node);
  const schema = isObject(value) ? value : {};
  const additional = schema["additionalProperties"];
  const out: SchemaView = {
    types: typesOf(schema),
    nullable: isNullable(schema),
    enumValues: Array.isArray(schema["enum"]) ? schema["enum"] : undefined,
    properties: new Map(isObject(schema["properties"]) ? Object.entries(schema["properties"]) : []),
    required: new Set(Array.isArray(schema["required"]) ? schema["required"].filter((r) => typeof r === "string") : []),
    items: schema["items"],
    additional: isObject(additional) ? additional : undefined,
    open: additional === true || isObject(additional),
    refs: refs.join(">"),
  };
  // allOf: the members' properties and requirements belong to this schema.
  if (Array.isArray(schema["allOf"]) && depth < 20) {
    for (const member of schema["allOf"]) {
      const m = view(doc, member, depth + 1);
      out.types ??= m.types;
      for (const [k, v] of m.properties) if (!out.properties.has(k)) out.properties.set(k, v);
      for (const r of m.required) out.required.add(r);
    }
  }
  if (out.types === undefined && out.properties.size > 0) out.types = new Set(["object"]);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");
const typeText = (types: Set<string> | undefined) => (types ? [...types].sort().join("|") : "any");

/** Every value of `from` is a value of `to` (an integer is a number). */
function accepts(to: Set<string> | undefined, from: Set<string> | undefined): boolean {
  if (to === undefined) return true;
  if (from === undefined) return false;
  return [...from].every((t) => to.has(t) || (t === "integer" && to.has("number")));
}

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
    const reads = direction === "response";
    if (typeText(o.types) !== typeText(n.types)) {
      const narrowed = reads ? accepts(o.types, n.types) : accepts(n.types, o.types);
      this.add(`${where}: type ${typeText(o.types)} -> ${typeText(n.types)}`, !narrowed);
      return;
    }
    // Strict null checks: a reader must now handle null; a writer may no longer send it.
    if (!o.nullable && n.nullable) this.add(`${where}: became nullable`, reads);
    if (o.nullable && !n.nullable) this.add(`${where}: no longer nullable`, !reads);
    this.compareEnums(o, n, where, reads);
    if (o.items !== undefined || n.items !== undefined) {
      this.compare(o.items ?? {}, n.items ?? {}, label, direction, `${at}[]`);
    }
    this.compareProperties(o, n, label, direction, at);
    if (o.additional !== undefined && n.additional !== undefined) {
      this.compare(o.additional, n.additional, label, direction, `${at}{*}`);
    }
  }

  private compareEnums(o: SchemaView, n: SchemaView, where: string, reads: boolean): void {
    if (o.enumValues && n.enumValues) {
      const removed = o.enumValues.filter((v) => !n.enumValues?.some((w) => same(v, w)));
      const added = n.enumValues.filter((v) => !o.enumValues?.some((w) => same(v, w)));
      // Removed: a writer's literal no longer type-checks; a reader's comparison with it no longer compiles.
      if (removed.length > 0) this.add(`${where}: enum value(s) removed: ${list(removed)}`, true);
      // Added to a response: breaking, the type is a closed union, so exhaustive switches (`never` checks) stop
      // compiling and code written for the old list meets a value it does not handle.
      if (added.length > 0) this.add(`${where}: enum value(s) added: ${list(added)}`, reads);
    } else if (o.enumValues && !n.enumValues) {
      // A reader's union of literals widens to the base type.
      this.add(`${where}: no longer limited to ${list(o.enumValues)}`, reads);
    } else if (!o.enumValues && n.enumValues) {
      // A writer's free value may now be refused; a reader only gets fewer values.
      this.add(`${where}: now limited to ${list(n.enumValues)}`, !reads);
    }
  }

  private compareProperties(o: SchemaView, n: SchemaView, label: string, direction: Direction, at: string): void {
    const reads = direction === "response";
    const names = [...new Set([...o.properties.keys(), ...n.properties.keys()])].sort();
    for (const name of names) {
      const path = at === "" ? name : `${at}.${name}`;
      const before = o.properties.get(name);
      const after = n.properties.get(name);
      if (after === undefined) {
        // A reader loses the property; a writer that sets it fails the excess-property check unless the type is open.
        this.add(`${label} ${path}: property removed`, reads || !n.open);
      } else if (before === undefined) {
        const required = n.required.has(name);
        this.add(`${label} ${path}: ${required ? "new required" : "new optional"} property`, !reads && required);
      } else {
        if (o.required.has(name) !== n.required.has(name)) {
          const nowRequired = n.required.has(name);
          // Newly optional in a response: `T | undefined` under strict null checks, so readers stop compiling.
          this.add(`${label} ${path}: became ${nowRequired ? "required" : "optional"}`, reads ? !nowRequired : nowRequired);
        }
        this.compare(before, after, label, direction, path);
      }
    }
  }
}

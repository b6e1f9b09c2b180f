// --overlay: the user's own corrections in the OpenAPI Overlay Specification 1.0 format, applied to the
// OpenAPI 3 document after the project's knowledge (paths as in generated/NAME.openapi.json). Targets are
// RFC 9535 JSONPath. An action that matches nothing is an error: a silent no-op would hide a typo in,
// say, the action that marks an operation credential-changing.
import { exec } from "jsonpath-rfc9535";
import { GenerateError } from "../lib/errors.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import { unescapeName } from "./normalized-path.js";

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface Overlay {
  label: string;
  actions: OverlayAction[];
}

type Segment = string | number;

function fail(label: string, problem: string): GenerateError {
  return new GenerateError("overlay", `${label}: ${problem}`);
}

/** Checks the Overlay 1.0 structure; the label names the file in messages. */
export function readOverlay(value: unknown, label: string): Overlay {
  if (!isObject(value)) throw fail(label, "not an Overlay document (not an object)");
  if (typeof value["overlay"] !== "string" || !/^1\.0\.\d+$/.test(value["overlay"])) {
    throw fail(label, `"overlay" must be a 1.0.x version string such as "1.0.0", got ${JSON.stringify(value["overlay"]) ?? "nothing"}`);
  }
  const info = value["info"];
  if (!isObject(info) || typeof info["title"] !== "string" || typeof info["version"] !== "string") {
    throw fail(label, `"info" must have a "title" and a "version" string`);
  }
  const actions = value["actions"];
  if (!Array.isArray(actions) || actions.length === 0) throw fail(label, `"actions" must be a non-empty list`);
  return {
    label,
    actions: actions.map((raw, i) => {
      const where = `actions[${i}]`;
      if (!isObject(raw) || typeof raw["target"] !== "string" || !raw["target"].startsWith("$")) {
        throw fail(label, `${where}: "target" must be a JSONPath expression starting with "$"`);
      }
      if (raw["remove"] !== undefined && typeof raw["remove"] !== "boolean") throw fail(label, `${where}: "remove" must be true or false`);
      if (raw["update"] === undefined && raw["remove"] !== true) throw fail(label, `${where}: has neither "update" nor "remove": true`);
      return raw as unknown as OverlayAction;
    }),
  };
}

function own(holder: JsonObject, key: string, value: unknown): void {
  // defineProperty, not assignment: a key "__proto__" from the overlay is data, not the prototype.
  Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Overlay 1.0 merge into a selected node: an object takes an object, merged recursively (a property present in
 * both: objects merge, arrays are concatenated, anything else is replaced); an array gets the update appended
 * as one more entry; any other value is replaced.
 */
function applyUpdate(target: unknown, update: unknown, named: string, label: string): unknown {
  if (Array.isArray(target)) return [...target, structuredClone(update)];
  if (isObject(target) && !isObject(update)) throw fail(label, `${named}: the target is an object, so the update must be an object too`);
  return merge(target, update);
}

function merge(target: unknown, update: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(update)) return [...target, ...update].map((v) => structuredClone(v));
  if (!isObject(target) || !isObject(update)) return structuredClone(update);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(target)) own(out, k, v);
  for (const [k, v] of Object.entries(update)) own(out, k, Object.prototype.hasOwnProperty.call(target, k) ? merge(target[k], v) : structuredClone(v));
  return out;
}

function matches(doc: JsonObject, action: OverlayAction, label: string, index: number): Segment[][] {
  const found: Segment[][] = [];
  try {
    exec(doc as never, action.target, (_value, path) => {
      found.push((path as readonly Segment[]).map((s) => (typeof s === "string" ? unescapeName(s) : s)));
    });
  } catch (error) {
    throw fail(label, `actions[${index}]: the target ${JSON.stringify(action.target)} is not valid JSONPath (RFC 9535): ${(error as Error).message}`);
  }
  return found;
}

function parentOf(root: JsonObject, path: Segment[]): { holder: unknown; key: Segment } {
  let holder: unknown = root;
  for (const segment of path.slice(0, -1)) holder = (holder as Record<Segment, unknown>)[segment];
  return { holder, key: path[path.length - 1] as Segment };
}

/** Applies the overlay's actions in order to a copy of doc; returns the copy and one note per action. */
export function applyOverlay(source: JsonObject, overlay: Overlay): { doc: JsonObject; notes: string[] } {
  let doc = structuredClone(source);
  const notes: string[] = [];
  overlay.actions.forEach((action, index) => {
    const found = matches(doc, action, overlay.label, index);
    const named = `actions[${index}] ${action.target}${action.description ? ` (${action.description})` : ""}`;
    if (found.length === 0) {
      throw fail(overlay.label, `${named} matched nothing in the document (targets address the OpenAPI 3 form, paths as in generated/NAME.openapi.json)`);
    }
    // Deepest and last first, so removing one match never shifts the location of another.
    const ordered = [...found].sort((a, b) => b.length - a.length || compareLast(b, a));
    for (const path of ordered) {
      if (path.length === 0) {
        if (action.remove === true) throw fail(overlay.label, `${named}: cannot remove the whole document`);
        const merged = applyUpdate(doc, action.update, named, overlay.label);
        if (!isObject(merged)) throw fail(overlay.label, `${named}: the update would replace the document with a non-object`);
        doc = merged;
        continue;
      }
      const { holder, key } = parentOf(doc, path);
      if (action.remove === true) {
        if (Array.isArray(holder) && typeof key === "number") holder.splice(key, 1);
        else if (isObject(holder)) delete holder[String(key)];
      } else if (Array.isArray(holder) && typeof key === "number") {
        holder[key] = applyUpdate(holder[key], action.update, named, overlay.label);
      } else if (isObject(holder)) {
        own(holder, String(key), applyUpdate(holder[String(key)], action.update, named, overlay.label));
      }
    }
    notes.push(`${named}: ${action.remove === true ? "removed" : "updated"} ${found.length} node(s)`);
  });
  return { doc, notes };
}

function compareLast(a: Segment[], b: Segment[]): number {
  const x = a[a.length - 1];
  const y = b[b.length - 1];
  return typeof x === "number" && typeof y === "number" ? x - y : 0;
}

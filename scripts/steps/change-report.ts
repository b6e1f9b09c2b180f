// The API change report: previous NAME.openapi.json in --out versus the new one, per operation. BREAKING means
// breaking for a caller: its TypeScript no longer compiles against the generated types, or the call fails at run time.
import { isObject, type JsonObject } from "../lib/json-types.js";
import { FACT_DEFAULTS, FACT_EXTENSIONS, FACTS, type Fact } from "../lib/operation-facts.js";
import { pairOperations, type OperationPair } from "../lib/operation-pairs.js";
import { HTTP_METHODS, listOperations, operationLabel, type OperationRef } from "../lib/operations-walk.js";
import { deref } from "../lib/json-pointer.js";
import { SchemaDiff, type ChangeDetail } from "../lib/schema-diff.js";

export interface OperationChange {
  /** The operation as the new document spells it (the previous one for a removed operation). */
  key: string;
  /** For "respelled": the previous spelling of the same route. */
  previousKey?: string;
  operationId?: string;
  /** respelled: the same route (routeKey) spelled otherwise, with or without other changes. */
  kind: "added" | "removed" | "respelled" | "changed";
  breaking: boolean;
  details: ChangeDetail[];
}

export interface DocumentChanges {
  name: string;
  /** Why there is nothing to compare with, when there is not. */
  noPrevious?: string;
  changes: OperationChange[];
}

/** Whether a change of the fact breaks callers; the version, deployment and unconfirmed notes are documentation. */
const BREAKS: Record<Fact, (before: unknown, after: unknown) => boolean> = {
  minVersion: () => false,
  maxVersion: () => false,
  deployment: () => false,
  // Dropped, the client may resend a credential change after an ambiguous failure; added, it only stops retrying.
  secretChange: (before, after) => before === true && after !== true,
  // Dropped, paginate() refuses the path (TypeScript and run time); changed, only how the client reads pages.
  paging: (before, after) => before !== undefined && after === undefined,
  unconfirmed: () => false,
};

// The same key as the operation tables, so the report and the tables name operations alike.
const keyOf = (ref: OperationRef): string => operationLabel(ref.method, ref.path);

function parametersOf(doc: JsonObject, ref: OperationRef): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const source of [ref.pathItem["parameters"], ref.operation["parameters"]]) {
    if (!Array.isArray(source)) continue;
    for (const raw of source) {
      const p = deref(doc, raw).value;
      if (isObject(p) && typeof p["name"] === "string" && typeof p["in"] === "string") out.set(`${p["in"]} ${p["name"]}`, p);
    }
  }
  return out;
}

/** The schema of a body: JSON media type first, else the first listed. */
function bodySchema(doc: JsonObject, holder: unknown): unknown {
  const resolved = deref(doc, holder).value;
  if (!isObject(resolved) || !isObject(resolved["content"])) return undefined;
  const content = resolved["content"];
  const types = Object.keys(content).sort();
  const chosen = types.find((t) => /json/i.test(t)) ?? types[0];
  const media = chosen === undefined ? undefined : content[chosen];
  return isObject(media) ? media["schema"] : undefined;
}

/** Path-parameter names in template order (the pattern routeKey ignores). */
const pathParameterNames = (path: string) => [...path.matchAll(/\{([^}/]*)\}/g)].map((m) => m[1] ?? "");

/** Previous name -> new name of the path parameters, position by position (paired operations have as many). */
function renamedPathParameters(before: OperationRef, after: OperationRef): Map<string, string> {
  const newNames = pathParameterNames(after.path);
  const renames = new Map<string, string>();
  pathParameterNames(before.path).forEach((name, i) => {
    const renamed = newNames[i];
    if (renamed !== undefined && renamed !== name) renames.set(name, renamed);
  });
  return renames;
}

function compareParameters(diff: SchemaDiff, oldDoc: JsonObject, newDoc: JsonObject, before: OperationRef, after: OperationRef): void {
  const renames = renamedPathParameters(before, after);
  for (const [from, to] of renames) {
    diff.add(`parameter path ${from}: renamed to ${to} (breaking for TypeScript: callers set params.path.${to})`, true);
  }
  // Under their new names, renamed path parameters compare like any other.
  const oldParams = new Map(
    [...parametersOf(oldDoc, before)].map(([key, p]) => {
      const renamed = key.startsWith("path ") ? renames.get(key.slice(5)) : undefined;
      return [renamed === undefined ? key : `path ${renamed}`, p] as const;
    }),
  );
  const newParams = parametersOf(newDoc, after);
  for (const name of [...new Set([...oldParams.keys(), ...newParams.keys()])].sort()) {
    const o = oldParams.get(name);
    const n = newParams.get(name);
    // Callers that pass it no longer compile (openapi-fetch's params are closed types); the server would ignore it.
    if (!n) diff.add(`parameter ${name}: removed`, true);
    else if (!o) diff.add(`parameter ${name}: new ${n["required"] === true ? "required" : "optional"} parameter`, n["required"] === true);
    else {
      if (o["required"] !== true && n["required"] === true) diff.add(`parameter ${name}: became required`, true);
      if (o["required"] === true && n["required"] !== true) diff.add(`parameter ${name}: became optional`, false);
      diff.compare(o["schema"] ?? {}, n["schema"] ?? {}, `parameter ${name}`, "request", "value");
    }
  }
}

function compareRequestBody(diff: SchemaDiff, oldDoc: JsonObject, newDoc: JsonObject, before: OperationRef, after: OperationRef): void {
  const oldBody = deref(oldDoc, before.operation["requestBody"]).value;
  const newBody = deref(newDoc, after.operation["requestBody"]).value;
  const required = (b: unknown) => isObject(b) && b["required"] === true;
  if (!isObject(oldBody) && isObject(newBody)) {
    diff.add(`request body: new ${required(newBody) ? "required" : "optional"} body`, required(newBody));
  } else if (isObject(oldBody) && !isObject(newBody)) {
    // openapi-fetch types `body` as never: callers that send one no longer compile.
    diff.add("request body: removed", true);
  } else if (isObject(oldBody) && isObject(newBody)) {
    if (!required(oldBody) && required(newBody)) diff.add("request body: became required", true);
    diff.compare(bodySchema(oldDoc, oldBody) ?? {}, bodySchema(newDoc, newBody) ?? {}, "request", "request");
  }
}

const isSuccess = (code: string) => /^2(\d\d|XX)$/i.test(code);

/**
 * openapi-fetch types `data` as the union of the 2xx bodies: a new success code whose body (or lack of one) differs
 * from every previous success body widens what callers read. A new error code is thrown as an HttpError.
 */
function widensData(oldDoc: JsonObject, newDoc: JsonObject, oldResponses: JsonObject, added: unknown): boolean {
  const previous = Object.keys(oldResponses).filter(isSuccess);
  const body = JSON.stringify(bodySchema(newDoc, added));
  return previous.length > 0 && previous.every((code) => JSON.stringify(bodySchema(oldDoc, oldResponses[code])) !== body);
}

function compareResponses(diff: SchemaDiff, oldDoc: JsonObject, newDoc: JsonObject, before: OperationRef, after: OperationRef): void {
  const oldResponses = isObject(before.operation["responses"]) ? before.operation["responses"] : {};
  const newResponses = isObject(after.operation["responses"]) ? after.operation["responses"] : {};
  for (const code of [...new Set([...Object.keys(oldResponses), ...Object.keys(newResponses)])].sort()) {
    if (code.startsWith("x-")) continue;
    // A code no longer listed only narrows what callers may receive.
    if (!(code in newResponses)) diff.add(`response ${code}: removed`, false);
    else if (!(code in oldResponses)) {
      const widens = isSuccess(code) && widensData(oldDoc, newDoc, oldResponses, newResponses[code]);
      diff.add(`response ${code}: added${widens ? " (a success body not seen before: `data` may have another shape)" : ""}`, widens);
    } else {
      const o = bodySchema(oldDoc, oldResponses[code]);
      const n = bodySchema(newDoc, newResponses[code]);
      if (o !== undefined && n === undefined) diff.add(`response ${code}: body removed`, true);
      else if (o === undefined && n !== undefined) diff.add(`response ${code}: body added`, false);
      else if (o !== undefined && n !== undefined) diff.compare(o, n, `response ${code}`, "response");
    }
  }
}

function compareOperation(oldDoc: JsonObject, newDoc: JsonObject, before: OperationRef, after: OperationRef): ChangeDetail[] {
  const diff = new SchemaDiff(oldDoc, newDoc);
  // Only the operations table and logs show it: no caller's code names an operationId.
  if (before.operation["operationId"] !== after.operation["operationId"]) {
    diff.add(`operationId ${JSON.stringify(before.operation["operationId"])} -> ${JSON.stringify(after.operation["operationId"])}`, false);
  }
  compareParameters(diff, oldDoc, newDoc, before, after);
  compareRequestBody(diff, oldDoc, newDoc, before, after);
  compareResponses(diff, oldDoc, newDoc, before, after);
  for (const fact of FACTS) {
    const ext = FACT_EXTENSIONS[fact];
    // An absent fact means its default: "both" and an absent deployment are no change.
    const o = before.operation[ext] ?? FACT_DEFAULTS[fact];
    const n = after.operation[ext] ?? FACT_DEFAULTS[fact];
    if (JSON.stringify(o) === JSON.stringify(n)) continue;
    diff.add(`${ext}: ${JSON.stringify(o) ?? "(none)"} -> ${JSON.stringify(n) ?? "(none)"}`, BREAKS[fact](o, n));
  }
  return diff.details;
}

function methodRank(key: string): number {
  return HTTP_METHODS.indexOf(key.split(" ")[0]?.toLowerCase() as (typeof HTTP_METHODS)[number]);
}

/** By path, then by method in HTTP_METHODS order. */
function byRoute(a: OperationChange, b: OperationChange): number {
  const pa = a.key.slice(a.key.indexOf(" ") + 1);
  const pb = b.key.slice(b.key.indexOf(" ") + 1);
  return pa < pb ? -1 : pa > pb ? 1 : methodRank(a.key) - methodRank(b.key);
}

function withId(change: OperationChange, ref: OperationRef): OperationChange {
  const id = ref.operation["operationId"];
  return typeof id === "string" ? { ...change, operationId: id } : change;
}

// The server matches routes case-insensitively and ignores parameter names and a trailing slash, but the path
// literal and the params.path names a TypeScript caller writes are the spelling.
function respelling(before: OperationRef, after: OperationRef): ChangeDetail {
  const text = `route spelled differently: \`${keyOf(before)}\` -> \`${keyOf(after)}\``;
  return { text: `${text} (breaking for TypeScript: the path literal changes; the same route at run time)`, breaking: true };
}

function describePair(oldDoc: JsonObject, newDoc: JsonObject, pair: OperationPair): OperationChange | undefined {
  if (!pair.after) return withId({ key: keyOf(pair.before), kind: "removed", breaking: true, details: [] }, pair.before);
  if (!pair.before) return withId({ key: keyOf(pair.after), kind: "added", breaking: false, details: [] }, pair.after);
  const { before, after } = pair;
  const details = compareOperation(oldDoc, newDoc, before, after);
  const key = keyOf(after);
  if (before.path !== after.path) {
    const all = [respelling(before, after), ...details];
    return withId({ key, previousKey: keyOf(before), kind: "respelled", breaking: true, details: all }, after);
  }
  if (details.length === 0) return undefined;
  return withId({ key, kind: "changed", breaking: details.some((d) => d.breaking), details }, after);
}

/** Operations are matched on their route as the server sees it (routeKey), so a respelling is not removed + added. */
export function compareDocuments(oldDoc: JsonObject, newDoc: JsonObject): OperationChange[] {
  return pairOperations(listOperations(oldDoc), listOperations(newDoc))
    .flatMap((pair) => describePair(oldDoc, newDoc, pair) ?? [])
    .sort(byRoute);
}

function counts(changes: readonly OperationChange[]): string {
  const n = (kind: OperationChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  const breaking = changes.filter((c) => c.breaking).length;
  return `${n("added")} added, ${n("removed")} removed, ${n("respelled")} respelled, ${n("changed")} changed; ${breaking} BREAKING`;
}

export function renderText(sets: readonly DocumentChanges[]): string {
  const lines: string[] = [];
  for (const set of sets) {
    if (set.noPrevious !== undefined) {
      lines.push(`API changes in ${set.name}: not compared (${set.noPrevious})`);
      continue;
    }
    if (set.changes.length === 0) {
      lines.push(`API changes in ${set.name}: none`);
      continue;
    }
    lines.push(`API changes in ${set.name}: ${counts(set.changes)}`);
    for (const c of set.changes) {
      const mark = { added: "+", removed: "-", respelled: ">", changed: "~" }[c.kind];
      const id = c.operationId ? ` (${c.operationId})` : "";
      const suffix = c.kind === "removed" || c.kind === "respelled" ? ` ${c.kind}` : "";
      lines.push(`  ${mark} ${c.breaking ? "BREAKING " : ""}${c.key}${id}${suffix}`);
      for (const d of c.details) lines.push(`      ${d.breaking ? "BREAKING " : ""}${d.text}`);
    }
  }
  return lines.join("\n") + "\n";
}

export function renderMarkdown(sets: readonly DocumentChanges[], outLabel: string): string {
  const out: string[] = ["# API change report", "", `Previous generation: \`${outLabel}\`.`, ""];
  for (const set of sets) {
    out.push(`## ${set.name}`, "");
    if (set.noPrevious !== undefined) {
      out.push(`Not compared: ${set.noPrevious}.`, "");
      continue;
    }
    if (set.changes.length === 0) {
      out.push("No operation changed.", "");
      continue;
    }
    out.push(counts(set.changes).replace("BREAKING", "**breaking**") + ".", "");
    for (const [kind, title] of [
      ["removed", "Removed"],
      ["added", "Added"],
      ["respelled", "Route spelled differently"],
      ["changed", "Changed"],
    ] as const) {
      const group = set.changes.filter((c) => c.kind === kind);
      if (group.length === 0) continue;
      out.push(`### ${title}`, "");
      for (const c of group) {
        const id = c.operationId ? ` (\`${c.operationId}\`)` : "";
        out.push(`- ${c.breaking ? "**BREAKING** " : ""}\`${c.key}\`${id}`);
        for (const d of c.details) out.push(`  - ${d.breaking ? "**BREAKING** " : ""}${d.text.replace(/[`|]/g, "\\$&")}`);
      }
      out.push("");
    }
  }
  return out.join("\n");
}

// The API change report: previous NAME.openapi.json in --out versus the new one, per operation.
import { isObject, type JsonObject } from "../lib/json-types.js";
import { HTTP_METHODS, listOperations, operationLabel, type OperationRef } from "../lib/operations-walk.js";
import { deref, SchemaDiff, type ChangeDetail } from "../lib/schema-diff.js";

export interface OperationChange {
  key: string;
  operationId?: string;
  kind: "added" | "removed" | "changed";
  breaking: boolean;
  details: ChangeDetail[];
}

export interface DocumentChanges {
  name: string;
  /** Why there is nothing to compare with, when there is not. */
  noPrevious?: string;
  changes: OperationChange[];
}

const VENDOR_KEYS = [
  "x-cyberark-min-version",
  "x-cyberark-max-version",
  "x-cyberark-deployment",
  "x-cyberark-secret-change",
  "x-cyberark-paging",
  "x-cyberark-unconfirmed",
];

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

function compareOperation(oldDoc: JsonObject, newDoc: JsonObject, before: OperationRef, after: OperationRef): ChangeDetail[] {
  const diff = new SchemaDiff(oldDoc, newDoc);
  if (before.operation["operationId"] !== after.operation["operationId"]) {
    diff.add(`operationId ${JSON.stringify(before.operation["operationId"])} -> ${JSON.stringify(after.operation["operationId"])}`, false);
  }

  const oldParams = parametersOf(oldDoc, before);
  const newParams = parametersOf(newDoc, after);
  for (const name of [...new Set([...oldParams.keys(), ...newParams.keys()])].sort()) {
    const o = oldParams.get(name);
    const n = newParams.get(name);
    if (!n) diff.add(`parameter ${name}: removed`, false);
    else if (!o) diff.add(`parameter ${name}: new ${n["required"] === true ? "required" : "optional"} parameter`, n["required"] === true);
    else {
      if (o["required"] !== true && n["required"] === true) diff.add(`parameter ${name}: became required`, true);
      if (o["required"] === true && n["required"] !== true) diff.add(`parameter ${name}: became optional`, false);
      diff.compare(o["schema"] ?? {}, n["schema"] ?? {}, `parameter ${name}`, "request", "value");
    }
  }

  const oldBody = deref(oldDoc, before.operation["requestBody"]).value;
  const newBody = deref(newDoc, after.operation["requestBody"]).value;
  const required = (b: unknown) => isObject(b) && b["required"] === true;
  if (!isObject(oldBody) && isObject(newBody)) {
    diff.add(`request body: new ${required(newBody) ? "required" : "optional"} body`, required(newBody));
  } else if (isObject(oldBody) && !isObject(newBody)) {
    diff.add("request body: removed", false);
  } else if (isObject(oldBody) && isObject(newBody)) {
    if (!required(oldBody) && required(newBody)) diff.add("request body: became required", true);
    diff.compare(bodySchema(oldDoc, oldBody) ?? {}, bodySchema(newDoc, newBody) ?? {}, "request", "request");
  }

  const oldResponses = isObject(before.operation["responses"]) ? before.operation["responses"] : {};
  const newResponses = isObject(after.operation["responses"]) ? after.operation["responses"] : {};
  for (const code of [...new Set([...Object.keys(oldResponses), ...Object.keys(newResponses)])].sort()) {
    if (code.startsWith("x-")) continue;
    if (!(code in newResponses)) diff.add(`response ${code}: removed`, false);
    else if (!(code in oldResponses)) diff.add(`response ${code}: added`, false);
    else {
      const o = bodySchema(oldDoc, oldResponses[code]);
      const n = bodySchema(newDoc, newResponses[code]);
      if (o !== undefined && n === undefined) diff.add(`response ${code}: body removed`, true);
      else if (o === undefined && n !== undefined) diff.add(`response ${code}: body added`, false);
      else if (o !== undefined && n !== undefined) diff.compare(o, n, `response ${code}`, "response");
    }
  }

  for (const ext of VENDOR_KEYS) {
    const o = before.operation[ext];
    const n = after.operation[ext];
    if (JSON.stringify(o) !== JSON.stringify(n)) diff.add(`${ext}: ${JSON.stringify(o) ?? "(none)"} -> ${JSON.stringify(n) ?? "(none)"}`, false);
  }
  return diff.details;
}

function methodRank(key: string): number {
  return HTTP_METHODS.indexOf(key.split(" ")[0]?.toLowerCase() as (typeof HTTP_METHODS)[number]);
}

export function compareDocuments(oldDoc: JsonObject, newDoc: JsonObject): OperationChange[] {
  const before = new Map(listOperations(oldDoc).map((r) => [keyOf(r), r]));
  const after = new Map(listOperations(newDoc).map((r) => [keyOf(r), r]));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => {
    const pa = a.slice(a.indexOf(" ") + 1);
    const pb = b.slice(b.indexOf(" ") + 1);
    return pa < pb ? -1 : pa > pb ? 1 : methodRank(a) - methodRank(b);
  });
  const changes: OperationChange[] = [];
  for (const key of keys) {
    const o = before.get(key);
    const n = after.get(key);
    const idOf = (r: OperationRef) => (typeof r.operation["operationId"] === "string" ? r.operation["operationId"] : undefined);
    if (o && !n) {
      const change: OperationChange = { key, kind: "removed", breaking: true, details: [] };
      const id = idOf(o);
      if (id !== undefined) change.operationId = id;
      changes.push(change);
    } else if (!o && n) {
      const change: OperationChange = { key, kind: "added", breaking: false, details: [] };
      const id = idOf(n);
      if (id !== undefined) change.operationId = id;
      changes.push(change);
    } else if (o && n) {
      const details = compareOperation(oldDoc, newDoc, o, n);
      if (details.length === 0) continue;
      const change: OperationChange = { key, kind: "changed", breaking: details.some((d) => d.breaking), details };
      const id = idOf(n);
      if (id !== undefined) change.operationId = id;
      changes.push(change);
    }
  }
  return changes;
}

function counts(changes: readonly OperationChange[]): string {
  const n = (kind: OperationChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  const breaking = changes.filter((c) => c.breaking).length;
  return `${n("added")} added, ${n("removed")} removed, ${n("changed")} changed; ${breaking} BREAKING`;
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
      const mark = c.kind === "added" ? "+" : c.kind === "removed" ? "-" : "~";
      const id = c.operationId ? ` (${c.operationId})` : "";
      lines.push(`  ${mark} ${c.breaking ? "BREAKING " : ""}${c.key}${id}${c.kind === "removed" ? " removed" : ""}`);
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

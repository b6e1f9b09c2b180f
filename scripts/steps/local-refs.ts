// Step "local-refs": nothing outside the document is ever opened or fetched. The libraries after this step
// follow references wherever they meet them: Redocly (inside openapi-typescript) resolves every string `$ref`,
// even inside examples and extensions, every string `externalValue`, and discriminator mapping values that
// look like paths, reading files (relative to the working folder, FIFOs and /proc included) and URLs. So
// before any of them sees the document, every reference must stay inside it: where it stands for a schema,
// parameter, response or path item, one pointing out is an error; where it is only data (an example, a
// default, an extension's value), it was never going to be followed on purpose and is dropped.
import { GenerateError } from "../lib/errors.js";
import { pointerOf } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";

type Path = (string | number)[];

/** Keys whose value is data in Swagger 2.0 and OpenAPI 3.0/3.1, never a definition of the API. */
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const"]);

/**
 * Keys whose value maps names the document chose to objects: a name there is not a keyword (a "default"
 * response, a property called "example"). `components` is not one: its keys are keywords (its `examples` is data).
 */
const NAME_MAPS = new Set([
  "paths", "definitions", "parameters", "responses", "securityDefinitions", "properties", "patternProperties",
  "$defs", "dependentSchemas", "schemas", "requestBodies", "headers", "securitySchemes", "links", "callbacks",
  "pathItems", "webhooks", "content", "encoding", "variables",
]);

// What Redocly reads as inside the document: "#", a pointer "#/a/b", or an anchor "#name". Anything else that
// starts with "#" ("#../../proc/self/environ", "#x#/y") it takes as a file name, relative to the working folder.
const POINTER = /^#(\/[^#]*)?$/;
const ANCHOR = /^#[A-Za-z][A-Za-z0-9\-_:.]*$/;

function isLocalRef(value: unknown): boolean {
  return typeof value === "string" && (POINTER.test(value) || ANCHOR.test(value));
}

/** A discriminator mapping value is a reference when it starts with "#" or holds a "/" (Redocly's rule), else a schema name. */
function isLocalMapping(value: unknown): boolean {
  if (typeof value !== "string") return true;
  return value.startsWith("#") ? isLocalRef(value) : !value.includes("/");
}

export interface LocalRefsOutcome {
  /** One line per reference dropped from data. */
  dropped: string[];
}

/** Mutates doc: drops outward references from data; throws listing every outward reference elsewhere. */
export function keepRefsLocal(doc: JsonObject, subject: string): LocalRefsOutcome {
  const problems: string[] = [];
  const dropped: string[] = [];

  const visitData = (node: unknown, at: Path): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => visitData(child, [...at, i]));
    if (!isObject(node)) return;
    if (Object.hasOwn(node, "$ref") && !isLocalRef(node["$ref"])) {
      delete node["$ref"];
      dropped.push(`${pointerOf([...at, "$ref"])}: dropped; in data, a $ref pointing outside the document is never followed`);
    }
    for (const key of Object.keys(node)) visitData(node[key], [...at, key]);
  };

  const visitNames = (node: unknown, at: Path): void => {
    if (!isObject(node)) return visit(node, at);
    checkRef(node, at);
    for (const key of Object.keys(node)) if (key !== "$ref") visit(node[key], [...at, key]);
  };

  const checkRef = (node: JsonObject, at: Path): void => {
    if (!Object.hasOwn(node, "$ref") || isLocalRef(node["$ref"])) return;
    problems.push(
      typeof node["$ref"] === "string"
        ? `${pointerOf([...at, "$ref"])}: points outside the document; only references within it ("#/...") are allowed`
        : `${pointerOf([...at, "$ref"])}: is not a string; a reference is a string such as "#/definitions/Name"`,
    );
  };

  const visit = (node: unknown, at: Path): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => visit(child, [...at, i]));
    if (!isObject(node)) return;
    checkRef(node, at);
    for (const key of Object.keys(node)) {
      const child = node[key];
      const here = [...at, key];
      if (key === "$ref") continue;
      if (key.startsWith("x-") || DATA_KEYS.has(key)) visitData(child, here);
      else if (NAME_MAPS.has(key)) visitNames(child, here);
      else if (key === "discriminator" && isObject(child) && isObject(child["mapping"])) {
        for (const [name, target] of Object.entries(child["mapping"])) {
          if (!isLocalMapping(target)) {
            problems.push(`${pointerOf([...here, "mapping", name])}: points outside the document; use "#/components/schemas/Name" or a schema name`);
          }
        }
        visit(child, here);
      } else visit(child, here);
    }
  };

  visit(doc, []);
  dropExternalValues(doc, [], dropped);
  if (problems.length > 0) {
    throw new GenerateError(
      "local-refs",
      `${subject} refers to things outside itself, which are never read (${problems.length}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
  return { dropped };
}

/** An Example's externalValue is a file or URL Redocly would read; Redocly looks for it on every object. */
function dropExternalValues(node: unknown, at: Path, dropped: string[]): void {
  if (Array.isArray(node)) return node.forEach((child, i) => dropExternalValues(child, [...at, i], dropped));
  if (!isObject(node)) return;
  // Every one: an example's externalValue is never a pointer into the document.
  if (Object.hasOwn(node, "externalValue")) {
    delete node["externalValue"];
    dropped.push(`${pointerOf([...at, "externalValue"])}: dropped; an example's file or URL is never read`);
  }
  for (const key of Object.keys(node)) dropExternalValues(node[key], [...at, key], dropped);
}

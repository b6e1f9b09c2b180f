// YAML text -> plain JSON data, read so that a YAML copy of a document means exactly what its JSON copy means:
// the YAML 1.2 core schema (2024-01-01 and `yes` stay strings, also under a %YAML 1.1 directive), none of the
// YAML 1.1 types (!!binary, !!set, !!timestamp), no tags the library does not know (!!js/function would only
// become a string, but the author meant something else), no `<<` merges, keys always strings and unique,
// a limit on alias expansion (billion laughs), and no value JSON cannot hold (.inf, .nan, an alias inside
// itself). Messages give line and column and never repeat more than a short piece of the text.
import { LineCounter, parseAllDocuments, visit, type Document, type ErrorCode, type Node } from "yaml";

export type YamlResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Alias expansions allowed (the yaml library's own default): real documents use a handful. */
const MAX_ALIASES = 100;
const MAX_MESSAGE_CHARS = 160;

// The library's own words, where they would not tell a user what to do.
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  RESOURCE_EXHAUSTION: "nested too deeply",
  TAG_RESOLVE_FAILED: "a tag (!!name or !name) other than the core YAML ones; write the plain value instead",
};

interface Problem {
  offset: number;
  message: string;
}

function clip(message: string): string {
  const oneLine = message.replace(/\s+/g, " ").trim();
  return oneLine.length <= MAX_MESSAGE_CHARS ? oneLine : `${oneLine.slice(0, MAX_MESSAGE_CHARS)}…`;
}

/** Values the library parses fine but JSON cannot represent; found with their position. */
function unrepresentable(doc: Document.Parsed): Problem | undefined {
  let found: Problem | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "number" && !Number.isFinite(node.value)) {
        found = { offset: node.range?.[0] ?? 0, message: "a number JSON cannot hold (infinite or not a number)" };
        return visit.BREAK;
      }
      return undefined;
    },
    Alias(_key, node, path) {
      const target = node.resolve(doc);
      const offset = node.range?.[0] ?? 0;
      if (target === undefined) found = { offset, message: `alias *${node.source} has no anchor before it` };
      else if (path.includes(target as Node)) found = { offset, message: `alias *${node.source} refers to a node that contains it` };
      return found === undefined ? undefined : visit.BREAK;
    },
  });
  return found;
}

export function parseYaml(text: string): YamlResult {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    schema: "core",
    resolveKnownTags: false,
    merge: false,
    stringKeys: true,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: "silent",
    lineCounter: lines,
  });
  // parseDocument would read the first document of a stream and ignore the rest without a word.
  const all = Array.isArray(docs) ? docs : [];
  const doc = all[0];
  if (doc === undefined) return { ok: false, reason: "not valid YAML: no document in it" };
  const second = all[1];
  if (second !== undefined) {
    const { line, col } = lines.linePos(second.range[0]);
    return { ok: false, reason: `not valid YAML for this purpose: a second document starts at line ${line}, column ${col} (after "---"); give one document` };
  }
  const first = doc.errors[0] ?? doc.warnings[0];
  const problem: Problem | undefined = first
    ? { offset: first.pos[0], message: MESSAGES[first.code] ?? first.message }
    : unrepresentable(doc);
  if (problem !== undefined) {
    const { line, col } = lines.linePos(problem.offset);
    return { ok: false, reason: `not valid YAML at line ${line}, column ${col}: ${clip(problem.message)}` };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // The only thing left that throws: aliases expanding beyond the limit.
    return { ok: false, reason: `not valid YAML: ${clip(error instanceof Error ? error.message : String(error))}` };
  }
  // Aliases come back as one shared object; the steps after this one edit the document in place, and each
  // use must be its own copy as in JSON. Keys such as "__proto__" survive: both directions keep own properties.
  return { ok: true, value: JSON.parse(JSON.stringify(value)) as unknown };
}

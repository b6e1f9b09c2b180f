// The pipeline proper: every document through read/pull -> parse -> repair -> validate -> convert ->
// validate -> rebase -> typescript -> metadata, then write -> type-check -> change report -> swap (or check).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { GenerateOptions, SourceSpec } from "./lib/cli-options.js";
import { DOCUMENTS, type DocumentDefinition } from "./lib/documents.js";
import { GenerateError } from "./lib/errors.js";
import { GENERATED_BY, headerFor, type SourceStamp } from "./lib/generated-header.js";
import { isObject, type JsonObject } from "./lib/json-types.js";
import type { LoadedSource } from "./lib/loaded-source.js";
import type { Progress } from "./lib/progress.js";
import { displayPath } from "./lib/repo-paths.js";
import type { Env } from "./lib/secrets.js";
import { sha256Of } from "./lib/source-hash.js";
import { sortDocument, stableStringify } from "./lib/stable-json.js";
import { compareDocuments, renderMarkdown, renderText, type DocumentChanges } from "./steps/change-report.js";
import { compareFolders, describeDifference, isSame } from "./steps/check.js";
import { convertToOpenApi3 } from "./steps/convert.js";
import { renderIndexModule } from "./steps/index-module.js";
import { extractOperations, renderOperationsModule } from "./steps/metadata.js";
import { parseSource } from "./steps/parse.js";
import { pullFromPortal, pullUrl, type PullContext } from "./steps/pull.js";
import { readSource } from "./steps/read.js";
import { rebaseDocument } from "./steps/rebase.js";
import { applyRepairs } from "./steps/repairs.js";
import { typeCheck } from "./steps/type-check.js";
import { generateTypes } from "./steps/typescript.js";
import { validateDocument } from "./steps/validate.js";
import { assertUsableOutDir, removeFolder, swapInto, writeToTemp } from "./steps/write-atomic.js";

interface BuiltDocument {
  definition: DocumentDefinition;
  stamp: SourceStamp;
  openapi: JsonObject;
  files: [string, string][];
  operationCount: number;
}

async function load(source: SourceSpec, name: string, ctx: PullContext, progress: Progress): Promise<LoadedSource> {
  switch (source.kind) {
    case "file":
      return progress.step("read", name, () => readSource(source.path));
    case "url":
      return progress.step("pull", name, () => pullUrl(source.url, ctx));
    case "portal":
      return progress.step("pull", name, () => pullFromPortal(source.root, source.flavour, ctx));
  }
}

async function buildDocument(
  definition: DocumentDefinition,
  options: GenerateOptions,
  ctx: PullContext,
  progress: Progress,
): Promise<BuiltDocument> {
  const name = definition.name;
  const loaded = await load(options.sources[name], name, ctx, progress);
  const stamp: SourceStamp = { label: loaded.label, sha256: sha256Of(loaded.bytes) };
  const parsed = await progress.step("parse", name, () => parseSource(loaded));

  const repairs = await progress.step("repair", name, () => applyRepairs(parsed.doc, parsed.isSwagger2));
  for (const r of repairs) for (const note of r.notes) progress.note(`${r.name}: ${note}`);

  const subject = `${name} (${loaded.label})`;
  await progress.step("validate", name, () => validateDocument(parsed.doc, parsed.isSwagger2, subject));
  const converted = await progress.step("convert", name, () => convertToOpenApi3(parsed.doc, parsed.isSwagger2));
  if (!parsed.isSwagger2) progress.note(`already OpenAPI ${parsed.version}: conversion skipped`);
  for (const warning of converted.warnings) progress.note(`converter warning: ${warning}`);
  await progress.step("validate", `${name} as OpenAPI 3`, () =>
    validateDocument(converted.doc, false, `${subject} after conversion to OpenAPI 3`),
  );

  const rebased = await progress.step("rebase", name, () => rebaseDocument(converted.doc, definition));
  if (rebased.leftOut.length > 0) {
    progress.note(`left out ${rebased.leftOut.length} path(s) outside ${definition.serverUrl}: ${rebased.leftOut.join(", ")}`);
  }
  const sorted = sortDocument(rebased.doc);

  const types = await progress.step("typescript", name, () => generateTypes(sorted));
  if (!types.unprefixedRootTypes) progress.note("schema names collide without a prefix: root types keep the Schema prefix");
  // From the unsorted document: x-cyberark-paging is copied verbatim, in its own key order.
  const records = await progress.step("metadata", name, () => extractOperations(rebased.doc, name));

  const header = headerFor(stamp);
  const json = stableStringify({
    ...sorted,
    "x-generated": { by: GENERATED_BY, source: stamp.label, sha256: stamp.sha256 },
  });
  return {
    definition,
    stamp,
    openapi: sorted,
    operationCount: records.length,
    files: [
      [`${name}.ts`, `${header}\n${types.source.endsWith("\n") ? types.source : types.source + "\n"}`],
      [`${name}.openapi.json`, json],
      [`${name}.operations.ts`, renderOperationsModule(name, definition.typePrefix, records, header)],
    ],
  };
}

async function previousChanges(outDir: string, built: readonly BuiltDocument[]): Promise<DocumentChanges[]> {
  const sets: DocumentChanges[] = [];
  for (const b of built) {
    const file = join(outDir, `${b.definition.name}.openapi.json`);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      sets.push({ name: b.definition.name, noPrevious: `no previous ${b.definition.name}.openapi.json`, changes: [] });
      continue;
    }
    let old: unknown;
    try {
      old = JSON.parse(text);
    } catch {
      sets.push({ name: b.definition.name, noPrevious: `previous ${b.definition.name}.openapi.json is not valid JSON`, changes: [] });
      continue;
    }
    if (!isObject(old)) {
      sets.push({ name: b.definition.name, noPrevious: `previous ${b.definition.name}.openapi.json is not an object`, changes: [] });
      continue;
    }
    sets.push({ name: b.definition.name, changes: compareDocuments(old, b.openapi) });
  }
  return sets;
}

export async function generate(options: GenerateOptions, env: Env, progress: Progress): Promise<number> {
  const outLabel = displayPath(options.outDir);
  const hadOutDir = await assertUsableOutDir(options.outDir);
  const ctx: PullContext = { env, timeoutMs: options.timeoutMs };
  if (options.caFile !== undefined) ctx.caFile = options.caFile;

  const built: BuiltDocument[] = [];
  for (const definition of DOCUMENTS) built.push(await buildDocument(definition, options, ctx, progress));

  const files = new Map<string, string>();
  for (const b of built) for (const [file, text] of b.files) files.set(file, text);
  files.set("index.ts", renderIndexModule(built.map((b) => ({ ...b.definition, stamp: b.stamp }))));

  const temp = await progress.step("write", `${files.size} files`, () => writeToTemp(options.outDir, files));
  let swapped = false;
  try {
    await progress.step("type-check", `${[...files.keys()].filter((f) => f.endsWith(".ts")).length} files`, () =>
      typeCheck(temp, [...files.keys()]),
    );
    const changes = hadOutDir
      ? await progress.step("change-report", "", () => previousChanges(options.outDir, built))
      : built.map((b) => ({ name: b.definition.name, noPrevious: `${outLabel} did not exist`, changes: [] }));

    if (options.check) {
      const diff = await progress.step("check", outLabel, () => compareFolders(temp, options.outDir));
      if (!isSame(diff)) throw new GenerateError("check", describeDifference(diff, outLabel));
    } else {
      await progress.step("swap", outLabel, () => swapInto(temp, options.outDir));
      swapped = true;
    }

    if (changes.some((c) => c.noPrevious === undefined)) progress.line(renderText(changes).trimEnd());
    if (options.reportFile !== undefined) {
      const reportFile = options.reportFile;
      await progress.step("report", displayPath(reportFile), async () => {
        await mkdir(dirname(reportFile), { recursive: true });
        await writeFile(reportFile, renderMarkdown(changes, outLabel), "utf8");
      });
    }
  } finally {
    if (!swapped) await removeFolder(temp);
  }
  const operations = built.reduce((n, b) => n + b.operationCount, 0);
  progress.line(
    options.check
      ? `${outLabel} is up to date (${operations} operations).`
      : `Generated ${built.length} documents, ${operations} operations, into ${outLabel}.`,
  );
  return 0;
}

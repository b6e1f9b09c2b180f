// The pipeline proper: every document through read/pull -> parse -> repair -> validate -> convert ->
// validate -> rebase -> typescript -> metadata, then write -> type-check -> change report -> check (--check only)
// -> report -> swap (not with --check). The report comes before the swap: nothing may fail once --out changed.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GenerateOptions, SourceSpec } from "./lib/cli-options.js";
import { DOCUMENTS, type DocumentDefinition } from "./lib/documents.js";
import { GenerateError } from "./lib/errors.js";
import { GENERATED_BY, headerFor, type SourceStamp } from "./lib/generated-header.js";
import { isObject, type JsonObject } from "./lib/json-types.js";
import type { LoadedSource } from "./lib/loaded-source.js";
import type { Progress } from "./lib/progress.js";
import { rangeErrorAsGenerateError } from "./lib/range-error.js";
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
import { reportTarget, writeReport } from "./steps/write-report.js";

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
  let subject: string = name;
  // The parse step turns away documents deep enough to overflow the recursive steps; should one still
  // run out of stack (or memory for a string), say which step and document instead of the engine's words.
  const guarded = async <T>(step: string, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof RangeError) throw rangeErrorAsGenerateError(step, subject, error);
      throw error;
    }
  };
  const step = <T>(stepName: string, detail: string, run: () => T | Promise<T>): Promise<T> =>
    progress.step(stepName, detail, () => guarded(stepName, run));

  const loaded = await load(options.sources[name], name, ctx, progress);
  subject = `${name} (${loaded.label})`;
  const stamp: SourceStamp = { label: loaded.label, sha256: sha256Of(loaded.bytes) };
  const parsed = await step("parse", name, () => parseSource(loaded));

  const repairs = await step("repair", name, () => applyRepairs(parsed.doc, parsed.isSwagger2));
  for (const r of repairs) for (const note of r.notes) progress.note(`${r.name}: ${note}`);

  await step("validate", name, () => validateDocument(parsed.doc, parsed.isSwagger2, subject));
  const converted = await step("convert", name, () => convertToOpenApi3(parsed.doc, parsed.isSwagger2));
  if (!parsed.isSwagger2) progress.note(`already OpenAPI ${parsed.version}: conversion skipped`);
  for (const warning of converted.warnings) progress.note(`converter warning: ${warning}`);
  await step("validate", `${name} as OpenAPI 3`, () =>
    validateDocument(converted.doc, false, `${subject} after conversion to OpenAPI 3`),
  );

  const rebased = await step("rebase", name, () => rebaseDocument(converted.doc, definition));
  if (rebased.leftOut.length > 0) {
    progress.note(`left out ${rebased.leftOut.length} path(s) outside ${definition.serverUrl}: ${rebased.leftOut.join(", ")}`);
  }
  const sorted = await guarded("rebase", () => sortDocument(rebased.doc));

  const types = await step("typescript", name, () => generateTypes(sorted));
  if (!types.unprefixedRootTypes) progress.note("schema names collide without a prefix: root types keep the Schema prefix");
  // From the unsorted document: x-cyberark-paging is copied verbatim, in its own key order.
  const records = await step("metadata", name, () => extractOperations(rebased.doc, name));

  const header = headerFor(stamp);
  const json = await guarded("write", () =>
    stableStringify({
      ...sorted,
      "x-generated": { by: GENERATED_BY, source: stamp.label, sha256: stamp.sha256 },
    }),
  );
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
    }

    if (changes.some((c) => c.noPrevious === undefined)) progress.line(renderText(changes).trimEnd());
    // Before the swap: whatever fails from here on must find --out as it was.
    if (options.reportFile !== undefined) {
      const target = reportTarget(options.reportFile, options.outDir, options.check ? undefined : temp);
      await progress.step("report", displayPath(options.reportFile), () =>
        writeReport(target, renderMarkdown(changes, outLabel)),
      );
    }

    if (!options.check) {
      await progress.step("swap", outLabel, () => swapInto(temp, options.outDir));
      swapped = true;
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

// The pipeline proper: every document through read/pull -> parse -> local-refs -> repair -> validate -> convert ->
// validate -> rebase -> knowledge -> overlay, local-refs and validate again (with --overlay) -> envelopes ->
// typescript -> metadata, then write -> type-check -> change report -> check (--check only) -> report -> swap
// (not with --check). The report is staged before the swap (nothing should fail once --out changed) and renamed
// into place after it: a failed run leaves no report.
// Whether --out may be replaced at all is checked first and again at the swap (steps/out-folder.ts).
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
import { MANIFEST_FILE, renderManifest } from "./lib/generation-manifest.js";
import { displayPath } from "./lib/repo-paths.js";
import { secretIn, type Env } from "./lib/secrets.js";
import { documentSha256 } from "./lib/source-hash.js";
import { sortDocument, stableStringify } from "./lib/stable-json.js";
import { applyKnowledge, type KnowledgeCoverage } from "./knowledge/apply-knowledge.js";
import { describeCoverage, renderCoverageMarkdown } from "./knowledge/coverage-report.js";
import { loadKnowledge } from "./knowledge/knowledge-file.js";
import { correctEnvelopes } from "./knowledge/response-envelope.js";
import { applyOverlay } from "./overlay/apply-overlay.js";
import { loadOverlay } from "./overlay/load-overlay.js";
import { compareDocuments, renderMarkdown, renderText, type DocumentChanges } from "./steps/change-report.js";
import { compareFolders, describeDifference, isSame } from "./steps/check.js";
import { convertToOpenApi3 } from "./steps/convert.js";
import { renderIndexModule } from "./steps/index-module.js";
import { extractOperations, renderOperationsModule } from "./steps/metadata.js";
import { keepRefsLocal } from "./steps/local-refs.js";
import { parseSource } from "./steps/parse.js";
import { pullFromPortal, pullUrl, type PullContext } from "./steps/pull.js";
import { readSource } from "./steps/read.js";
import { rebaseDocument } from "./steps/rebase.js";
import { applyRepairs } from "./steps/repairs.js";
import { typeCheck } from "./steps/type-check.js";
import { generateTypes } from "./steps/typescript.js";
import { validateDocument } from "./steps/validate.js";
import { assertOutLocation, inspectOutFolder, replaceableFiles } from "./steps/out-folder.js";
import { CreatedFolders, removeFolder, swapInto, writeToTemp } from "./steps/write-atomic.js";
import { assertReportTarget, stageReport, writeReport, type StagedReport } from "./steps/write-report.js";

interface BuiltDocument {
  definition: DocumentDefinition;
  coverage: KnowledgeCoverage;
  stamp: SourceStamp;
  openapi: JsonObject;
  files: [string, string][];
  operationCount: number;
}

async function load(source: SourceSpec, name: string, ctx: PullContext, progress: Progress, projectDir: string): Promise<LoadedSource> {
  switch (source.kind) {
    case "file":
      return progress.step("read", name, () => readSource(source.path, projectDir, ctx.maxDownloadBytes));
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

  // Before the document is pulled: a broken knowledge or overlay file fails the run at once.
  const knowledge = await loadKnowledge(name);
  const overlays = await Promise.all(options.overlays[name].map((file) => loadOverlay(file, options.cwd, options.maxDownloadBytes)));
  const loaded = await load(options.sources[name], name, ctx, progress, options.cwd);
  subject = `${name} (${loaded.label})`;
  // Headers say why a path is absolute: only a file outside the project keeps one.
  const stampLabel = loaded.outsideProject === true ? `${loaded.label} (outside the project)` : loaded.label;
  const parsed = await step("parse", name, () => parseSource(loaded));
  // Before anything edits the document: its JSON and YAML copies get the same hash.
  const stamp: SourceStamp = { label: stampLabel, sha256: await guarded("parse", () => documentSha256(parsed.doc)) };
  // Before any library sees the document, which would follow a reference to a file or URL.
  const local = await step("local-refs", name, () => keepRefsLocal(parsed.doc, subject));
  for (const line of local.dropped) progress.warn(`${name}: ${line}`);

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
    progress.warn(`${name}: left out ${rebased.leftOut.length} path(s) outside ${definition.serverUrl}: ${rebased.leftOut.join(", ")}`);
  }
  const known = await step("knowledge", name, () => applyKnowledge(rebased.doc, knowledge));
  for (const line of describeCoverage(known.coverage)) progress.note(line);
  let doc = known.doc;
  for (const overlay of overlays) {
    const applied = await step("overlay", `${name} (${overlay.label})`, () => applyOverlay(doc, overlay));
    for (const note of applied.notes) progress.note(note);
    doc = applied.doc;
  }
  if (overlays.length > 0) {
    // An overlay's update may carry a $ref of its own: the same rule as for the document; and what it made must
    // still be a valid document, reported as such rather than by a library further on.
    const after = await step("local-refs", `${name} after --overlay`, () => keepRefsLocal(doc, `${subject} after --overlay`));
    for (const line of after.dropped) progress.warn(`${name}: ${line}`);
    await step("validate", `${name} after --overlay`, () => validateDocument(doc, false, `${subject} after --overlay`));
  }
  const envelopes = await step("envelopes", name, () => correctEnvelopes(doc));
  for (const note of envelopes) progress.note(note);
  const coverage = { ...known.coverage, corrections: [...known.coverage.corrections, ...envelopes] };
  const sorted = await guarded("knowledge", () => sortDocument(doc));

  const types = await step("typescript", name, () => generateTypes(sorted));
  if (!types.unprefixedRootTypes) progress.note("schema names collide without a prefix: root types keep the Schema prefix");
  // From the unsorted document: x-cyberark-paging is copied verbatim, in its own key order.
  const records = await step("metadata", name, () => extractOperations(doc, name));

  const header = headerFor(stamp);
  const json = await guarded("write", () =>
    stableStringify({
      ...sorted,
      "x-generated": { by: GENERATED_BY, source: stamp.label, sha256: stamp.sha256 },
    }),
  );
  return {
    definition,
    coverage,
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

/**
 * A portal that echoes the pull credential into its document (a path, a description, an example) would put it
 * into generated code: the run stops instead, naming the file and the variable, never the value.
 */
function refuseCredential(file: string, text: string, env: Env): void {
  const found = secretIn(text, env);
  if (found !== undefined) {
    throw new GenerateError(
      "write",
      `${file} would contain the pull credential ${found}: the document echoes it (a portal or proxy reflecting the ` +
        "Authorization header). Nothing was written; download the document, remove the echo and use --spec.",
    );
  }
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

/** `command`: how the user runs the generator, for messages (e.g. "npx cyberark-pam-client generate"). */
export async function generate(options: GenerateOptions, env: Env, progress: Progress, command: string): Promise<number> {
  const outLabel = displayPath(options.outDir, options.cwd);
  // Before any work: a folder that may not be replaced fails the run at once (--check replaces nothing).
  const { reportInOut } = await assertOutLocation(options, outLabel);
  const before = await inspectOutFolder(options.outDir, outLabel);
  if (!options.check) replaceableFiles(before, outLabel);
  if (options.reportFile !== undefined) await assertReportTarget(options.reportFile, options);
  const ctx: PullContext = { env, timeoutMs: options.timeoutMs, maxDownloadBytes: options.maxDownloadBytes };
  if (options.caFile !== undefined) ctx.caFile = options.caFile;

  const built: BuiltDocument[] = [];
  for (const definition of DOCUMENTS) built.push(await buildDocument(definition, options, ctx, progress));

  const files = new Map<string, string>();
  for (const b of built) for (const [file, text] of b.files) files.set(file, text);
  files.set("index.ts", renderIndexModule(built.map((b) => ({ ...b.definition, stamp: b.stamp }))));
  // A report inside --out is written into the new generation (the swap would drop it otherwise): listed too.
  files.set(MANIFEST_FILE, renderManifest([...files.keys(), ...(reportInOut === undefined ? [] : [reportInOut])]));
  for (const [file, text] of files) refuseCredential(file, text, env);

  // Folders made on the way to --out or --report, the new generation and the staged report: a failed run leaves none.
  const created = new CreatedFolders();
  let written: string | undefined;
  let staged: StagedReport | undefined;
  let swapped = false;
  let succeeded = false;
  try {
    const temp = await progress.step("write", `${files.size} files`, () =>
      writeToTemp(options.outDir, files, { check: options.check, created }),
    );
    written = temp;
    await progress.step("type-check", `${[...files.keys()].filter((f) => f.endsWith(".ts")).length} files`, () =>
      typeCheck(temp, [...files.keys()]),
    );
    const changes = before.exists
      ? await progress.step("change-report", "", () => previousChanges(options.outDir, built))
      : built.map((b) => ({ name: b.definition.name, noPrevious: `${outLabel} did not exist`, changes: [] }));

    if (options.check) {
      const diff = await progress.step("check", outLabel, () => compareFolders(temp, options.outDir));
      if (!isSame(diff)) throw new GenerateError("check", describeDifference(diff, outLabel, command));
    }

    if (changes.some((c) => c.noPrevious === undefined)) progress.line(renderText(changes).trimEnd());
    // Before the swap: whatever fails from here on must find --out as it was.
    if (options.reportFile !== undefined) {
      const file = options.reportFile;
      const markdown = renderMarkdown(changes, outLabel) + renderCoverageMarkdown(built.map((b) => b.coverage));
      refuseCredential(displayPath(options.reportFile, options.cwd), markdown, env);
      staged = await progress.step("report", displayPath(file, options.cwd), async () => {
        if (reportInOut === undefined) return stageReport(file, options, markdown, created);
        await writeReport(join(temp, reportInOut), markdown);
        return undefined;
      });
    }

    if (!options.check) {
      const kept = await progress.step("swap", outLabel, async () => {
        // Again: --out may have changed during the run. Only the files of the generation found here are deleted.
        const now = await inspectOutFolder(options.outDir, outLabel);
        return swapInto(temp, options.outDir, now.exists ? replaceableFiles(now, outLabel) : undefined);
      });
      swapped = true;
      if (kept !== undefined) progress.warn(`files appeared in ${outLabel} during the run; its previous content is kept in ${kept}`);
    }
    await staged?.place();
    succeeded = true;
  } finally {
    if (!swapped && written !== undefined) await removeFolder(written);
    if (!succeeded) {
      await staged?.discard();
      await created.removeEmpty();
    }
  }
  const operations = built.reduce((n, b) => n + b.operationCount, 0);
  progress.line(
    options.check
      ? `${outLabel} is up to date (${operations} operations).`
      : `Generated ${built.length} documents, ${operations} operations, into ${outLabel}.`,
  );
  return 0;
}

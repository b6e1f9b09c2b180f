// Benchmark 4: how regeneration time grows with the size of the Swagger document. Runs the
// generator CLI (what `npm run generate` runs, minus npm's own start-up) on the embedded Gen 2
// document and on scaled copies, then type-checks a small consumer file against each output.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand, tail } from "../lib/command.js";
import { fmt, type Section } from "../lib/section.js";
import { growthExponent, linearFit, median } from "../lib/stats.js";
import type { Settings } from "../settings.js";
import { countOperations, scaleSpec, type JsonObject } from "./scale-spec.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const TSX_CLI = join(dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
const TSC = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
const OPENAPI_FETCH_TYPES = join(dirname(require.resolve("openapi-fetch/package.json")), "dist", "index.d.mts");

interface ScaleResult {
  scale: number;
  operations: number;
  specBytes: number;
  generatedTypesBytes: number;
  generateMs: number[];
  typeCheckMs: number[];
  medianGenerateMs: number;
  medianTypeCheckMs: number;
}

const CONSUMER = `// A user's file: typed calls through openapi-fetch over the generated Gen 2 paths.
import createClient from "openapi-fetch";
import type { Gen2Paths } from "./out/index.js";

const client = createClient<Gen2Paths>({ baseUrl: "https://pvwa.example.com/PasswordVault/API" });

export async function firstAccountNames(): Promise<string[]> {
  const { data } = await client.GET("/Accounts", { params: { query: { limit: 1000, search: "windows", offset: 0 } } });
  const names = (data?.value ?? []).map((a) => a.name ?? "");
  const one = await client.GET("/Accounts/{id}", { params: { path: { id: "286_4" } } });
  if (one.data?.userName) names.push(one.data.userName);
  return names;
}
`;

function consumerTsconfig(): string {
  return JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2022", "DOM"],
        types: [],
        noEmit: true,
        skipLibCheck: true,
        // The folder is outside the repository: point the import at the installed package.
        paths: { "openapi-fetch": [OPENAPI_FETCH_TYPES] },
      },
      files: ["consumer.ts"],
    },
    null,
    2,
  );
}

async function runOnce(workDir: string, specFile: string, timeoutMs: number): Promise<{ generateMs: number; typeCheckMs: number; typesBytes: number }> {
  const outDir = join(workDir, "out");
  await rm(outDir, { recursive: true, force: true });
  const gen = await runCommand(process.execPath, [TSX_CLI, "scripts/generate.ts", "--spec", `gen2=${specFile}`, "--out", outDir, "--quiet"], {
    cwd: REPO,
    timeoutMs,
  });
  if (gen.code !== 0) throw new Error(`generator failed (exit ${String(gen.code)}):\n${tail(gen.stderr || gen.stdout)}`);
  const tsc = await runCommand(process.execPath, [TSC, "-p", join(workDir, "tsconfig.json")], { cwd: workDir, timeoutMs });
  if (tsc.code !== 0) throw new Error(`consumer type-check failed (exit ${String(tsc.code)}):\n${tail(tsc.stdout + tsc.stderr)}`);
  const typesBytes = (await stat(join(outDir, "gen2.ts"))).size;
  return { generateMs: gen.ms, typeCheckMs: tsc.ms, typesBytes };
}

export async function regeneration(settings: Settings): Promise<Section> {
  const { scales, rounds, slicePaths } = settings.regeneration;
  const source = JSON.parse(await readFile(join(REPO, "spec", "pvwa-gen2.swagger.json"), "utf8")) as JsonObject;
  const workRoot = await mkdtemp(join(tmpdir(), "cyberark-bench-regen-"));
  const results: ScaleResult[] = [];
  try {
    await writeFile(join(workRoot, "consumer.ts"), CONSUMER, "utf8");
    await writeFile(join(workRoot, "tsconfig.json"), consumerTsconfig(), "utf8");
    for (const scale of scales) {
      const doc = scaleSpec(source, scale, slicePaths);
      const text = JSON.stringify(doc, null, 2);
      const specFile = join(workRoot, `gen2-x${scale}.swagger.json`);
      await writeFile(specFile, text, "utf8");
      const generateMs: number[] = [];
      const typeCheckMs: number[] = [];
      let typesBytes = 0;
      for (let round = 0; round < rounds; round++) {
        const once = await runOnce(workRoot, specFile, settings.childTimeoutMs);
        generateMs.push(once.generateMs);
        typeCheckMs.push(once.typeCheckMs);
        typesBytes = once.typesBytes;
      }
      results.push({
        scale,
        operations: countOperations(doc),
        specBytes: Buffer.byteLength(text),
        generatedTypesBytes: typesBytes,
        generateMs,
        typeCheckMs,
        medianGenerateMs: median(generateMs),
        medianTypeCheckMs: median(typeCheckMs),
      });
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }

  const genExponent = growthExponent(results.map((r) => ({ x: r.specBytes, y: r.medianGenerateMs })));
  const tscExponent = growthExponent(results.map((r) => ({ x: r.specBytes, y: r.medianTypeCheckMs })));
  const genLine = linearFit(results.map((r) => ({ x: r.operations / 1000, y: r.medianGenerateMs / 1000 })));
  const tscLine = linearFit(results.map((r) => ({ x: r.operations / 1000, y: r.medianTypeCheckMs / 1000 })));
  const line = (fit: { fixed: number; perUnit: number } | undefined): string =>
    fit ? `${fmt(fit.fixed, 1)} s fixed + ${fmt(fit.perUnit, 1)} s per 1,000 Gen 2 operations` : "n/a";
  const base = results[0];
  const describe = (k: number | undefined): string =>
    k === undefined ? "n/a" : k < 0.9 ? "sub-linear" : k <= 1.15 ? "about linear" : k < 1.6 ? "super-linear" : "about quadratic or worse";

  return {
    id: 4,
    title: "Regeneration",
    setup: `generator CLI (tsx scripts/generate.ts --spec gen2=<file> --out <tmp> --quiet; gen1 and pcloud are regenerated too) on the Gen 2 document${slicePaths ? ` reduced to ${slicePaths} paths` : ""} scaled ${scales.map((s) => `${s}x`).join(", ")}; then tsc --noEmit of a small consumer file using the generated types; median of ${rounds} round(s)`,
    headers: ["document", "Gen 2 operations", "spec size (KB)", "gen2.ts size (KB)", "generate (s)", `vs ${base?.scale ?? 1}x`, "consumer tsc (s)", `vs ${base?.scale ?? 1}x`],
    rows: results.map((r) => [
      `${r.scale}x`,
      String(r.operations),
      fmt(r.specBytes / 1024, 0),
      fmt(r.generatedTypesBytes / 1024, 0),
      fmt(r.medianGenerateMs / 1000),
      base ? `${fmt(r.medianGenerateMs / base.medianGenerateMs)}x` : "n/a",
      fmt(r.medianTypeCheckMs / 1000),
      base ? `${fmt(r.medianTypeCheckMs / base.medianTypeCheckMs)}x` : "n/a",
    ]),
    targets: [],
    notes: [
      `Growth exponent k in time ~ size^k (least squares on logs): generate ${fmt(genExponent)} (${describe(genExponent)}), consumer type-check ${fmt(tscExponent)} (${describe(tscExponent)}).`,
      `Straight-line fit: generate ${line(genLine)}; consumer type-check ${line(tscLine)}.`,
      "Times include a fixed part (process start, gen1 + pcloud, the generator's own type-check of its output), so k below 1 means that fixed part still dominates.",
    ],
    data: { scales, rounds, slicePaths, generateExponent: genExponent, typeCheckExponent: tscExponent, generateFit: genLine, typeCheckFit: tscLine, results },
  };
}

// `npm run bench` (full sizes, writes bench/results.md and bench/results.json) and
// `npm run bench -- --smoke` (tiny sizes, proves every benchmark still runs; writes to a temp folder).
// Targets are reported as met/missed; only a crashed benchmark makes the exit code non-zero.
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleSize } from "./benchmarks/bundle-size.js";
import { rateLimit } from "./benchmarks/rate-limit.js";
import { regeneration } from "./benchmarks/regeneration.js";
import { requestOverhead } from "./benchmarks/request-overhead.js";
import { vaultListing } from "./benchmarks/vault-listing.js";
import { machineInfo } from "./lib/machine.js";
import { renderJson, renderMarkdown, verdict, type RunReport } from "./lib/report.js";
import type { Section } from "./lib/section.js";
import { FULL, SMOKE, type Settings } from "./settings.js";

const BENCHMARKS: Array<{ id: number; title: string; run(settings: Settings): Promise<Section> }> = [
  { id: 1, title: "Per-request overhead", run: requestOverhead },
  { id: 2, title: "Listing a large vault", run: vaultListing },
  { id: 3, title: "Under rate limiting", run: rateLimit },
  { id: 4, title: "Regeneration", run: regeneration },
  { id: 5, title: "Bundle size", run: () => bundleSize() },
];

const USAGE = `Usage: npm run bench -- [--smoke] [--only 1,3] [--out-dir <dir>]
  --smoke      tiny sizes, results to a temporary folder unless --out-dir is given
  --only       run only these benchmarks (1 overhead, 2 listing, 3 rate limit, 4 regeneration, 5 size)
  --out-dir    where results.md and results.json go (default bench/, or a temp folder with --smoke)
  env BENCH_BASELINE_SRC=<checkout>/src/index.ts adds that client core to benchmark 1 (label: BENCH_BASELINE_LABEL, default "baseline")
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { smoke: { type: "boolean" }, only: { type: "string" }, "out-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const settings = values.smoke ? SMOKE : FULL;
  const only = values.only ? new Set(values.only.split(",").map((s) => Number(s.trim()))) : undefined;
  const outDir = values["out-dir"] ?? (settings.smoke ? join(tmpdir(), "cyberark-bench-smoke") : fileURLToPath(new URL(".", import.meta.url)));

  // Nothing may keep the run alive: children have their own limits, this is the last resort.
  const watchdogMs = settings.smoke ? 120_000 : 60 * 60_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${watchdogMs / 1000} s, giving up\n`);
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();

  const started = Date.now();
  const report: RunReport = {
    mode: settings.smoke ? "smoke" : "full",
    startedAt: new Date(started).toISOString(),
    durationS: 0,
    machine: machineInfo(),
    sections: [],
    crashed: [],
  };
  for (const b of BENCHMARKS) {
    if (only && !only.has(b.id)) continue;
    const t0 = Date.now();
    process.stdout.write(`bench ${b.id}. ${b.title} ...\n`);
    try {
      const section = await b.run(settings);
      report.sections.push(section);
      for (const t of section.targets) process.stdout.write(`  target ${verdict(t.met)}: ${t.description} (${t.detail})\n`);
      process.stdout.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      report.crashed.push({ id: b.id, title: b.title, error: text });
      process.stderr.write(`  CRASHED: ${text}\n`);
    }
  }
  report.durationS = (Date.now() - started) / 1000;

  const markdown = renderMarkdown(report);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "results.md"), markdown, "utf8");
  await writeFile(join(outDir, "results.json"), renderJson(report), "utf8");
  if (settings.smoke) process.stdout.write(`\n${markdown}\n`);
  process.stdout.write(`bench: ${report.sections.length} benchmark(s) ran, ${report.crashed.length} crashed, ${report.durationS.toFixed(1)} s; results in ${outDir}\n`);
  return report.crashed.length > 0 ? 1 : 0;
}

process.exitCode = await main();

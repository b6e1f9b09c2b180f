// Benchmark 1: per-request overhead. N sequential GETs of one account against a local server in
// another process; each variant's median wall time over the rounds, as a ratio to bare fetch.
// Each variant lives in its own process (a real program loads one HTTP client, and variants in
// one process would slow each other through shared, polymorphic library code); only one process
// runs a round at a time, in an order that rotates every round. With BENCH_BASELINE_SRC set,
// another checkout's client core runs as one more variant, for a before/after CPU figure.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry, forkTs, type TsChild } from "../lib/child.js";
import { fmt, target, type Section } from "../lib/section.js";
import { median } from "../lib/stats.js";
import { startServerProcess } from "../servers/server-process.js";
import type { Settings } from "../settings.js";
import type { PrepareInput, RoundResult } from "./request-overhead.worker.js";
import { BASELINE_SRC, OVERHEAD_VARIANTS, type OverheadVariant } from "./request-overhead.variants.js";

const WORKER = fileURLToPath(new URL("./request-overhead.worker.ts", import.meta.url));
const BASELINE: OverheadVariant = "bare-fetch";
const SUBJECT: OverheadVariant = "cyberark-client";
const TARGET_RATIO = 1.1;
const PREVIOUS: OverheadVariant = "baseline-client";
const PREVIOUS_TARGET_RATIO = 1.1;

export async function requestOverhead(settings: Settings): Promise<Section> {
  const { requests, warmup, rounds } = settings.overhead;
  const variants = (Object.keys(OVERHEAD_VARIANTS) as OverheadVariant[]).filter((v) => v !== PREVIOUS || BASELINE_SRC !== undefined);
  // Children run plain node on esbuild bundles, so the previous core is bundled the same way as
  // the current one: the two builds differ only in the source.
  const modulePath = BASELINE_SRC === undefined ? undefined : await bundleEntry(resolve(BASELINE_SRC));
  const server = await startServerProcess({ kind: "account" }, settings.childTimeoutMs);
  const results: Array<RoundResult & { variant: OverheadVariant; round: number }> = [];
  const children = new Map<OverheadVariant, TsChild>();
  try {
    for (const variant of variants) {
      const child = await forkTs(WORKER, { label: `request-overhead worker (${variant})`, timeoutMs: settings.childTimeoutMs, nodeFlags: ["--expose-gc"] });
      children.set(variant, child);
      const input: PrepareInput = { root: server.root, variant, warmup, modulePath };
      await child.call<void>("prepare", input);
    }
    for (let round = 0; round < rounds; round++) {
      const shift = round % variants.length;
      for (const variant of [...variants.slice(shift), ...variants.slice(0, shift)]) {
        const measured = await (children.get(variant) as TsChild).call<RoundResult>("round", requests);
        results.push({ ...measured, variant, round });
      }
    }
  } finally {
    for (const child of children.values()) await child.close();
    await server.close();
  }

  const summary = variants.map((variant) => {
    const mine = results.filter((r) => r.variant === variant);
    return {
      variant,
      label: OVERHEAD_VARIANTS[variant].label,
      medianWallMs: median(mine.map((r) => r.wallMs)),
      medianCpuMs: median(mine.map((r) => r.cpuMs)),
      roundsWallMs: mine.map((r) => r.wallMs),
    };
  });
  const baseline = summary.find((s) => s.variant === BASELINE);
  const ratio = (ms: number): number | undefined => (baseline ? ms / baseline.medianWallMs : undefined);
  const subject = summary.find((s) => s.variant === SUBJECT);
  const subjectRatio = subject ? ratio(subject.medianWallMs) : undefined;
  // The same comparison round by round (both measured minutes apart at most): less sensitive to
  // drift in machine load than the ratio of the two medians, so both are reported.
  const pairedRatios = Array.from({ length: rounds }, (_, round) => {
    const mine = results.find((r) => r.variant === SUBJECT && r.round === round);
    const base = results.find((r) => r.variant === BASELINE && r.round === round);
    return mine && base ? mine.wallMs / base.wallMs : undefined;
  }).filter((r): r is number => r !== undefined);
  const pairedMedian = pairedRatios.length ? median(pairedRatios) : undefined;
  // CPU, not wall: the client process's own cost, without the server's share both rows carry.
  const previous = summary.find((s) => s.variant === PREVIOUS);
  const cpuVsPrevious = previous && subject ? subject.medianCpuMs / previous.medianCpuMs : undefined;
  const cpuUs = (ms: number): string => fmt((ms * 1000) / requests, 1);

  return {
    id: 1,
    title: "Per-request overhead",
    setup: `${requests.toLocaleString("en-US")} sequential GET /Accounts/{id} per round, ${rounds} rounds (order rotated), ${warmup} warm-up requests per variant; each variant in its own process, one running at a time; server in another process on 127.0.0.1`,
    headers: ["variant", "median wall (ms)", "µs / request", "client CPU µs / request", "vs bare fetch"],
    rows: summary.map((s) => [
      s.label,
      fmt(s.medianWallMs, 0),
      fmt((s.medianWallMs * 1000) / requests, 1),
      cpuUs(s.medianCpuMs),
      `${fmt(ratio(s.medianWallMs))}x`,
    ]),
    targets: [
      target(
        `this client within ${TARGET_RATIO.toFixed(2)}x of bare fetch`,
        settings.smoke || subjectRatio === undefined ? undefined : subjectRatio <= TARGET_RATIO,
        subjectRatio === undefined ? "client variant did not run" : `${fmt(subjectRatio)}x; median of the per-round ratios ${fmt(pairedMedian)}x`,
      ),
      ...(previous && subject
        ? [
            target(
              `this client CPU µs/request within ${PREVIOUS_TARGET_RATIO.toFixed(2)}x of ${previous.label}`,
              settings.smoke || cpuVsPrevious === undefined ? undefined : cpuVsPrevious <= PREVIOUS_TARGET_RATIO,
              `${fmt(cpuVsPrevious)}x; ${cpuUs(subject.medianCpuMs)} vs ${cpuUs(previous.medianCpuMs)} µs, medians`,
            ),
          ]
        : []),
    ],
    notes: [
      "Wall time includes the server's share; the CPU column is the client process alone (user + system).",
    ],
    data: { requests, warmup, rounds, variants: summary, pairedRatios, pairedMedian, cpuRatioToPreviousCore: cpuVsPrevious, ratioToBareFetch: Object.fromEntries(summary.map((s) => [s.variant, ratio(s.medianWallMs)])) },
  };
}

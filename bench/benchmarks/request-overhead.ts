// Benchmark 1: per-request overhead. N sequential GETs of one account against a local server in
// another process; each variant's median wall time over the rounds, as a ratio to bare fetch.
import { fileURLToPath } from "node:url";
import { runInChild } from "../lib/child.js";
import { fmt, target, type Section } from "../lib/section.js";
import { median } from "../lib/stats.js";
import { startServerProcess } from "../servers/server-process.js";
import type { Settings } from "../settings.js";
import type { OverheadInput, OverheadRound } from "./request-overhead.worker.js";
import { OVERHEAD_VARIANTS, type OverheadVariant } from "./request-overhead.variants.js";

const WORKER = fileURLToPath(new URL("./request-overhead.worker.ts", import.meta.url));
const BASELINE: OverheadVariant = "bare-fetch";
const SUBJECT: OverheadVariant = "cyberark-client";
const TARGET_RATIO = 1.1;

export async function requestOverhead(settings: Settings): Promise<Section> {
  const { requests, warmup, rounds } = settings.overhead;
  const variants = Object.keys(OVERHEAD_VARIANTS) as OverheadVariant[];
  const server = await startServerProcess({ kind: "account" }, settings.childTimeoutMs);
  let results: OverheadRound[];
  try {
    const input: OverheadInput = { root: server.root, requests, warmup, rounds, variants };
    results = await runInChild<OverheadRound[]>(WORKER, "run", input, {
      label: "request-overhead worker",
      timeoutMs: settings.childTimeoutMs,
      nodeFlags: ["--expose-gc"],
    });
  } finally {
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

  return {
    id: 1,
    title: "Per-request overhead",
    setup: `${requests.toLocaleString("en-US")} sequential GET /Accounts/{id} per round, ${rounds} rounds (order rotated), ${warmup} warm-up requests per variant; server in a child process on 127.0.0.1`,
    headers: ["variant", "median wall (ms)", "µs / request", "client CPU µs / request", "vs bare fetch"],
    rows: summary.map((s) => [
      s.label,
      fmt(s.medianWallMs, 0),
      fmt((s.medianWallMs * 1000) / requests, 1),
      fmt((s.medianCpuMs * 1000) / requests, 1),
      `${fmt(ratio(s.medianWallMs))}x`,
    ]),
    targets: [
      target(
        `this client within ${TARGET_RATIO.toFixed(2)}x of bare fetch`,
        settings.smoke || subjectRatio === undefined ? undefined : subjectRatio <= TARGET_RATIO,
        subjectRatio === undefined ? "client variant did not run" : `${fmt(subjectRatio)}x`,
      ),
    ],
    notes: [
      "Wall time includes the server's share; the CPU column is the client process alone (user + system).",
    ],
    data: { requests, warmup, rounds, variants: summary, ratioToBareFetch: Object.fromEntries(summary.map((s) => [s.variant, ratio(s.medianWallMs)])) },
  };
}

// Benchmark 2: listing a large vault through a server that adds a fixed latency per request.
// Compares following nextLink page by page with the client's iterator as a caller gets it (no
// options: the default read-ahead) and at several read-ahead depths, against the lower bound pages x latency / concurrency; each variant in its own process.
// Each variant also lists the same vault with no added latency: that wall time is what the
// machine's CPU and loopback cost with nothing left to overlap, so max(lower bound, that) is the
// best the variant could do here, and shows when the latency bound is out of reach on a machine.
import { fileURLToPath } from "node:url";
import { forkTs } from "../lib/child.js";
import { fmt, target, type Section, type Target } from "../lib/section.js";
import { median } from "../lib/stats.js";
import { startServerProcess } from "../servers/server-process.js";
import type { Settings } from "../settings.js";
import type { ListingInput, ListingOutput } from "./vault-listing.worker.js";
import { DEFAULT_READ_AHEAD } from "../../src/paging/paginate.js";
import { LISTING_VARIANTS, type ListingParams, type ListingVariant } from "./vault-listing.variants.js";

const WORKER = fileURLToPath(new URL("./vault-listing.worker.ts", import.meta.url));
const SPEEDUP_TARGET = 4;
/**
 * The default (read-ahead 4, 5 requests in flight) against one request at a time: 5x at most, less
 * the CPU that cannot overlap (on a 2-core machine the explicit read-ahead 4 row measures 3-3.3x).
 */
const DEFAULT_SPEEDUP_TARGET = 2.5;
const LOWER_BOUND_TARGET = 1.3;
const RSS_TARGET_MB = 200;

interface RunSpec {
  variant: ListingVariant;
  readAhead: number;
}

interface RunResult extends RunSpec {
  label: string;
  concurrency: number;
  medianMs: number;
  roundsMs: number[];
  lowerBoundMs: number;
  ratioToLowerBound: number;
  speedupVsSequential: number | undefined;
  serverPeakInFlight: number;
  /** Median wall time of the same listing from a server with no added latency. */
  zeroLatencyMs: number;
  /** max(lowerBoundMs, zeroLatencyMs). */
  machineBoundMs: number;
  ratioToMachineBound: number;
  startRssMiB: number;
  peakRssMiB: number;
}

export async function vaultListing(settings: Settings): Promise<Section> {
  const s = settings.listing;
  const pages = Math.ceil(s.accounts / s.pageSize);
  const runs: RunSpec[] = [
    { variant: "sequential-nextlink", readAhead: 0 },
    { variant: "cyberark-client-default", readAhead: DEFAULT_READ_AHEAD },
    { variant: "hand-parallel", readAhead: 0 },
    { variant: "hand-parallel-request", readAhead: 0 },
    ...s.readAheads.map((readAhead) => ({ variant: "cyberark-client" as const, readAhead })),
  ];
  const server = await startServerProcess({ kind: "vault-listing", accounts: s.accounts, latencyMs: s.latencyMs }, settings.childTimeoutMs);
  const instant = await startServerProcess({ kind: "vault-listing", accounts: s.accounts, latencyMs: 0 }, settings.childTimeoutMs).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const results: RunResult[] = [];
  let parseFloorMs: number | undefined;
  try {
    for (const run of runs) {
      const params: ListingParams = { root: server.root, pageSize: s.pageSize, readAhead: run.readAhead, handParallel: s.handParallel };
      const definition = LISTING_VARIANTS[run.variant];
      await server.reset();
      const child = await forkTs(WORKER, { label: `listing worker (${run.variant}${run.variant === "cyberark-client" ? ` ${run.readAhead}` : ""})`, timeoutMs: settings.childTimeoutMs });
      let output: ListingOutput;
      let instantOutput: ListingOutput;
      try {
        const input: ListingInput = { variant: run.variant, params, rounds: s.rounds, expectedItems: s.accounts };
        output = await child.call<ListingOutput>("list", input);
        // Second, so the peak RSS reported is the latency run's own.
        instantOutput = await child.call<ListingOutput>("list", { ...input, params: { ...params, root: instant.root } });
      } finally {
        await child.close();
      }
      const stats = await server.stats<{ maxInFlight: number }>();
      const concurrency = definition.concurrency(params);
      const medianMs = median(output.roundsMs);
      const lowerBoundMs = (pages * s.latencyMs) / concurrency;
      const zeroLatencyMs = median(instantOutput.roundsMs);
      const machineBoundMs = Math.max(lowerBoundMs, zeroLatencyMs);
      results.push({
        ...run,
        label: definition.label(params),
        concurrency,
        medianMs,
        roundsMs: output.roundsMs,
        lowerBoundMs,
        ratioToLowerBound: medianMs / lowerBoundMs,
        speedupVsSequential: undefined,
        serverPeakInFlight: stats.maxInFlight,
        zeroLatencyMs,
        machineBoundMs,
        ratioToMachineBound: medianMs / machineBoundMs,
        startRssMiB: output.startRssMiB,
        peakRssMiB: output.peakRssMiB,
      });
    }
    const floorChild = await forkTs(WORKER, { label: "listing worker (parse floor)", timeoutMs: settings.childTimeoutMs });
    try {
      const samples: number[] = [];
      for (let i = 0; i < s.rounds; i++) samples.push(await floorChild.call<number>("parseFloor", { root: server.root, pageSize: s.pageSize }));
      parseFloorMs = median(samples);
    } finally {
      await floorChild.close();
    }
  } finally {
    await server.close();
    await instant.close();
  }

  const sequential = results.find((r) => r.variant === "sequential-nextlink");
  for (const r of results) r.speedupVsSequential = sequential ? sequential.medianMs / r.medianMs : undefined;
  const clientRuns = results.filter((r) => r.variant === "cyberark-client" || r.variant === "cyberark-client-default");
  const defaultRun = results.find((r) => r.variant === "cyberark-client-default");
  const deepest = results.filter((r) => r.variant === "cyberark-client").reduce<RunResult | undefined>((best, r) => (!best || r.readAhead > best.readAhead ? r : best), undefined);
  const judge = (ok: boolean): boolean | undefined => (settings.smoke ? undefined : ok);
  const targets: Target[] = [
    target(
      `paginate() with no options: at least ${DEFAULT_SPEEDUP_TARGET}x faster than following nextLink`,
      defaultRun?.speedupVsSequential === undefined ? undefined : judge(defaultRun.speedupVsSequential >= DEFAULT_SPEEDUP_TARGET),
      defaultRun ? `${fmt(defaultRun.speedupVsSequential)}x, ${defaultRun.serverPeakInFlight} requests in flight at most` : "default variant did not run",
    ),
    target(
      `read-ahead ${deepest?.readAhead ?? "?"}: at least ${SPEEDUP_TARGET}x faster than following nextLink`,
      deepest?.speedupVsSequential === undefined ? undefined : judge(deepest.speedupVsSequential >= SPEEDUP_TARGET),
      deepest ? `${fmt(deepest.speedupVsSequential)}x` : "client variant did not run",
    ),
    target(
      `read-ahead ${deepest?.readAhead ?? "?"}: within ${LOWER_BOUND_TARGET}x of the lower bound`,
      deepest ? judge(deepest.ratioToLowerBound <= LOWER_BOUND_TARGET) : undefined,
      deepest
        ? `${fmt(deepest.ratioToLowerBound)}x; with no latency at all the same listing takes ${fmt(deepest.zeroLatencyMs / deepest.lowerBoundMs)}x the bound here, ` +
          `and ${fmt(deepest.ratioToMachineBound)}x of max(bound, 0 ms wall)`
        : "client variant did not run",
    ),
    target(
      `client peak RSS under ${RSS_TARGET_MB} MB`,
      clientRuns.length ? judge(clientRuns.every((r) => (r.peakRssMiB * 1024 * 1024) / 1e6 < RSS_TARGET_MB)) : undefined,
      clientRuns.length ? `max ${fmt(Math.max(...clientRuns.map((r) => (r.peakRssMiB * 1024 * 1024) / 1e6)), 0)} MB` : "client variant did not run",
    ),
  ];

  return {
    id: 2,
    title: "Listing a large vault",
    setup: `${s.accounts.toLocaleString("en-US")} accounts in pages of ${s.pageSize.toLocaleString("en-US")} (${pages} requests), ${s.latencyMs} ms added latency per request, median of ${s.rounds} rounds after a warm-up pass; each variant in its own process, server in another`,
    headers: ["variant", "concurrency", "median wall (ms)", "lower bound (ms)", "vs lower bound", "wall at 0 ms latency (ms)", "vs max(bound, 0 ms wall)", "speed-up vs nextLink", "peak in flight", "peak RSS (MB)"],
    rows: results.map((r) => [
      r.label,
      String(r.concurrency),
      fmt(r.medianMs, 0),
      fmt(r.lowerBoundMs, 0),
      `${fmt(r.ratioToLowerBound)}x`,
      fmt(r.zeroLatencyMs, 0),
      `${fmt(r.ratioToMachineBound)}x`,
      `${fmt(r.speedupVsSequential)}x`,
      String(r.serverPeakInFlight),
      fmt((r.peakRssMiB * 1024 * 1024) / 1e6, 0),
    ]),
    targets,
    notes: [
      "Lower bound = pages x latency / concurrency, where concurrency is the number of requests the variant keeps in flight (for the client: the current page plus `readAhead` more). It ignores that the first page must arrive before the total is known, and the client's CPU.",
      `The default row is paginate() called without a readAhead option: read-ahead ${DEFAULT_READ_AHEAD} once the first page has given the total, so at most ${DEFAULT_READ_AHEAD + 1} requests per listing, half the client's default maxConcurrentRequests (10).`,
      "Wall at 0 ms latency: the same listing from a second server that answers at once, so nothing is left to overlap; it is the CPU and loopback cost of the variant on this machine. When it exceeds the lower bound, the lower bound cannot be reached here by that variant, whatever its concurrency; `vs max(bound, 0 ms wall)` is the ratio to the better of the two floors.",
      "Peak in flight is what the server saw; it can exceed the concurrency by requests the client had already abandoned.",
      `CPU floor: JSON.parse of all ${pages} pages alone takes ${fmt(parseFloorMs, 0)} ms on this machine (median); no client can list faster than that plus the first page's latency.`,
      "Peak RSS is the listing process's own maximum resident set (process.resourceUsage().maxRSS), including Node itself and the loaded modules.",
    ],
    data: { accounts: s.accounts, pageSize: s.pageSize, pages, latencyMs: s.latencyMs, rounds: s.rounds, parseFloorMs, runs: results },
  };
}

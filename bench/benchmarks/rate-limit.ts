// Benchmark 3: a server that answers at most R requests per one-second window and 429 with
// Retry-After beyond that. Reports the rate the caller achieved against R, failed calls and the
// share of calls answered 429 (each one a request the server had to refuse).
import { fileURLToPath } from "node:url";
import { runInChild } from "../lib/child.js";
import { fmt, target, type Section } from "../lib/section.js";
import { median } from "../lib/stats.js";
import { startServerProcess } from "../servers/server-process.js";
import type { Settings } from "../settings.js";
import type { RateLimitInput, RateLimitOutput } from "./rate-limit.worker.js";
import { RATE_LIMIT_VARIANTS, type RateLimitVariant } from "./rate-limit.variants.js";

const WORKER = fileURLToPath(new URL("./rate-limit.worker.ts", import.meta.url));
const SUBJECT: RateLimitVariant = "cyberark-client";
const THROUGHPUT_TARGET = 0.95;
const REJECTED_SHARE_TARGET = 0.05;

interface RoundResult extends RateLimitOutput {
  admitted: number;
  rejected: number;
  windowsUsed: number;
  /** Achieved rate / R: admitted / (R x seconds from the first request to the last answer). */
  utilisation: number;
}

export async function rateLimit(settings: Settings): Promise<Section> {
  const { perSecond, calls, concurrency, rounds } = settings.rateLimit;
  const variants = Object.keys(RATE_LIMIT_VARIANTS) as RateLimitVariant[];
  const server = await startServerProcess({ kind: "rate-limited", perSecond }, settings.childTimeoutMs);
  const byVariant = new Map<RateLimitVariant, RoundResult[]>();
  try {
    for (const variant of variants) {
      const list: RoundResult[] = [];
      // Without retries a round is over in milliseconds: one is enough to count the failures.
      const count = variant === SUBJECT ? rounds : 1;
      for (let round = 0; round < count; round++) {
        await server.reset();
        const input: RateLimitInput = { variant, root: server.root, calls, concurrency };
        const out = await runInChild<RateLimitOutput>(WORKER, "run", input, { label: `rate-limit worker (${variant})`, timeoutMs: settings.childTimeoutMs });
        const stats = await server.stats<{ admitted: number; rejected: number; windowsUsed: number }>();
        list.push({ ...out, ...stats, utilisation: out.wallMs > 0 ? stats.admitted / ((perSecond * out.wallMs) / 1000) : 0 });
      }
      byVariant.set(variant, list);
    }
  } finally {
    await server.close();
  }

  const summary = variants.map((variant) => {
    const list = byVariant.get(variant) ?? [];
    return {
      variant,
      label: RATE_LIMIT_VARIANTS[variant].label,
      utilisation: median(list.map((r) => r.utilisation)),
      wallMs: median(list.map((r) => r.wallMs)),
      failed: Math.max(...list.map((r) => r.failed)),
      rejected429: median(list.map((r) => r.rejected)),
      firstFailure: list.find((r) => r.firstFailure)?.firstFailure,
      rounds: list,
    };
  });
  const subject = summary.find((s) => s.variant === SUBJECT);
  const judge = (ok: boolean): boolean | undefined => (settings.smoke ? undefined : ok);

  return {
    id: 3,
    title: "Under rate limiting",
    setup: `${calls} GET /Accounts/{id} from ${concurrency} concurrent workers; the server allows R = ${perSecond} per one-second window and answers 429 with Retry-After (whole seconds) beyond that; median of ${rounds} rounds for the client`,
    headers: ["variant", "achieved rate / R", "failed calls", "429s received", "429s per call", "wall (ms)"],
    rows: summary.map((s) => [s.label, fmt(s.utilisation), `${s.failed} of ${calls}`, fmt(s.rejected429, 0), fmt(s.rejected429 / calls), fmt(s.wallMs, 0)]),
    targets: [
      target(
        `client throughput at least ${THROUGHPUT_TARGET} of R`,
        subject ? judge(subject.utilisation >= THROUGHPUT_TARGET) : undefined,
        subject ? fmt(subject.utilisation) : "client variant did not run",
      ),
      target(
        "client: zero failed calls",
        subject ? judge(subject.failed === 0) : undefined,
        subject ? `${subject.failed} failed${subject.firstFailure ? ` (first: ${subject.firstFailure})` : ""}` : "client variant did not run",
      ),
      target(
        `client: at most ${REJECTED_SHARE_TARGET * 100}% of calls answered 429`,
        subject ? judge(subject.rejected429 / calls <= REJECTED_SHARE_TARGET) : undefined,
        subject ? `${fmt((100 * subject.rejected429) / calls, 1)}% (${fmt(subject.rejected429, 0)} of ${calls})` : "client variant did not run",
      ),
    ],
    notes: [
      "achieved rate / R = answered calls / (R x seconds from the first request to the last answer). A client that bursts at the start of each fixed window can exceed 1.00 (two windows' worth within one second across a window edge); one that keeps to R evenly stays just under it.",
      "The client's default flow control (DEFAULT_FLOW_CONTROL): at most 10 requests at once; after the first 429, no one-second span holds more sends than the server accepted between two refusals (at most a second's successes), the limit growing 0.5% per second without a 429.",
    ],
    data: { perSecond, calls, concurrency, rounds, variants: summary },
  };
}

// The variants of benchmark 1, by name, with the label the report shows.
import { clientAccountGetter, previousCoreAccountGetter } from "../subjects/cyberark-client.js";
import { bareFetch, bareUndiciFetch, plainOpenapiFetch, type AccountGetter } from "../subjects/single-account.js";

export type OverheadVariant = "bare-fetch" | "bare-undici" | "openapi-fetch" | "cyberark-client" | "baseline-client";

/** Another checkout's src/index.ts: when set, "baseline-client" runs too, for a before/after figure in one run. */
export const BASELINE_SRC = process.env.BENCH_BASELINE_SRC || undefined;

export const OVERHEAD_VARIANTS: Record<
  OverheadVariant,
  { label: string; create(root: string, modulePath?: string): AccountGetter | Promise<AccountGetter> }
> = {
  "bare-fetch": { label: "bare fetch (Node global), header set by hand", create: bareFetch },
  "bare-undici": { label: "bare undici 7 fetch (the client's HTTP library)", create: bareUndiciFetch },
  "openapi-fetch": { label: "plain openapi-fetch", create: plainOpenapiFetch },
  "cyberark-client": { label: "this client (gen2.GET, token auth, retry and typed errors on)", create: clientAccountGetter },
  // Only run when BASELINE_SRC is set; modulePath is the bundle of it that the parent builds.
  "baseline-client": { label: `previous core (${process.env.BENCH_BASELINE_LABEL || "baseline"})`, create: previousCoreAccountGetter },
};

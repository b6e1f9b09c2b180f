// Sizes of every benchmark: the full run the issue asks for, and a smoke run with tiny sizes that
// only proves each benchmark still works (CI runs it; its numbers mean nothing).

export interface Settings {
  smoke: boolean;
  overhead: { requests: number; warmup: number; rounds: number };
  listing: { accounts: number; pageSize: number; latencyMs: number; readAheads: number[]; handParallel: number; rounds: number };
  rateLimit: { perSecond: number; calls: number; concurrency: number; rounds: number };
  /** Copies of the Gen 2 document to generate from; `slicePaths` keeps only N of its /API/Accounts paths (smoke). */
  regeneration: { scales: number[]; rounds: number; slicePaths?: number };
  /** Upper bound for any one child process. */
  childTimeoutMs: number;
}

export const FULL: Settings = {
  smoke: false,
  overhead: { requests: 20_000, warmup: 2_000, rounds: 7 },
  listing: { accounts: 100_000, pageSize: 1_000, latencyMs: 25, readAheads: [1, 4, 8], handParallel: 8, rounds: 5 },
  rateLimit: { perSecond: 50, calls: 300, concurrency: 20, rounds: 3 },
  regeneration: { scales: [1, 2, 5, 10], rounds: 3 },
  childTimeoutMs: 15 * 60_000,
};

export const SMOKE: Settings = {
  smoke: true,
  overhead: { requests: 200, warmup: 20, rounds: 2 },
  listing: { accounts: 2_000, pageSize: 200, latencyMs: 5, readAheads: [1, 4, 8], handParallel: 8, rounds: 2 },
  rateLimit: { perSecond: 20, calls: 40, concurrency: 4, rounds: 1 },
  // One generator run (two copies of a few paths): the generator dominates the smoke run time.
  regeneration: { scales: [2], rounds: 1, slicePaths: 6 },
  childTimeoutMs: 45_000,
};

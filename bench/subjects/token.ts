// The session token every benchmark sends. The local servers only check that one is present.
export const BENCH_TOKEN = "bench-session-token-not-a-secret";

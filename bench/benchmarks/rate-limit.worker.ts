// Child process of benchmark 3: `concurrency` workers share `calls` GETs against the rate-limited
// server and count what succeeded and what failed (after whatever retrying the variant does).
import { serveCalls } from "../lib/ipc.js";
import { msSince } from "../lib/stats.js";
import { RATE_LIMIT_VARIANTS, type RateLimitVariant } from "./rate-limit.variants.js";

export interface RateLimitInput {
  variant: RateLimitVariant;
  root: string;
  calls: number;
  concurrency: number;
}

export interface RateLimitOutput {
  wallMs: number;
  succeeded: number;
  failed: number;
  /** First failure, for the report (no secrets: the token is a dummy and errors are redacted). */
  firstFailure: string | undefined;
}

serveCalls({
  async run(payload): Promise<RateLimitOutput> {
    const input = payload as RateLimitInput;
    const getter = await RATE_LIMIT_VARIANTS[input.variant].create(input.root);
    let issued = 0;
    let succeeded = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    const worker = async (): Promise<void> => {
      while (issued < input.calls) {
        issued++;
        try {
          await getter.get("286_4");
          succeeded++;
        } catch (error) {
          failed++;
          firstFailure ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }
    };
    const start = process.hrtime.bigint();
    try {
      await Promise.all(Array.from({ length: input.concurrency }, worker));
      return { wallMs: msSince(start), succeeded, failed, firstFailure };
    } finally {
      await getter.close();
    }
  },
});

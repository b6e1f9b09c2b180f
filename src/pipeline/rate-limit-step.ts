// Paces every attempt of every call of one client through its AdaptiveRate (adaptive-rate.ts), and
// tells it how each request was answered, so it learns the server's limit from 429s.
import { parseRetryAfter } from "../core/retry-policy.js";
import { sleep } from "../core/wait.js";
import type { AdaptiveRate } from "./adaptive-rate.js";
import type { Call, Step } from "./call.js";

export function rateLimitStep(rate: AdaptiveRate): Step {
  return (next) => async (call: Call) => {
    const wait = rate.reserve(call.retry.budgetMs);
    if (wait > 0) await sleep(wait, call.signal);
    const response = await next(call);
    rate.answered(response.status, response.status === 429 ? parseRetryAfter(response.headers.get("retry-after")) : undefined);
    return response;
  };
}

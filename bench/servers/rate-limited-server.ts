// Benchmark 3: GET /PasswordVault/API/Accounts/{id}, at most `perSecond` answers per one-second
// window (windows counted from the first request after a reset); beyond that 429 with a
// Retry-After in whole seconds until the window ends, as HTTP allows only delta-seconds.
import { fakeAccount } from "../fixtures/accounts.js";
import { API_BASE, notFound, requireToken, sendJson, type BenchServer } from "./types.js";

export interface RateLimitOptions {
  perSecond: number;
}

const PREFIX = `${API_BASE}/Accounts/`;
const WINDOW_MS = 1000;
const TOO_MANY = Buffer.from(JSON.stringify({ ErrorCode: "PASWS039E", ErrorMessage: "Too many requests. Try again later." }));

export function createRateLimitedServer(options: RateLimitOptions): BenchServer {
  const body = Buffer.from(JSON.stringify(fakeAccount(3)));
  let startedAt: number | undefined;
  let window = -1;
  let inWindow = 0;
  let admitted = 0;
  let rejected = 0;
  let lastAdmittedWindow = -1;

  return {
    handle(req, res) {
      const url = req.url ?? "";
      if (req.method !== "GET" || !url.startsWith(PREFIX)) return notFound(res);
      if (!requireToken(req, res)) return;
      const now = performance.now();
      startedAt ??= now;
      const current = Math.floor((now - startedAt) / WINDOW_MS);
      if (current !== window) {
        window = current;
        inWindow = 0;
      }
      if (inWindow >= options.perSecond) {
        rejected++;
        const untilNextMs = startedAt + (current + 1) * WINDOW_MS - now;
        sendJson(res, 429, TOO_MANY, { "retry-after": String(Math.max(1, Math.ceil(untilNextMs / 1000))) });
        return;
      }
      inWindow++;
      admitted++;
      lastAdmittedWindow = current;
      sendJson(res, 200, body);
    },
    stats: () => ({ admitted, rejected, windowsUsed: lastAdmittedWindow + 1 }),
    reset() {
      startedAt = undefined;
      window = -1;
      inWindow = 0;
      admitted = 0;
      rejected = 0;
      lastAdmittedWindow = -1;
    },
  };
}

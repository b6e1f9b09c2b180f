// Benchmark 2: a vault of N accounts behind GET /PasswordVault/API/Accounts?offset&limit, with a
// fixed delay per request standing in for the round trip to a SaaS tenant. Pages look like the
// real ones: { value, count, nextLink } with nextLink relative to /PasswordVault/, absent on the
// last page; limit above 1000 is refused with 400. It records the peak number of requests in flight.
import { fakeAccount } from "../fixtures/accounts.js";
import { API_BASE, notFound, requireToken, sendJson, type BenchServer } from "./types.js";

export interface VaultListingOptions {
  accounts: number;
  latencyMs: number;
}

const LIST_PATH = `${API_BASE}/Accounts`;
const MAX_LIMIT = 1000;
const TOO_BIG = Buffer.from(JSON.stringify({ ErrorCode: "CAWS00001E", ErrorMessage: "There are some invalid parameters" }));

function integerParam(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

export function createVaultListingServer(options: VaultListingOptions): BenchServer {
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  // Pages are rendered once and reused: the server's own CPU should not be what is measured.
  const pages = new Map<string, Buffer>();

  const render = (offset: number, limit: number): Buffer => {
    const key = `${offset}:${limit}`;
    let body = pages.get(key);
    if (!body) {
      const end = Math.min(options.accounts, offset + limit);
      const value = [];
      for (let i = offset; i < end; i++) value.push(fakeAccount(i));
      const page: Record<string, unknown> = { value, count: options.accounts };
      if (end < options.accounts) page["nextLink"] = `api/Accounts?offset=${end}&limit=${limit}`;
      body = Buffer.from(JSON.stringify(page));
      pages.set(key, body);
    }
    return body;
  };

  return {
    handle(req, res) {
      requests++;
      const url = new URL(req.url ?? "/", "http://bench.invalid");
      if (req.method !== "GET" || url.pathname.toLowerCase() !== LIST_PATH.toLowerCase()) return notFound(res);
      if (!requireToken(req, res)) return;
      const offset = integerParam(url.searchParams.get("offset"), 0);
      const limit = integerParam(url.searchParams.get("limit"), 50);
      if (offset === undefined || limit === undefined || limit < 1 || limit > MAX_LIMIT) {
        sendJson(res, 400, TOO_BIG);
        return;
      }
      const body = render(offset, limit);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        sendJson(res, 200, body);
      }, options.latencyMs);
    },
    stats: () => ({ requests, maxInFlight }),
    reset() {
      requests = 0;
      maxInFlight = inFlight;
    },
  };
}

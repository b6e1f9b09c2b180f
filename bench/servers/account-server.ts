// Benchmark 1: answers GET /PasswordVault/API/Accounts/{id} with one account, as fast as it can,
// so the per-request cost on the client side dominates what is measured.
import { fakeAccount } from "../fixtures/accounts.js";
import { API_BASE, notFound, requireToken, sendJson, type BenchServer } from "./types.js";

const PREFIX = `${API_BASE}/Accounts/`;

export function createAccountServer(): BenchServer {
  let requests = 0;
  const cache = new Map<string, Buffer>();
  return {
    handle(req, res) {
      requests++;
      const url = req.url ?? "";
      if (req.method !== "GET" || !url.startsWith(PREFIX)) return notFound(res);
      if (!requireToken(req, res)) return;
      const id = decodeURIComponent(url.slice(PREFIX.length).split("?")[0] ?? "");
      let body = cache.get(id);
      if (!body) {
        body = Buffer.from(JSON.stringify({ ...fakeAccount(7), id }));
        cache.set(id, body);
      }
      sendJson(res, 200, body);
    },
    stats: () => ({ requests }),
    reset() {
      requests = 0;
    },
  };
}

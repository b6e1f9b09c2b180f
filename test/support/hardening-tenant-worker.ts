// The load area's PVWA stand-in, run in a worker thread so its own request handling does not
// count against the client's event loop (a real PVWA is another machine). Plain JavaScript is
// evaluated in the worker so no TypeScript loader is needed there. Tokens are numbered; the API
// accepts only tokens numbered >= `minToken` (raising it "expires" the session on the server).
import { once } from "node:events";
import { Worker } from "node:worker_threads";

const WORKER_SOURCE = String.raw`
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const state = { logons: 0, apiRequests: 0 };
const policy = { minToken: 1, logonDelayMs: 0 };
const send = (res, status, value) => {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
};
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const path = (req.url || "").split("?")[0];
    if (/\/auth\/[^/]+\/Logon$/i.test(path)) {
      const n = ++state.logons;
      setTimeout(() => send(res, 200, "tok-hardening-" + n), policy.logonDelayMs);
      return;
    }
    state.apiRequests++;
    const token = String(req.headers.authorization || "");
    const n = token.startsWith("tok-hardening-") ? Number(token.slice(14)) : 0;
    if (!(n >= policy.minToken)) return send(res, 401, { ErrorCode: "PASWS006E", ErrorMessage: "expired" });
    const id = decodeURIComponent(path.split("/").pop() || "");
    send(res, 200, { id, name: "account-" + id });
  });
});
server.keepAliveTimeout = 30000;
const sockets = new Set();
server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ type: "ready", port: server.address().port }));
parentPort.on("message", (m) => {
  if (m.type === "policy") Object.assign(policy, m.policy);
  if (m.type === "reset") { state.logons = 0; state.apiRequests = 0; policy.minToken = 1; policy.logonDelayMs = 0; }
  if (m.type === "close") { for (const s of sockets) s.destroy(); server.close(() => parentPort.postMessage({ type: "closed" })); return; }
  parentPort.postMessage({ type: "state", state: { ...state, connections: server.connections } });
});
`;

export interface WorkerTenantState {
  logons: number;
  apiRequests: number;
}

export interface WorkerTenant {
  url: string;
  /** Applies a policy change (and returns the state after it). */
  set(policy: { minToken?: number; logonDelayMs?: number }): Promise<WorkerTenantState>;
  reset(): Promise<WorkerTenantState>;
  state(): Promise<WorkerTenantState>;
  close(): Promise<void>;
}

export async function startWorkerTenant(): Promise<WorkerTenant> {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const [ready] = (await once(worker, "message")) as [{ port: number }];
  // One request at a time: every message gets exactly one answer, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const ask = <T>(message: object): Promise<T> => {
    const next = chain.then(async () => {
      const answer = once(worker, "message");
      worker.postMessage(message);
      const [reply] = (await answer) as [{ state?: T }];
      return reply.state as T;
    });
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    url: `http://127.0.0.1:${ready.port}`,
    set: (policy) => ask({ type: "policy", policy }),
    reset: () => ask({ type: "reset" }),
    state: () => ask({ type: "state" }),
    async close() {
      await ask({ type: "close" });
      await worker.terminate();
    },
  };
}

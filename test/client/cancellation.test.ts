// A call's timeout or its caller's abort must end the HTTP request on the wire (the server sees the
// connection close), before the response headers and while the body is still arriving. The client
// does this with the call's AbortSignal (core/call-signal.ts), which goes to fetch.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCyberArkClient, RequestAbortedError, staticToken, TimeoutError, type CyberArkClient, type SelfHostedDeployment } from "../../src/index.js";

let server: Server;
let root: string;
/** Paths whose request the client side closed before the server finished answering. */
const closedEarly: string[] = [];
const clients: Array<CyberArkClient<SelfHostedDeployment>> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "";
    res.on("close", () => {
      if (!res.writableFinished) closedEarly.push(path);
    });
    if (path.endsWith("/stall")) return; // never answers
    if (path.endsWith("/slow-body")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":"1_1","name":"'); // the rest never comes
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "1_1" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  closedEarly.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(): CyberArkClient<SelfHostedDeployment> {
  const c = createCyberArkClient({
    deployment: { type: "self-hosted", url: root, allowInsecureHttp: true },
    auth: staticToken({ token: "tok" }),
    proxy: false,
    retry: false,
  });
  clients.push(c);
  return c;
}

async function serverSawClose(path: string): Promise<boolean> {
  for (let i = 0; i < 100 && !closedEarly.some((p) => p.endsWith(path)); i++) await new Promise((r) => setTimeout(r, 10));
  return closedEarly.some((p) => p.endsWith(path));
}

describe("cancelling a call ends its request on the wire", () => {
  it("a timeout before the response headers", async () => {
    const started = Date.now();
    const error = await client().gen2.GET("/Accounts/{id}", { params: { path: { id: "stall" } }, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await serverSawClose("/stall")).toBe(true);
  });

  it("a timeout while the body is arriving", async () => {
    const error = await client().gen2.GET("/Accounts/{id}", { params: { path: { id: "slow-body" } }, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await serverSawClose("/slow-body")).toBe(true);
  });

  it("the caller's abort, before the headers and during the body", async () => {
    const c = client();
    for (const id of ["stall", "slow-body"]) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("caller gave up")), 100);
      const error = await c.gen2.GET("/Accounts/{id}", { params: { path: { id } }, signal: controller.signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestAbortedError);
      expect((error as Error).cause).toMatchObject({ message: "caller gave up" });
      expect(await serverSawClose(`/${id}`)).toBe(true);
    }
  });

  it("calls that finish are not cut by their timeout afterwards", async () => {
    const c = client();
    // A limit no loopback call comes near, even on a loaded machine; then wait until every one of
    // them would have fired had the finished calls left their timers running.
    const timeoutMs = 1_000;
    for (let i = 0; i < 20; i++) {
      const { data } = await c.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } }, timeoutMs });
      expect(data).toEqual({ id: "1_1" });
    }
    await new Promise((r) => setTimeout(r, timeoutMs + 100));
    expect(closedEarly).toEqual([]);
  });
});

describe("many calls at once", () => {
  it("every call listens for close() without a MaxListenersExceededWarning (50 calls on one client)", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const c = client();
      const results = await Promise.all(Array.from({ length: 50 }, () => c.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } })));
      expect(results).toHaveLength(50);
      // Warnings are emitted on a later turn.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w === "MaxListenersExceededWarning")).toEqual([]);
  });
});

// Area 5: 1,000 concurrent calls through one client while the session expires. Exactly one logon
// serves the whole burst, every call succeeds with its own answer, and the client never puts more than
// a small batch of requests on the wire in one event-loop turn (what keeps the loop from stalling when a
// thousand calls resume together). Counted in turns, not milliseconds, so a busy machine cannot fail it.
// The server runs in a worker thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenProvider, vaultLogon } from "../../src/auth/index.js";
import { hardeningClient, type HardeningClient } from "../support/hardening-client.js";
import { startWorkerTenant, type WorkerTenant } from "../support/hardening-tenant-worker.js";
import { useTally } from "../support/hardening-tally.js";

const tally = useTally("load");
const CALLS = 1_000;
// The dispatch pacer lets 8 requests go per turn; a turn may also hold the first requests of a new batch.
const MAX_REQUESTS_PER_TURN = 16;

let tenant: WorkerTenant;
const clients: HardeningClient[] = [];

beforeAll(async () => {
  tenant = await startWorkerTenant();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await tenant?.close();
});

/** Requests each client put on the wire per event-loop turn, from its debug log. */
const requestsPerTurn = new Map<HardeningClient, number[]>();
let turn = 0;

function newClient(auth: Parameters<typeof hardeningClient>[1]["auth"]): HardeningClient {
  const counts: number[] = [];
  const client = hardeningClient(tenant.url, {
    auth,
    logger: { debug: (message: string) => void (message === "request" && (counts[turn] = (counts[turn] ?? 0) + 1)) },
  });
  requestsPerTurn.set(client, counts);
  clients.push(client);
  return client;
}

interface Burst {
  failures: string[];
  maxPerTurn: number;
  turns: number;
}

/** Fires CALLS concurrent GET /Accounts/{id} and checks each answer, watching the event loop. */
async function burst(client: HardeningClient, tag: string): Promise<Burst> {
  const counts = requestsPerTurn.get(client) ?? [];
  counts.length = 0;
  const calls = Array.from({ length: CALLS }, (_, i) => client.api.GET("/Accounts/{id}", { params: { path: { id: `${tag}_${i}` } } }));
  // One tick per turn of the event loop (check phase, as the pacer's), until the burst is over.
  let running = true;
  const startTurn = turn;
  const tick = (): void => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const results = await Promise.allSettled(calls);
  running = false;
  const failures: string[] = [];
  results.forEach((r, i) => {
    tally.tried();
    let problem: string | undefined;
    if (r.status === "rejected") problem = `call ${i} failed: ${String((r.reason as Error)?.message ?? r.reason).slice(0, 160)}`;
    else if ((r.value.data as { id?: unknown })?.id !== `${tag}_${i}`) problem = `call ${i} got another call's answer`;
    if (problem) {
      tally.failed(`${tag}: ${problem}`);
      failures.push(problem);
    }
  });
  const maxPerTurn = Math.max(0, ...counts.filter((n) => n !== undefined));
  if (maxPerTurn > MAX_REQUESTS_PER_TURN) tally.failed(`${tag}: ${maxPerTurn} requests sent in one event-loop turn`);
  return { failures, maxPerTurn, turns: turn - startTurn };
}

function expectBurst(result: Burst): void {
  expect(result.failures.slice(0, 5), `${result.failures.length} calls failed`).toEqual([]);
  expect(result.maxPerTurn, `requests sent in one turn (burst over ${result.turns} turns)`).toBeLessThanOrEqual(MAX_REQUESTS_PER_TURN);
}

describe(`${CALLS} concurrent calls through one client`, () => {
  it("cold start: one logon for the whole burst", async () => {
    await tenant.reset();
    await tenant.set({ logonDelayMs: 50 });
    const client = newClient(vaultLogon({ username: "load", password: "pw-load" }));
    const result = await burst(client, "cold");
    expect((await tenant.state()).logons).toBe(1);
    expectBurst(result);
  }, 60_000);

  it("the server ends the session mid-run: one renewal serves every call; none sent with the token once it is known stale", async () => {
    await tenant.reset();
    const client = newClient(vaultLogon({ username: "load", password: "pw-load" }));
    await client.logon();
    // Only tokens issued from now on are valid: the session "expired" on the server.
    await tenant.set({ minToken: 2, logonDelayMs: 50 });
    const result = await burst(client, "expired");
    const state = await tenant.state();
    expect(state.logons - 1, "logons during the burst").toBe(1);
    // Calls sent before the first 401 came back are replayed; later ones wait for the new token (KI00020913):
    // at most two requests per call, and the replays are exactly the calls that met the old token.
    expect(state.apiRequests).toBeGreaterThan(CALLS);
    expect(state.apiRequests).toBeLessThanOrEqual(2 * CALLS);
    expectBurst(result);
  }, 60_000);

  it("the token's expiry time passes: one call to the token provider for the whole burst", async () => {
    await tenant.reset();
    let provided = 0;
    const firstLifetimeMs = 300;
    const client = newClient(
      tokenProvider(async () => {
        provided++;
        await new Promise((r) => setTimeout(r, 30));
        // The first token runs out quickly; the renewed one outlives the burst.
        return { token: `tok-hardening-${provided}`, expiresAt: Date.now() + (provided === 1 ? firstLifetimeMs : 120_000) };
      }),
    );
    await client.logon();
    await new Promise((r) => setTimeout(r, firstLifetimeMs + 20));
    const result = await burst(client, "expiry");
    expect(provided - 1, "token requests during the burst").toBe(1);
    expectBurst(result);
  }, 60_000);
});

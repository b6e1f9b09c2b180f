// CyberArk's stale-token rule (KI00020913): a request carrying an expired or logged-off token logs off every
// session of the user, the new one included. The server here enforces it; the client must never let a token
// it knows to be stale leave, and must let the requests already out with it be answered before it logs on.
import { afterEach, describe, expect, it } from "vitest";
import { tokenProvider } from "../../src/auth/token-auth.js";
import { authorizationOf, startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { makeClient, PASSWORD, USER } from "./helpers.js";

interface RuleServer {
  tenant: FakeTenant;
  /** Ends every session now, as an idle timeout or an administrator would. */
  drop(): void;
  readonly logons: number;
  /** Requests that arrived with a stale token after a logon had been sent since it became stale. */
  readonly staleAfterLogon: number;
  readonly staleArrivals: number;
}

async function ruleServer(answerDelayMs: number): Promise<RuleServer> {
  const tenant = await startFakeTenant();
  const valid = new Set<string>();
  const staleSince = new Map<string, number>(); // token -> logon count when it became stale
  let logons = 0;
  let staleAfterLogon = 0;
  let staleArrivals = 0;
  const killAll = () => {
    for (const token of valid) staleSince.set(token, logons);
    valid.clear();
  };
  tenant.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", (req) => {
    const body = req.json as { username?: string; password?: string };
    if (body.username !== USER || body.password !== PASSWORD) return { status: 403, json: { ErrorCode: "PASWS013E" } };
    logons++;
    const token = tenant.issueToken();
    valid.add(token);
    return { json: token };
  });
  // The vault handles one user's requests one after another: the token is judged when a request's turn comes,
  // so requests sent before a logon may still be judged after it.
  let queue = Promise.resolve();
  tenant.route("GET", "/PasswordVault/API/Accounts", async (req) => {
    const turn = queue.then(() => new Promise<void>((resolve) => setTimeout(resolve, answerDelayMs)));
    queue = turn;
    await turn;
    const token = authorizationOf(req) ?? "";
    if (valid.has(token)) return { json: { value: [], count: 0 } };
    const since = staleSince.get(token);
    if (since !== undefined) {
      staleArrivals++;
      if (logons > since) staleAfterLogon++;
      killAll(); // the rule: every session of the user ends, the newest included
    }
    return { status: 401, json: { ErrorCode: "PASWS006E", ErrorMessage: "Session expired." } };
  });
  return {
    tenant,
    drop: killAll,
    get logons() {
      return logons;
    },
    get staleAfterLogon() {
      return staleAfterLogon;
    },
    get staleArrivals() {
      return staleArrivals;
    },
  };
}

const servers: RuleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.tenant.close()));
});

describe("the stale-token rule", () => {
  it("1,000 concurrent calls across a session drop: one new logon, no failed call, no old token after the logon", async () => {
    const server = await ruleServer(1);
    servers.push(server);
    const client = makeClient(server.tenant);
    await client.gen2.GET("/Accounts"); // logged on
    const calls = Array.from({ length: 1000 }, () => client.gen2.GET("/Accounts").then(() => "ok", (e: unknown) => String(e)));
    setTimeout(() => server.drop(), 50); // while most of the burst waits its turn at the server
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o !== "ok")).toEqual([]);
    expect(server.staleAfterLogon).toBe(0);
    expect(server.staleArrivals).toBeGreaterThan(0); // the drop did hit requests on the wire
    expect(server.logons).toBe(2); // the first, and one after the drop
    await client.close();
  }, 60_000);

  it("after a known expiry, the requests still out with the old token are answered before the logon is sent", async () => {
    const server = await ruleServer(5);
    servers.push(server);
    const events: string[] = [];
    let lifetimeMs = 100;
    const client = makeClient(server.tenant, {
      auth: tokenProvider(async () => {
        // The provider logs on at the rule server, as a vault logon would, and knows the token's lifetime.
        events.push("logon");
        const r = await fetch(`${server.tenant.url}/PasswordVault/API/auth/CyberArk/Logon`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: USER, password: PASSWORD }),
        });
        const token = (await r.json()) as string;
        const expiresAt = Date.now() + lifetimeMs;
        lifetimeMs = 60_000;
        return { token, expiresAt };
      }),
    });
    const slow = Array.from({ length: 20 }, () => client.gen2.GET("/Accounts"));
    await new Promise((r) => setTimeout(r, 120)); // the token expired while they are on the wire
    server.drop(); // the server agrees: the token is stale now
    const more = Array.from({ length: 20 }, () => client.gen2.GET("/Accounts"));
    const results = await Promise.allSettled([...slow, ...more]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    // Requests still queued in the transport may reach the server after it dropped the token; none after the logon.
    expect(server.staleAfterLogon).toBe(0);
    expect(events.filter((e) => e === "logon")).toHaveLength(2);
    await client.close();
  }, 30_000);

  it("a call that was held up (a beforeRequest hook) while the session was renewed leaves with the new token", async () => {
    const server = await ruleServer(1);
    servers.push(server);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const client = makeClient(server.tenant, {
      hooks: { beforeRequest: [async (request) => (new URL(request.url).searchParams.has("held") ? gate : undefined)] },
    });
    await client.gen2.GET("/Accounts");
    const held = client.gen2.GET("/Accounts", { params: { query: { held: true } as never } });
    await new Promise((r) => setTimeout(r, 20)); // the held call has its session and waits in the hook
    server.drop();
    await client.gen2.GET("/Accounts"); // 401, logon, replay
    open();
    await held;
    expect(server.staleAfterLogon).toBe(0);
    expect(server.logons).toBe(2);
    await client.close();
  });
});

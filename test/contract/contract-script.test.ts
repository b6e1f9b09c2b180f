// `npm run contract -- --upstream <url>`: Prism as a validating proxy in front of a server that gives
// one answer off the contract. The report must name that answer, and only that one.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createCyberArkClient, ServerError, staticToken } from "../../src/index.js";
import { BASE_PATHS, readDocument } from "../../scripts/mock/documents.js";
import { deref, sampleValue, type Schema } from "./sample-values.js";
import { runScript, type ScriptRun } from "./script-runner.js";
import { startUpstream, type UpstreamServer } from "./upstream-server.js";

const fixture = fileURLToPath(new URL("./fixtures/mini-gen2.swagger.json", import.meta.url));
const auth = { authorization: "contract-test-token" };

let upstream: UpstreamServer | undefined;
let run: ScriptRun | undefined;
afterEach(async () => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGTERM");
  await run?.exited;
  await upstream?.close();
  run = undefined;
  upstream = undefined;
});

/** A body valid for the operation's 200 answer, and one that breaks it (a string property sent as a number). */
function answers(path: string): { valid: unknown; broken: Record<string, unknown> } {
  const doc = readDocument("gen2");
  const op = (doc.paths?.[path] as Record<string, { responses: Record<string, { content: Record<string, { schema: Schema }> }> }>)["get"];
  const schema = op!.responses["200"]!.content["application/json"]!.schema;
  const valid = sampleValue(doc, schema, path, "response");
  const properties = deref<Schema>(doc, schema).properties ?? {};
  const victim = Object.keys(properties).find((name) => deref<Schema>(doc, properties[name]!).type === "string");
  if (!victim) throw new Error(`${path}: no string property to break`);
  return { valid, broken: { ...(valid as Record<string, unknown>), [victim]: 12345 } };
}

describe("npm run contract (embedded spec, through the client)", () => {
  it("reports the one answer of the server that breaks the spec", async () => {
    const gen2 = BASE_PATHS.gen2;
    const safe = answers("/Safes/{safeUrlId}");
    const account = answers("/Accounts/{id}");
    upstream = await startUpstream({
      [`GET ${gen2}/Safes/Finance`]: { status: 200, body: safe.valid },
      [`GET ${gen2}/Accounts/12_3`]: { status: 200, body: account.broken },
    });
    run = runScript("scripts/contract.ts", ["--upstream", upstream.url]);
    const [, proxyUrl] = await run.waitFor(/Contract proxy listening on (http:\/\/127\.0\.0\.1:\d+)/, 170_000);

    const client = createCyberArkClient({
      deployment: { type: "self-hosted", url: proxyUrl!, allowInsecureHttp: true },
      auth: staticToken({ token: "contract-test-token" }),
      retry: false,
    });
    try {
      const { data } = await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId: "Finance" } } });
      expect(data).toEqual(safe.valid);
      // Prism replaces the off-contract answer with a 500 problem (--errors): the automation notices.
      await expect(client.gen2.GET("/Accounts/{id}", { params: { path: { id: "12_3" } } })).rejects.toBeInstanceOf(ServerError);
    } finally {
      await client.close();
    }

    await run.waitFor(/server answer broke the spec: GET \/PasswordVault\/API\/Accounts\/12_3 -> 500/);
    run.child.kill("SIGINT");
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stdout()).not.toMatch(/broke the spec: GET \/PasswordVault\/API\/Safes/);
    expect(run.stdout()).toContain("contract: 2 exchange(s) checked, 1 server answer(s) broke the spec, 0 request(s) broke the spec");
    expect(upstream.received).toEqual([`GET ${gen2}/Safes/Finance`, `GET ${gen2}/Accounts/12_3`]);
  }, 200_000);
});

describe("npm run contract (fixture spec)", () => {
  it("with --run, runs the command against the proxy and exits 0 when every answer keeps the contract", async () => {
    upstream = await startUpstream({
      "GET /PasswordVault/API/Safes/good": { status: 200, body: { safeName: "Finance", numberOfDaysRetention: 7 } },
    });
    const command =
      `"${process.execPath}" -e "fetch(process.env.CYBERARK_CONTRACT_URL + '/PasswordVault/API/Safes/good', ` +
      `{ headers: { authorization: 't' } }).then(r => process.exit(r.status === 200 ? 0 : 3))"`;
    run = runScript("scripts/contract.ts", ["--upstream", upstream.url, "--spec", fixture, "--run", command]);
    const { code } = await run.exited;
    expect(run.stdout()).toContain("contract: 1 exchange(s) checked, 0 server answer(s) broke the spec, 0 request(s) broke the spec");
    expect(code).toBe(0);
    expect(upstream.received).toEqual(["GET /PasswordVault/API/Safes/good"]);
  });

  it("reports requests that break the spec (missing body field, unknown path) without forwarding them", async () => {
    upstream = await startUpstream({ "GET /PasswordVault/API/Unknown": { status: 200, body: {} } });
    run = runScript("scripts/contract.ts", ["--upstream", upstream.url, "--spec", fixture, "--run", clientCommand(badRequests)]);
    const { code } = await run.exited;
    const out = run.stdout();
    expect(out).toMatch(/✖ request broke the spec \(not forwarded\): PUT \/PasswordVault\/API\/Safes\/x -> 422\n.*numberOfDaysRetention/);
    expect(out).toMatch(/✖ request broke the spec \(not forwarded\): GET \/PasswordVault\/API\/Unknown -> 404/);
    expect(out).toContain("contract: 2 exchange(s) checked, 0 server answer(s) broke the spec, 2 request(s) broke the spec");
    expect(code).toBe(1);
    expect(upstream.received).toEqual([]);
  });

  it("with --pass-through, hands the server's answers on and still reports them", async () => {
    upstream = await startUpstream({
      "GET /PasswordVault/API/Safes/bad": { status: 200, body: { safeName: "Finance", numberOfDaysRetention: "seven" } },
      "GET /PasswordVault/API/Unknown": { status: 200, body: {} },
    });
    run = runScript("scripts/contract.ts", ["--upstream", upstream.url, "--spec", fixture, "--pass-through"]);
    const [, proxyUrl] = await run.waitFor(/Contract proxy listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const bad = await fetch(`${proxyUrl}/PasswordVault/API/Safes/bad`, { headers: auth });
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({ safeName: "Finance", numberOfDaysRetention: "seven" });
    const unknown = await fetch(`${proxyUrl}/PasswordVault/API/Unknown`, { headers: auth });
    expect(unknown.status).toBe(200);
    await unknown.body?.cancel();
    await run.waitFor(/⚠ note: GET \/PasswordVault\/API\/Unknown -> 200/);
    run.child.kill("SIGINT");
    const { code } = await run.exited;
    expect(run.stdout()).toMatch(/✖ server answer broke the spec: GET \/PasswordVault\/API\/Safes\/bad -> 200/);
    expect(run.stdout()).toContain("contract: 2 exchange(s) checked, 1 server answer(s) broke the spec, 0 request(s) broke the spec, 1 warning(s)");
    expect(code).toBe(1);
    expect(upstream.received).toEqual(["GET /PasswordVault/API/Safes/bad", "GET /PasswordVault/API/Unknown"]);
  });
});

// numberOfDaysRetention missing from a required body; then a path the spec does not have.
const badRequests = [
  "const u = process.env.CYBERARK_CONTRACT_URL + '/PasswordVault/API';",
  "const h = { authorization: 't', 'content-type': 'application/json' };",
  "await fetch(u + '/Safes/x', { method: 'PUT', headers: h, body: JSON.stringify({ safeName: 'a' }) });",
  "await fetch(u + '/Unknown', { headers: h });",
].join(" ");

function clientCommand(moduleSource: string): string {
  return `"${process.execPath}" --input-type=module -e "${moduleSource}"`;
}

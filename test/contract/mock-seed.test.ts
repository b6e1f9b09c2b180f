// `--dynamic --seed <s>`: generated bodies that repeat. Prism seeds its generator per request, so with
// the same seed each request gets the same body on every run, whatever order the requests come in;
// another seed gives other bodies. (Session and platform tokens stay random: they are not examples.)
import { afterAll, describe, expect, it } from "vitest";
import { startMock, type RunningMock } from "../../scripts/mock/start-mock.js";

const ROUTES = [
  "/PasswordVault/API/Accounts?limit=5",
  "/PasswordVault/API/Safes/Finance",
  "/PasswordVault/WebServices/PIMServices.svc/Server",
  "/api/byok",
];

const started: RunningMock[] = [];
afterAll(async () => {
  await Promise.all(started.map((m) => m.close()));
});

async function bodies(seed: string, order: readonly string[]): Promise<Record<string, string>> {
  const mock = await startMock({ dynamic: true, seed, startTimeoutMs: 170_000 });
  started.push(mock);
  const out: Record<string, string> = {};
  for (const route of order) {
    const res = await fetch(`${mock.url}${route}`, { headers: { authorization: "any-token" } });
    expect(res.status, route).toBe(200);
    out[route] = await res.text();
  }
  return out;
}

describe("startMock({ dynamic: true, seed })", () => {
  it("the same seed gives the same bodies across runs, in any request order; another seed other bodies", async () => {
    const [first, again, other] = await Promise.all([
      bodies("contract-seed-1", ROUTES),
      bodies("contract-seed-1", [...ROUTES].reverse()),
      bodies("contract-seed-2", ROUTES),
    ]);
    expect(again).toEqual(first);
    for (const route of ROUTES) expect(other[route], route).not.toBe(first[route]);
  }, 200_000);

  it("refuses a seed without dynamic (Prism would ignore it)", async () => {
    await expect(startMock({ seed: "contract-seed-1" })).rejects.toThrow(/seed only applies with dynamic/);
  });
});

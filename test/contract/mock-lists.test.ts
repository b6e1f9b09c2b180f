// A tenant's lists end; Prism's never do (the same example page for every offset, a nextLink and a
// count of -2147483648). Through the mock, paginate() ends after the one page the front lets through,
// whose total (count / Total) is the number of items on it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCyberArkClient, staticToken, type CyberArkClient, type PrivilegeCloudDeployment, type SelfHostedDeployment } from "../../src/index.js";
import { mockTenant } from "./mock-state.js";

let url: string;
let selfHosted: CyberArkClient<SelfHostedDeployment>;
let cloud: CyberArkClient<PrivilegeCloudDeployment>;
beforeAll(async () => {
  url = (await mockTenant()).url;
  const common = { auth: staticToken({ token: "any-token" }), retry: false as const };
  selfHosted = createCyberArkClient({ ...common, deployment: { type: "self-hosted", url, allowInsecureHttp: true } });
  cloud = createCyberArkClient({
    ...common,
    deployment: { type: "privilege-cloud", subdomain: "mock", allowInsecureHttp: true, overrides: { pvwaRoot: url, pcloudRoot: url } },
  });
});
afterAll(async () => {
  await selfHosted?.close();
  await cloud?.close();
});

/** Every page of a listing; the listing must end (a never-ending one rejects as truncated). */
async function pages<T>(listing: { byPage(): AsyncIterableIterator<{ items: T[]; total: number | undefined; continuation: unknown }> }) {
  const all: Array<{ items: T[]; total: number | undefined; continuation: unknown }> = [];
  for await (const page of listing.byPage()) all.push(page);
  return all;
}

describe("paginate() against the mock ends", () => {
  // nextLink + count (Accounts, Safes); offset paging with Total (LiveSessions: Offset/Limit, Users: pageOffset/pageSize).
  it.concurrent.each(["/Accounts", "/Safes", "/LiveSessions", "/Users"] as const)("Gen 2 %s: one page, no continuation, the total counts its items", async (path) => {
    const listed = await pages(selfHosted.paginate(path));
    expect(listed).toHaveLength(1);
    expect(listed[0]!.items.length).toBeGreaterThan(0);
    expect(listed[0]!.continuation).toBeUndefined();
    expect(listed[0]!.total ?? listed[0]!.items.length).toBe(listed[0]!.items.length);
  });

  it.concurrent("Privilege Cloud /discovered-accounts (nextLink, no total)", async () => {
    const listed = await pages(cloud.paginate.pcloud("/discovered-accounts"));
    expect(listed).toHaveLength(1);
    expect(listed[0]!.continuation).toBeUndefined();
  });

  it.concurrent("the last page carries no nextLink and a count equal to its items", async () => {
    const res = await fetch(`${url}/PasswordVault/API/Accounts?offset=0&limit=50`, { headers: { authorization: "any-token" } });
    const body = (await res.json()) as { value: unknown[]; count: number; nextLink?: string };
    expect(body).not.toHaveProperty("nextLink");
    expect(body.count).toBe(body.value.length);
  });
});

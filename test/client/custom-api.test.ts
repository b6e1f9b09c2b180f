// createCyberArkClient({ api }): the given api's operations table, not the bundled one, drives
// paging and the retry rules of the client.
import { afterEach, describe, expect, it } from "vitest";
import { createCyberArkClient, vaultLogon, type CyberArkClientOptions } from "../../src/index.js";
import type { FakeTenant } from "../support/fake-tenant.js";
import { PASSWORD, USER, vaultTenant } from "./helpers.js";
import { widgetApi } from "./widget-api.js";

const WIDGETS = Array.from({ length: 5 }, (_, i) => ({ id: `w${i}`, color: "red" }));

let tenant: FakeTenant | undefined;
const clients: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await tenant?.close();
  tenant = undefined;
});

async function start(): Promise<{ tenant: FakeTenant; options: CyberArkClientOptions<{ type: "self-hosted"; url: string; allowInsecureHttp: true }> }> {
  ({ tenant } = await vaultTenant());
  const options = {
    deployment: { type: "self-hosted" as const, url: tenant.url, allowInsecureHttp: true as const },
    auth: vaultLogon({ username: USER, password: PASSWORD }),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    proxy: false as const,
  };
  return { tenant, options };
}

describe("createCyberArkClient with a custom api", () => {
  it("pages with the custom table's paging entry (its item key, parameter names and page cap)", async () => {
    const { tenant, options } = await start();
    tenant.authed("GET", "/PasswordVault/API/Widgets", (req) => {
      const skip = Number(req.query.get("skip") ?? "0");
      const take = Number(req.query.get("take") ?? "100");
      return { json: { Widgets: WIDGETS.slice(skip, skip + take), Total: WIDGETS.length } };
    });
    const client = createCyberArkClient({ ...options, api: widgetApi });
    clients.push(client);

    const ids: string[] = [];
    for await (const widget of client.paginate("/Widgets", { params: { query: { color: "red" } } }, { readAhead: 0 })) ids.push(widget.id ?? "");

    expect(ids).toEqual(WIDGETS.map((w) => w.id));
    const pages = tenant.requestsTo("GET", "/PasswordVault/API/Widgets");
    expect(pages.map((r) => [r.query.get("skip"), r.query.get("take")])).toEqual([["0", "2"], ["2", "2"], ["4", "2"]]);
    expect(pages.every((r) => r.query.get("color") === "red")).toBe(true);
    expect(client.operation("gen2", "GET", "/Widgets")?.operationId).toBe("Widgets_List");
    expect(client.operation("gen2", "GET", "/Accounts")).toBeUndefined();
  });

  it("takes secretChange from the custom table: its PUT is not retried, while the bundled client retries the same PUT", async () => {
    const { tenant, options } = await start();
    let calls = 0;
    tenant.authed("PUT", "/PasswordVault/API/Widgets/w1", () => (calls++ % 2 === 0 ? { status: 503 } : { json: { id: "w1", color: "blue" } }));

    const custom = createCyberArkClient({ ...options, api: widgetApi });
    clients.push(custom);
    const error = await custom.gen2.PUT("/Widgets/{id}", { params: { path: { id: "w1" } }, body: { color: "blue" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(tenant.requestsTo("PUT", "/PasswordVault/API/Widgets/w1")).toHaveLength(1);

    // Control: the bundled table has no such row, so PUT is retried by method.
    calls = 0; // the same 503-then-200 script again
    const bundled = createCyberArkClient(options);
    clients.push(bundled);
    const put = bundled.gen2.PUT as unknown as (path: string, init: unknown) => Promise<{ data?: unknown }>;
    const result = await put("/Widgets/{id}", { params: { path: { id: "w1" } }, body: { color: "blue" } });
    expect(result.data).toEqual({ id: "w1", color: "blue" });
    expect(tenant.requestsTo("PUT", "/PasswordVault/API/Widgets/w1")).toHaveLength(3);
  });
});

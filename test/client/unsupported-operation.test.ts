// Operations the tables mark as existing on one kind of deployment only: refused before anything is
// sent on a client of the other kind (UnsupportedOperationError), or sent with one warning per
// operation when the client allows it.
import { afterEach, describe, expect, it } from "vitest";
import type { CyberArkClientOptions } from "../../src/client.js";
import type { OperationTable } from "../../src/core/operation.js";
import { staticToken } from "../../src/auth/index.js";
import { CyberArkError } from "../../src/errors/base.js";
import { UnsupportedOperationError } from "../../src/errors/unsupported-operation.js";
import { UnsupportedOperationError as Exported } from "../../src/index.js";
import { createTestClient, type TestTables } from "../support/test-client.js";
import { startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { fixtureApi, type FixtureGen1Paths, type FixturePaths } from "./fixture-api.js";

const TOKEN = "Canary-Token-5d0c2e9a";
const PAGING = { style: "nextLink", items: "value", total: "count", offsetParam: "offset", limitParam: "limit" } as const;

const tables = {
  gen2: {
    ...fixtureApi.gen2,
    "GET /Accounts": { operationId: "Accounts_GetAccounts", deployment: "both", paging: PAGING },
    "GET /Themes": { operationId: "Themes_GetThemes", deployment: "self-hosted" },
    "GET /Accounts/{id}": { operationId: "Accounts_GetAccount", deployment: "privilege-cloud" },
    // No deployment at all: both.
    "DELETE /Accounts/{id}": { operationId: "Accounts_DeleteAccount" },
  } satisfies OperationTable,
  gen1: { "GET /PIMServices.svc/Server": { operationId: "Server_GetServer", deployment: "self-hosted" } } satisfies OperationTable,
  pcloud: {},
};
const pagedSelfHosted: TestTables = {
  ...tables,
  gen2: { ...tables.gen2, "GET /Accounts": { operationId: "Accounts_GetAccounts", deployment: "self-hosted", paging: PAGING } },
};

let t: FakeTenant | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function answeringTenant(): Promise<FakeTenant> {
  t = await startFakeTenant();
  t.route("GET", /.*/, () => ({ json: { value: [], count: 0 } }));
  t.route("DELETE", /.*/, () => ({ status: 204 }));
  return t;
}

function client(kind: "self-hosted" | "privilege-cloud", extra: Partial<CyberArkClientOptions> = {}, api: TestTables = tables) {
  const deployment =
    kind === "self-hosted"
      ? ({ type: "self-hosted", url: t!.url, allowInsecureHttp: true } as const)
      : ({ type: "privilege-cloud", subdomain: "mycompany", allowInsecureHttp: true, overrides: { pvwaRoot: t!.url, pcloudRoot: t!.url } } as const);
  return createTestClient<FixturePaths, FixtureGen1Paths>({ deployment, auth: staticToken({ token: TOKEN }), proxy: false, retry: false, ...extra }, api);
}

describe("an operation of the other deployment", () => {
  it("self-hosted-only on a Privilege Cloud client: UnsupportedOperationError, nothing sent", async () => {
    const tenant = await answeringTenant();
    const c = client("privilege-cloud");
    const error = await c.gen2.GET("/Themes").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toBeInstanceOf(Exported);
    expect(error).toBeInstanceOf(CyberArkError);
    expect(error).toMatchObject({
      kind: "UNSUPPORTED_OPERATION",
      method: "GET",
      pathTemplate: "/Themes",
      operationId: "Themes_GetThemes",
      operationDeployment: "self-hosted",
      deployment: "privilege-cloud",
    });
    expect((error as Error).message).toBe(
      "GET /Themes (Themes_GetThemes) exists only on self-hosted PAM (PVWA), and this client is for Privilege Cloud; nothing was sent " +
        "(set allowOperationsOfOtherDeployment: true on the client to send it anyway)",
    );
    expect((error as UnsupportedOperationError).toJSON()).toMatchObject({ kind: "UNSUPPORTED_OPERATION", operationDeployment: "self-hosted" });
    // Gen 1 too.
    await expect(c.gen1.GET("/PIMServices.svc/Server")).rejects.toBeInstanceOf(UnsupportedOperationError);
    await c.close();
    expect(tenant.requests).toHaveLength(0);
  });

  it("Privilege-Cloud-only on a self-hosted client: UnsupportedOperationError, nothing sent", async () => {
    const tenant = await answeringTenant();
    const c = client("self-hosted");
    const error = await c.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_2" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({ operationDeployment: "privilege-cloud", deployment: "self-hosted" });
    expect((error as Error).message).toMatch(/^GET \/Accounts\/\{id\} \(Accounts_GetAccount\) exists only on Privilege Cloud, and this client is for self-hosted PAM/);
    await c.close();
    expect(tenant.requests).toHaveLength(0);
  });

  it("a listing of the other deployment fails at its first page, before any request", async () => {
    const tenant = await answeringTenant();
    const c = client("privilege-cloud", {}, pagedSelfHosted);
    // These tables are not the fixture's types: paginate is called untyped.
    const paginate = c.paginate as unknown as (path: string) => AsyncIterable<unknown>;
    const pages = paginate("/Accounts")[Symbol.asyncIterator]();
    await expect(pages.next()).rejects.toBeInstanceOf(UnsupportedOperationError);
    await c.close();
    expect(tenant.requests).toHaveLength(0);
  });

  it("operations of both deployments, or without a deployment, are sent on either", async () => {
    const tenant = await answeringTenant();
    for (const kind of ["self-hosted", "privilege-cloud"] as const) {
      const c = client(kind);
      await c.gen2.GET("/Accounts");
      await c.gen2.DELETE("/Accounts/{id}", { params: { path: { id: "1_2" } } });
      await c.close();
    }
    // And an operation on its own deployment.
    const own = client("self-hosted");
    await own.gen2.GET("/Themes");
    await own.close();
    expect(tenant.requests.map((r) => `${r.method} ${r.pathname}`)).toEqual([
      "GET /PasswordVault/API/Accounts",
      "DELETE /PasswordVault/API/Accounts/1_2",
      "GET /PasswordVault/API/Accounts",
      "DELETE /PasswordVault/API/Accounts/1_2",
      "GET /PasswordVault/API/Themes",
    ]);
  });
});

describe("another spelling of an operation's path finds its row, as the server's routing does", () => {
  /** The typed clients take only the tables' spellings; a caller's own strings go in untyped. */
  type Loose = { GET(path: string, init?: object): Promise<unknown>; DELETE(path: string, init?: object): Promise<unknown> };

  it.each([
    ["gen2", "/Themes/"],
    ["gen2", "/themes"],
    ["gen2", "/THEMES//"],
    ["gen2", "/Themes?view=all"],
    ["gen2", "/Themes#top"],
    ["gen2", "/Accounts/../Themes"],
    ["gen2", "/Themes/."],
    ["gen2", "/%54hemes"],
    ["gen2", "\\Themes"],
    ["gen2", "/The\tmes"],
    ["gen1", "/pimservices.svc/SERVER/"],
  ] as const)("a self-hosted-only operation spelled %s %s on a Privilege Cloud client: refused, nothing sent", async (base, path) => {
    const tenant = await answeringTenant();
    const c = client("privilege-cloud");
    const error = await (c[base] as unknown as Loose).GET(path).catch((e: unknown) => e);
    await c.close();
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({ operationDeployment: "self-hosted", deployment: "privilege-cloud", pathTemplate: path });
    expect(tenant.requests).toHaveLength(0);
  });

  it("a Privilege-Cloud-only operation with other parameter names, case and a trailing slash on a self-hosted client: refused", async () => {
    const tenant = await answeringTenant();
    const c = client("self-hosted");
    const gen2 = c.gen2 as unknown as Loose;
    for (const path of ["/Accounts/{accountId}", "/accounts/{ID}/", "/ACCOUNTS/{x}//"]) {
      const error = await gen2.GET(path, { params: { path: { accountId: "1_2", ID: "1_2", x: "1_2" } } }).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(UnsupportedOperationError);
      expect(error).toMatchObject({ operationId: "Accounts_GetAccount", operationDeployment: "privilege-cloud" });
    }
    // The same path with another method is another operation (DELETE: both deployments).
    await gen2.DELETE("/accounts/{accountId}/", { params: { path: { accountId: "1_2" } } });
    await c.close();
    expect(tenant.requests.map((r) => `${r.method} ${r.pathname}`)).toEqual(["DELETE /PasswordVault/API/accounts/1_2/"]);
  });

  it("a path the server would route elsewhere finds no row: no leading slash, above the base, another segment", async () => {
    const tenant = await answeringTenant();
    const c = client("privilege-cloud");
    for (const path of ["Themes", "/../Themes", "/Themes/x", "/Themes%2F"]) expect(c.operation("gen2", "GET", path), path).toBeUndefined();
    expect(c.operation("gen2", "get", "/THEMES/")).toMatchObject({ operationId: "Themes_GetThemes" });
    await c.close();
    expect(tenant.requests).toHaveLength(0);
  });
});

describe("allowOperationsOfOtherDeployment", () => {
  it("sends the operation, with one warning per operation (not per call), and only on that client", async () => {
    const tenant = await answeringTenant();
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => void warnings.push(args) };
    const allowing = client("privilege-cloud", { allowOperationsOfOtherDeployment: true, logger });
    await allowing.gen2.GET("/Themes");
    await allowing.gen2.GET("/Themes");
    await allowing.gen1.GET("/PIMServices.svc/Server");
    expect(tenant.requestsTo("GET", "/PasswordVault/API/Themes")).toHaveLength(2);
    expect(tenant.requestsTo("GET", "/PasswordVault/WebServices/PIMServices.svc/Server")).toHaveLength(1);
    expect(warnings).toEqual([
      [
        "sending GET /Themes, which exists only on self-hosted, to a privilege-cloud deployment (allowOperationsOfOtherDeployment)",
        { method: "GET", pathTemplate: "/Themes", operationId: "Themes_GetThemes" },
      ],
      [
        "sending GET /PIMServices.svc/Server, which exists only on self-hosted, to a privilege-cloud deployment (allowOperationsOfOtherDeployment)",
        { method: "GET", pathTemplate: "/PIMServices.svc/Server", operationId: "Server_GetServer" },
      ],
    ]);
    // A second client with the default still refuses: nothing is shared.
    const strict = client("privilege-cloud", { logger });
    await expect(strict.gen2.GET("/Themes")).rejects.toBeInstanceOf(UnsupportedOperationError);
    await allowing.close();
    await strict.close();
  });

  it("must be a boolean", async () => {
    await answeringTenant();
    expect(() => client("self-hosted", { allowOperationsOfOtherDeployment: "yes" as never })).toThrow(/allowOperationsOfOtherDeployment must be true or false/);
  });
});

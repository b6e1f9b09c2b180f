// Compile-only (checked by `npm run typecheck`, not run by vitest): the public client is typed by
// the generated API. Each @ts-expect-error must stay an error, each expectTypeOf must hold.
import { expectTypeOf } from "vitest";
import type { Gen2Components, Gen1Paths } from "../../generated/index.js";
import { createCyberArkClient, platformToken, vaultLogon, type CyberArkClient, type SelfHostedDeployment, type PrivilegeCloudDeployment } from "../../src/index.js";

type Schemas = Gen2Components["schemas"];

declare const selfHosted: CyberArkClient<SelfHostedDeployment>;
declare const cloud: CyberArkClient<PrivilegeCloudDeployment>;

export async function typedCalls(): Promise<void> {
  // @ts-expect-error unknown Gen 2 path
  await selfHosted.gen2.GET("/Acounts");
  // @ts-expect-error paths are relative to the base: no /PasswordVault/API prefix
  await selfHosted.gen2.GET("/PasswordVault/API/Accounts");
  // @ts-expect-error a Gen 1 path on the Gen 2 client
  await selfHosted.gen2.GET("/PIMServices.svc/Server");
  // @ts-expect-error the path exists but not with this method
  await selfHosted.gen2.PUT("/Accounts");
  // @ts-expect-error the id path parameter is required
  await selfHosted.gen2.GET("/Accounts/{id}");
  // @ts-expect-error savedFilter only takes the documented values
  await selfHosted.gen2.GET("/Accounts", { params: { query: { savedFilter: "Everything" } } });
  // @ts-expect-error limit is a number
  await selfHosted.gen2.GET("/Accounts", { params: { query: { limit: "1000" } } });
  // @ts-expect-error safeName and platformId are required to add an account
  await selfHosted.gen2.POST("/Accounts", { body: { address: "db01" } });
  // @ts-expect-error secretType is "password" | "key"
  await selfHosted.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P", secretType: "pin" } });
  // @ts-expect-error per-call timeout is a number
  await selfHosted.gen2.GET("/Accounts", { timeoutMs: "5s" });
  // @ts-expect-error a self-hosted client has no pcloud client
  await selfHosted.pcloud.GET("/discovered-accounts");

  const page = await selfHosted.gen2.GET("/Accounts", { params: { query: { savedFilter: "Favorites", limit: 1000 } } });
  expectTypeOf(page.data).toEqualTypeOf<Schemas["AccountsList"]>();

  const added = await selfHosted.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P", secret: "x" } });
  expectTypeOf(added.data).not.toBeUndefined();

  const password = await selfHosted.gen2.POST("/Accounts/{id}/Password/Retrieve", { params: { path: { id: "1_1" } }, body: { reason: "r" } });
  expectTypeOf(password.data).toEqualTypeOf<string>();

  const server = await selfHosted.gen1.GET("/PIMServices.svc/Server");
  type ServerBody = Gen1Paths["/PIMServices.svc/Server"]["get"]["responses"][200]["content"]["application/json"];
  expectTypeOf(server.data.ExternalVersion).toEqualTypeOf<ServerBody["ExternalVersion"]>();
  expectTypeOf(server.data.ExternalVersion).toEqualTypeOf<string | undefined>();

  for await (const account of selfHosted.paginate("/Accounts", { params: { query: { savedFilter: "Favorites" } } }, { readAhead: 2 })) {
    expectTypeOf(account).toEqualTypeOf<Schemas["Account"]>();
  }
  // @ts-expect-error only paged operations can be paginated
  selfHosted.paginate("/Accounts/{id}");

  expectTypeOf(cloud.pcloud.GET).toBeFunction();
}

export function factoryTypes(): void {
  const sh = createCyberArkClient({ deployment: { type: "self-hosted", url: "https://pvwa" }, auth: vaultLogon({ username: "u", password: "p" }) });
  expectTypeOf(sh.pcloud).toEqualTypeOf<undefined>();
  const pc = createCyberArkClient({ deployment: { type: "privilege-cloud", subdomain: "x" }, auth: platformToken({ clientId: "a", clientSecret: "b" }) });
  expectTypeOf(pc.pcloud).not.toBeUndefined();
  // @ts-expect-error auth is required
  createCyberArkClient({ deployment: { type: "self-hosted", url: "https://pvwa" } });
}

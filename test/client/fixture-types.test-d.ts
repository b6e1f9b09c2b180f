// Compile-only (checked by `npm run typecheck`, not run by vitest): the typed wrapper narrows
// paths, params, bodies and results. Every @ts-expect-error line must stay an error.
import { expectTypeOf } from "vitest";
import type { Account } from "./fixture-api.js";
import type { TestClient } from "./helpers.js";

declare const client: TestClient;

export async function typedCalls(): Promise<void> {
  // @ts-expect-error unknown path
  await client.gen2.GET("/NoSuchPath");
  // @ts-expect-error the path exists but has no GET
  await client.gen2.GET("/Accounts/{id}/Change", { params: { path: { id: "1" } } });
  // @ts-expect-error required path parameter missing
  await client.gen2.GET("/Accounts/{id}");
  // @ts-expect-error path parameter of the wrong name
  await client.gen2.GET("/Accounts/{id}", { params: { path: { accountId: "1" } } });
  // @ts-expect-error query parameter of the wrong type
  await client.gen2.GET("/Accounts", { params: { query: { limit: "ten" } } });
  // @ts-expect-error body field of the wrong type
  await client.gen2.POST("/Accounts", { body: { safeName: 1, platformId: "P" } });
  // @ts-expect-error required body field missing
  await client.gen2.POST("/Accounts", { body: { safeName: "S" } });
  // @ts-expect-error body required
  await client.gen2.POST("/Accounts");
  // @ts-expect-error retry is options or false
  await client.gen2.GET("/Accounts", { retry: "yes" });
  // @ts-expect-error Gen 1 paths are not Gen 2 paths
  await client.gen2.GET("/PIMServices.svc/Server");

  const list = await client.gen2.GET("/Accounts", { params: { query: { search: "x", limit: 10 } }, timeoutMs: 5_000, retry: { limit: 1 } });
  expectTypeOf(list.data).toEqualTypeOf<{ value?: Account[]; count?: number; nextLink?: string }>();
  expectTypeOf(list.response).toEqualTypeOf<Response>();

  const one = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } });
  expectTypeOf(one.data).toEqualTypeOf<Account>();

  const created = await client.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P" } });
  expectTypeOf(created.data).toEqualTypeOf<Account>();

  const removed = await client.gen2.DELETE("/Accounts/{id}", { params: { path: { id: "1_1" } } });
  expectTypeOf(removed.data).toEqualTypeOf<undefined>();

  const password = await client.gen2.POST("/Accounts/{id}/Password/Retrieve", { params: { path: { id: "1_1" } }, body: { reason: "r" } });
  expectTypeOf(password.data).toEqualTypeOf<string>();

  const asText = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } }, parseAs: "text" });
  expectTypeOf(asText.data).toEqualTypeOf<string>();

  const server = await client.gen1.GET("/PIMServices.svc/Server");
  expectTypeOf(server.data.ExternalVersion).toEqualTypeOf<string | undefined>();
}

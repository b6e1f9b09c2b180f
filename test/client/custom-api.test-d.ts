// Compile-only (checked by `npm run typecheck`, not run by vitest): with an `api` option the client
// takes its paths from that api, not from the bundled generation. Each @ts-expect-error must stay an error.
import { expectTypeOf } from "vitest";
import { api as bundledApi } from "../../generated/index.js";
import {
  createCyberArkClient,
  vaultLogon,
  type ClientApi,
  type CyberArkClient,
  type Gen2Components,
  type SelfHostedDeployment,
} from "../../src/index.js";
import { widgetApi, type Widget, type WidgetApi } from "./widget-api.js";

const deployment = { type: "self-hosted", url: "https://pvwa" } as const;
const auth = vaultLogon({ username: "u", password: "p" });

export async function customApiTypes(): Promise<void> {
  const client = createCyberArkClient({ deployment, auth, api: widgetApi });
  expectTypeOf(client).toEqualTypeOf<CyberArkClient<typeof deployment, WidgetApi>>();

  const list = await client.gen2.GET("/Widgets", { params: { query: { color: "red" } } });
  expectTypeOf(list.data.Widgets).toEqualTypeOf<Widget[] | undefined>();
  await client.gen2.PUT("/Widgets/{id}", { params: { path: { id: "w1" } }, body: { color: "blue" } });
  // @ts-expect-error a bundled Gen 2 path the custom api does not have
  await client.gen2.GET("/Accounts");
  // @ts-expect-error color is required by the custom api's PUT body
  await client.gen2.PUT("/Widgets/{id}", { params: { path: { id: "w1" } }, body: {} });
  // @ts-expect-error the custom api has no Gen 1 paths
  await client.gen1.GET("/PIMServices.svc/Server");

  for await (const widget of client.paginate("/Widgets", { params: { query: { color: "red" } } })) {
    expectTypeOf(widget).toEqualTypeOf<Widget>();
  }
  // @ts-expect-error a bundled paged path the custom api does not have
  client.paginate("/Accounts");
  // @ts-expect-error the custom api's PUT is not a paged operation
  client.paginate("/Widgets/{id}");
  // @ts-expect-error self-hosted: still no pcloud client
  await client.pcloud.GET("/anything");
}

export function bundledApiTypes(): void {
  // The generated `api` fits the option, and passing it explicitly types the client as the default does.
  expectTypeOf(bundledApi).toMatchTypeOf<ClientApi>();
  const implicit = createCyberArkClient({ deployment, auth });
  const explicit = createCyberArkClient({ deployment, auth, api: bundledApi });
  expectTypeOf(explicit).toEqualTypeOf(implicit);
  expectTypeOf(implicit).toEqualTypeOf<CyberArkClient<typeof deployment>>();
  // ReturnType reads the last overload: existing `ReturnType<typeof createCyberArkClient>` users keep the bundled types.
  type Returned = ReturnType<typeof createCyberArkClient>;
  expectTypeOf<Returned["gen2"]>().toEqualTypeOf<CyberArkClient["gen2"]>();
  expectTypeOf<Returned["gen1"]>().toEqualTypeOf<CyberArkClient["gen1"]>();
  expectTypeOf<Returned["pcloud"]>().toEqualTypeOf<CyberArkClient["pcloud"]>();
  expectTypeOf<Returned["paginate"]>().toEqualTypeOf<CyberArkClient["paginate"]>();
  const asDefault: CyberArkClient<SelfHostedDeployment> = explicit;
  // @ts-expect-error a client of another api is not the bundled client
  const notDefault: CyberArkClient<SelfHostedDeployment> = createCyberArkClient({ deployment, auth, api: widgetApi });
  void asDefault;
  void notDefault;

  // Schema types of the bundled generation are reachable from the package entry point.
  expectTypeOf<Gen2Components["schemas"]["Account"]>().not.toBeAny();

  // @ts-expect-error an api must carry all three tables
  createCyberArkClient({ deployment, auth, api: { gen2: {}, gen1: {} } });
}

// A client over hand-written path types and operation tables (the shape the generator emits), so
// client behaviour can be tested without the full generated API.
import { createCyberArkClient, type ClientApi, type CyberArkClient, type CyberArkClientOptions } from "../../src/client.js";
import type { Deployment } from "../../src/deployment.js";
import type { OperationTable } from "../../src/core/operation.js";

export interface TestTables {
  gen2: OperationTable;
  gen1: OperationTable;
  pcloud: OperationTable;
}

type TestApi<Gen2 extends {}, Gen1 extends {}, Pcloud extends {}> = ClientApi & {
  readonly __paths?: { readonly gen2: Gen2; readonly gen1: Gen1; readonly pcloud: Pcloud };
};

export type TestClient<Gen2 extends {}, Gen1 extends {} = {}, Pcloud extends {} = {}> = CyberArkClient<Deployment, TestApi<Gen2, Gen1, Pcloud>>;

export function createTestClient<Gen2 extends {}, Gen1 extends {} = {}, Pcloud extends {} = {}>(
  options: Omit<CyberArkClientOptions, "api">,
  tables: TestTables,
): TestClient<Gen2, Gen1, Pcloud> {
  const api = tables as TestApi<Gen2, Gen1, Pcloud>;
  return createCyberArkClient({ ...options, api });
}

// This project's client, pointed at a local benchmark server: a ready session token, default
// retry and error handling, explicit opt-in to http:// for 127.0.0.1, no proxy from the environment.
import { createCyberArkClient, staticToken, type CyberArkClient, type SelfHostedDeployment } from "../../src/index.js";
import type { AccountGetter } from "./single-account.js";
import type { ItemSink } from "./vault-listing.js";
import { BENCH_TOKEN } from "./token.js";

export type BenchClient = CyberArkClient<SelfHostedDeployment>;

export function createBenchClient(root: string): BenchClient {
  return createCyberArkClient({
    deployment: { type: "self-hosted", url: root, allowInsecureHttp: true },
    auth: staticToken({ token: BENCH_TOKEN }),
    proxy: false,
  });
}

export function clientAccountGetter(root: string): AccountGetter {
  const client = createBenchClient(root);
  return {
    async get(id) {
      // Throws a typed error on any non-2xx; retries 429/5xx by the default rules.
      const { data } = await client.gen2.GET("/Accounts/{id}", { params: { path: { id } } });
      return data;
    },
    close: () => client.close(),
  };
}

export function clientLister(root: string, pageSize: number, readAhead: number): { list(sink: ItemSink): Promise<void>; close(): Promise<void> } {
  const client = createBenchClient(root);
  return {
    async list(sink) {
      for await (const account of client.paginate("/Accounts", {}, { readAhead, pageSize })) sink(account);
    },
    close: () => client.close(),
  };
}

// This project's client, pointed at a local benchmark server: a ready session token, default
// retry and error handling, explicit opt-in to http:// for 127.0.0.1, no proxy from the environment.
import { pathToFileURL } from "node:url";
import { createCyberArkClient, staticToken, type CyberArkClient, type SelfHostedDeployment } from "../../src/index.js";
import type { AccountGetter } from "./single-account.js";
import type { ItemSink } from "./vault-listing.js";
import { BENCH_TOKEN } from "./token.js";

export type BenchClient = CyberArkClient<SelfHostedDeployment>;

/** The client module's entry points: this checkout's src, or another checkout's (benchmark 1's previous core). */
interface ClientModule {
  createCyberArkClient: typeof createCyberArkClient;
  staticToken: typeof staticToken;
}
// Named, not a namespace import: keeps esbuild's tree shaking of this checkout's client as before.
const current: ClientModule = { createCyberArkClient, staticToken };

export function createBenchClient(root: string, lib: ClientModule = current): BenchClient {
  return lib.createCyberArkClient({
    deployment: { type: "self-hosted", url: root, allowInsecureHttp: true },
    auth: lib.staticToken({ token: BENCH_TOKEN }),
    proxy: false,
  });
}

function accountGetter(client: BenchClient): AccountGetter {
  return {
    async get(id) {
      // Throws a typed error on any non-2xx; retries 429/5xx by the default rules.
      const { data } = await client.gen2.GET("/Accounts/{id}", { params: { path: { id } } });
      return data;
    },
    close: () => client.close(),
  };
}

export function clientAccountGetter(root: string): AccountGetter {
  return accountGetter(createBenchClient(root));
}

/**
 * The same getter on another checkout's client core. `modulePath` is that checkout's src/index.ts
 * bundled to JavaScript (bench children run plain node); its API is assumed to match this one's.
 */
export async function previousCoreAccountGetter(root: string, modulePath?: string): Promise<AccountGetter> {
  if (!modulePath) throw new Error("baseline-client variant needs the bundled BENCH_BASELINE_SRC module");
  const lib = (await import(pathToFileURL(modulePath).href)) as ClientModule;
  return accountGetter(createBenchClient(root, lib));
}

/** Lists every account with paginate(); `readAhead` undefined leaves it to the client's default. */
export function clientLister(root: string, pageSize: number, readAhead: number | undefined): { list(sink: ItemSink): Promise<void>; close(): Promise<void> } {
  const client = createBenchClient(root);
  const options = readAhead === undefined ? { pageSize } : { readAhead, pageSize };
  return {
    async list(sink) {
      for await (const account of client.paginate("/Accounts", {}, options)) sink(account);
    },
    close: () => client.close(),
  };
}

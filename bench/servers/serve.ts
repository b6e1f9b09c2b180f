// Child-process entry hosting one benchmark server on 127.0.0.1 (port chosen by the OS), so the
// server's work does not share an event loop with the client being measured. It announces its
// port, answers "stats"/"reset" calls, and ends when the parent disconnects or its time is up.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { announce, serveCalls } from "../lib/ipc.js";
import { createAccountServer } from "./account-server.js";
import { createRateLimitedServer, type RateLimitOptions } from "./rate-limited-server.js";
import type { BenchServer } from "./types.js";
import { createVaultListingServer, type VaultListingOptions } from "./vault-listing-server.js";

export type ServerSpec =
  | { kind: "account" }
  | ({ kind: "vault-listing" } & VaultListingOptions)
  | ({ kind: "rate-limited" } & RateLimitOptions);

export interface ServeArgs {
  spec: ServerSpec;
  /** The process exits after this long whatever happens. */
  maxLifetimeMs: number;
}

function build(spec: ServerSpec): BenchServer {
  switch (spec.kind) {
    case "account":
      return createAccountServer();
    case "vault-listing":
      return createVaultListingServer(spec);
    case "rate-limited":
      return createRateLimitedServer(spec);
  }
}

const args = JSON.parse(process.argv[2] ?? "{}") as ServeArgs;
const bench = build(args.spec);
const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  // The benchmark requests carry no body; drain anything else so sockets are reused.
  req.resume();
  bench.handle(req, res);
});
setTimeout(() => process.exit(3), args.maxLifetimeMs).unref();

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveCalls(
    {
      stats: () => bench.stats(),
      reset: () => bench.reset(),
    },
    () => {
      server.closeAllConnections();
      server.close();
    },
  );
  announce("listening", { port });
});

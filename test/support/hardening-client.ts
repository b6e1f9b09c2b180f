// One place where the hardening suite builds a client through the public entry point: a
// self-hosted deployment pointed at a 127.0.0.1 test server over http (opted in), no proxy, and
// the caller's auth and options. The typed clients are also offered through a loose view because
// the hardening inputs (hostile path values, arbitrary routes) are generated, not typed.
import { createCyberArkClient, type CyberArkClient, type CyberArkClientOptions, type SelfHostedDeployment } from "../../src/index.js";

export interface LooseInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: false | Record<string, unknown>;
  parseAs?: "json" | "text";
}

export interface LooseResult {
  data: unknown;
  response: Response;
}

export interface LooseApi {
  GET(path: string, init?: LooseInit): Promise<LooseResult>;
  POST(path: string, init?: LooseInit): Promise<LooseResult>;
  PUT(path: string, init?: LooseInit): Promise<LooseResult>;
  DELETE(path: string, init?: LooseInit): Promise<LooseResult>;
}

export type HardeningClient = CyberArkClient<SelfHostedDeployment> & { api: LooseApi; gen1Api: LooseApi };

export type HardeningOptions = Omit<CyberArkClientOptions, "deployment"> & {
  /** Identity tenant URL for platform tokens (a path on a test server). */
  identityUrl?: string;
};

export function hardeningClient(serverUrl: string, options: HardeningOptions): HardeningClient {
  const { identityUrl, ...rest } = options;
  const deployment: SelfHostedDeployment = { type: "self-hosted", url: serverUrl, allowInsecureHttp: true };
  if (identityUrl !== undefined) deployment.overrides = { identityUrl };
  const client = createCyberArkClient({ deployment, proxy: false, ...rest });
  return Object.assign(client, {
    api: client.gen2 as unknown as LooseApi,
    gen1Api: client.gen1 as unknown as LooseApi,
  });
}

/** Base path of the Gen 2 API below the server root for the deployment above. */
export const GEN2_PREFIX = "/PasswordVault/API";

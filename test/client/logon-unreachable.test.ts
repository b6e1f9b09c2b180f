// A logon that gets no answer names the logon and the host (and port, unless the scheme's default) it
// tried, for every logon kind: a refused connection (a closed port on 127.0.0.1) is a NetworkError, a
// logon request that outlives the time limit a TimeoutError.
import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gen1Logon, pkiLogon, pkipnLogon, platformToken, radiusLogon, samlLogon, vaultLogon } from "../../src/auth/index.js";
import type { AuthStrategy } from "../../src/auth/types.js";
import { createAuthContext } from "../../src/core/auth-context.js";
import { resolveDeployment, type Deployment } from "../../src/deployment.js";
import { networkError, NetworkError } from "../../src/errors/network.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import { createLogger, SecretRegistry } from "../../src/logging/logger.js";
import { makeClient, PASSWORD, USER, vaultTenant } from "./helpers.js";
import type { FakeTenant } from "../support/fake-tenant.js";

const SECRET = "Canary-ClientSecret-77aa";

/** A port on 127.0.0.1 that nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Kind {
  strategy: () => AuthStrategy;
  /** The name the strategy gives its logon. */
  name: string;
  path: string;
  /** Logs on at the Identity tenant (the API root is elsewhere). */
  identity?: boolean;
}

const KINDS: Record<string, Kind> = {
  "vault (CyberArk)": { strategy: () => vaultLogon({ username: USER, password: PASSWORD }), name: "cyberark", path: "/PasswordVault/API/auth/CyberArk/Logon" },
  "vault (LDAP)": { strategy: () => vaultLogon({ method: "LDAP", username: USER, password: PASSWORD }), name: "ldap", path: "/PasswordVault/API/auth/LDAP/Logon" },
  "Gen 1": {
    strategy: () => gen1Logon({ username: USER, password: PASSWORD }),
    name: "gen1",
    path: "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc/Logon",
  },
  RADIUS: { strategy: () => radiusLogon({ username: USER, password: PASSWORD, otp: "123456" }), name: "radius", path: "/PasswordVault/API/auth/RADIUS/Logon" },
  SAML: { strategy: () => samlLogon({ samlResponse: async () => "PHNhbWw-canary" }), name: "saml", path: "/PasswordVault/API/auth/SAML/Logon" },
  PKI: { strategy: () => pkiLogon(), name: "pki", path: "/PasswordVault/API/auth/PKI/Logon" },
  PKIPN: { strategy: () => pkipnLogon(), name: "pkipn", path: "/PasswordVault/API/auth/PKIPN/Logon" },
  "platform token (Identity tenant)": {
    strategy: () => platformToken({ clientId: "svc", clientSecret: SECRET }),
    name: "platform-token",
    path: "/oauth2/platformtoken",
    identity: true,
  },
};
const kinds = Object.entries(KINDS);

function deploymentAt(root: string, kind: Kind): Deployment {
  // The platform token goes to the Identity tenant: the API root is another (here unused) address.
  return kind.identity
    ? { type: "privilege-cloud", subdomain: "mycompany", allowInsecureHttp: true, overrides: { pvwaRoot: "http://127.0.0.2:9", identityUrl: root } }
    : { type: "self-hosted", url: root, allowInsecureHttp: true };
}

describe("a closed port on 127.0.0.1", () => {
  it.each(kinds)("%s: NetworkError naming the logon, the request and 127.0.0.1:<port>", async (_, kind) => {
    const port = await closedPort();
    // A client is all makeClient needs a tenant for: its url.
    const client = makeClient({ url: `http://127.0.0.1:${port}` } as FakeTenant, { deployment: deploymentAt(`http://127.0.0.1:${port}`, kind), auth: kind.strategy() });
    const error = await client.logon().catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe(`logon (${kind.name}): POST ${kind.path} got no response from 127.0.0.1:${port}: ECONNREFUSED`);
    expect(error).toMatchObject({ method: "POST", urlPath: kind.path });
    for (const canary of [PASSWORD, SECRET, "PHNhbWw-canary"]) expect(JSON.stringify(error) + String(error)).not.toContain(canary);
  });
});

it("a logoff that gets no answer names the logoff and the host", async () => {
  const { tenant } = await vaultTenant();
  const host = new URL(tenant.url).host;
  const client = makeClient(tenant);
  await client.logon();
  await tenant.close();
  const error = await client.logoff().catch((e: unknown) => e);
  await client.close();
  expect(error).toBeInstanceOf(NetworkError);
  expect((error as Error).message).toBe(`logoff (cyberark): POST /PasswordVault/API/Auth/Logoff got no response from ${host}: ECONNREFUSED`);
});

describe("at the logon's own context (no network: a fake exchange)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function context(kind: Kind, root: string, exchange: Parameters<typeof createAuthContext>[0]["exchange"]) {
    const secrets = new SecretRegistry();
    return createAuthContext({
      deployment: resolveDeployment(deploymentAt(root, kind)),
      exchange,
      read: async (response) => response.arrayBuffer(),
      secrets,
      logger: createLogger(undefined, secrets),
      timeoutMs: 5_000,
      what: `logon (${kind.name})`,
    });
  }

  /** Never answers: the request waits until its signal ends it, with the signal's reason. */
  const hanging: Parameters<typeof createAuthContext>[0]["exchange"] = (_request, options) =>
    new Promise((_, reject) => options?.signal?.addEventListener("abort", () => reject(options.signal!.reason)));

  it.each(kinds)("%s: a logon request past timeoutMs is a TimeoutError naming the host and its port", async (_, kind) => {
    vi.useFakeTimers();
    const ctx = context(kind, "https://pvwa.example.com:8443", hanging);
    const logon = kind.strategy().logon(ctx).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await logon;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe(`logon (${kind.name}): POST ${kind.path} to pvwa.example.com:8443 did not finish within 5000 ms`);
  });

  it.each(kinds)("%s: the scheme's default port is not named (TimeoutError and NetworkError)", async (_, kind) => {
    vi.useFakeTimers();
    const timing = kind.strategy().logon(context(kind, "https://pvwa.example.com", hanging)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await timing as Error).message).toBe(`logon (${kind.name}): POST ${kind.path} to pvwa.example.com did not finish within 5000 ms`);

    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const failing = context(kind, "https://pvwa.example.com:443", async (request) => {
      throw networkError(request.method, request.url, refused);
    });
    const error = await kind.strategy().logon(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe(`logon (${kind.name}): POST ${kind.path} got no response from pvwa.example.com: ECONNREFUSED`);
  });
});

// Shared by the examples: one client built from environment variables, so no example carries
// credentials. In your own project import from "cyberark-pam-client" instead of "../src/index.js".
//
//   CYBERARK_URL       self-hosted PVWA, e.g. https://pvwa.example.com   (or CYBERARK_TENANT)
//   CYBERARK_TENANT    Privilege Cloud subdomain, e.g. mycompany
//   CYBERARK_TOKEN     a session/platform token, or instead:
//   CYBERARK_CLIENT_ID + CYBERARK_CLIENT_SECRET   Privilege Cloud service user (platform token); the
//                      Identity URL comes from CYBERARK_IDENTITY_URL or else from platform discovery
//   CYBERARK_USERNAME + CYBERARK_PASSWORD   vault (CyberArk) logon
//   CYBERARK_ALLOW_HTTP=1   allow an http:// CYBERARK_URL (a local mock only)
import {
  createCyberArkClient,
  discoverPrivilegeCloud,
  platformToken,
  staticToken,
  vaultLogon,
  type AuthStrategy,
  type CyberArkClient,
  type Deployment,
} from "../src/index.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see examples/client-from-env.ts)`);
  return value;
}

function authFromEnv(privilegeCloud: boolean): AuthStrategy {
  const token = process.env.CYBERARK_TOKEN;
  if (token) return staticToken({ token, scheme: privilegeCloud ? "bearer" : "raw" });
  const clientId = process.env.CYBERARK_CLIENT_ID;
  if (clientId) return platformToken({ clientId, clientSecret: required("CYBERARK_CLIENT_SECRET") });
  return vaultLogon({ username: required("CYBERARK_USERNAME"), password: required("CYBERARK_PASSWORD") });
}

export async function clientFromEnv(): Promise<CyberArkClient> {
  const tenant = process.env.CYBERARK_TENANT;
  let deployment: Deployment;
  if (!tenant) {
    deployment = { type: "self-hosted", url: required("CYBERARK_URL"), allowInsecureHttp: process.env.CYBERARK_ALLOW_HTTP === "1" };
  } else {
    const identityUrl = process.env.CYBERARK_IDENTITY_URL;
    // Only a service user needs the Identity URL; ask platform discovery when it is not given.
    const needsIdentity = !process.env.CYBERARK_TOKEN && Boolean(process.env.CYBERARK_CLIENT_ID);
    deployment =
      needsIdentity && !identityUrl
        ? (await discoverPrivilegeCloud(tenant)).deployment
        : { type: "privilege-cloud", subdomain: tenant, ...(identityUrl ? { identityUrl } : {}) };
  }
  return createCyberArkClient({ deployment, auth: authFromEnv(deployment.type === "privilege-cloud") });
}

/** Optional cap on listed items (MAX_ITEMS); unset means "everything". */
export function maxItemsFromEnv(): number {
  const raw = process.env.MAX_ITEMS;
  return raw ? Math.max(1, Number.parseInt(raw, 10) || 1) : Number.POSITIVE_INFINITY;
}

/** Prints rows as an aligned text table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

// Shared by the examples: one client built from environment variables, so no example carries
// credentials. In your own project import from "cyberark-pam-client" instead of "../src/index.js".
//
//   CYBERARK_URL       self-hosted PVWA, e.g. https://pvwa.example.com   (or CYBERARK_TENANT)
//   CYBERARK_TENANT    Privilege Cloud subdomain, e.g. mycompany
//   CYBERARK_TOKEN     a session/platform token, or instead:
//   CYBERARK_USERNAME + CYBERARK_PASSWORD   vault (CyberArk) logon
//   CYBERARK_ALLOW_HTTP=1   allow http:// (a local mock only)
import { createCyberArkClient, staticToken, vaultLogon, type AuthStrategy, type CyberArkClient, type Deployment } from "../src/index.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see examples/client-from-env.ts)`);
  return value;
}

function authFromEnv(privilegeCloud: boolean): AuthStrategy {
  const token = process.env.CYBERARK_TOKEN;
  if (token) return staticToken({ token, scheme: privilegeCloud ? "bearer" : "raw" });
  return vaultLogon({ username: required("CYBERARK_USERNAME"), password: required("CYBERARK_PASSWORD") });
}

export function clientFromEnv(): CyberArkClient {
  const allowInsecureHttp = process.env.CYBERARK_ALLOW_HTTP === "1";
  const tenant = process.env.CYBERARK_TENANT;
  const deployment: Deployment = tenant
    ? { type: "privilege-cloud", subdomain: tenant, allowInsecureHttp }
    : { type: "self-hosted", url: required("CYBERARK_URL"), allowInsecureHttp };
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

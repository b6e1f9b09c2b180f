// Shared by the examples: a client built from environment variables (so no example carries credentials),
// the examples' other settings, and runExample(), which every example runs its work through. The
// settings and how to run each example (against a tenant or the local mock) are in examples/README.md.
// In your own project import from "cyberark-pam-client" instead of "../src/index.js".
import {
  ConfigurationError,
  CyberArkError,
  createCyberArkClient,
  discoverPrivilegeCloud,
  platformToken,
  staticToken,
  vaultLogon,
  type AuthStrategy,
  type CyberArkClient,
  type Deployment,
} from "../src/index.js";

/** A setting or argument that is missing or wrong: runExample prints its message as one line and exits with 2. */
export class UsageError extends Error {}

/**
 * Runs an example's work and sets the exit code: what `main` returns (0 when nothing), 2 for a UsageError,
 * 1 for an error of the client (a CyberArkError: LogonFailedError, NetworkError...). Both print one line to
 * stderr, no stack trace; the client's messages never contain secrets. Anything else is a bug: printed whole.
 */
export function runExample(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message} (see examples/README.md)`);
        process.exitCode = 2;
      } else if (error instanceof CyberArkError) {
        console.error(`${error.name} [${error.kind}]: ${error.message.replace(/\s*\n\s*/g, " ")}`);
        process.exitCode = 1;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  );
}

/** A setting's value; empty counts as unset. */
function setting(name: string): string | undefined {
  return process.env[name]?.trim() || undefined;
}

/** A secret's value, untrimmed; empty counts as unset. */
function secret(name: string): string | undefined {
  return process.env[name] || undefined;
}

const WHO = "CYBERARK_USERNAME + CYBERARK_PASSWORD, CYBERARK_TOKEN or CYBERARK_CLIENT_ID + CYBERARK_CLIENT_SECRET";

/** The logon the environment asks for; what is missing goes to `missing`. */
function authFromEnv(privilegeCloud: boolean, missing: string[]): AuthStrategy | undefined {
  const token = secret("CYBERARK_TOKEN");
  if (token) return staticToken({ token, scheme: privilegeCloud ? "bearer" : "raw" });
  const clientId = setting("CYBERARK_CLIENT_ID");
  const username = setting("CYBERARK_USERNAME");
  const [user, password, label] = clientId
    ? [clientId, secret("CYBERARK_CLIENT_SECRET"), "CYBERARK_CLIENT_SECRET (the secret of CYBERARK_CLIENT_ID)"]
    : [username, secret("CYBERARK_PASSWORD"), "CYBERARK_PASSWORD (the password of CYBERARK_USERNAME)"];
  if (!user) missing.push(WHO);
  else if (!password) missing.push(label);
  else return clientId ? platformToken({ clientId: user, clientSecret: password }) : vaultLogon({ username: user, password });
  return undefined;
}

/** The client the CYBERARK_* variables describe; a missing or wrong one is a UsageError naming it. */
export async function clientFromEnv(): Promise<CyberArkClient> {
  const url = setting("CYBERARK_URL");
  const tenant = setting("CYBERARK_TENANT");
  const missing: string[] = [];
  if (!url && !tenant) missing.push("CYBERARK_URL (your PVWA, e.g. https://pvwa.example.com) or CYBERARK_TENANT (your Privilege Cloud subdomain)");
  const auth = authFromEnv(Boolean(tenant), missing);
  if (missing.length > 0 || !auth) throw new UsageError(`set ${missing.join(", and ")}`);
  if (url && tenant) throw new UsageError("set CYBERARK_URL (self-hosted PVWA) or CYBERARK_TENANT (Privilege Cloud), not both");
  if (url && !secret("CYBERARK_TOKEN") && setting("CYBERARK_CLIENT_ID")) throw new UsageError("CYBERARK_CLIENT_ID is a Privilege Cloud service user: set CYBERARK_TENANT, not CYBERARK_URL");

  const allowHttp = setting("CYBERARK_ALLOW_HTTP");
  if (allowHttp !== undefined && allowHttp !== "1") throw new UsageError("CYBERARK_ALLOW_HTTP must be 1 or unset");
  // Checked here, not by the client: it would take "pvwa" for the host https://pvwa and look that name up.
  if (url && !(/^https?:\/\/./i.test(url) && URL.canParse(url))) throw new UsageError("CYBERARK_URL must be a URL such as https://pvwa.example.com");
  if (url?.toLowerCase().startsWith("http://") && !allowHttp) {
    throw new UsageError("CYBERARK_URL uses http://: set CYBERARK_ALLOW_HTTP=1 to allow it (a local mock only)");
  }

  const identityUrl = setting("CYBERARK_IDENTITY_URL");
  // Only a service user needs the Identity URL; ask platform discovery when it is not given.
  const discover = !url && !identityUrl && !secret("CYBERARK_TOKEN") && Boolean(setting("CYBERARK_CLIENT_ID"));
  try {
    const deployment: Deployment = url
      ? { type: "self-hosted", url, allowInsecureHttp: allowHttp === "1" }
      : discover
        ? (await discoverPrivilegeCloud(tenant ?? "")).deployment
        : { type: "privilege-cloud", subdomain: tenant ?? "", ...(identityUrl ? { identityUrl } : {}) };
    return createCyberArkClient({ deployment, auth });
  } catch (error) {
    // The client's own check of a value (a web page's address, a portal URL...): name the variable.
    if (!(error instanceof ConfigurationError)) throw error;
    const variable = /identityUrl/.test(error.message) ? "CYBERARK_IDENTITY_URL" : url ? "CYBERARK_URL" : "CYBERARK_TENANT";
    throw new UsageError(`${variable}: ${error.message}`);
  }
}

/** A whole-number setting such as MAX_ITEMS, at least `min`; `fallback` when unset. */
export function numberFromEnv(name: string, fallback: number, min = 1): number {
  const raw = setting(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  return value;
}

/** Optional cap on listed items (MAX_ITEMS); unset means "everything". */
export function maxItemsFromEnv(): number {
  return numberFromEnv("MAX_ITEMS", Number.POSITIVE_INFINITY);
}

/** Prints rows as an aligned text table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

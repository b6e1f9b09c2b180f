// A ConfigurationError may quote an address the user gave, but never the secrets a pasted address
// carries: user name, password, query and fragment, nor a password pasted whole into the field. For
// every option that takes a URL, canaries are placed in each of those spots of addresses that fail in
// each way an option can (no URL at all, a bad port, credentials, a query, a page, the portal, the
// wrong scheme), and no message, toJSON or util.inspect may hold them, in any letter case or encoding.
// Nothing leaves the machine: clients are only created, discovery is given an aborted signal.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { platformToken, vaultLogon } from "../../src/auth/index.js";
import { createCyberArkClient } from "../../src/client.js";
import { discoverPrivilegeCloud } from "../../src/discovery/platform-discovery.js";
import { ConfigurationError } from "../../src/errors/configuration.js";

/** Each placement's canary, told apart so a leak names its spot. */
const USER = "CnryUserName4Qz";
const PASS = "CnryPa55word7Xk";
const QUERY = "CnryQueryTok3nVb";
const FRAGMENT = "CnryFragment9Wd";
/** Passwords pasted whole into an address field, in shapes that do not parse as a host. */
const WHOLE = ["Cnry Whole Pa55 1", "CnryWhole:Pa55w2", "Cnry%Whole#Pa55?3", "CnryWhole\\Pa55/4 x"];

/** The addresses each option gets, `host` being a host that option accepts. */
function values(host: string): string[] {
  return [
    // Not a URL at all (bad port, white space, a broken IPv6 literal), credentials and query still inside.
    `https://${USER}:${PASS}@${host}:99999/PasswordVault/?token=${QUERY}#${FRAGMENT}`,
    `https://${USER}:${PASS}@${host} x/?token=${QUERY}`,
    `https://${USER}:${PASS}@[::1/?token=${QUERY}`,
    `${USER}:${PASS}@${host}:70000`,
    `https://${host}:99999/?password=${QUERY}`,
    `https://${host}:99999/#${FRAGMENT}`,
    // A URL, refused for its credentials, query or fragment, or for what it points at.
    `https://${USER}:${PASS}@${host}/`,
    `https://${PASS}@${host}/PasswordVault/v10/logon`,
    `https://${host}/?token=${QUERY}`,
    `https://${host}/PasswordVault/v10/logon?ReturnUrl=%2F&password=${QUERY}`,
    `https://${host}/PasswordVault/API/Accounts?search=x&token=${QUERY}#${FRAGMENT}`,
    `https://${host}/PasswordVault/#${FRAGMENT}`,
    `http://${host}/?token=${QUERY}`,
    `ftp://${USER}:${PASS}@${host}/?token=${QUERY}`,
    `https://${USER}:${PASS}@acme.cyberark.cloud/privilegecloud/?token=${QUERY}`,
    `https://acme.cyberark.cloud/privilegecloud/?token=${QUERY}#${FRAGMENT}`,
    `https://${USER}:${PASS}@acme.example.com/?token=${QUERY}`,
    ...WHOLE,
  ];
}

const CANARIES = [USER, PASS, QUERY, FRAGMENT, ...WHOLE];

/** Every form a canary could take in the text: as given, percent-encoded (a URL parser does that), JSON-escaped. */
function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return CANARIES.filter((canary) =>
    [canary, encodeURIComponent(canary), encodeURI(canary), JSON.stringify(canary).slice(1, -1)].some((form) => lower.includes(form.toLowerCase())),
  );
}

const vault = vaultLogon({ username: "u", password: "pw-not-a-canary" });
const token = platformToken({ clientId: "svc", clientSecret: "secret-not-a-canary" });

/** Every option that takes an address, fed `value`; resolves to what it threw (undefined: accepted). */
const OPTIONS: Record<string, { host: string; run: (value: string) => Promise<unknown> }> = {
  "deployment.url": { host: "pvwa.corp", run: (v) => client({ deployment: { type: "self-hosted", url: v }, auth: vault }) },
  "self-hosted overrides.pvwaRoot": {
    host: "pvwa.corp",
    run: (v) => client({ deployment: { type: "self-hosted", url: "https://pvwa.corp", overrides: { pvwaRoot: v } }, auth: vault }),
  },
  "self-hosted overrides.identityUrl": {
    host: "abc1234.id.cyberark.cloud",
    run: (v) => client({ deployment: { type: "self-hosted", url: "https://pvwa.corp", overrides: { identityUrl: v } }, auth: vault }),
  },
  subdomain: { host: "acme.privilegecloud.cyberark.cloud", run: (v) => client({ deployment: { type: "privilege-cloud", subdomain: v }, auth: token }) },
  identityUrl: {
    host: "abc1234.id.cyberark.cloud",
    run: (v) => client({ deployment: { type: "privilege-cloud", subdomain: "acme", identityUrl: v }, auth: token }),
  },
  "privilege-cloud overrides.pvwaRoot": {
    host: "pvwa.corp",
    run: (v) => client({ deployment: { type: "privilege-cloud", subdomain: "acme", overrides: { pvwaRoot: v } }, auth: token }),
  },
  "privilege-cloud overrides.pcloudRoot": {
    host: "pcloud.corp",
    run: (v) => client({ deployment: { type: "privilege-cloud", subdomain: "acme", overrides: { pcloudRoot: v } }, auth: token }),
  },
  "privilege-cloud overrides.identityUrl": {
    host: "abc1234.id.cyberark.cloud",
    run: (v) => client({ deployment: { type: "privilege-cloud", subdomain: "acme", overrides: { identityUrl: v } }, auth: token }),
  },
  proxy: { host: "proxy.corp", run: (v) => client({ deployment: { type: "self-hosted", url: "https://pvwa.corp" }, auth: vault, proxy: v }) },
  "discoverPrivilegeCloud(subdomainOrUrl)": { host: "acme.privilegecloud.cyberark.cloud", run: (v) => discover(v, {}) },
  "discoverPrivilegeCloud discoveryUrl": { host: "discovery.corp", run: (v) => discover("acme", { discoveryUrl: v }) },
  "discoverPrivilegeCloud proxy": { host: "proxy.corp", run: (v) => discover("acme", { proxy: v }) },
};

async function client(options: Parameters<typeof createCyberArkClient>[0]): Promise<unknown> {
  try {
    await createCyberArkClient({ proxy: false, ...options }).close();
    return undefined;
  } catch (error) {
    return error;
  }
}

async function discover(subdomainOrUrl: string, options: Parameters<typeof discoverPrivilegeCloud>[1]): Promise<unknown> {
  // Aborted before anything is sent: only the option checks in front of the request can answer.
  return discoverPrivilegeCloud(subdomainOrUrl, { proxy: false, signal: AbortSignal.abort(), ...options }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("no ConfigurationError quotes a secret a user-given address carries", () => {
  it.each(Object.keys(OPTIONS))("%s", async (name) => {
    const { host, run } = OPTIONS[name]!;
    let refused = 0;
    for (const value of values(host)) {
      const error = await run(value);
      if (!(error instanceof ConfigurationError)) continue;
      refused++;
      const surfaces = [error.message, String(error), JSON.stringify(error), inspect(error, { showHidden: true, depth: 5 })].join("\n");
      expect(leaks(surfaces), `${name} = ${JSON.stringify(value)}\n${error.message}`).toEqual([]);
    }
    // Most addresses are refused by every option (a proxy takes a query): the property is not checked on nothing.
    expect(refused).toBeGreaterThanOrEqual(8);
  });

  it("still quotes the safe part, saying what was removed", async () => {
    const error = await OPTIONS["deployment.url"]!.run(`https://${USER}:${PASS}@pvwa.corp:99999/PasswordVault/?token=${QUERY}`);
    expect((error as Error).message).toBe('deployment.url is not a valid URL: "https://pvwa.corp:99999/…" (user name and password, query removed)');
    const query = await OPTIONS["identityUrl"]!.run(`https://abc1234.id.cyberark.cloud/?token=${QUERY}#${FRAGMENT}`);
    expect((query as Error).message).toBe('identityUrl must not contain a query or fragment: "https://abc1234.id.cyberark.cloud/" (query, fragment removed)');
    const whole = await OPTIONS["deployment.url"]!.run(WHOLE[0]!);
    expect((whole as Error).message).toBe("deployment.url is not a valid URL (the value is not quoted: it may hold a secret)");
  });
});

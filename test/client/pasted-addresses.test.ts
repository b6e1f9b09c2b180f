// Web UI and other non-root addresses pasted as a deployment's URL: refused when the client is created,
// with the API root to use instead; the harmless shapes (root, /PasswordVault, /PasswordVault/API) keep
// working. No host name here is ever resolved.
import { describe, expect, it } from "vitest";
import { createCyberArkClient, vaultLogon } from "../../src/index.js";
import { resolveDeployment, type Deployment } from "../../src/deployment.js";
import { ConfigurationError } from "../../src/errors/configuration.js";

function refusal(deployment: Deployment): string {
  try {
    resolveDeployment(deployment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(deployment)}`);
}
const selfHosted = (url: string, applicationName?: string): Deployment => ({ type: "self-hosted", url, ...(applicationName ? { applicationName } : {}) });

describe("self-hosted: a PVWA web page or operation URL", () => {
  it.each([
    ["https://pvwa.example.com/PasswordVault/v10/logon", "/PasswordVault/v10/logon"],
    ["https://pvwa.example.com/PasswordVault/v10/", "/PasswordVault/v10"],
    ["https://pvwa.example.com/PasswordVault/v10/Accounts?view=grid", "/PasswordVault/v10/Accounts"],
    ["https://pvwa.example.com/PasswordVault/logon.aspx", "/PasswordVault/logon.aspx"],
    ["https://pvwa.example.com/PasswordVault/default.aspx?ReturnUrl=%2fPasswordVault#top", "/PasswordVault/default.aspx"],
    ["HTTPS://PVWA.Example.COM/passwordvault/V10/LOGON/", "/passwordvault/V10/LOGON"],
    ["https://pvwa.example.com/PasswordVault/API/Accounts", "/PasswordVault/API/Accounts"],
    ["https://pvwa.example.com/PasswordVault/api/auth/CyberArk/Logon/", "/PasswordVault/api/auth/CyberArk/Logon"],
    ["https://pvwa.example.com/PasswordVault/WebServices/PIMServices.svc", "/PasswordVault/WebServices/PIMServices.svc"],
    ["https://pvwa.example.com/v10/logon", "/v10/logon"],
    ["pvwa.example.com/PasswordVault/v10/logon", "/PasswordVault/v10/logon"],
  ])("%s: refused, naming https://pvwa.example.com as the API root and what to drop", (url, dropped) => {
    const message = refusal(selfHosted(url));
    expect(message).toMatch(/^deployment\.url "[^"?#]*"(?: \((?:query|fragment|query, fragment) removed\))? is the address of a web page or an operation, not the API root: /);
    expect(message).toContain(`https://pvwa.example.com is the API root; drop ${dropped}`);
    // Never the query or fragment: they are not the user's to see again, and may hold anything.
    expect(message).not.toMatch(/ReturnUrl|view=grid|#top/);
  });

  it("keeps a reverse-proxy prefix and a port in the root it names", () => {
    expect(refusal(selfHosted("https://proxy.example.com:8443/cyberark/PasswordVault/v10/logon"))).toContain(
      "https://proxy.example.com:8443/cyberark is the API root; drop /PasswordVault/v10/logon",
    );
  });

  it("names the application of a web page when it is not the configured one", () => {
    expect(refusal(selfHosted("https://pvwa.example.com/PVWA/v10/logon"))).toContain(
      'https://pvwa.example.com is the API root, with applicationName "PVWA"; drop /PVWA/v10/logon',
    );
    // Configured, it is recognised as the application.
    expect(refusal(selfHosted("https://pvwa.example.com/PVWA/v10/logon", "PVWA"))).toContain("https://pvwa.example.com is the API root; drop /PVWA/v10/logon");
    expect(resolveDeployment(selfHosted("https://pvwa.example.com/pvwa/", "PVWA")).gen2Base).toBe("https://pvwa.example.com/PVWA/API");
  });

  it("a /privilegecloud portal path: the root, and the Privilege Cloud deployment when the host is a tenant's", () => {
    expect(refusal(selfHosted("https://mycompany.privilegecloud.cyberark.cloud/privilegecloud/"))).toBe(
      'deployment.url "https://mycompany.privilegecloud.cyberark.cloud/privilegecloud/" is the address of a web page or an operation, not the API root: ' +
        'https://mycompany.privilegecloud.cyberark.cloud is the API root; drop /privilegecloud (for Privilege Cloud: { type: "privilege-cloud", subdomain: "mycompany" })',
    );
    expect(refusal(selfHosted("https://pam.example.com/PrivilegeCloud"))).toContain("https://pam.example.com is the API root; drop /PrivilegeCloud");
  });

  it("the Privilege Cloud portal host, whatever the case, trailing slash, query or fragment: the API URL to use", () => {
    for (const url of [
      "https://mycompany.cyberark.cloud/privilegecloud",
      "https://MyCompany.CyberArk.Cloud/PrivilegeCloud/",
      "https://mycompany.cyberark.cloud/privilegecloud/?tab=accounts#x",
    ]) {
      for (const deployment of [selfHosted(url), { type: "privilege-cloud", subdomain: url } as const]) {
        expect(refusal(deployment)).toMatch(/is the Privilege Cloud portal \(web UI\) address, not the API\. Use https:\/\/mycompany\.privilegecloud\.cyberark\.cloud \(or subdomain "mycompany"\)$/);
      }
    }
  });

  it("overrides.pvwaRoot gets the same check", () => {
    expect(refusal({ type: "self-hosted", url: "https://pvwa.example.com", overrides: { pvwaRoot: "https://10.0.0.5/PasswordVault/v10/logon" } })).toContain(
      'overrides.pvwaRoot "https://10.0.0.5/PasswordVault/v10/logon" is the address',
    );
    expect(
      refusal({ type: "privilege-cloud", subdomain: "mycompany", overrides: { pvwaRoot: "https://10.0.0.5/PasswordVault/logon.aspx" } }),
    ).toContain("https://10.0.0.5 is the API root; drop /PasswordVault/logon.aspx");
  });

  it("createCyberArkClient refuses them before anything else happens", () => {
    expect(() =>
      createCyberArkClient({ deployment: selfHosted("https://pvwa.example.com/PasswordVault/v10/logon"), auth: vaultLogon({ username: "u", password: "Canary-pw-1" }), proxy: false }),
    ).toThrow("https://pvwa.example.com is the API root; drop /PasswordVault/v10/logon");
  });
});

describe("what keeps working", () => {
  it.each([
    "https://pvwa.example.com",
    "https://pvwa.example.com/",
    "https://pvwa.example.com/PasswordVault",
    "https://pvwa.example.com/PasswordVault/",
    "https://pvwa.example.com/PasswordVault//",
    "https://PVWA.example.com/passwordvault/API/",
    "https://pvwa.example.com/PasswordVault/WebServices",
  ])("self-hosted %s", (url) => {
    expect(resolveDeployment(selfHosted(url)).gen2Base).toBe("https://pvwa.example.com/PasswordVault/API");
  });

  it("a reverse-proxy prefix that only looks like a page segment, before the application", () => {
    expect(resolveDeployment(selfHosted("https://proxy.example.com/v10/PasswordVault/API")).gen2Base).toBe("https://proxy.example.com/v10/PasswordVault/API");
  });

  it("a Privilege Cloud API URL with any path: only its host is read (a pasted web page included)", () => {
    for (const subdomain of [
      "https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/v10/logon",
      "https://MyCompany.PrivilegeCloud.CyberArk.Cloud/PasswordVault/logon.aspx/",
    ]) {
      expect(resolveDeployment({ type: "privilege-cloud", subdomain }).gen2Base).toBe("https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/API");
    }
  });

  it("a query or fragment stays refused; for a Privilege Cloud API URL the message names the URL to use", () => {
    expect(refusal(selfHosted("https://pvwa.example.com/PasswordVault/?x=1"))).toBe('deployment.url must not contain a query or fragment: "https://pvwa.example.com/PasswordVault/" (query removed)');
    expect(refusal({ type: "privilege-cloud", subdomain: "https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/v10/logon?ReturnUrl=x" })).toBe(
      'subdomain must not contain a query or fragment: use https://mycompany.privilegecloud.cyberark.cloud (or subdomain "mycompany")',
    );
  });
});

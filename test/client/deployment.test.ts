import { describe, expect, it } from "vitest";
import { resolveDeployment } from "../../src/deployment.js";
import { subdomainOf } from "../../src/discovery/platform-discovery.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import { parseSubdomain } from "../../src/subdomain.js";

describe("self-hosted deployment URLs", () => {
  it.each([
    "https://pvwa.example.com",
    "https://pvwa.example.com/",
    "https://pvwa.example.com/PasswordVault",
    "https://pvwa.example.com/PasswordVault/",
    "https://pvwa.example.com/passwordvault/api",
    "https://pvwa.example.com/PasswordVault/API/",
    "https://PVWA.example.com/PasswordVault/WebServices",
    "https://pvwa.example.com/PASSWORDVAULT/webservices/",
    "pvwa.example.com",
  ])("normalises %s", (url) => {
    const d = resolveDeployment({ type: "self-hosted", url });
    expect(d.gen2Base).toBe("https://pvwa.example.com/PasswordVault/API");
    expect(d.gen1Base).toBe("https://pvwa.example.com/PasswordVault/WebServices");
    expect(d.pcloudBase).toBeUndefined();
    expect([...d.tokenOrigins]).toEqual(["https://pvwa.example.com"]);
  });

  it("keeps a reverse-proxy prefix and a port", () => {
    const d = resolveDeployment({ type: "self-hosted", url: "https://proxy.example.com:8443/cyberark/PasswordVault/API" });
    expect(d.gen2Base).toBe("https://proxy.example.com:8443/cyberark/PasswordVault/API");
  });

  it("uses a custom IIS application name and strips it when pasted", () => {
    const d = resolveDeployment({ type: "self-hosted", url: "https://pvwa.example.com/PVWA/api/", applicationName: "PVWA" });
    expect(d.gen2Base).toBe("https://pvwa.example.com/PVWA/API");
    expect(d.gen1Base).toBe("https://pvwa.example.com/PVWA/WebServices");
  });

  it("refuses http:// unless allowInsecureHttp is set", () => {
    expect(() => resolveDeployment({ type: "self-hosted", url: "http://pvwa.example.com" })).toThrow(ConfigurationError);
    expect(() => resolveDeployment({ type: "self-hosted", url: "http://pvwa.example.com" })).toThrow(/allowInsecureHttp/);
    const d = resolveDeployment({ type: "self-hosted", url: "http://127.0.0.1:8080/PasswordVault", allowInsecureHttp: true });
    expect(d.gen2Base).toBe("http://127.0.0.1:8080/PasswordVault/API");
  });

  it("refuses other schemes, credentials in the URL, queries and empty input", () => {
    expect(() => resolveDeployment({ type: "self-hosted", url: "ftp://pvwa.example.com" })).toThrow(ConfigurationError);
    expect(() => resolveDeployment({ type: "self-hosted", url: "https://admin:pw@pvwa.example.com" })).toThrow(/user name or password/);
    expect(() => resolveDeployment({ type: "self-hosted", url: "https://pvwa.example.com/?x=1" })).toThrow(ConfigurationError);
    expect(() => resolveDeployment({ type: "self-hosted", url: " " })).toThrow(ConfigurationError);
    expect(() => resolveDeployment({ type: "nope" } as never)).toThrow(ConfigurationError);
  });

  it("applies a root override (proxies, tests)", () => {
    const d = resolveDeployment({
      type: "self-hosted",
      url: "https://pvwa.example.com",
      allowInsecureHttp: true,
      overrides: { pvwaRoot: "http://127.0.0.1:9999/" },
    });
    expect(d.gen2Base).toBe("http://127.0.0.1:9999/PasswordVault/API");
    expect([...d.tokenOrigins]).toEqual(["http://127.0.0.1:9999"]);
  });
});

describe("Privilege Cloud deployment", () => {
  it.each([
    "mycompany",
    "MyCompany",
    "https://mycompany.privilegecloud.cyberark.cloud",
    "https://mycompany.privilegecloud.cyberark.cloud/",
    "https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/API/",
    "mycompany.privilegecloud.cyberark.cloud",
  ])("accepts %s as the subdomain", (subdomain) => {
    const d = resolveDeployment({ type: "privilege-cloud", subdomain, identityUrl: "https://abc1234.id.cyberark.cloud/" });
    expect(d.gen2Base).toBe("https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/API");
    expect(d.gen1Base).toBe("https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/WebServices");
    expect(d.pcloudBase).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
    expect(d.identityUrl).toBe("https://abc1234.id.cyberark.cloud");
    expect(d.tokenOrigins.has("https://abc1234.id.cyberark.cloud")).toBe(false);
  });

  it.each([
    ["https://mycompany.cyberark.cloud/privilegecloud", "privilege-cloud"],
    ["https://mycompany.cyberark.cloud/privilegecloud/", "privilege-cloud"],
    ["https://mycompany.cyberark.cloud/privilegecloud/", "self-hosted"],
  ] as const)("rejects the portal URL %s (%s) and names the API URL", (url, type) => {
    const deployment = type === "privilege-cloud" ? { type, subdomain: url } : { type, url };
    let error: unknown;
    try {
      resolveDeployment(deployment);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("https://mycompany.privilegecloud.cyberark.cloud");
    expect((error as Error).message).toMatch(/portal/);
  });

  it.each([
    ["privilege-cloud", "pvwaRoot", "https://mycompany.cyberark.cloud/privilegecloud/"],
    ["privilege-cloud", "pvwaRoot", "https://MyCompany.CyberArk.Cloud/"],
    ["privilege-cloud", "pcloudRoot", "https://mycompany.cyberark.cloud/api"],
    ["self-hosted", "pvwaRoot", "https://mycompany.cyberark.cloud/privilegecloud/PasswordVault/API"],
  ] as const)("refuses the portal host as a %s overrides.%s (%s), naming the API host", (type, key, root) => {
    const deployment =
      type === "privilege-cloud"
        ? { type, subdomain: "mycompany", overrides: { [key]: root } }
        : { type, url: "https://pvwa.example.com", overrides: { [key]: root } };
    let error: unknown;
    try {
      resolveDeployment(deployment);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^overrides\\.${key} https://mycompany\\.cyberark\\.cloud\\S* is the Privilege Cloud portal \\(web UI\\) address, not the API\\. `));
    expect(message).toMatch(/Use https:\/\/mycompany\.privilegecloud\.cyberark\.cloud$/);
    // Never the portal host as "the API root".
    expect(message).not.toMatch(/cyberark\.cloud is the API root/);
  });

  it("normalises the Identity URL from a tenant id or a pasted token URL", () => {
    expect(resolveDeployment({ type: "privilege-cloud", subdomain: "x", identityUrl: "abc1234" }).identityUrl).toBe(
      "https://abc1234.id.cyberark.cloud",
    );
    expect(
      resolveDeployment({ type: "privilege-cloud", subdomain: "x", identityUrl: "https://abc1234.id.cyberark.cloud/oauth2/platformtoken" })
        .identityUrl,
    ).toBe("https://abc1234.id.cyberark.cloud");
    expect(() => resolveDeployment({ type: "privilege-cloud", subdomain: "x", identityUrl: "http://abc1234.id.cyberark.cloud" })).toThrow(
      /http:\/\//,
    );
  });

  it("rejects unknown hosts and http in the subdomain", () => {
    expect(() => resolveDeployment({ type: "privilege-cloud", subdomain: "https://example.com" })).toThrow(ConfigurationError);
    expect(() => resolveDeployment({ type: "privilege-cloud", subdomain: "http://x.privilegecloud.cyberark.cloud" })).toThrow(/https/);
  });

  it("overrides every root, keeping token origins to the API roots", () => {
    const d = resolveDeployment({
      type: "privilege-cloud",
      subdomain: "mycompany",
      allowInsecureHttp: true,
      overrides: { pvwaRoot: "http://127.0.0.1:1001", pcloudRoot: "http://127.0.0.1:1002/api/", identityUrl: "http://127.0.0.1:1003" },
    });
    expect(d.gen2Base).toBe("http://127.0.0.1:1001/PasswordVault/API");
    expect(d.pcloudBase).toBe("http://127.0.0.1:1002/api");
    expect(d.identityUrl).toBe("http://127.0.0.1:1003");
    expect([...d.tokenOrigins].sort()).toEqual(["http://127.0.0.1:1001", "http://127.0.0.1:1002"]);
  });
});

// One parser (src/subdomain.ts) reads every shape; the deployment takes the subdomain or the API URL,
// platform discovery (subdomainOf) any URL on a CyberArk tenant host. No test here resolves a host name.
describe("subdomain parsing, shared by the deployment and platform discovery", () => {
  const pcloudBase = (subdomain: string) => resolveDeployment({ type: "privilege-cloud", subdomain }).pcloudBase;
  const deploymentError = (subdomain: string): string => {
    try {
      resolveDeployment({ type: "privilege-cloud", subdomain });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as Error).message;
    }
    throw new Error(`resolveDeployment accepted ${subdomain}`);
  };

  it("reads a bare subdomain", () => {
    expect(parseSubdomain("mycompany")).toEqual({ form: "subdomain", subdomain: "mycompany" });
    expect(parseSubdomain("my-company2")).toEqual({ form: "subdomain", subdomain: "my-company2" });
    expect(subdomainOf("mycompany")).toBe("mycompany");
    expect(pcloudBase("mycompany")).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
  });

  it("reads the portal URL: discovery takes it, the deployment refuses it naming the API URL", () => {
    expect(parseSubdomain("https://mycompany.cyberark.cloud/privilegecloud")).toMatchObject({ form: "portal", subdomain: "mycompany" });
    expect(parseSubdomain("mycompany.cyberark.cloud")).toMatchObject({ form: "portal", subdomain: "mycompany" });
    expect(subdomainOf("https://mycompany.cyberark.cloud/privilegecloud")).toBe("mycompany");
    expect(deploymentError("https://mycompany.cyberark.cloud/privilegecloud")).toBe(
      "https://mycompany.cyberark.cloud/privilegecloud is the Privilege Cloud portal (web UI) address, not the API. " +
        'Use https://mycompany.privilegecloud.cyberark.cloud (or subdomain "mycompany")',
    );
  });

  it("reads the API URL (cyberark.cloud or .com), with or without a scheme; the deployment wants https", () => {
    expect(parseSubdomain("https://mycompany.privilegecloud.cyberark.cloud")).toMatchObject({ form: "api", subdomain: "mycompany" });
    expect(parseSubdomain("mycompany.privilegecloud.cyberark.com")).toMatchObject({ form: "api", subdomain: "mycompany" });
    expect(subdomainOf("https://mycompany.privilegecloud.cyberark.cloud")).toBe("mycompany");
    expect(pcloudBase("https://mycompany.privilegecloud.cyberark.cloud")).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
    expect(pcloudBase("mycompany.privilegecloud.cyberark.com")).toBe("https://mycompany.privilegecloud.cyberark.com/api");
    expect(deploymentError("http://mycompany.privilegecloud.cyberark.cloud")).toBe(
      'Privilege Cloud URLs must use https://: "http://mycompany.privilegecloud.cyberark.cloud/"',
    );
  });

  it("lower-cases mixed case", () => {
    expect(parseSubdomain("MyCompany")).toEqual({ form: "subdomain", subdomain: "mycompany" });
    expect(parseSubdomain("HTTPS://MyCompany.PrivilegeCloud.CyberArk.Cloud")).toMatchObject({ form: "api", subdomain: "mycompany" });
    expect(subdomainOf("MyCompany.CyberArk.Cloud")).toBe("mycompany");
    expect(pcloudBase("MyCompany")).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
    expect(pcloudBase("https://MyCompany.PrivilegeCloud.CyberArk.Cloud")).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
  });

  it("ignores a trailing slash, a path and surrounding white space", () => {
    for (const input of [" mycompany ", "https://mycompany.privilegecloud.cyberark.cloud/", "https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/API/"]) {
      expect(parseSubdomain(input)).toMatchObject({ subdomain: "mycompany" });
      expect(subdomainOf(input)).toBe("mycompany");
      expect(pcloudBase(input)).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
    }
    expect(subdomainOf("mycompany.cyberark.cloud/privilegecloud/")).toBe("mycompany");
  });

  it("refuses a label that is not a subdomain, and what is no URL at all", () => {
    for (const input of ["my_company", "-mycompany", "https://my_company.privilegecloud.cyberark.cloud", "https://-x.cyberark.cloud"]) {
      expect(parseSubdomain(input).form).toBe("foreign");
      // Quoted as read (scheme added, never a user name, password or query).
      const read = JSON.stringify(new URL(input.includes("://") ? input : `https://${input}`).href);
      expect(() => subdomainOf(input)).toThrow(`${read} is not a CyberArk tenant URL (https://<subdomain>.cyberark.cloud or .privilegecloud.cyberark.cloud)`);
      expect(deploymentError(input)).toBe(
        `subdomain ${read} is neither a Privilege Cloud subdomain ("mycompany") nor an API URL ("https://mycompany.privilegecloud.cyberark.cloud")`,
      );
    }
    expect(parseSubdomain("my company")).toEqual({ form: "invalid" });
    // Not a URL, so not quoted: it may be a password pasted into the wrong field.
    expect(() => subdomainOf("my company")).toThrow("the value (not quoted: it may hold a secret) is neither a Privilege Cloud subdomain nor a tenant URL");
    expect(deploymentError("my company")).toBe("subdomain is not a valid URL (the value is not quoted: it may hold a secret)");
  });

  it("refuses a host outside CyberArk's domains, and leaves other CyberArk hosts to discovery", () => {
    for (const input of ["https://example.com", "https://mycompany.privilegecloud.cyberark.cloud.evil.example", "https://mycompany.notcyberark.cloud", "cyberark.cloud"]) {
      expect(parseSubdomain(input).form).toBe("foreign");
      expect(() => subdomainOf(input)).toThrow(/is not a CyberArk tenant URL/);
      expect(deploymentError(input)).toMatch(/is neither a Privilege Cloud subdomain/);
    }
    // Another host under cyberark.cloud: discovery reads its first label (as it always did), the deployment refuses it.
    expect(parseSubdomain("https://abc1234.id.cyberark.cloud")).toMatchObject({ form: "cyberark", subdomain: "abc1234" });
    expect(subdomainOf("https://abc1234.id.cyberark.cloud")).toBe("abc1234");
    expect(deploymentError("https://abc1234.id.cyberark.cloud")).toMatch(/is neither a Privilege Cloud subdomain/);
  });
});

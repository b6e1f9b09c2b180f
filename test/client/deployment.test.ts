import { describe, expect, it } from "vitest";
import { resolveDeployment } from "../../src/deployment.js";
import { ConfigurationError } from "../../src/errors/configuration.js";

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

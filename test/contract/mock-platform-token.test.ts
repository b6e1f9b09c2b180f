// The mock answers the Identity tenant's client-credentials route, POST /oauth2/platformtoken, at its
// root, as Identity does: {access_token, token_type: "Bearer", expires_in}, and a refused client
// secret (empty, or starting with "wrong") with 401 {error: "invalid_client"}, never echoing it.
// The client reaches it with the deployment `npm run mock` prints (overrides.identityUrl).
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { REFUSED_PREFIX } from "../../scripts/mock/credentials.js";
import { PLATFORM_TOKEN_LIFETIME_SECONDS } from "../../scripts/mock/platform-token.js";
import { CyberArkHttpError, createCyberArkClient, platformToken } from "../../src/index.js";
import { mockTenant } from "./mock-state.js";

let url: string;
beforeAll(async () => {
  url = (await mockTenant()).url;
});

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const canary = (): string => `${REFUSED_PREFIX}-Canary-${randomBytes(6).toString("hex")}`;

/** The answer; `raw` is its body and headers as text, to search for a secret. */
async function token(form: Record<string, string>, headers: Record<string, string> = FORM): Promise<{ status: number; body: Record<string, unknown>; raw: string }> {
  const res = await fetch(`${url}/oauth2/platformtoken`, { method: "POST", headers, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, raw: `${text} ${JSON.stringify([...res.headers])}` };
}

/** The deployment the mock's banner prints for Privilege Cloud. */
const deployment = () => ({
  type: "privilege-cloud" as const,
  subdomain: "mock",
  allowInsecureHttp: true,
  overrides: { pvwaRoot: url, pcloudRoot: url, identityUrl: url },
});

describe("POST /oauth2/platformtoken", () => {
  it("answers a Bearer access token with its lifetime; the token is JWT-shaped and the mock accepts it", async () => {
    const { status, body } = await token({ grant_type: "client_credentials", client_id: "svc-automation@mock", client_secret: "any-secret" });
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: PLATFORM_TOKEN_LIFETIME_SECONDS });
    const claims = JSON.parse(Buffer.from(String(body["access_token"]).split(".")[1]!, "base64url").toString("utf8")) as { iat: number; exp: number; unique_name: string };
    expect(claims.exp - claims.iat).toBe(PLATFORM_TOKEN_LIFETIME_SECONDS);
    expect(claims.unique_name).toBe("svc-automation@mock");
    const res = await fetch(`${url}/api/byok`, { headers: { authorization: `Bearer ${String(body["access_token"])}` } });
    await res.body?.cancel();
    expect(res.status).toBe(200);
  });

  it("refuses a refused client secret with 401 invalid_client and does not echo it", async () => {
    const secret = canary();
    const { status, body, raw } = await token({ grant_type: "client_credentials", client_id: "svc-automation@mock", client_secret: secret });
    expect(status).toBe(401);
    expect(body).toEqual({ error: "invalid_client", error_description: expect.any(String) });
    expect(raw).not.toContain(secret);
    expect((await token({ grant_type: "client_credentials", client_id: "svc", client_secret: "" })).status).toBe(401);
  });

  it("answers malformed requests with Identity's OAuth2 errors", async () => {
    expect(await token({ grant_type: "password", client_id: "svc", client_secret: "s" })).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    expect(await token({ grant_type: "client_credentials", client_secret: "s" })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const json = await token({ grant_type: "client_credentials", client_id: "svc", client_secret: "s" }, { "content-type": "application/json" });
    expect(json).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });
});

describe("platformToken() against the mock", () => {
  it("logs on as a service user and calls Privilege Cloud and Gen 2 with the Bearer token", async () => {
    const client = createCyberArkClient({
      deployment: deployment(),
      auth: platformToken({ clientId: "svc-automation@mock", clientSecret: "any-secret" }),
      retry: false,
    });
    try {
      expect((await client.pcloud.GET("/byok")).response.status).toBe(200);
      expect((await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId: "Finance" } } })).response.status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it("a refused client secret fails with Identity's 401 invalid_client, without the secret", async () => {
    const secret = canary();
    const client = createCyberArkClient({ deployment: deployment(), auth: platformToken({ clientId: "svc-automation@mock", clientSecret: secret }), retry: false });
    try {
      const error = await client.pcloud.GET("/byok").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CyberArkHttpError);
      expect(error).toMatchObject({ status: 401, identityError: "invalid_client" });
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(secret);
    } finally {
      await client.close();
    }
  });
});

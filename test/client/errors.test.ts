// Each documented return code becomes the right result or error class, with a readable message.
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CyberArkHttpError } from "../../src/errors/http-error.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  LogonFailedError,
  NotFoundError,
  NotImplementedError,
  RateLimitError,
  ServerError,
} from "../../src/errors/status-errors.js";
import type { FakeResponse } from "../support/fake-tenant.js";
import { makeClient, vaultTenant, type TestClient } from "./helpers.js";
import type { FakeTenant } from "../support/fake-tenant.js";

let tenant: FakeTenant;
let client: TestClient;
let reply: FakeResponse;

beforeAll(async () => {
  ({ tenant } = await vaultTenant());
  for (const method of ["GET", "PUT", "DELETE"]) tenant.authed(method, /^\/PasswordVault\/API\/Accounts\/[^/]+$/, () => reply);
  tenant.authed("POST", "/PasswordVault/API/Accounts", () => reply);
  tenant.authed("POST", /\/Password\/Retrieve$/, () => reply);
  tenant.authed("GET", "/PasswordVault/API/Themes", () => reply);
  client = makeClient(tenant, { retry: false });
});
afterAll(async () => {
  await client.close();
  await tenant.close();
});
beforeEach(() => {
  tenant.clear();
});

const getAccount = (id = "12_34") => client.gen2.GET("/Accounts/{id}", { params: { path: { id } } });
const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable("should have thrown"), (e: unknown) => e as CyberArkHttpError);

describe("success codes", () => {
  it("200 returns the parsed JSON as data", async () => {
    reply = { json: { id: "12_34", name: "db" } };
    const { data, response } = await getAccount();
    expect(data).toEqual({ id: "12_34", name: "db" });
    expect(response.status).toBe(200);
  });

  it("201 returns the created object", async () => {
    reply = { status: 201, json: { id: "9_9" } };
    const { data, response } = await client.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P" } });
    expect(response.status).toBe(201);
    expect(data.id).toBe("9_9");
  });

  it("204 gives data undefined without a parse error", async () => {
    reply = { status: 204 };
    const { data, response } = await client.gen2.DELETE("/Accounts/{id}", { params: { path: { id: "1_2" } } });
    expect(response.status).toBe(204);
    expect(data).toBeUndefined();
  });

  it("a text endpoint (password retrieve, JSON-quoted) gives the string", async () => {
    reply = { json: 'p@ss"w\\ord' };
    const { data } = await client.gen2.POST("/Accounts/{id}/Password/Retrieve", { params: { path: { id: "1_2" } }, body: { reason: "test" } });
    expect(data).toBe('p@ss"w\\ord');
  });

  it("a text/plain body that is not JSON is returned as text", async () => {
    reply = { text: "plain-secret-value" };
    const { data } = await client.gen2.POST("/Accounts/{id}/Password/Retrieve", { params: { path: { id: "1_2" } } });
    expect(data).toBe("plain-secret-value");
  });

  it("an HTML page on 200 is an InvalidResponseError, not a SyntaxError", async () => {
    reply = { headers: { "content-type": "text/html; charset=utf-8" }, text: "<!DOCTYPE html><html><body>Sign in</body></html>" };
    const error = await failure(getAccount());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("the server returned an HTML page, not JSON (often a sign-in page or an IIS error page)");
  });

  it("truncated JSON on 200 is an InvalidResponseError that does not quote the body", async () => {
    reply = { headers: { "content-type": "application/json" }, text: '{"id":"12_34","secret":"Canary-Trunc' };
    const error = await failure(getAccount());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain("Canary-Trunc");
    expect(JSON.stringify(error)).not.toContain("Canary-Trunc");
    expect(error.cause).toBeUndefined();
  });
});

describe("error codes", () => {
  it.each([
    [400, BadRequestError, { ErrorCode: "PASWS167E", ErrorMessage: "There are some invalid parameters" }, /rejected the request/],
    [401, AuthenticationError, { ErrorCode: "PASWS006E", ErrorMessage: "Session expired" }, /refused the session even right after a fresh logon/],
    [403, ForbiddenError, { ErrorCode: "PASWS041E", ErrorMessage: "You are not authorized" }, /not permitted/],
    [403, LogonFailedError, { ErrorCode: "PASWS013E", ErrorMessage: "Authentication failure for User [x]." }, /logon failed/],
    [404, NotFoundError, { ErrorCode: "ITATS003E", ErrorMessage: "User does not exist" }, /not found/],
    [409, ConflictError, { ErrorCode: "PASWS027E", ErrorMessage: "Object already exists" }, /already exists/],
    [429, RateLimitError, { ErrorCode: "X", ErrorMessage: "Too many" }, /too many requests/],
    [500, ServerError, { ErrorCode: "CAWS00001E", ErrorMessage: "Page doesn't exist" }, /internal error/],
    [501, NotImplementedError, { ErrorCode: "X", ErrorMessage: "Not implemented" }, /does not implement/],
    [502, CyberArkHttpError, { ErrorCode: "X", ErrorMessage: "Bad gateway" }, /unavailable/],
    [418, CyberArkHttpError, { ErrorCode: "X", ErrorMessage: "teapot" }, /unexpected status/],
  ] as const)("%i becomes the right class (%#)", async (status, cls, body, summary) => {
    reply = { status, json: body };
    const error = await failure(getAccount());
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(CyberArkHttpError);
    expect(error).toMatchObject({
      status,
      method: "GET",
      pathTemplate: "/Accounts/{id}",
      urlPath: "/PasswordVault/API/Accounts/12_34",
      operationId: "Accounts_GetAccount",
      errorCode: body.ErrorCode,
      errorMessage: body.ErrorMessage,
      bodyKind: "json",
    });
    expect(error.message).toMatch(summary);
    expect(error.message).toContain(`[${body.ErrorCode}] ${body.ErrorMessage}`);
    expect(error.message).toContain(`GET /PasswordVault/API/Accounts/12_34 failed with HTTP ${status}`);
    expect(error.toJSON()).toMatchObject({ status, errorCode: body.ErrorCode, name: error.name });
  });

  it("501 names the operation's minimum version from the table", async () => {
    reply = { status: 501, json: {} };
    const error = await failure(client.gen2.GET("/Themes"));
    expect(error).toBeInstanceOf(NotImplementedError);
    expect(error.minVersion).toBe("14.4");
    expect(error.message).toContain("Themes_GetThemes");
    expect(error.message).toContain("14.4 or later");
  });

  it("carries Details and shows the first one", async () => {
    reply = {
      status: 400,
      json: { ErrorCode: "PASWS167E", ErrorMessage: "Bulk failed", Details: [{ ErrorCode: "PASWS032E", ErrorMessage: "Platform is not active" }, {}] },
    };
    const error = await failure(getAccount());
    expect(error.errorDetails).toEqual([{ ErrorCode: "PASWS032E", ErrorMessage: "Platform is not active" }, {}]);
    expect(error.message).toContain("Details: [PASWS032E] Platform is not active (+1 more)");
  });

  it("an HTML error body is named, not parsed", async () => {
    reply = { status: 404, headers: { "content-type": "text/html" }, text: "<html><head><title>404 - File or directory not found.</title></head></html>" };
    const error = await failure(getAccount());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.bodyKind).toBe("html");
    expect(error.message).toContain("The server returned an HTML page, not JSON (often a sign-in page or an IIS error page)");
  });

  it("an empty error body is named", async () => {
    reply = { status: 403 };
    const error = await failure(getAccount());
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.bodyKind).toBe("empty");
    expect(error.message).toMatch(/response body was empty/);
  });

  it("a JSON string error body is JSON, kept whole up to the JSON limit", async () => {
    const message = `Account 12_34 was not found. ${"More detail. ".repeat(30)}`;
    reply = { status: 404, json: message };
    const error = await failure(getAccount());
    expect(error.bodyKind).toBe("json");
    expect(error.errorMessage).toBe(message);
  });

  it("a plain-text error body is shown briefly", async () => {
    reply = { status: 400, text: "Request Error: the server encountered an error processing the request" };
    const error = await failure(getAccount());
    expect(error.bodyKind).toBe("text");
    expect(error.message).toContain("Request Error");
  });

  it("the URL path shows query values, except those of secret-named keys", async () => {
    tenant.authed("GET", "/PasswordVault/API/Accounts", () => ({ status: 400, json: { ErrorCode: "E", ErrorMessage: "m" } }));
    const query = { search: "finance admin", limit: 5, savedFilter: "Regular", apiKey: "Canary-Query-Key" };
    const error = await failure(client.gen2.GET("/Accounts", { params: { query } } as never));
    expect(error.urlPath).toBe("/PasswordVault/API/Accounts?search=finance%20admin&limit=5&savedFilter=Regular&apiKey=[REDACTED]");
    expect(JSON.stringify(error)).not.toContain("Canary-Query-Key");
  });

  it("util.inspect shows the readable message", async () => {
    reply = { status: 409, json: { ErrorCode: "PASWS027E", ErrorMessage: "exists" } };
    const error = await failure(getAccount());
    expect(inspect(error)).toContain("ConflictError [HTTP_ERROR]: GET /PasswordVault/API/Accounts/12_34 failed with HTTP 409");
  });
});

describe("a secret at the edge of a plain-text error body", () => {
  it("is redacted before the message is trimmed, whatever whitespace it starts or ends with", async () => {
    const { createHttpError } = await import("../../src/errors/from-response.js");
    const { SecretRegistry } = await import("../../src/logging/secret-registry.js");
    for (const secret of ["Canary-Trailing-Space ", "Canary-Trailing-Newline\n", "\tCanary-Leading-Tab", "  Canary-Both  "]) {
      const secrets = new SecretRegistry();
      secrets.add(secret);
      for (const body of [secret, `refused: ${secret}`, `${secret} was refused`]) {
        const error = createHttpError(400, body, "text/plain", { method: "POST", url: "https://pvwa.test/x", redact: (t) => secrets.redact(t) });
        expect(inspect(error), JSON.stringify(body)).not.toContain(secret.trim());
        expect(error.errorMessage, JSON.stringify(body)).toContain("[REDACTED]");
      }
    }
  });
});

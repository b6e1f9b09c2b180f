// A success body the document declares as text (the Gen 1 password retrieval answers the password's bytes as
// application/octet-stream) comes back as the exact string: never JSON-parsed into a number or a boolean, never
// an InvalidResponseError for a password that is not JSON. Through the bundled generated tables, as users call it.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createCyberArkClient, type CyberArkClient } from "../../src/client.js";
import { staticToken } from "../../src/auth/token-auth.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";
import { startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";

const TOKEN = "text-body-token-5d1e";
const PASSWORDS = ["123456", "true", " 42 ", "Abc!x", "null", '"quoted"', "x".repeat(199) + "!"];
const ROUTE = /^\/PasswordVault\/WebServices\/PIMServices\.svc\/Accounts\/([^/]+)\/Credentials$/;

let tenant: FakeTenant;
let client: CyberArkClient;
/** What the server answers for account `n_1`: the n-th password, or an HTML page for "html_1". */
beforeAll(async () => {
  tenant = await startFakeTenant();
  tenant.tokens.add(TOKEN);
  tenant.authed("GET", ROUTE, (req) => {
    const id = ROUTE.exec(req.path)?.[1] ?? "";
    if (id === "html_1") return { headers: { "content-type": "text/html; charset=utf-8" }, text: "<html><body>Sign in</body></html>" };
    return { headers: { "content-type": "application/octet-stream" }, text: PASSWORDS[Number(id.split("_")[0])] ?? "" };
  });
  client = createCyberArkClient({
    deployment: { type: "self-hosted", url: tenant.origin, allowInsecureHttp: true },
    auth: staticToken({ token: TOKEN }),
    proxy: false,
  });
});
afterAll(async () => {
  await client.close();
  await tenant.close();
});

const retrieve = (index: number | string, parseAs?: "json" | "arrayBuffer") =>
  client.gen1.GET("/PIMServices.svc/Accounts/{AccountID}/Credentials", {
    params: { path: { AccountID: `${index}_1` } },
    ...(parseAs === undefined ? {} : { parseAs }),
  });

describe("a text success body (GET /PIMServices.svc/Accounts/{AccountID}/Credentials)", () => {
  it("is typed as a string", async () => {
    const { data } = await retrieve(0);
    expectTypeOf(data).toEqualTypeOf<string>();
  });

  for (const [index, password] of PASSWORDS.entries()) {
    it(`comes back as the exact string ${JSON.stringify(password.length > 20 ? `${password.slice(0, 8)}… (${password.length} characters)` : password)}`, async () => {
      const { data } = await retrieve(index);
      expect(typeof data).toBe("string");
      expect(data).toBe(password);
    });
  }

  it("keeps the caller's own parseAs", async () => {
    const json = await retrieve(0, "json");
    expect(json.data as unknown).toBe(123456);
    const bytes = await retrieve(3, "arrayBuffer");
    expect(new TextDecoder().decode(bytes.data as unknown as Uint8Array)).toBe("Abc!x");
  });

  it("refuses an HTML page (a sign-in page) instead of handing it over as the password", async () => {
    const error = await retrieve("html").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/HTML page/);
  });
});

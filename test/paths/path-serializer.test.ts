import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import createClient from "openapi-fetch";
import { serializePath, MAX_ENCODED_SEGMENT_LENGTH } from "../../src/paths/path-serializer.js";
import { InvalidPathParameterError } from "../../src/errors/invalid-path-parameter.js";
import { createTransport } from "../../src/transport/transport.js";
import { createLogger, SecretRegistry } from "../../src/logging/logger.js";
import { staticToken } from "../../src/auth/token-auth.js";
import { createTestClient } from "../support/test-client.js";
import { fetchOverTransport } from "../transport/fetch-adapter.js";
import { startHttpServer, type TestServer } from "../transport/servers.js";

function refusal(fn: () => unknown): InvalidPathParameterError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidPathParameterError) return e;
    throw e;
  }
  throw new Error("expected the value to be refused");
}

describe("serializePath", () => {
  it("encodes each value into its own segment", () => {
    expect(serializePath("/API/Safes/{safeUrlId}/Members/{memberName}/", { safeUrlId: "My Safe", memberName: "a/b?c#d" })).toBe(
      "/API/Safes/My%20Safe/Members/a%2Fb%3Fc%23d/",
    );
    expect(serializePath("https://h/PasswordVault/API/Accounts/{id}", { id: 12 })).toBe("https://h/PasswordVault/API/Accounts/12");
  });

  it("adds a trailing slash when the last segment holds a value with a dot", () => {
    expect(serializePath("/API/Users/{name}", { name: "john.doe" })).toBe("/API/Users/john.doe/");
    expect(serializePath("/API/UserGroups/{id}/Members/{member}", { id: 4, member: "user@cyber.com" })).toBe(
      "/API/UserGroups/4/Members/user%40cyber.com/",
    );
    // Template already ends with "/": no second slash.
    expect(serializePath("/API/Safes/{s}/Members/{m}/", { s: "x", m: "a.b" })).toBe("/API/Safes/x/Members/a.b/");
    // Dot in an earlier segment, or in a literal last segment: unchanged.
    expect(serializePath("/API/Safes/{s}/Members", { s: "a.b" })).toBe("/API/Safes/a.b/Members");
    expect(serializePath("https://h.example/PIMServices.svc/Accounts/{id}", { id: "1_2" })).toBe(
      "https://h.example/PIMServices.svc/Accounts/1_2",
    );
    // A host with dots is not a segment.
    expect(serializePath("https://pvwa.corp.example/API/Accounts/{id}", { id: "12_3" })).toBe(
      "https://pvwa.corp.example/API/Accounts/12_3",
    );
  });

  it("refuses +, & and % with a message naming the parameter", () => {
    for (const value of ["a+b", "R&D", "100%", "%2F", "x%2e%2e"]) {
      const e = refusal(() => serializePath("/API/Safes/{safeUrlId}", { safeUrlId: value }));
      expect(e.parameter).toBe("safeUrlId");
      expect(e.reason).toBe("unsupported-character");
      expect(e.kind).toBe("INVALID_PATH_PARAMETER");
      expect(e.message).toMatch(/safeUrlId/);
      expect(e.message).toMatch(/"\+", "&" or "%"/);
    }
  });

  it("refuses values that would change the route or are missing", () => {
    expect(refusal(() => serializePath("/a/{x}", { x: "." })).reason).toBe("dot-segment");
    expect(refusal(() => serializePath("/a/{x}", { x: ".." })).reason).toBe("dot-segment");
    expect(refusal(() => serializePath("/a/{x}", { x: "" })).reason).toBe("empty");
    expect(refusal(() => serializePath("/a/{x}/b/{y}", { x: "1" })).parameter).toBe("y");
    expect(refusal(() => serializePath("/a/{x}", { x: null })).reason).toBe("missing");
    expect(refusal(() => serializePath("/a/{x}", { x: { a: 1 } })).reason).toBe("unsupported-type");
    expect(refusal(() => serializePath("/a/{x}", { x: ["a", "b"] })).reason).toBe("unsupported-type");
    expect(refusal(() => serializePath("/a/{x}", { x: Number.NaN })).reason).toBe("unsupported-type");
    expect(refusal(() => serializePath("/a/{x}", { x: "ab\ud800" })).reason).toBe("malformed-unicode");
  });

  it("never echoes a long value in full", () => {
    const long = `${"x".repeat(5000)}+`;
    const plus = refusal(() => serializePath("/a/{x}", { x: long }));
    expect(plus.message.length).toBeLessThan(400);
    expect(plus.message).toContain("5001 characters");
    const tooLong = refusal(() => serializePath("/a/{x}", { x: "y".repeat(MAX_ENCODED_SEGMENT_LENGTH + 1) }));
    expect(tooLong.reason).toBe("too-long");
    expect(tooLong.message.length).toBeLessThan(400);
    // Short raw value whose encoding is too long (multi-byte characters).
    expect(refusal(() => serializePath("/a/{x}", { x: "é".repeat(1000) })).reason).toBe("too-long");
  });

  it("allows and encodes | in Gen 1 keys and handles label/matrix templates like openapi-fetch", () => {
    expect(serializePath("/PIMServices.svc/Accounts/{key}", { key: "Safe|Folder|Obj" })).toBe(
      "/PIMServices.svc/Accounts/Safe%7CFolder%7CObj",
    );
    // The label prefix is a dot in the last segment, so the IIS trailing-slash rule applies too.
    expect(serializePath("/x/{.v}", { v: "a b" })).toBe("/x/.a%20b/");
    expect(serializePath("/x/{;v}", { v: 5 })).toBe("/x/;v=5");
    expect(serializePath("/x/{v*}", { v: "q" })).toBe("/x/q");
  });
});

// The same values through a real server that records what arrives, sent two ways: the client's own
// typed call (openapi-fetch's URL builder with serializePath, the pipeline, the real transport) and
// openapi-fetch's own client with serializePath as its pathSerializer (over the transport through
// the test fetch adapter). Every value is either refused before sending or lands as exactly one segment.
interface Paths {
  "/Accounts/{id}": { get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": unknown } } } } };
}
const operations = { "GET /Accounts/{id}": { operationId: "Accounts_Get", method: "GET", path: "/Accounts/{id}" } } as const;

interface Sender {
  get(id: string): Promise<unknown>;
  close(): Promise<void>;
}

const senders: Record<string, (server: TestServer) => Sender> = {
  "the client's typed call": (server) => {
    const client = createTestClient<Paths>(
      {
        deployment: { type: "self-hosted", url: server.url, allowInsecureHttp: true },
        auth: staticToken({ token: "path-test-token" }),
        proxy: false,
        retry: false,
      },
      { gen2: operations, gen1: {}, pcloud: {} },
    );
    return { get: (id) => client.gen2.GET("/Accounts/{id}", { params: { path: { id } } }), close: () => client.close() };
  },
  "openapi-fetch with serializePath": (server) => {
    const transport = createTransport({ proxy: false }, createLogger(undefined, new SecretRegistry()));
    const client = createClient<Paths>({
      baseUrl: `${server.url}/PasswordVault/API`,
      fetch: fetchOverTransport(transport),
      pathSerializer: serializePath,
    });
    return { get: (id) => client.GET("/Accounts/{id}", { params: { path: { id } } }), close: () => transport.close() };
  },
};

describe.each(Object.keys(senders))("hostile values against a real server, through %s", (senderName) => {
  let server: TestServer;
  let sender: Sender;

  beforeAll(async () => {
    server = await startHttpServer();
    sender = senders[senderName]!(server);
  });
  afterAll(async () => {
    await sender?.close();
    await server?.close();
  });

  let tried = 0;
  let refused = 0;

  async function check(value: string): Promise<void> {
    tried++;
    const before = server.requests.length;
    let sent: boolean;
    try {
      await sender.get(value);
      sent = true;
    } catch (e) {
      if (!(e instanceof InvalidPathParameterError)) throw e;
      expect(e.parameter).toBe("id");
      sent = false;
    }
    if (!sent) {
      refused++;
      expect(server.requests.length).toBe(before);
      return;
    }
    expect(server.requests.length).toBe(before + 1);
    const url = server.requests.at(-1)?.url ?? "";
    expect(url.includes("?")).toBe(false);
    expect(url.includes("#")).toBe(false);
    const segments = url.split("/");
    // "", "PasswordVault", "API", "Accounts", <value>, and "" when a trailing slash was added
    expect(segments.slice(0, 4)).toEqual(["", "PasswordVault", "API", "Accounts"]);
    expect(segments.length === 5 || (segments.length === 6 && segments[5] === "")).toBe(true);
    expect(decodeURIComponent(segments[4] ?? "")).toBe(value);
    if (segments.length === 6) expect(value.includes(".")).toBe(true);
  }

  it("keeps listed hostile values in one segment or refuses them", async () => {
    const values = [
      "/", "\\", "..", ".", "%2F", "?", "#", " ", "a b", "../../Safes", "..\\..\\x", "./", "x/../y", "a?b=c", "a#frag",
      "über-Safe", "日本語", "😀", "\u0000", "\u0001\u001f", "\t\n\r", "\u007f", "\u200b", "\ufeff", "x".repeat(3000),
      "x".repeat(2048), "name.with.dots", "...", "a.", ".hidden", "@", ":", ";", "=", ",", "'", '"', "<script>", "[x]",
      "{id}", "|", "~", "*", "!", "$", "a+b", "a&b", "a%b",
    ];
    for (const value of values) await check(value);
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(tried);
  });

  it("holds for generated strings (property)", async () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    const arbitrary = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: codeUnit, maxLength: 20 }),
      fc.string({ unit: fc.constantFrom("/", "\\", ".", "%", "?", "#", " ", "a", "2", "F", "+", "&", "é"), maxLength: 12 }),
    );
    await fc.assert(fc.asyncProperty(arbitrary, (value) => check(value)), { numRuns: 400 });
    expect(tried).toBeGreaterThan(400);
  });
});

// Area 1: hostile path parameter values for an account id and a safe name / member name. For each
// generated value either the server receives exactly one request whose path holds the value in
// exactly its own segment (decoding back to the original), or the client refuses the value before
// sending with an InvalidPathParameterError naming the parameter. No request may reach any other
// route, and a refusal must be one the documented rules justify.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticToken } from "../../src/auth/index.js";
import { InvalidPathParameterError } from "../../src/errors/invalid-path-parameter.js";
import { GEN2_PREFIX, hardeningClient, type HardeningClient } from "../support/hardening-client.js";
import { sendJson, startServer, type HardeningServer } from "../support/hardening-server.js";
import { useTally } from "../support/hardening-tally.js";

const tally = useTally("path-parameters");

// Longest encoded segment the serializer accepts (documented in src/paths/path-serializer.ts).
const MAX_SEGMENT = 2048;
const MAX_MESSAGE = 500;

const HOSTILE_PIECES = [
  "/", "\\", ".", "..", "...", "./", "/..", "..\\", "%2F", "%2f", "%2e%2e", "%", "%25", "%00", "?", "?x=1", "#", "#frag",
  " ", "  ", "+", "&", ";", "=", ":", "@", "~", "*", "'", '"', "<", ">", "|", "{", "}", "[", "]", "^", "`", ",", "$", "!",
  "\u0000", "\u0001", "\n", "\r\n", "\t", "\u007f", "\u0085", "\u00a0", "\u2028", "\u202e", "\ufeff", "\u3002", "\uff0f",
  "é", "ß", "İ", "日本", "Ωμέγα", "🔑", "👩‍💻", "\ud800", "\udfff", "\udc00\ud800", "con", "NUL", "web.config", "Accounts",
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

/** Values mixing hostile pieces, random code points, lone surrogates and very long runs. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 8 }).map((a) => a.join("")) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 40 }) },
  {
    weight: 1,
    // Very long: around and far beyond the segment limit.
    arbitrary: fc
      .tuple(fc.constantFrom("a", "é", "/", ".", "🔑", "x.y", "\u0000"), fc.integer({ min: 300, max: 12_000 }))
      .map(([p, n]) => p.repeat(n).slice(0, 20_000)),
  },
);

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Why the documented rules allow refusing `value`; undefined when they do not. */
function refusalReason(value: string): string | undefined {
  if (value === "") return "empty";
  if (value === "." || value === "..") return "dot segment";
  if (/[+&%]/.test(value)) return "+, & or %";
  if (hasLoneSurrogate(value)) return "lone surrogate";
  if (value.length > MAX_SEGMENT || encodeURIComponent(value).length > MAX_SEGMENT) return "too long";
  return undefined;
}

const SEGMENT = "([^/?#]+)";

let server: HardeningServer;
let client: HardeningClient;

beforeAll(async () => {
  server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
  client = hardeningClient(server.url, { auth: staticToken({ token: "hardening-path-token" }), retry: false });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

/**
 * Sends one call and judges it. `expected` maps each parameter to its value, in path order;
 * `route` is the regex the raw request path must match (one capture per parameter).
 */
async function judge(
  send: () => Promise<unknown>,
  expected: Array<[name: string, value: string]>,
  route: RegExp,
): Promise<string[]> {
  const before = server.requests.length;
  let error: unknown;
  try {
    await send();
  } catch (e) {
    error = e;
  }
  const seen = server.requests.slice(before);
  const problems: string[] = [];
  if (error !== undefined) {
    if (!(error instanceof InvalidPathParameterError)) {
      problems.push(`unexpected ${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error).slice(0, 200)}`);
    } else {
      const justified = expected.find(([name, value]) => error.parameter === name && refusalReason(value) !== undefined);
      if (!justified) problems.push(`refused "${error.parameter}" (${error.reason}) although the rules allow every value`);
      if (!error.message.includes(`"${error.parameter}"`)) problems.push("refusal does not name the parameter");
      if (error.message.length > MAX_MESSAGE) problems.push(`refusal message is ${error.message.length} characters long`);
    }
    if (seen.length > 0) problems.push(`refused, yet ${seen.length} request(s) reached ${seen.map((r) => r.rawUrl.slice(0, 80)).join(", ")}`);
    return problems;
  }
  if (seen.length !== 1) {
    problems.push(`expected exactly one request, server saw ${seen.length}`);
    return problems;
  }
  const raw = seen[0]!.rawUrl;
  const match = route.exec(raw);
  if (!match) {
    problems.push(`request reached another route: ${raw.slice(0, 160)}`);
    return problems;
  }
  expected.forEach(([name, value], i) => {
    const segment = match[i + 1] ?? "";
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      decoded = undefined;
    }
    if (decoded !== value) problems.push(`${name}: segment ${segment.slice(0, 80)} does not decode to the value`);
  });
  // IIS treats a dot in the last segment as a file extension unless the URL ends with "/".
  const last = expected.at(-1)?.[1] ?? "";
  if (last.includes(".") && !raw.endsWith("/")) problems.push("last segment has a dot but the URL has no trailing /");
  if (seen[0]!.method !== "GET") problems.push(`method ${seen[0]!.method}`);
  return problems;
}

function record(problems: string[], label: string): boolean {
  tally.tried();
  if (problems.length === 0) return true;
  tally.failed(`${label}: ${problems.join("; ")}`);
  return false;
}

const show = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v);

describe("hostile path parameter values", () => {
  it("account id: one segment decoding to the value, or a clear refusal before sending", async () => {
    const route = new RegExp(`^${GEN2_PREFIX}/Accounts/${SEGMENT}/?$`);
    await fc.assert(
      fc.asyncProperty(hostileValue, async (id) => {
        const problems = await judge(() => client.api.GET("/Accounts/{id}", { params: { path: { id } } }), [["id", id]], route);
        return record(problems, `id=${show(id)}`);
      }),
      { numRuns: 2500, examples: [["."], [".."], ["../Safes"], ["a/b"], ["%2F"], ["x?y#z"], ["a".repeat(MAX_SEGMENT)], ["a".repeat(MAX_SEGMENT + 1)]] },
    );
  }, 90_000);

  it("safe name and member name: two parameters stay in their own segments", async () => {
    // The generated template ends with "/" (as the documentation writes it).
    const route = new RegExp(`^${GEN2_PREFIX}/Safes/${SEGMENT}/Members/${SEGMENT}/$`);
    await fc.assert(
      fc.asyncProperty(hostileValue, hostileValue, async (safeUrlId, memberName) => {
        const problems = await judge(
          () => client.api.GET("/Safes/{safeUrlId}/Members/{memberName}/", { params: { path: { safeUrlId, memberName } } }),
          [["safeUrlId", safeUrlId], ["memberName", memberName]],
          route,
        );
        return record(problems, `safeUrlId=${show(safeUrlId)} memberName=${show(memberName)}`);
      }),
      { numRuns: 1500, examples: [["..", "x"], ["Safe/Members", "m"], ["a", "../../Accounts"], ["s.t", "m.n"]] },
    );
  }, 90_000);

  it("non-string values: numbers are sent, objects, arrays, NaN and missing values are refused", async () => {
    const route = new RegExp(`^${GEN2_PREFIX}/Accounts/${SEGMENT}/?$`);
    const cases: Array<[unknown, boolean]> = [
      [42, true], [0, true], [-1, true], [1.5, true], [Number.NaN, false], [Number.POSITIVE_INFINITY, false],
      [undefined, false], [null, false], [{ toString: () => "../x" }, false], [["a", "b"], false], [Symbol("s"), false],
    ];
    for (const [value, accepted] of cases) {
      const before = server.requests.length;
      let error: unknown;
      try {
        await client.api.GET("/Accounts/{id}", { params: { path: { id: value } } });
      } catch (e) {
        error = e;
      }
      const seen = server.requests.slice(before);
      const problems: string[] = [];
      if (accepted) {
        if (error !== undefined) problems.push(`refused: ${String((error as Error).message)}`);
        else if (seen.length !== 1 || route.exec(seen[0]!.rawUrl)?.[1] !== encodeURIComponent(String(value))) problems.push("wrong request");
      } else {
        if (!(error instanceof InvalidPathParameterError)) problems.push(`expected a refusal, got ${error === undefined ? "success" : String(error)}`);
        if (seen.length > 0) problems.push("a request was sent");
      }
      record(problems, `id=${typeof value === "symbol" ? "Symbol" : JSON.stringify(value) ?? String(value)}`);
      expect(problems).toEqual([]);
    }
  });
});

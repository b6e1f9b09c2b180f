// Each documented return code of one operation per area (tag), produced by Prism on request with
// `Prefer: code=<status>`, must reach the caller as the matching result or typed error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  CyberArkHttpError,
  ForbiddenError,
  LogonFailedError,
  NotFoundError,
  NotImplementedError,
  RateLimitError,
  ServerError,
} from "../../src/index.js";
import { createLanePool, type LanePool } from "./contract-clients.js";
import { AREAS, readDocument, type Area } from "../../scripts/mock/documents.js";
import { generatedTables } from "./operation-tables.js";
import { callInit } from "./exercise.js";
import { mockTenant } from "./mock-state.js";
import { buildOperationRequests, isJsonType, type OperationRequest } from "./operation-requests.js";

/** What each documented status must become for the caller. */
const EXPECTED_ERROR: Record<number, new (...args: never[]) => CyberArkHttpError> = {
  400: BadRequestError,
  401: AuthenticationError, // a fixed token cannot be renewed, so the first 401 is final
  403: ForbiddenError, // "not permitted", unless the body says PASWS013E (see below)
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
  500: ServerError,
  501: NotImplementedError,
};

/**
 * Per area (first tag), the operation documenting the most return codes, preferring operations whose
 * every documented answer can be produced (the test below reports those that cannot).
 */
function sampleOperations(area: Area): Array<{ tag: string; op: OperationRequest }> {
  const byTag = new Map<string, OperationRequest>();
  const score = (op: OperationRequest): number => op.documentedCodes.length - (op.unservable.length > 0 ? 100 : 0);
  for (const op of buildOperationRequests(readDocument(area))) {
    const tag = op.tags[0] ?? "(untagged)";
    const current = byTag.get(tag);
    if (!current || score(op) > score(current)) byTag.set(tag, op);
  }
  return [...byTag].map(([tag, op]) => ({ tag, op }));
}

const cases = AREAS.flatMap((area) =>
  sampleOperations(area).flatMap(({ tag, op }) =>
    op.documentedCodes
      // Answers no server can send as documented are reported by their own test below.
      .filter((c) => /^\d{3}$/.test(c) && !op.unservable.some((u) => u.startsWith(`${c} `)))
      .map((code) => ({ name: `${area} ${tag}: ${op.key} -> ${code}`, area, op, code: Number(code) })),
  ),
);

let lanes: LanePool;
beforeAll(async () => {
  lanes = createLanePool((await mockTenant()).url);
});
afterAll(async () => {
  await lanes?.close();
});

describe("documented return codes reach the caller as the right result or error", () => {
  it("covers every area and the whole documented table of codes", () => {
    const statuses = new Set(cases.map((c) => c.code));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 501]) expect(statuses).toContain(status);
    for (const area of AREAS) expect(cases.some((c) => c.area === area)).toBe(true);
  });

  it("documents every answer in a media type that can carry it (no JSON error bodies declared as binary)", () => {
    const unservable = AREAS.flatMap((area) =>
      buildOperationRequests(readDocument(area)).flatMap((op) => op.unservable.map((u) => `${area} ${op.key} -> ${u}`)),
    );
    expect(unservable).toEqual([]);
  });

  it.concurrent.for(cases)("$name", async ({ area, op, code }, { expect }) => {
    const meta = generatedTables()[area][op.key];
    const { outcome, exchanges } = await lanes.run(async (lane) => {
      const client = lane.clientFor(area, op.key);
      // Ask for a media type the requested answer has (an error of a binary endpoint is JSON).
      const types = op.responseTypes[String(code)] ?? [];
      const accept = types.find(isJsonType) ?? types[0] ?? "*/*";
      const init = callInit({ ...op, accept }, { headers: { prefer: `code=${code}` } });
      const outcome = await client[op.method](op.path, init).then(
        (result) => ({ result, error: undefined as unknown }),
        (error: unknown) => ({ result: undefined, error }),
      );
      return { outcome, exchanges: lane.recorder.take() };
    });

    // Prism answered the requested code to a valid request: exactly one response, no violation.
    expect(exchanges.map((x) => x.status)).toEqual([code]);
    expect(exchanges[0]?.violations).toEqual([]);

    if (code >= 200 && code < 300) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.result?.response.status).toBe(code);
      return;
    }
    const error = outcome.error as CyberArkHttpError;
    // PVWA answers a refused logon with 403 PASWS013E; the client names that a failed logon.
    const expected = code === 403 && error?.errorCode === "PASWS013E" ? LogonFailedError : (EXPECTED_ERROR[code] ?? CyberArkHttpError);
    expect(error).toBeInstanceOf(expected);
    expect(error.status).toBe(code);
    expect(error.method).toBe(op.method);
    expect(error.pathTemplate).toBe(op.path);
    expect(error.operationId).toBe(meta?.operationId);
    if (code === 501) expect(error.minVersion).toBe(meta?.minVersion);
  });
});

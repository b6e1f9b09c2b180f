// Requests that break the contract are rejected by Prism and flagged by the same check the suite
// uses for valid requests, so the contract suite can fail: a missing required body property and a
// property of the wrong type, for every operation whose JSON body has required properties.
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from "vitest";
import { CyberArkHttpError } from "../../src/index.js";
import { createLanePool, type LanePool } from "./contract-clients.js";
import { AREAS, readDocument } from "../../scripts/mock/documents.js";
import { describeViolations, exercise } from "./exercise.js";
import { mockTenant } from "./mock-state.js";
import { buildOperationRequests, isJsonType, type OperationRequest } from "./operation-requests.js";
import { deref, type Document, type Schema } from "./sample-values.js";

interface BrokenCase {
  name: string;
  area: (typeof AREAS)[number];
  op: OperationRequest;
  property: string;
  body: Record<string, unknown>;
}

/** A value of the wrong JSON type for `schema`. */
function wrongType(doc: Document, schema: Schema): unknown {
  const s = deref<Schema>(doc, schema);
  if (s.enum) return "NOT-ONE-OF-THE-ALLOWED-VALUES";
  switch (s.type) {
    case "string":
      return 12345;
    case "integer":
    case "number":
      return "not-a-number";
    case "boolean":
      return "not-a-boolean";
    case "array":
      return "not-an-array";
    case "object":
      return "not-an-object";
    default:
      return undefined; // untyped: anything is valid
  }
}

function brokenCases(): { missing: BrokenCase[]; wrong: BrokenCase[] } {
  const missing: BrokenCase[] = [];
  const wrong: BrokenCase[] = [];
  for (const area of AREAS) {
    const doc = readDocument(area);
    for (const op of buildOperationRequests(doc)) {
      if (!op.bodyType || !isJsonType(op.bodyType) || !op.bodySchema) continue;
      const schema = deref<Schema>(doc, op.bodySchema);
      const body = op.body as Record<string, unknown>;
      if (!body || typeof body !== "object" || Array.isArray(body)) continue;
      const required = (schema.required ?? []).filter((p) => p in body);
      const first = required[0];
      if (first === undefined) continue;
      const { [first]: _dropped, ...without } = body;
      missing.push({ name: `${area} ${op.key} without "${first}"`, area, op, property: first, body: without });
      const typed = required.find((p) => wrongType(doc, schema.properties?.[p] ?? {}) !== undefined);
      if (typed !== undefined) {
        const bad = { ...body, [typed]: wrongType(doc, schema.properties?.[typed] ?? {}) };
        wrong.push({ name: `${area} ${op.key} with "${typed}" of the wrong type`, area, op, property: typed, body: bad });
      }
    }
  }
  return { missing, wrong };
}

const { missing, wrong } = brokenCases();
let lanes: LanePool;
beforeAll(async () => {
  lanes = createLanePool((await mockTenant()).url);
});
afterAll(async () => {
  await lanes?.close();
});

async function expectRejected(c: BrokenCase, { expect }: { expect: ExpectStatic }): Promise<void> {
  const outcome = await lanes.run((lane) => exercise(lane.clientFor(c.area, c.op.key), lane.recorder, c.op, { body: c.body }));
  expect(outcome.accepted).toBe(false);
  // Prism answers the operation's documented 400 (with `sl-violations`) or its own 422.
  expect(outcome.error).toBeInstanceOf(CyberArkHttpError);
  expect([400, 422]).toContain((outcome.error as CyberArkHttpError).status);
  const exchange = outcome.exchanges[0];
  const reported = exchange?.violations.length ? describeViolations(exchange.violations) : String((outcome.error as Error).message);
  expect(reported).toContain(c.property);
  expect(outcome.problems.join("\n")).toMatch(/Prism reported violations|Prism rejected the request \(422\)/);
}

describe("requests that break the contract are rejected", () => {
  it("has broken variants to try in every document with request bodies", () => {
    expect(missing.length).toBeGreaterThan(0);
    expect(wrong.length).toBeGreaterThan(0);
  });
  it.concurrent.for(missing)("$name", expectRejected);
  it.concurrent.for(wrong)("$name", expectRejected);
});

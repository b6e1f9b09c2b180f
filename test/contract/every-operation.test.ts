// Every operation of the generated documents, sent through the package's typed client to the Prism
// mock with a request built from the operation's schema. Prism must accept each one (no 422, no
// `sl-violations`) and the client must hand back a parsed result. A new operation in the spec gets a
// test here automatically; the last test fails if any operation of the client's tables went unsent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLanePool, type LanePool } from "./contract-clients.js";
import { AREAS, readDocument } from "../../scripts/mock/documents.js";
import { generatedTables } from "./operation-tables.js";
import { exercise } from "./exercise.js";
import { mockTenant } from "./mock-state.js";
import { buildOperationRequests } from "./operation-requests.js";

const requests = AREAS.map((area) => ({ area, ops: buildOperationRequests(readDocument(area)) }));
const exercised = new Set<string>();
let lanes: LanePool;

beforeAll(async () => {
  lanes = createLanePool((await mockTenant()).url);
});
afterAll(async () => {
  await lanes?.close();
});

describe.each(requests)("$area", ({ area, ops }) => {
  it.concurrent.for(ops)("$key", async (req, { expect }) => {
    const outcome = await lanes.run((lane) => exercise(lane.clientFor(area, req.key), lane.recorder, req));
    expect(outcome.problems).toEqual([]);
    exercised.add(`${area} ${req.key}`);
  });
});

describe("coverage", () => {
  it("exercised every operation of the client's operation tables", () => {
    const tables = generatedTables();
    const expected = AREAS.flatMap((area) => Object.keys(tables[area]).map((key) => `${area} ${key}`));
    const inDocuments = requests.flatMap(({ area, ops }) => ops.map((op) => `${area} ${op.key}`));
    const missing = expected.filter((key) => !exercised.has(key));
    console.log(`contract: ${expected.length - missing.length}/${expected.length} operations exercised`);
    // Tables and documents come from the same generator run; they must list the same operations.
    expect([...inDocuments].sort()).toEqual([...expected].sort());
    expect(missing).toEqual([]);
    expect(expected.length).toBeGreaterThan(0);
  });
});

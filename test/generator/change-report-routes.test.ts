// The change report matches operations on their route as the server sees it (routeKey): a route spelled
// otherwise (letter case, path-parameter names, trailing slash) is "respelled", not removed + added.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { routeKey } from "../../scripts/lib/route-key.js";
import { hasRealFixture, realFixtureJson } from "../support/real-fixture.js";
import { compareDocuments, renderMarkdown, renderText, type OperationChange } from "../../scripts/steps/change-report.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const ok = { "200": { description: "ok" } };
const doc = (paths: JsonObject): JsonObject => ({ openapi: "3.0.0", info: { title: "t", version: "1" }, paths });
const get = (operationId: string) => ({ get: { operationId, responses: ok } });

/** An operation whose route has one path parameter, `name`. */
const withPathParameter = (name: string, type = "string") => ({
  get: { operationId: "Op", parameters: [{ name, in: "path", required: true, schema: { type } }], responses: ok },
});
const route = (from: string, to: string) =>
  `route spelled differently: \`${from}\` -> \`${to}\` (breaking for TypeScript: the path literal changes; the same route at run time)`;

/** kind, key (and previous key) of each change, in report order. */
const summary = (changes: OperationChange[]) =>
  changes.map((c) => `${c.kind} ${c.key}${c.previousKey === undefined ? "" : ` <- ${c.previousKey}`}`);

describe("routes spelled differently", () => {
  it("letter case, a path-parameter name and a trailing slash make one respelled change, BREAKING for TypeScript", () => {
    const before = doc({ "/Safes/{safeUrlId}/Members": withPathParameter("safeUrlId") });
    const after = doc({ "/Safes/{id}/members/": withPathParameter("id") });
    expect(compareDocuments(before, after)).toEqual([
      {
        key: "GET /Safes/{id}/members/",
        previousKey: "GET /Safes/{safeUrlId}/Members",
        operationId: "Op",
        kind: "respelled",
        breaking: true,
        details: [
          { text: route("GET /Safes/{safeUrlId}/Members", "GET /Safes/{id}/members/"), breaking: true },
          { text: "parameter path safeUrlId: renamed to id (breaking for TypeScript: callers set params.path.id)", breaking: true },
        ],
      },
    ]);
  });

  it("a respelled operation carries its other changes; a renamed path parameter compares under its new name", () => {
    const before = doc({ "/Users/{userID}": withPathParameter("userID") });
    const after = doc({ "/Users/{id}": withPathParameter("id", "integer") });
    const [change] = compareDocuments(before, after);
    expect(change?.kind).toBe("respelled");
    expect(change?.details.map((d) => d.text)).toEqual([
      route("GET /Users/{userID}", "GET /Users/{id}"),
      "parameter path userID: renamed to id (breaking for TypeScript: callers set params.path.id)",
      "parameter path id value: type string -> integer",
    ]);
  });

  it("one document spelling a route twice: the same spelling pairs first, the rest in path order, never a crash", () => {
    // /Accounts and /accounts in the previous document, /ACCOUNTS and /accounts in the new one.
    const twice = doc({ "/Accounts": get("A"), "/accounts": get("a") });
    const both = compareDocuments(twice, doc({ "/ACCOUNTS": get("A"), "/accounts": get("a") }));
    expect(summary(both)).toEqual(["respelled GET /ACCOUNTS <- GET /Accounts"]);
    const fewer = compareDocuments(twice, doc({ "/accounts": get("a") }));
    expect(summary(fewer)).toEqual(["removed GET /Accounts"]);
    const more = compareDocuments(doc({ "/Accounts/": get("A") }), doc({ "/Accounts": get("A"), "/accounts": get("a") }));
    expect(summary(more)).toEqual(["respelled GET /Accounts <- GET /Accounts/", "added GET /accounts"]);
  });

  it("text and Markdown show respelled operations apart and count them", () => {
    const changes = compareDocuments(doc({ "/Safes": get("S"), "/Users": get("U") }), doc({ "/safes": get("S") }));
    const text = renderText([{ name: "gen2", changes }]);
    expect(text).toContain("API changes in gen2: 0 added, 1 removed, 1 respelled, 0 changed; 2 BREAKING");
    expect(text).toContain("  > BREAKING GET /safes (S) respelled\n      BREAKING route spelled differently: `GET /Safes` -> `GET /safes`");
    const md = renderMarkdown([{ name: "gen2", changes }], "generated");
    expect(md).toContain("### Route spelled differently\n\n- **BREAKING** `GET /safes` (`S`)\n");
    expect(md).toContain("  - **BREAKING** route spelled differently: \\`GET /Safes\\` -> \\`GET /safes\\`");
  });
});


/** The real document with its paths relative to /PasswordVault/API, like a generated openapi.json. */
function realDocument(): Any {
  const fixture = JSON.parse(readFileSync(realFixtureJson, "utf8")) as Any;
  const paths = Object.entries(fixture.paths).map(([path, item]) => [path.replace(/^\/api(?=\/)/i, ""), item]);
  return { ...fixture, paths: Object.fromEntries(paths) };
}

/** Moves a path item to another spelling, renaming a path parameter in its operations when asked. */
function respell(d: Any, from: string, to: string, rename?: [string, string]): void {
  const item = d.paths[from];
  delete d.paths[from];
  d.paths[to] = item;
  if (!rename) return;
  for (const operation of Object.values(item) as Any[]) {
    for (const p of operation.parameters ?? []) if (p.in === "path" && p.name === rename[0]) p.name = rename[1];
  }
}

describe.skipIf(!hasRealFixture)("the real PVWA document", () => {
  it("reports exactly the mutations of a copy, each as its kind, breaking as defined", () => {
    const before = realDocument();
    const after = structuredClone(before);
    respell(after, "/Safes/{safeUrlId}/members", "/Safes/{id}/Members", ["safeUrlId", "id"]);
    respell(after, "/Platforms/Targets", "/platforms/targets");
    respell(after, "/Users/{userID}/Activate", "/Users/{userID}/Activate/");
    delete after.paths["/UserGroups/{groupId}/Members/{memberName}"];
    after.paths["/Widgets"] = get("Widgets_List");
    delete after.components.schemas.LoginsInfoData.properties.FailedLogins; // only GET /LoginsInfo returns it

    const project = (c: OperationChange) => ({
      change: `${c.breaking ? "BREAKING " : ""}${summary([c])[0]}`,
      details: c.details.map((d) => `${d.breaking ? "BREAKING " : ""}${d.text}`),
    });
    const respelled = (from: string, to: string) => `BREAKING ${route(from, to)}`;
    const renamed = "BREAKING parameter path safeUrlId: renamed to id (breaking for TypeScript: callers set params.path.id)";
    expect(compareDocuments(before, after).map(project)).toEqual([
      { change: "BREAKING changed GET /LoginsInfo", details: ["BREAKING response 200 FailedLogins: property removed"] },
      {
        change: "BREAKING respelled GET /Safes/{id}/Members <- GET /Safes/{safeUrlId}/members",
        details: [respelled("GET /Safes/{safeUrlId}/members", "GET /Safes/{id}/Members"), renamed],
      },
      {
        change: "BREAKING respelled POST /Safes/{id}/Members <- POST /Safes/{safeUrlId}/members",
        details: [respelled("POST /Safes/{safeUrlId}/members", "POST /Safes/{id}/Members"), renamed],
      },
      { change: "BREAKING removed DELETE /UserGroups/{groupId}/Members/{memberName}", details: [] },
      {
        change: "BREAKING respelled POST /Users/{userID}/Activate/ <- POST /Users/{userID}/Activate",
        details: [respelled("POST /Users/{userID}/Activate", "POST /Users/{userID}/Activate/")],
      },
      { change: "added GET /Widgets", details: [] },
      {
        change: "BREAKING respelled GET /platforms/targets <- GET /Platforms/Targets",
        details: [respelled("GET /Platforms/Targets", "GET /platforms/targets")],
      },
    ]);
  });

  it("against our own generation: no route the server treats as one is reported as removed + added", () => {
    const oursFile = fileURLToPath(new URL("../../generated/gen2.openapi.json", import.meta.url));
    const ours = JSON.parse(readFileSync(oursFile, "utf8")) as JsonObject;
    const changes = compareDocuments(ours, realDocument());
    const count = (kind: OperationChange["kind"]) => changes.filter((c) => c.kind === kind).length;
    // Measured when this was built: 87 respellings that used to be reported as 87 removals plus 87 additions.
    expect(count("respelled")).toBeGreaterThanOrEqual(80);
    const keyOf = (c: OperationChange) => {
      const space = c.key.indexOf(" ");
      return routeKey(c.key.slice(0, space), c.key.slice(space + 1));
    };
    const removed = new Set(changes.filter((c) => c.kind === "removed").map(keyOf));
    const addedAgain = changes.filter((c) => c.kind === "added" && removed.has(keyOf(c)));
    expect(addedAgain.map((c) => c.key)).toEqual([]);
    expect(count("respelled")).toBeGreaterThan(0);
  });
});

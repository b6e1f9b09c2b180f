// The real PVWA Swagger document in ../shared/fixtures (never copied into the repository). A clone without
// ../shared still passes: tests that need it skip, and each file that imports this says so.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const realFixtureDir = fileURLToPath(new URL("../../../shared/fixtures/real-pvwa-swagger/", import.meta.url));
export const realFixtureJson = `${realFixtureDir}pvwa-openapi.json`;
export const realFixtureYaml = `${realFixtureDir}pvwa-openapi.yaml`;
export const hasRealFixture = existsSync(realFixtureJson);

if (!hasRealFixture) {
  console.warn(`skipping the tests against the real PVWA document: ${realFixtureDir} is absent (a clone without ../shared)`);
}

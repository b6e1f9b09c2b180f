import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // A test in this clone imports the package by name, as the README's contract-test recipe does:
    // resolve it to the sources, so it works in a fresh clone (the package's exports point at dist/,
    // which only `npm run build` creates) and never runs a stale build.
    alias: [{ find: /^cyberark-pam-client$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }],
  },
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Fails any test that makes the system resolver look up a name other than localhost.
    setupFiles: ["./test/support/no-name-lookups.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two projects so only the contract files pay for the Prism mock (started once per run by
    // their globalSetup); the setup returns before Prism is ready, so other files never wait for it.
    // `include` lives in each project: with `extends: true` arrays are concatenated, not replaced.
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, "test/contract/**"] },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          globalSetup: ["test/contract/global-setup.ts"],
          hookTimeout: 180_000,
          // Tests marked concurrent share one Prism; it answers many requests at once far faster than in turn.
          maxConcurrency: 8,
        },
      },
    ],
  },
});

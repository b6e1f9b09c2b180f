// `npm run build`: the two published packages from this one repository, written into packages/*/ (not
// committed). packages/client gets the runtime (src/ and the embedded generated/ as ESM and CommonJS) with the
// README, LICENSE and the docs and examples the README links to; packages/generator gets the compiled
// generator, mock and contract commands, the embedded spec they default to and the mock's documents.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "./lib/repo-paths.js";

const client = join(repoRoot, "packages/client");
const generator = join(repoRoot, "packages/generator");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

function compile(project: string): void {
  execFileSync(process.execPath, [tsc, "-p", project], { cwd: repoRoot, stdio: "inherit" });
}

function copy(from: string, to: string): void {
  cpSync(join(repoRoot, from), to, { recursive: true });
}

for (const built of ["dist", "docs", "examples", "bench", "README.md", "LICENSE"]) rmSync(join(client, built), { recursive: true, force: true });
for (const built of ["dist", "LICENSE"]) rmSync(join(generator, built), { recursive: true, force: true });

compile("tsconfig.build.json");
compile("tsconfig.build.cjs.json");
writeFileSync(join(client, "dist/cjs/package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
copy("README.md", join(client, "README.md"));
copy("LICENSE", join(client, "LICENSE"));
// What the README links to, so its links resolve inside the installed package too.
for (const doc of ["docs/reference.md", "docs/spec-coverage.md", "bench/results.md"]) copy(doc, join(client, doc));
copy("examples", join(client, "examples"));

compile("tsconfig.build.cli.json");
// The commands find these two levels above their own folder (scripts/lib/repo-paths.ts): dist/.
copy("spec", join(generator, "dist/spec"));
mkdirSync(join(generator, "dist/generated"), { recursive: true });
for (const file of readdirSync(join(repoRoot, "generated")).filter((f) => f.endsWith(".openapi.json"))) {
  copy(join("generated", file), join(generator, "dist/generated", file));
}
copy("LICENSE", join(generator, "LICENSE"));
process.stdout.write("built packages/client and packages/generator\n");

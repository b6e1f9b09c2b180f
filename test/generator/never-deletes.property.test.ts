// The promise as a property: whatever folder of a user's files --out points at (the project, above it, an input's
// folder, a folder of user files, a link to one, a new folder inside one), every user file survives unchanged.
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parentFolders } from "../../scripts/steps/out-folder.js";
import { describe, expect, it } from "vitest";
import { generate, tempDir } from "./harness.js";
import { makeProject, PROJECT_SPECS, treeOf, writeTree } from "./project.js";

// Names the generator writes among them: a user's own index.ts or manifest must survive too.
const NAMES = ["index.ts", "gen2.ts", "gen2.openapi.json", ".cyberark-generated.json", "notes.md", "a.txt"];
const FOLDERS = ["src", "generated", "lib", "project", "specs"];

const userFile = fc.record({
  folders: fc.array(fc.constantFrom(...FOLDERS), { maxLength: 3 }),
  name: fc.constantFrom(...NAMES),
  bytes: fc.uint8Array({ maxLength: 32 }),
});

/** --out relative to the project; folder choices index into the folders of the tree, whatever they are. */
const outChoice = fc.oneof(
  fc.constantFrom(".", "..", "specs", "fresh", "../link"),
  fc.record({ folder: fc.nat(), below: fc.boolean() }),
);

describe("the generator never deletes a file it did not write", () => {
  it("holds for random trees of user files and random --out choices", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(userFile, { maxLength: 8 }), outChoice, fc.nat(), async (files, choice, linkTarget) => {
        const tmp = tempDir("never-deletes-");
        try {
          const project = makeProject(join(tmp.path, "project"));
          for (const f of files) {
            // A name already taken by a folder (or the other way round) is simply skipped.
            try {
              writeTree(tmp.path, { [[...f.folders, f.name].join("/")]: f.bytes });
            } catch {
              /* taken */
            }
          }
          mkdirSync(join(tmp.path, "empty-by-user"));
          const unique = [...new Set(["empty-by-user", ...[...treeOf(tmp.path).keys()].flatMap(parentFolders)])].sort();
          symlinkSync(join(tmp.path, unique[linkTarget % unique.length] ?? "project"), join(tmp.path, "link"));
          const out =
            typeof choice === "string"
              ? choice
              : `../${unique[choice.folder % unique.length] ?? "project"}${choice.below ? "/new" : ""}`;

          const before = treeOf(tmp.path);
          const run = await generate([...PROJECT_SPECS, "--out", out, "--quiet"], {}, { cwd: project });
          const after = treeOf(tmp.path);
          for (const [file, content] of before) expect(after.get(file), `${file} after --out ${out}: ${run.stderr}`).toBe(content);
          expect([...after.keys()].filter((f) => f.includes(".generating-"))).toEqual([]);
        } finally {
          tmp.cleanup();
        }
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});

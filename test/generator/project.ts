// A user's project in a temporary folder, for tests that run the generator with that project as the working
// folder: its own code, and copies of the fixture specs under specs/, named relatively like a user would.
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startHttpServer, type TestServer } from "../transport/servers.js";
import { fixture } from "./harness.js";

export const PROJECT_SPECS = [
  "--spec", "gen2=specs/gen2.swagger.json",
  "--spec", "gen1=specs/gen1.swagger.json",
  "--spec", "pcloud=specs/pcloud.swagger.json",
];

export const USER_FILES: Record<string, string> = {
  "package.json": '{ "name": "my-automation", "private": true }\n',
  "README.md": "# my automation\n",
  "src/main.ts": 'console.log("hello");\n',
  "src/util/helper.ts": "export const x = 1;\n",
};

export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
}

/** Creates `folder` as a project holding USER_FILES and specs/*.swagger.json; returns it. */
export function makeProject(folder: string): string {
  writeTree(folder, USER_FILES);
  mkdirSync(join(folder, "specs"), { recursive: true });
  for (const name of ["gen2", "gen1", "pcloud"]) {
    copyFileSync(fixture(`${name}.swagger.json`), join(folder, "specs", `${name}.swagger.json`));
  }
  return folder;
}

/**
 * Every file below root with its bytes, and symbolic links as "-> target" (not followed, so a link to a folder
 * above cannot loop). Equal trees mean no file was deleted or changed.
 */
export function treeOf(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      const info = lstatSync(full);
      if (info.isSymbolicLink()) out.set(`${prefix}${name}`, `-> ${readlinkSync(full)}`);
      else if (info.isDirectory()) walk(full, `${prefix}${name}/`);
      else out.set(`${prefix}${name}`, readFileSync(full).toString("base64"));
    }
  };
  walk(root, "");
  return out;
}

/** Serves the fixture gen2 document and runs `onRequest` first: a hook into a run at its pull step. */
export interface SpecServer {
  readonly url: string;
  onRequest: () => void;
}

/** A SpecServer for the tests of the calling describe block: started before them, closed after, hook reset before each. */
export function useSpecServer(): SpecServer {
  const body = readFileSync(fixture("gen2.swagger.json"));
  let server: TestServer | undefined;
  const spec = {
    get url(): string {
      return `${server?.url ?? ""}/swagger.json`;
    },
    onRequest: () => undefined as void,
  };
  beforeAll(async () => {
    server = await startHttpServer((_req, res) => {
      spec.onRequest();
      res.setHeader("content-type", "application/json");
      res.end(body);
    });
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    spec.onRequest = () => undefined;
  });
  return spec;
}

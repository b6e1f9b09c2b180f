// Benchmark 5: what the client adds to a bundle. Bundles the entry point with esbuild (minified,
// platform "neutral", Node-only transport left out) and gzips it; same for openapi-fetch alone.
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";
import { fmt, type Section } from "../lib/section.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const ENTRY = "src/index.ts";
const TRANSPORT_DIR = "src/transport/";

interface BundleResult {
  label: string;
  minifiedBytes: number;
  gzipBytes: number;
  /** Bytes of the minified output that come from generated/ (operation tables). */
  generatedBytes: number;
  /** Imports left outside the bundle. */
  externals: string[];
}

/** Marks the client's Node-only transport (undici, TLS, proxies) as external. */
function excludeTransport(): Plugin {
  return {
    name: "exclude-node-transport",
    setup(b) {
      b.onResolve({ filter: /\/transport\/[^/]+\.js$/ }, (args) => {
        const resolved = new URL(args.path, `file://${args.resolveDir}/`).pathname;
        if (!resolved.startsWith(`${REPO}${TRANSPORT_DIR}`)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

async function bundle(label: string, entry: { file: string } | { contents: string }, plugins: Plugin[]): Promise<BundleResult> {
  const result = await build({
    ...("file" in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: REPO, loader: "ts" as const, sourcefile: "entry.ts" } }),
    absWorkingDir: REPO,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    external: ["undici", "node:*"],
    plugins,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`${label}: esbuild produced no output`);
  const meta: Metafile = result.metafile;
  const out = Object.values(meta.outputs)[0];
  let generatedBytes = 0;
  for (const [input, info] of Object.entries(out?.inputs ?? {})) if (input.startsWith("generated/")) generatedBytes += info.bytesInOutput;
  const externals = [...new Set((out?.imports ?? []).filter((i) => i.external).map((i) => i.path.replace(/^(\.\.?\/)+/, "")))].sort();
  return { label, minifiedBytes: output.contents.length, gzipBytes: gzipSync(output.contents, { level: 9 }).length, generatedBytes, externals };
}

export async function bundleSize(): Promise<Section> {
  const client = await bundle(`this client (${ENTRY}), Node-only transport excluded`, { file: ENTRY }, [excludeTransport()]);
  const withTransport = await bundle(`this client with its transport (undici itself external)`, { file: ENTRY }, []);
  const openapiFetch = await bundle("openapi-fetch alone", { contents: 'export { default } from "openapi-fetch";\nexport * from "openapi-fetch";\n' }, []);
  const results = [client, withTransport, openapiFetch];
  const kb = (bytes: number): string => fmt(bytes / 1024, 1);
  return {
    id: 5,
    title: "Bundle size",
    setup: "esbuild, bundle + minify, ESM, platform neutral, target es2022; gzip level 9 (zlib)",
    headers: ["bundle", "minified (KB)", "gzipped (KB)", "vs openapi-fetch (gzipped)", "of which generated tables (KB, minified)", "left external"],
    rows: results.map((r) => [
      r.label,
      kb(r.minifiedBytes),
      kb(r.gzipBytes),
      `${fmt(r.gzipBytes / openapiFetch.gzipBytes)}x`,
      kb(r.generatedBytes),
      r.externals.length ? r.externals.join(", ") : "none",
    ]),
    targets: [],
    notes: ["The operation tables from generated/ are runtime data (retry and paging rules per operation); the path types cost nothing at run time."],
    data: { results },
  };
}

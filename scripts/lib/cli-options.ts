// Turns argv into validated options. Credentials are deliberately not options: they come from the environment.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DOCUMENTS, isDocumentName, type DocumentName } from "./documents.js";
import { GenerateError } from "./errors.js";
import { repoRoot } from "./repo-paths.js";

export type SourceSpec =
  | { kind: "file"; path: string }
  | { kind: "url"; url: string }
  | { kind: "portal"; flavour: "tenant" | "pvwa"; root: string };

export interface GenerateOptions {
  help: boolean;
  version: boolean;
  /** The working folder: the project whose paths headers cite, and which --out must never replace. */
  cwd: string;
  sources: Record<DocumentName, SourceSpec>;
  /** Overlay 1.0 files per document, in the order given. */
  overlays: Record<DocumentName, string[]>;
  outDir: string;
  check: boolean;
  quiet: boolean;
  reportFile?: string;
  caFile?: string;
  timeoutMs: number;
  /** Largest document body a pull accepts. */
  maxDownloadBytes: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** A hundred times a real PVWA document (about 0.6 MB), still far from exhausting memory. */
export const DEFAULT_MAX_DOWNLOAD_MB = 64;
const MAX_DOWNLOAD_MB_LIMIT = 512;

function usage(message: string): GenerateError {
  return new GenerateError("arguments", `${message} (see --help)`);
}

/** "[name=]value" of --spec and --overlay; the document defaults to gen2. */
function splitDocumentName(option: string, raw: string): { name: DocumentName; value: string } {
  // "name=" prefix; a URL cannot match because of the ":" before any "=".
  const named = /^([A-Za-z0-9_-]+)=(.*)$/s.exec(raw);
  if (!named) return { name: "gen2", value: raw };
  const candidate = named[1] ?? "";
  if (!isDocumentName(candidate)) {
    throw usage(`${option} ${raw}: unknown document "${candidate}" (expected gen2, gen1 or pcloud)`);
  }
  return { name: candidate, value: named[2] ?? "" };
}

function parseSpecValue(raw: string, cwd: string): { name: DocumentName; source: SourceSpec } {
  const { name, value } = splitDocumentName("--spec", raw);
  if (value === "") throw usage(`--spec ${raw}: no file or URL given`);
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw usage(`--spec ${raw}: not a valid URL`);
    }
    return { name, source: { kind: "url", url: value } };
  }
  return { name, source: { kind: "file", path: resolve(cwd, value) } };
}

function tenantRoot(subdomain: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(subdomain)) {
    throw usage(
      `--tenant ${subdomain}: give only the subdomain, e.g. --tenant acme for https://acme.privilegecloud.cyberark.cloud`,
    );
  }
  return `https://${subdomain.toLowerCase()}.privilegecloud.cyberark.cloud`;
}

function pvwaRoot(hostPort: string): string {
  if (hostPort.includes("://") || hostPort.includes("/")) {
    throw usage(`--pvwa ${hostPort}: give host[:port] only, e.g. --pvwa pvwa.example.com or --pvwa 10.0.0.5:8443`);
  }
  let url: URL;
  try {
    url = new URL(`https://${hostPort}`);
  } catch {
    throw usage(`--pvwa ${hostPort}: not a valid host[:port]`);
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== "/") {
    throw usage(`--pvwa ${hostPort}: give host[:port] only`);
  }
  return url.origin;
}

export function parseCliOptions(argv: readonly string[], cwd: string): GenerateOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        spec: { type: "string", multiple: true },
        overlay: { type: "string", multiple: true },
        tenant: { type: "string" },
        pvwa: { type: "string" },
        ca: { type: "string" },
        timeout: { type: "string" },
        "max-download-mb": { type: "string" },
        out: { type: "string" },
        check: { type: "boolean" },
        report: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;

  const sources = Object.fromEntries(
    DOCUMENTS.map((d) => [d.name, { kind: "file", path: resolve(repoRoot, d.defaultFile) } satisfies SourceSpec]),
  ) as Record<DocumentName, SourceSpec>;
  const replaced = new Set<DocumentName>();
  for (const raw of v.spec ?? []) {
    const { name, source } = parseSpecValue(raw, cwd);
    if (replaced.has(name)) throw usage(`--spec given twice for ${name}`);
    replaced.add(name);
    sources[name] = source;
  }

  const overlays = Object.fromEntries(DOCUMENTS.map((d) => [d.name, [] as string[]])) as Record<DocumentName, string[]>;
  for (const raw of v.overlay ?? []) {
    const { name, value } = splitDocumentName("--overlay", raw);
    if (value === "") throw usage(`--overlay ${raw}: no file given`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw usage(`--overlay ${raw}: give a local file, not a URL`);
    overlays[name].push(resolve(cwd, value));
  }

  if (v.tenant !== undefined && v.pvwa !== undefined) throw usage("--tenant and --pvwa cannot be combined");
  const portal = v.tenant !== undefined ? "tenant" : v.pvwa !== undefined ? "pvwa" : undefined;
  if (portal) {
    if (replaced.has("gen2")) throw usage(`--${portal} pulls the gen2 document, so it cannot be combined with --spec for gen2`);
    const root = portal === "tenant" ? tenantRoot(v.tenant ?? "") : pvwaRoot(v.pvwa ?? "");
    sources.gen2 = { kind: "portal", flavour: portal, root };
  }

  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (v.timeout !== undefined) {
    if (!/^\d+$/.test(v.timeout) || Number(v.timeout) <= 0) {
      throw usage(`--timeout ${v.timeout}: expected a positive number of milliseconds`);
    }
    timeoutMs = Number(v.timeout);
  }

  let maxDownloadMb = DEFAULT_MAX_DOWNLOAD_MB;
  const rawMax = v["max-download-mb"];
  if (rawMax !== undefined) {
    // The document must fit in one JavaScript string to be parsed: about 512 MiB.
    if (!/^\d+$/.test(rawMax) || Number(rawMax) <= 0 || Number(rawMax) > MAX_DOWNLOAD_MB_LIMIT) {
      throw usage(`--max-download-mb ${rawMax}: expected a whole number of MiB from 1 to ${MAX_DOWNLOAD_MB_LIMIT}`);
    }
    maxDownloadMb = Number(rawMax);
  }

  const options: GenerateOptions = {
    help: v.help === true,
    version: v.version === true,
    cwd: resolve(cwd),
    sources,
    overlays,
    outDir: v.out !== undefined ? resolve(cwd, v.out) : resolve(repoRoot, "generated"),
    check: v.check === true,
    quiet: v.quiet === true,
    timeoutMs,
    maxDownloadBytes: maxDownloadMb * 1024 * 1024,
  };
  if (v.report !== undefined) options.reportFile = resolve(cwd, v.report);
  if (v.ca !== undefined) options.caFile = resolve(cwd, v.ca);
  return options;
}

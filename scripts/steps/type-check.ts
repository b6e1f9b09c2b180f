// Step "type-check": compiles what was written, with the project's strictness, before it replaces --out.
import { dirname, join } from "node:path";
import ts from "typescript";
import { GenerateError } from "../lib/errors.js";

const MAX_SHOWN = 20;

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  target: ts.ScriptTarget.ES2022,
  // Bundler resolution checks the same `.js` imports as NodeNext but does not need a package.json with
  // "type": "module" above the temporary folder (tests write to the OS temp directory).
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  noEmit: true,
  // Only .d.ts files are skipped (the standard library); everything generated is .ts and fully checked.
  skipLibCheck: true,
  lib: ["lib.es2022.d.ts"],
  types: [],
};

// The standard library never changes within a process: parse it once (tests run the pipeline many times).
const libCache = new Map<string, ts.SourceFile>();

function hostWithLibCache(): ts.CompilerHost {
  const host = ts.createCompilerHost(OPTIONS);
  const libDir = dirname(ts.getDefaultLibFilePath(OPTIONS));
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.startsWith(libDir)) return read(fileName, languageVersion, onError, shouldCreate);
    let file = libCache.get(fileName);
    if (!file) {
      file = read(fileName, languageVersion, onError, shouldCreate);
      if (file) libCache.set(fileName, file);
    }
    return file;
  };
  return host;
}

export function typeCheck(dir: string, fileNames: readonly string[]): void {
  const roots = fileNames.filter((f) => f.endsWith(".ts")).map((f) => join(dir, f));
  const program = ts.createProgram(roots, OPTIONS, hostWithLibCache());
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length === 0) return;
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => "\n",
  };
  const shown = diagnostics.slice(0, MAX_SHOWN).map((d) => "  " + ts.formatDiagnostic(d, host).trim().replace(/\n/g, "\n  "));
  const more = diagnostics.length > MAX_SHOWN ? `\n  ... and ${diagnostics.length - MAX_SHOWN} more` : "";
  throw new GenerateError(
    "type-check",
    `the generated TypeScript does not compile (${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}):\n` +
      shown.join("\n") +
      more,
  );
}

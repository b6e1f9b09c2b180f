// Per-area counters for the hardening suite: how many generated inputs were tried and how many
// broke a property. Each test file owns one tally and prints its closing line once, in afterAll,
// so the numbers appear in every run (CI logs included) without a shared reporter. Each file also
// drops its numbers into a folder shared by the run's workers; whichever file completes the set
// of areas prints the closing table.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** The six areas of the hardening issue, in its order. */
export const HARDENING_AREAS = ["path-parameters", "response-bodies", "secrets", "faults", "load", "generator"] as const;

export interface Tally {
  readonly area: string;
  /** Counts one input (or `n`) run through a property. */
  tried(n?: number): void;
  /** Counts one input that broke a property, with a short note for the closing line. */
  failed(note: string): void;
  readonly inputs: number;
  readonly failures: number;
  /** The closing line, e.g. `hardening path-parameters: inputs tried 4000, failures 0`. */
  line(): string;
}

const MAX_NOTES = 5;

export function createTally(area: string): Tally {
  let inputs = 0;
  let failures = 0;
  const notes: string[] = [];
  const tally: Tally = {
    area,
    tried(n = 1) {
      inputs += n;
    },
    failed(note: string) {
      failures++;
      if (notes.length < MAX_NOTES) notes.push(note.length > 300 ? `${note.slice(0, 300)}…` : note);
    },
    get inputs() {
      return inputs;
    },
    get failures() {
      return failures;
    },
    line() {
      const head = `hardening ${area}: inputs tried ${inputs}, failures ${failures}`;
      return notes.length === 0 ? head : `${head}\n${notes.map((n) => `  - ${n}`).join("\n")}`;
    },
  };
  return tally;
}

/**
 * A tally whose closing line is printed after the file's tests, plus a guard that counts any
 * unhandled rejection or uncaught exception raised while the file runs as a failure of the area.
 */
export function useTally(area: string): Tally {
  const tally = createTally(area);
  const onRejection = (reason: unknown): void => tally.failed(`unhandled rejection: ${describe(reason)}`);
  const onException = (error: unknown): void => tally.failed(`uncaught exception: ${describe(error)}`);
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  afterAll(() => {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
    // console.log so vitest shows it under the file's output in every reporter.
    console.log(tally.line());
    const table = recordForTable(tally);
    if (table) console.log(table);
  });
  return tally;
}

interface AreaRecord {
  area: string;
  inputs: number;
  failures: number;
}

/**
 * Stores this area's numbers where the other workers of the run (children of the same vitest
 * process) see them; returns the closing table when this call completed the set, exactly once.
 */
function recordForTable(tally: Tally): string | undefined {
  try {
    removeStaleRecords();
    const dir = join(tmpdir(), `${RECORD_PREFIX}${process.ppid}`);
    mkdirSync(dir, { recursive: true });
    const record: AreaRecord = { area: tally.area, inputs: tally.inputs, failures: tally.failures };
    writeFileSync(join(dir, `${tally.area}.json`), JSON.stringify(record));
    const records = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as AreaRecord);
    if (!HARDENING_AREAS.every((a) => records.some((r) => r.area === a))) return undefined;
    // Exclusive create: if two files finish together, only one prints.
    closeSync(openSync(join(dir, "printed"), "wx"));
    rmSync(dir, { recursive: true, force: true });
    return renderTable(HARDENING_AREAS.map((a) => records.find((r) => r.area === a) as AreaRecord));
  } catch {
    return undefined;
  }
}

const RECORD_PREFIX = "cyberark-hardening-";
const STALE_MS = 60 * 60 * 1000;

/** Runs of a single file never complete the set; their folders are removed once an hour old. */
function removeStaleRecords(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!/^cyberark-hardening-\d+$/.test(name)) continue;
    const dir = join(tmpdir(), name);
    if (Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
  }
}

export function renderTable(records: readonly AreaRecord[]): string {
  const rows = records.map((r) => [r.area, String(r.inputs), String(r.failures)]);
  const total = ["total", String(records.reduce((n, r) => n + r.inputs, 0)), String(records.reduce((n, r) => n + r.failures, 0))];
  const all = [["hardening area", "inputs tried", "failures"], ...rows, total];
  const width = [0, 1, 2].map((i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) => `${row[0]!.padEnd(width[0]!)}  ${row[1]!.padStart(width[1]!)}  ${row[2]!.padStart(width[2]!)}`;
  const rule = "-".repeat(width[0]! + width[1]! + width[2]! + 4);
  return ["", line(all[0]!), rule, ...rows.map(line), rule, line(total)].join("\n");
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return String(value);
}

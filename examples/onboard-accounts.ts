// Onboards the accounts listed in a CSV file, a few requests at a time, and reports each row's outcome.
//   npx tsx examples/onboard-accounts.ts examples/accounts.sample.csv        (settings: examples/README.md)
// CSV header (order free): safeName,platformId,address,userName[,secret][,name]. Secrets are never printed.
// CONCURRENCY (default 4) bounds the requests in flight. Exit code 1 when any row failed.
import { readFile } from "node:fs/promises";
import { AuthenticationError, CyberArkError, CyberArkHttpError } from "../src/index.js";
import { clientFromEnv, numberFromEnv, printTable, runExample, UsageError } from "./client-from-env.js";

type Row = Record<string, string>;
interface RowResult {
  line: number;
  account: string;
  outcome: string;
  ok: boolean;
}

/** Minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): { line: number; row: Row }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ",") cells.push(cell), (cell = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      if (cells.some((c) => c !== "")) records.push({ line: recordLine, cells });
      cells = [];
      cell = "";
      recordLine = ++line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c !== "")) records.push({ line: recordLine, cells });
  const [header, ...data] = records;
  if (!header) return [];
  const names = header.cells.map((h) => h.trim());
  return data.map(({ line: l, cells: c }) => ({ line: l, row: Object.fromEntries(names.map((n, i) => [n, (c[i] ?? "").trim()])) }));
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. The first throw stops it. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function describeFailure(error: unknown): string {
  if (error instanceof CyberArkHttpError) return `failed: ${error.status}${error.errorCode ? ` ${error.errorCode}` : ""} ${error.errorMessage ?? ""}`.trimEnd();
  if (error instanceof CyberArkError) return `failed: ${error.kind} ${error.message}`;
  return `failed: ${error instanceof Error ? error.message : String(error)}`;
}

runExample(async () => {
  const file = process.argv[2];
  if (!file) throw new UsageError("usage: onboard-accounts <file.csv>");
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file} (${error.code ?? error.message})`);
  });
  const rows = parseCsv(text);
  const concurrency = numberFromEnv("CONCURRENCY", 4);
  const client = await clientFromEnv();
  try {
    const results = await mapBounded(rows, concurrency, async ({ line, row }): Promise<RowResult> => {
      const account = `${row.userName ?? "?"}@${row.address ?? "?"} in ${row.safeName ?? "?"}`;
      const missing = ["safeName", "platformId", "address", "userName"].filter((k) => !row[k]);
      if (missing.length > 0) return { line, account, ok: false, outcome: `skipped: missing ${missing.join(", ")}` };
      try {
        const { data } = await client.gen2.POST("/Accounts", {
          body: {
            safeName: row.safeName ?? "",
            platformId: row.platformId ?? "",
            address: row.address ?? "",
            userName: row.userName ?? "",
            ...(row.name ? { name: row.name } : {}),
            ...(row.secret ? { secret: row.secret, secretType: "password" as const } : {}),
          },
        });
        return { line, account, ok: true, outcome: `created ${data.id ?? "(no id returned)"}` };
      } catch (error) {
        if (error instanceof AuthenticationError) throw error; // refused credentials: no row can succeed
        return { line, account, ok: false, outcome: describeFailure(error) };
      }
    });
    printTable(["line", "account", "result"], results.map((r) => [String(r.line), r.account, r.outcome]));
    const failed = results.filter((r) => !r.ok).length;
    console.log(`${results.length - failed} onboarded, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } finally {
    await client.close();
  }
});

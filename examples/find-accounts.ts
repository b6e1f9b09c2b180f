// Lists the accounts a saved filter selects (e.g. the locked ones), as a table.
//   npx tsx examples/find-accounts.ts Locked
import { CyberArkHttpError } from "../src/index.js";
import { clientFromEnv, maxItemsFromEnv, printTable } from "./client-from-env.js";

const FILTERS = [
  "Regular", "Recently", "New", "Link", "Deleted", "PolicyFailures", "AccessedByUsers", "ModifiedByUsers", "ModifiedByCPM",
  "DisabledPasswordByUser", "DisabledPasswordByCPM", "ScheduledForChange", "ScheduledForVerify", "ScheduledForReconcile",
  "SuccessfullyReconciled", "FailedChange", "FailedVerify", "FailedReconcile", "LockedOrNew", "Locked", "Favorites",
] as const;
type SavedFilter = (typeof FILTERS)[number];

function isSavedFilter(value: string | undefined): value is SavedFilter {
  return (FILTERS as readonly string[]).includes(value ?? "");
}

const filter = process.argv[2];
if (!isSavedFilter(filter)) {
  console.error(`usage: find-accounts <savedFilter>, one of: ${FILTERS.join(", ")}`);
  process.exit(2);
}

const client = await clientFromEnv();
const max = maxItemsFromEnv();
const rows: string[][] = [];
try {
  for await (const account of client.paginate("/Accounts", { params: { query: { savedFilter: filter } } })) {
    rows.push([account.id ?? "", account.userName ?? "", account.address ?? "", account.safeName ?? "", account.secretManagement?.status ?? ""]);
    if (rows.length >= max) break;
  }
  printTable(["id", "userName", "address", "safe", "CPM status"], rows);
  console.log(`${rows.length} account(s) match saved filter ${filter}`);
} catch (error) {
  console.error(error instanceof CyberArkHttpError ? `listing failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await client.close();
}

// Lists the accounts a saved filter selects (e.g. the locked ones), as a table.
//   npx tsx examples/find-accounts.ts Locked        (settings: examples/README.md)
import { clientFromEnv, maxItemsFromEnv, printTable, runExample, UsageError } from "./client-from-env.js";

const FILTERS = [
  "Regular", "Recently", "New", "Link", "Deleted", "PolicyFailures", "AccessedByUsers", "ModifiedByUsers", "ModifiedByCPM",
  "DisabledPasswordByUser", "DisabledPasswordByCPM", "ScheduledForChange", "ScheduledForVerify", "ScheduledForReconcile",
  "SuccessfullyReconciled", "FailedChange", "FailedVerify", "FailedReconcile", "LockedOrNew", "Locked", "Favorites",
] as const;
type SavedFilter = (typeof FILTERS)[number];

function isSavedFilter(value: string | undefined): value is SavedFilter {
  return (FILTERS as readonly string[]).includes(value ?? "");
}

runExample(async () => {
  const filter = process.argv[2];
  if (!isSavedFilter(filter)) throw new UsageError(`usage: find-accounts <savedFilter>, one of: ${FILTERS.join(", ")}`);
  const max = maxItemsFromEnv();
  const client = await clientFromEnv();
  const rows: string[][] = [];
  try {
    for await (const account of client.paginate("/Accounts", { params: { query: { savedFilter: filter } } })) {
      rows.push([account.id ?? "", account.userName ?? "", account.address ?? "", account.safeName ?? "", account.secretManagement?.status ?? ""]);
      if (rows.length >= max) break;
    }
    printTable(["id", "userName", "address", "safe", "CPM status"], rows);
    console.log(`${rows.length} account(s) match saved filter ${filter}`);
  } finally {
    await client.close();
  }
});

// Lists every safe with its members and their key permissions, as a table.
//   npx tsx examples/list-safes.ts        (settings: examples/README.md)
import { clientFromEnv, maxItemsFromEnv, printTable, runExample } from "./client-from-env.js";

runExample(async () => {
  const max = maxItemsFromEnv();
  const client = await clientFromEnv();
  const rows: string[][] = [];
  const yes = (flag: boolean | undefined): string => (flag ? "yes" : "-");
  try {
    let safes = 0;
    for await (const safe of client.paginate("/Safes")) {
      if (++safes > max) break;
      const safeUrlId = safe.safeUrlId ?? safe.safeName ?? "";
      let members = 0;
      for await (const member of client.paginate("/Safes/{safeUrlId}/Members", { params: { path: { safeUrlId } } })) {
        if (++members > max) break;
        const p = member.permissions;
        rows.push([safe.safeName ?? safeUrlId, member.memberName ?? "", member.memberType ?? "", yes(p?.retrieveAccounts), yes(p?.manageSafe)]);
      }
      if (members === 0) rows.push([safe.safeName ?? safeUrlId, "(no members)", "", "", ""]);
    }
    printTable(["safe", "member", "type", "retrieve", "manage"], rows);
  } finally {
    await client.close();
  }
});

// Lists every safe with its members and their key permissions, as a table.
//   npx tsx examples/list-safes.ts
import { clientFromEnv, maxItemsFromEnv, printTable } from "./client-from-env.js";

const client = await clientFromEnv();
const max = maxItemsFromEnv();
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
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await client.close();
}

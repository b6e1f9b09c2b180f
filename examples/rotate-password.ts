// Asks the CPM to change an account's password now, then waits until the CPM reports the outcome.
//   npx tsx examples/rotate-password.ts 286_4        (settings: examples/README.md)
// WAIT_TIMEOUT_MS (default 600000) and POLL_INTERVAL_MS (default 5000) bound the wait.
// Exit codes: 0 changed, 1 the CPM reported a failure or a request failed, 2 a setting is missing or wrong,
// 3 still pending at the timeout.
import { setTimeout as sleep } from "node:timers/promises";
import { clientFromEnv, numberFromEnv, runExample, UsageError } from "./client-from-env.js";

runExample(async () => {
  const accountId = process.argv[2];
  if (!accountId) throw new UsageError("usage: rotate-password <accountId>");
  const timeoutMs = numberFromEnv("WAIT_TIMEOUT_MS", 600_000);
  const intervalMs = numberFromEnv("POLL_INTERVAL_MS", 5_000);
  const client = await clientFromEnv();
  const path = { params: { path: { id: accountId } } };
  try {
    // The CPM's last result before the request: the change is done when either value moves on.
    const before = (await client.gen2.GET("/Accounts/{id}", path)).data.secretManagement ?? {};
    await client.gen2.POST("/Accounts/{id}/Change", { ...path, body: { ChangeEntireGroup: false } });
    console.log(`change of ${accountId} scheduled; waiting for the CPM (status before: ${before.status ?? "none"})`);

    const deadline = Date.now() + timeoutMs;
    let outcome: "changed" | "failed" | "pending" = "pending";
    let status: string | undefined;
    while (outcome === "pending" && Date.now() < deadline) {
      await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
      const now = (await client.gen2.GET("/Accounts/{id}", path)).data.secretManagement ?? {};
      status = now.status;
      const moved = now.lastModifiedTime !== before.lastModifiedTime || now.status !== before.status;
      if (moved) outcome = /fail/i.test(now.status ?? "") ? "failed" : "changed";
    }
    if (outcome === "changed") console.log(`password of ${accountId} changed (CPM status: ${status ?? "none"})`);
    else if (outcome === "failed") console.log(`the CPM failed to change ${accountId} (status: ${status ?? "none"})`);
    else console.log(`still pending after ${timeoutMs} ms (CPM status: ${status ?? "none"})`);
    return outcome === "changed" ? 0 : outcome === "failed" ? 1 : 3;
  } finally {
    await client.close();
  }
});

// Gen 2 logoff, shared by every vault-session strategy: POST <gen2>/Auth/Logoff with the token.
import type { AuthContext, Session } from "./types.js";

export async function gen2Logoff(ctx: AuthContext, session: Session): Promise<void> {
  const url = `${ctx.deployment.gen2Base}/Auth/Logoff`;
  const response = await ctx.send(url, { method: "POST", headers: { authorization: session.authorization } });
  // 401: the session is gone already, which is what logoff wants.
  if (response.ok || response.status === 401) {
    void response.body?.cancel().catch(() => undefined);
    return;
  }
  throw await ctx.fail(response, url, "POST");
}

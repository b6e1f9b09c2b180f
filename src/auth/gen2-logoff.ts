// Logoff, shared by every vault-session strategy: Gen 2 POST <gen2>/Auth/Logoff with the token, and
// the Gen 1 strategy's own endpoint through the same rules.
import type { AuthContext, AuthRequest, Session } from "./types.js";

/** Sends a logoff request; a 401 means the session is gone already, which is what logoff wants. */
export async function logoffAt(ctx: AuthContext, url: string, request: AuthRequest): Promise<void> {
  const response = await ctx.send(url, request);
  if (response.ok || response.status === 401) {
    void response.body?.cancel().catch(() => undefined);
    return;
  }
  throw await ctx.fail(response, url, request.method);
}

export function gen2Logoff(ctx: AuthContext, session: Session): Promise<void> {
  return logoffAt(ctx, `${ctx.deployment.gen2Base}/Auth/Logoff`, { method: "POST", headers: { authorization: session.authorization } });
}

// Gen 1 ("classic") logon: POST <gen1>/auth/Cyberark/CyberArkAuthenticationService.svc/Logon,
// answer {"CyberArkLogonResult": "<token>"}; logoff is the sibling .../Logoff.
import { requireUserPassword } from "./credentials.js";
import { readVaultToken } from "./token-response.js";
import type { AuthStrategy } from "./types.js";
import { JSON_HEADERS } from "./vault-logon.js";

const SERVICE = "/auth/Cyberark/CyberArkAuthenticationService.svc";

export interface Gen1LogonOptions {
  username: string;
  password: string;
  newPassword?: string;
  /** Let the vault check the password against RADIUS. */
  useRadiusAuthentication?: boolean;
  /** 1..100: lets one user hold several parallel Gen 1 sessions. */
  connectionNumber?: number;
}

export function gen1Logon(options: Gen1LogonOptions): AuthStrategy {
  requireUserPassword("gen1Logon", options);
  return {
    name: "gen1",
    async logon(ctx) {
      ctx.secret(options.password);
      ctx.secret(options.newPassword);
      const url = `${ctx.deployment.gen1Base}${SERVICE}/Logon`;
      const body: Record<string, unknown> = { username: options.username, password: options.password };
      if (options.newPassword !== undefined) body["newPassword"] = options.newPassword;
      if (options.useRadiusAuthentication !== undefined) body["useRadiusAuthentication"] = options.useRadiusAuthentication;
      if (options.connectionNumber !== undefined) body["connectionNumber"] = options.connectionNumber;
      const response = await ctx.send(url, { method: "POST", headers: { ...JSON_HEADERS }, body: JSON.stringify(body) });
      if (!response.ok) throw await ctx.fail(response, url, "POST");
      const token = await readVaultToken(response, url);
      ctx.secret(token);
      return { token, authorization: token };
    },
    async logoff(ctx, session) {
      const url = `${ctx.deployment.gen1Base}${SERVICE}/Logoff`;
      const response = await ctx.send(url, {
        method: "POST",
        headers: { ...JSON_HEADERS, authorization: session.authorization },
        body: "{}",
      });
      if (response.ok || response.status === 401) {
        void response.body?.cancel().catch(() => undefined);
        return;
      }
      throw await ctx.fail(response, url, "POST");
    },
  };
}

// Gen 1 ("classic") logon: POST <gen1>/auth/Cyberark/CyberArkAuthenticationService.svc/Logon,
// answer {"CyberArkLogonResult": "<token>"}; logoff is the sibling .../Logoff.
import { requireUserPassword } from "./credentials.js";
import { logoffAt } from "./gen2-logoff.js";
import { passwordChange } from "./password-change.js";
import { vaultLogonRequest } from "./token-response.js";
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
  const change = passwordChange(options.password, options.newPassword);
  return {
    name: "gen1",
    mayRetryLogon: () => change.current().newPassword === undefined,
    async logon(ctx) {
      const { password, newPassword } = change.current();
      ctx.secret(password);
      ctx.secret(newPassword);
      const url = `${ctx.deployment.gen1Base}${SERVICE}/Logon`;
      const body: Record<string, unknown> = { username: options.username, password };
      if (newPassword !== undefined) body["newPassword"] = newPassword;
      if (options.useRadiusAuthentication !== undefined) body["useRadiusAuthentication"] = options.useRadiusAuthentication;
      if (options.connectionNumber !== undefined) body["connectionNumber"] = options.connectionNumber;
      const session = await vaultLogonRequest(ctx, url, { method: "POST", headers: { ...JSON_HEADERS }, body: JSON.stringify(body) });
      change.succeeded();
      return session;
    },
    logoff(ctx, session) {
      return logoffAt(ctx, `${ctx.deployment.gen1Base}${SERVICE}/Logoff`, {
        method: "POST",
        // No body, as psPAS sends it; the spec declares none, so a body is what a strict server would refuse.
        headers: { authorization: session.authorization },
      });
    },
  };
}

// Gen 2 vault logon: POST <gen2>/auth/{CyberArk|LDAP|RADIUS}/Logon with a JSON body; the token
// comes back as a JSON string and is sent back raw (no "Bearer").
import { requireUserPassword } from "./credentials.js";
import { gen2Logoff } from "./gen2-logoff.js";
import { passwordChange } from "./password-change.js";
import { vaultLogonRequest } from "./token-response.js";
import type { AuthStrategy } from "./types.js";

export type VaultLogonMethod = "CyberArk" | "LDAP" | "RADIUS";

export interface VaultLogonOptions {
  method?: VaultLogonMethod;
  username: string;
  password: string;
  /** Changes the password during logon (CyberArk and LDAP users). */
  newPassword?: string;
  /**
   * Allow several sessions of the same user at once (11.3+). Default true: without it a second logon of the
   * same user (another job, a re-logon) ends the first session.
   */
  concurrentSession?: boolean;
}

export function vaultBody(options: { username: string; password: string; newPassword?: string | undefined; concurrentSession?: boolean | undefined }): string {
  const body: Record<string, unknown> = { username: options.username, password: options.password };
  if (options.newPassword !== undefined) body["newPassword"] = options.newPassword;
  body["concurrentSession"] = options.concurrentSession ?? true;
  return JSON.stringify(body);
}

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json", accept: "application/json" });

/** CyberArk (default), LDAP or RADIUS (append mode: put "<password>,<otp>" in password, or use radiusLogon). */
export function vaultLogon(options: VaultLogonOptions): AuthStrategy {
  requireUserPassword("vaultLogon", options);
  const method = options.method ?? "CyberArk";
  const change = passwordChange(options.password, options.newPassword);
  return {
    name: method.toLowerCase(),
    mayRetryLogon: () => change.current().newPassword === undefined,
    async logon(ctx) {
      const { password, newPassword } = change.current();
      ctx.secret(password);
      ctx.secret(newPassword);
      const url = `${ctx.deployment.gen2Base}/auth/${method}/Logon`;
      const body = vaultBody({ username: options.username, password, newPassword, concurrentSession: options.concurrentSession });
      const session = await vaultLogonRequest(ctx, url, { method: "POST", headers: { ...JSON_HEADERS }, body });
      change.succeeded();
      return session;
    },
    logoff: gen2Logoff,
  };
}

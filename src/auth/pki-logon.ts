// Certificate logons. The client certificate itself is presented on the TLS connection (the
// client's `tls.cert`/`tls.key`/`tls.pfx` options); these strategies only make the logon call.
// PKIPN sends {secureMode: true, type: "pkipn"} instead of user name and password.
import { gen2Logoff } from "./gen2-logoff.js";
import { vaultLogonRequest } from "./token-response.js";
import type { AuthStrategy } from "./types.js";
import { JSON_HEADERS } from "./vault-logon.js";

export interface PkiLogonOptions {
  concurrentSession?: boolean;
}

function certificateLogon(kind: "PKI" | "PKIPN", baseBody: Record<string, unknown>, options: PkiLogonOptions): AuthStrategy {
  return {
    name: kind.toLowerCase(),
    async logon(ctx) {
      const url = `${ctx.deployment.gen2Base}/auth/${kind}/Logon`;
      const body = { ...baseBody };
      if (options.concurrentSession !== undefined) body["concurrentSession"] = options.concurrentSession;
      return vaultLogonRequest(ctx, url, { method: "POST", headers: { ...JSON_HEADERS }, body: JSON.stringify(body) });
    },
    logoff: gen2Logoff,
  };
}

export function pkiLogon(options: PkiLogonOptions = {}): AuthStrategy {
  return certificateLogon("PKI", {}, options);
}

export function pkipnLogon(options: PkiLogonOptions = {}): AuthStrategy {
  return certificateLogon("PKIPN", { secureMode: true, type: "pkipn" }, options);
}

// SAML logon (Gen 2, 11.4+): the caller brings an IdP-issued SAMLResponse (a string, or an async
// provider called at every logon since assertions are short-lived); it is posted form-encoded with
// apiUse=true, and the vault token comes back as a JSON string.
import { gen2Logoff } from "./gen2-logoff.js";
import { vaultLogonRequest } from "./token-response.js";
import type { AuthStrategy } from "./types.js";

export interface SamlLogonOptions {
  samlResponse: string | (() => string | Promise<string>);
  concurrentSession?: boolean;
}

export function samlLogon(options: SamlLogonOptions): AuthStrategy {
  return {
    name: "saml",
    // A SAMLResponse is single-use: only a provider can bring a fresh one for a second try.
    mayRetryLogon: () => typeof options.samlResponse === "function",
    async logon(ctx) {
      const samlResponse = typeof options.samlResponse === "string" ? options.samlResponse : await options.samlResponse();
      ctx.secret(samlResponse);
      const url = `${ctx.deployment.gen2Base}/auth/SAML/Logon`;
      const form = new URLSearchParams();
      // Default true, as for vault logons: a second logon of the same user otherwise ends the first session.
      form.set("concurrentSession", String(options.concurrentSession ?? true));
      form.set("apiUse", "true");
      form.set("SAMLResponse", samlResponse);
      return vaultLogonRequest(ctx, url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form,
      });
    },
    logoff: gen2Logoff,
  };
}

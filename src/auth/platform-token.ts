// Privilege Cloud Shared Services: OAuth2 client credentials against the Identity tenant,
// POST <identity>/oauth2/platformtoken (form-encoded). The access token is sent as
// "Bearer <token>" and renewed before `expires_in` runs out, with a safety margin.
import { ConfigurationError } from "../errors/configuration.js";
import { InvalidResponseError } from "../errors/invalid-response.js";
import { urlText } from "../logging/url-text.js";
import type { AuthStrategy } from "./types.js";

export interface PlatformTokenOptions {
  /** The service user's login name (e.g. "svc-api@cyberark.cloud.1234"). */
  clientId: string;
  clientSecret: string;
  /** Overrides the deployment's identityUrl. */
  identityUrl?: string;
  /** Renew this many seconds before expiry. Default: 10% of the lifetime, at most 60 s. */
  renewBeforeSeconds?: number;
}

/** Seconds of validity left in a JWT's `exp` claim, if it has one (read only, never verified). */
function jwtLifetimeSeconds(token: string, now: number): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" ? claims.exp - now / 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function platformToken(options: PlatformTokenOptions): AuthStrategy {
  if (!options || !options.clientId || !options.clientSecret) {
    throw new ConfigurationError("platformToken needs clientId and clientSecret (the Identity service user's login name and password)");
  }
  return {
    name: "platform-token",
    async logon(ctx) {
      ctx.secret(options.clientSecret);
      const identity = (options.identityUrl ?? ctx.deployment.identityUrl)?.replace(/\/+$/, "");
      if (!identity) {
        throw new ConfigurationError(
          'platformToken needs the Identity tenant URL: set deployment.identityUrl (e.g. "https://abc1234.id.cyberark.cloud")',
        );
      }
      const url = `${identity}/oauth2/platformtoken`;
      const form = new URLSearchParams({ grant_type: "client_credentials", client_id: options.clientId, client_secret: options.clientSecret });
      const issuedAt = Date.now();
      const response = await ctx.send(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form,
      });
      if (!response.ok) throw await ctx.fail(response, url, "POST");
      const text = await response.text();
      let body: { access_token?: unknown; expires_in?: unknown } | undefined;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = undefined;
      }
      const token = body?.access_token;
      if (typeof token !== "string" || !token) {
        throw new InvalidResponseError("the Identity tenant answered without an access_token", {
          status: response.status,
          method: "POST",
          urlPath: urlText(url),
          contentType: response.headers.get("content-type"),
        });
      }
      ctx.secret(token);
      const expiresIn = typeof body?.expires_in === "number" ? body.expires_in : Number(body?.expires_in ?? NaN);
      const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : jwtLifetimeSeconds(token, issuedAt);
      let expiresAt: number | undefined;
      if (lifetime !== undefined) {
        const margin = options.renewBeforeSeconds ?? Math.min(60, lifetime * 0.1);
        expiresAt = issuedAt + Math.max(0, lifetime - margin) * 1000;
      }
      return { token, authorization: `Bearer ${token}`, expiresAt };
    },
    // Platform tokens cannot be revoked by the PVWA; they simply expire.
  };
}

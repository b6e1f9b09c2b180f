// Tokens obtained elsewhere: a fixed token, or an async provider the client calls whenever it
// needs a (new) token, e.g. after a 401 or when the previous one expired.
import { ConfigurationError } from "../errors/configuration.js";
import type { AuthStrategy, Session } from "./types.js";

/** "raw": vault session tokens (self-hosted); "bearer": platform tokens (Privilege Cloud). */
export type TokenScheme = "raw" | "bearer";

function header(token: string, scheme: TokenScheme): string {
  return scheme === "bearer" ? `Bearer ${token}` : token;
}

export interface StaticTokenOptions {
  token: string;
  scheme?: TokenScheme;
}

/** A ready token. A 401 is final (logging on again would give the same token). */
export function staticToken(options: StaticTokenOptions): AuthStrategy {
  if (!options?.token) throw new ConfigurationError("staticToken needs a token");
  const scheme = options.scheme ?? "raw";
  return {
    name: "static-token",
    canRenew: false,
    logon(ctx) {
      ctx.secret(options.token);
      return Promise.resolve({ token: options.token, authorization: header(options.token, scheme) });
    },
  };
}

export interface ProvidedToken {
  token: string;
  /** When the token stops being valid (Date or epoch ms); the client asks again before using it after that. */
  expiresAt?: Date | number;
}

export interface TokenProviderOptions {
  scheme?: TokenScheme;
}

/** Calls `provide` at the first request, after expiry and after a 401. */
export function tokenProvider(provide: () => string | ProvidedToken | Promise<string | ProvidedToken>, options: TokenProviderOptions = {}): AuthStrategy {
  if (typeof provide !== "function") throw new ConfigurationError("tokenProvider needs a function returning a token");
  const scheme = options.scheme ?? "raw";
  return {
    name: "token-provider",
    async logon(ctx): Promise<Session> {
      const provided = await provide();
      const token = typeof provided === "string" ? provided : provided?.token;
      if (typeof token !== "string" || !token) throw new ConfigurationError("the token provider returned no token");
      ctx.secret(token);
      const expires = typeof provided === "string" ? undefined : provided.expiresAt;
      return {
        token,
        authorization: header(token, scheme),
        expiresAt: expires === undefined ? undefined : expires instanceof Date ? expires.getTime() : expires,
      };
    },
  };
}

// The Identity tenant's client-credentials route, POST <identity>/oauth2/platformtoken, which no spec
// of the client describes, so the front answers it itself (at the mock's root: point the client's
// identityUrl at the mock). Answers and refusals are shaped as Identity's (OAuth2 JSON errors); a
// refused client secret (credentials.ts) is never echoed.
import { randomBytes } from "node:crypto";
import { isRefusedSecret } from "./credentials.js";
import { jsonAnswer, type FrontAnswer, type FrontRequest, type FrontRule } from "./front.js";

/** Lifetime the mock gives platform tokens, in seconds (a client renews before it runs out). */
export const PLATFORM_TOKEN_LIFETIME_SECONDS = 900;

// OAuth2 answers must not be cached (RFC 6749 §5.1).
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function oauthError(status: number, error: string, description: string): FrontAnswer {
  return jsonAnswer(status, { error, error_description: description }, NO_STORE);
}

/** A JWT-shaped token (clients read its `exp` without verifying it); the signature is random bytes. */
export function newPlatformToken(clientId: string, now = Date.now()): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const iat = Math.floor(now / 1000);
  const claims = { iss: "cyberark-pam-mock", sub: clientId, unique_name: clientId, subdomain: "mock", iat, exp: iat + PLATFORM_TOKEN_LIFETIME_SECONDS };
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${randomBytes(64).toString("base64url")}`;
}

export function platformTokenAnswer(req: FrontRequest): FrontAnswer {
  if (!/^application\/x-www-form-urlencoded\b/i.test(String(req.headers["content-type"] ?? ""))) {
    return oauthError(400, "invalid_request", "the request must be form-encoded (application/x-www-form-urlencoded)");
  }
  const form = new URLSearchParams(req.body.toString("utf8"));
  if (form.get("grant_type") !== "client_credentials") return oauthError(400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
  const clientId = form.get("client_id");
  const secret = form.get("client_secret");
  if (!clientId || secret === null) return oauthError(400, "invalid_request", "client_id and client_secret are required");
  if (isRefusedSecret(secret)) return oauthError(401, "invalid_client", "invalid client creds or client not allowed");
  return jsonAnswer(200, { access_token: newPlatformToken(clientId), token_type: "Bearer", expires_in: PLATFORM_TOKEN_LIFETIME_SECONDS }, NO_STORE);
}

export const PLATFORM_TOKEN_PATH = "/oauth2/platformtoken";

export const platformTokens: FrontRule = {
  answer(req) {
    const path = req.url.split("?")[0]!.replace(/\/+$/, "");
    // Identity matches its routes case-insensitively (clients write /OAuth2/PlatformToken too).
    if (req.method !== "POST" || path.toLowerCase() !== PLATFORM_TOKEN_PATH) return undefined;
    return platformTokenAnswer(req);
  },
};

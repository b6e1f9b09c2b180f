// Reading tokens out of logon responses. Gen 2 returns the token as a JSON string ("\"abc\""),
// Gen 1 as {"CyberArkLogonResult": "..."}; the shared-logon service uses {"LogonResult": "..."}.
import { classifyBody } from "../core/body-kind.js";
import { InvalidResponseError } from "../errors/invalid-response.js";
import { urlText } from "../logging/url-text.js";
import type { AuthContext, AuthRequest, Session } from "./types.js";

export async function readVaultToken(response: Response, url: string, method = "POST"): Promise<string> {
  const text = await response.text();
  const contentType = response.headers.get("content-type");
  const body = classifyBody(text, contentType);
  const value = body.kind === "json" ? body.value : undefined;
  if (typeof value === "string" && value.length > 0) return value;
  if (value && typeof value === "object") {
    const rec = value as Record<string, unknown>;
    for (const key of ["CyberArkLogonResult", "LogonResult"]) {
      const token = rec[key];
      if (typeof token === "string" && token.length > 0) return token;
    }
    if ("UserName" in rec) {
      throw new InvalidResponseError(
        "logon succeeded only partly: the server asks for a second authentication step, which this logon method does not perform",
        { status: response.status, method, urlPath: urlText(url), contentType: response.headers.get("content-type") },
      );
    }
  }
  // Some proxies strip the JSON quoting; accept a bare token-looking body, never HTML.
  const bare = text.trim();
  if (value === undefined && /^[A-Za-z0-9._~+/=-]{16,}$/.test(bare)) return bare;
  const html = body.kind === "html" ? " (an HTML page, often a sign-in or IIS error page)" : body.kind === "empty" ? " (an empty body)" : "";
  throw new InvalidResponseError(`logon returned HTTP ${response.status} but no session token${html}`, {
    status: response.status,
    method,
    urlPath: urlText(url),
    contentType,
  });
}

/** The session of a successful vault logon answer: its token, sent back raw (no "Bearer"). */
export async function vaultSessionFrom(ctx: AuthContext, response: Response, url: string): Promise<Session> {
  const token = await readVaultToken(response, url);
  ctx.secret(token);
  return { token, authorization: token };
}

/** Sends a vault logon request: a typed error if it is refused, else the session. */
export async function vaultLogonRequest(ctx: AuthContext, url: string, request: AuthRequest): Promise<Session> {
  const response = await ctx.send(url, request);
  if (!response.ok) throw await ctx.fail(response, url, request.method);
  return vaultSessionFrom(ctx, response, url);
}

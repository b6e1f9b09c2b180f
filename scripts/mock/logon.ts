// Vault logon as a tenant does it, for the front before Prism. Prism validates the logon request
// against the spec as for any operation; when it would answer success, this rule decides instead:
// a refused password (credentials.ts) gets the PVWA's refusal, 403 PASWS013E, and anything else a
// fresh session token (Prism's own example is the literal "string", or null for Windows).
// IIS matches these paths case-insensitively and clients spell them differently ("Auth"/"auth",
// "Cyberark"/"CyberArk"); Prism does not, so the front forwards them spelled as the spec spells them.
import { randomBytes } from "node:crypto";
import { isRefusedSecret } from "./credentials.js";
import { jsonAnswer, parseJson, type FrontAnswer, type FrontRequest, type FrontRule } from "./front.js";

const GEN2 = "/PasswordVault/API";
const GEN1_SERVICE = "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc";

interface LogonRoute {
  path: string;
  /** Gen 2 answers the token as a JSON string, Gen 1 as {CyberArkLogonResult}. */
  generation: 1 | 2;
  /** Methods whose body carries a password (Windows, SAML and PKI authenticate otherwise). */
  checksPassword: boolean;
}

const LOGONS: readonly LogonRoute[] = [
  ...["CyberArk", "LDAP", "RADIUS"].map((m) => ({ path: `${GEN2}/auth/${m}/Logon`, generation: 2 as const, checksPassword: true })),
  ...["Windows", "SAML", "PKI", "PKIPN"].map((m) => ({ path: `${GEN2}/auth/${m}/Logon`, generation: 2 as const, checksPassword: false })),
  { path: `${GEN1_SERVICE}/Logon`, generation: 1, checksPassword: true },
];
const LOGOFFS = [`${GEN2}/Auth/Logoff`, `${GEN1_SERVICE}/Logoff`];

const BY_KEY = new Map<string, string>([...LOGONS.map((r) => r.path), ...LOGOFFS].map((p) => [p.toLowerCase(), p]));
const LOGON_BY_PATH = new Map(LOGONS.map((r) => [r.path, r]));

function split(url: string): { path: string; query: string } {
  const q = url.indexOf("?");
  return q < 0 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q) };
}

/** The spec's spelling of an auth route, or undefined when `url` is none. */
export function canonicalAuthPath(url: string): string | undefined {
  return BY_KEY.get(split(url).path.replace(/\/+$/, "").toLowerCase());
}

/** A session token shaped like a PVWA's: long (clients such as psPAS tell Gen 2 tokens by length) and random. */
export function newSessionToken(): string {
  return randomBytes(144).toString("base64");
}

/** The PVWA's answer to bad credentials; names the user as the PVWA does, never the password. */
export function logonRefusal(username: unknown, password: unknown, headers: FrontAnswer["headers"] = {}): FrontAnswer {
  let user = typeof username === "string" ? username.slice(0, 128) : "";
  // A password pasted into the user name field must not come back either.
  if (typeof password === "string" && password !== "" && user.includes(password)) user = "";
  return jsonAnswer(403, { ErrorCode: "PASWS013E", ErrorMessage: `Authentication failure for User [${user}].` }, headers);
}

function logonAnswer(route: LogonRoute, req: FrontRequest, prism: FrontAnswer): FrontAnswer {
  const body = parseJson(req.body);
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const headers = { ...prism.headers };
  delete headers["content-length"];
  if (route.checksPassword && isRefusedSecret(fields["password"])) return logonRefusal(fields["username"], fields["password"], headers);
  const token = newSessionToken();
  return jsonAnswer(prism.status, route.generation === 2 ? token : { CyberArkLogonResult: token }, headers);
}

export const vaultLogons: FrontRule = {
  forward(req) {
    const canonical = canonicalAuthPath(req.url);
    if (canonical === undefined) return req;
    return { ...req, url: `${canonical}${split(req.url).query}` };
  },
  respond(req, answer) {
    const canonical = canonicalAuthPath(req.url);
    const route = canonical === undefined ? undefined : LOGON_BY_PATH.get(canonical);
    // Prism's refusals (a body that breaks the spec, a `Prefer: code=` the caller chose) stand.
    if (!route || req.method !== "POST" || answer.status < 200 || answer.status >= 300) return answer;
    return logonAnswer(route, req, answer);
  },
};

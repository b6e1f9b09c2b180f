// Step "pull": a document over HTTPS, either from one URL or by probing the candidate locations on a portal.
import { GenerateError } from "../lib/errors.js";
import { HttpClient, NetworkFailure, publicUrl, type HttpResult } from "../lib/http-fetch.js";
import type { LoadedSource } from "../lib/loaded-source.js";
import type { Env } from "../lib/secrets.js";
import { classifyBody } from "./parse.js";
import { readLocalInput, whyNotRead } from "./read.js";

/** Where a PVWA may serve its Swagger document. None of these is confirmed by CyberArk documentation. */
export const PORTAL_DOCUMENT_PATHS = [
  "/PasswordVault/swagger/docs/v1",
  "/PasswordVault/swagger/v1/swagger.json",
  "/PasswordVault/swagger/swagger.json",
  "/PasswordVault/swagger.json",
] as const;

export interface PullContext {
  env: Env;
  timeoutMs: number;
  maxDownloadBytes: number;
  caFile?: string;
}

type AuthStyle = "bearer" | "raw";

/** The Authorization value for pulling, from the environment only. */
export function authorizationFor(env: Env, style: AuthStyle): string | undefined {
  const full = env["CYBERARK_AUTH_HEADER"];
  if (full) return full;
  const token = env["CYBERARK_TOKEN"];
  if (!token) return undefined;
  if (style === "raw" || /^bearer\s/i.test(token)) return token;
  return `Bearer ${token}`;
}

async function clientFor(ctx: PullContext): Promise<HttpClient> {
  let caPem: string | undefined;
  if (ctx.caFile) {
    try {
      caPem = (await readLocalInput(ctx.caFile, ctx.maxDownloadBytes)).toString("utf8");
    } catch (error) {
      throw new GenerateError("pull", `cannot read the --ca file ${ctx.caFile}: ${whyNotRead(error)}.`);
    }
    if (!caPem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new GenerateError("pull", `the --ca file ${ctx.caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
    }
  }
  const options = { timeoutMs: ctx.timeoutMs, maxBytes: ctx.maxDownloadBytes, env: ctx.env };
  return new HttpClient(caPem === undefined ? options : { ...options, caPem });
}

function headersFor(ctx: PullContext, style: AuthStyle): Record<string, string> {
  // YAML too: the parse step reads either.
  const headers: Record<string, string> = { accept: "application/json, application/yaml;q=0.9, text/yaml;q=0.9" };
  const auth = authorizationFor(ctx.env, style);
  if (auth) headers["authorization"] = auth;
  return headers;
}

function authHint(ctx: PullContext, url: string): string {
  if (new URL(url).protocol !== "https:") return "credentials are never sent over plain http; use an https URL";
  if (ctx.env["CYBERARK_TOKEN"] || ctx.env["CYBERARK_AUTH_HEADER"]) {
    return "the credential in CYBERARK_TOKEN / CYBERARK_AUTH_HEADER was refused (expired, or the wrong form: see --help)";
  }
  return "set CYBERARK_TOKEN (or CYBERARK_AUTH_HEADER)";
}

function statusLine(result: HttpResult): string {
  return `${result.status} ${result.statusText}`.trim();
}

/** Pulls one URL; what the body is gets judged by the parse step. */
export async function pullUrl(url: string, ctx: PullContext): Promise<LoadedSource> {
  const label = publicUrl(url);
  const style: AuthStyle = new URL(url).hostname.toLowerCase().endsWith(".cyberark.cloud") ? "bearer" : "raw";
  const client = await clientFor(ctx);
  try {
    const result = await fetchOrFail(client, url, headersFor(ctx, style));
    if (result.status === 401 || result.status === 403) {
      throw new GenerateError("pull", `${label} answered ${statusLine(result)}: the document needs authentication: ${authHint(ctx, url)}.`);
    }
    if (result.status === 404) throw new GenerateError("pull", `${label} answered 404 Not Found: there is no document at this URL.`);
    if (result.status < 200 || result.status > 299) {
      throw new GenerateError("pull", `${label} answered ${statusLine(result)} instead of the Swagger document.`);
    }
    return { bytes: result.bytes, label, contentType: result.contentType };
  } finally {
    await client.close();
  }
}

/** Probes the candidate locations on a portal and returns the first Swagger/OpenAPI document (JSON or YAML) found. */
export async function pullFromPortal(root: string, flavour: "tenant" | "pvwa", ctx: PullContext): Promise<LoadedSource> {
  const client = await clientFor(ctx);
  const headers = headersFor(ctx, flavour === "tenant" ? "bearer" : "raw");
  const tried: string[] = [];
  let authFailed = false;
  try {
    for (const path of PORTAL_DOCUMENT_PATHS) {
      const url = root + path;
      let result: HttpResult;
      try {
        result = await fetchOrFail(client, url, headers);
      } catch (error) {
        // A network-level failure would repeat for every location: stop and say what was tried.
        if (error instanceof GenerateError && tried.length > 0) {
          throw new GenerateError("pull", `${error.message}\nTried before that:\n${tried.join("\n")}`);
        }
        throw error;
      }
      let outcome: string;
      if (result.status === 401 || result.status === 403) {
        authFailed = true;
        outcome = `${statusLine(result)} (needs authentication)`;
      } else if (result.status < 200 || result.status > 299) {
        outcome = statusLine(result);
      } else {
        const classified = classifyBody(result.bytes, result.contentType);
        if (classified.ok) return { bytes: result.bytes, label: publicUrl(result.finalUrl), contentType: result.contentType };
        outcome = `${statusLine(result)}, but ${classified.reason}`;
      }
      tried.push(`  - ${publicUrl(url)} -> ${outcome}`);
    }
  } finally {
    await client.close();
  }
  const auth = authFailed ? ` Some locations need authentication: ${authHint(ctx, root)}.` : "";
  throw new GenerateError(
    "pull",
    `no Swagger/OpenAPI document found on ${root} (the document's location on the portal is unconfirmed, so ` +
      `${PORTAL_DOCUMENT_PATHS.length} candidates were tried).${auth} Give its URL with --spec gen2=<URL> if you know it.\n` +
      tried.join("\n"),
  );
}

async function fetchOrFail(client: HttpClient, url: string, headers: Record<string, string>): Promise<HttpResult> {
  try {
    return await client.get(url, headers);
  } catch (error) {
    if (error instanceof NetworkFailure) throw new GenerateError("pull", error.message + ".");
    throw error;
  }
}

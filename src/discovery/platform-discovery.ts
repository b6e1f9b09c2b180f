// Privilege Cloud Shared Services tenants publish their service URLs through CyberArk's platform
// discovery service, keyed by the tenant's subdomain. The Identity tenant id is often unrelated to
// the subdomain ("mycompany" vs "abc1234.id.cyberark.cloud"), so this is how a user who knows only
// the subdomain gets a complete deployment.
//
// Two answer shapes are seen in public clients, and which one a tenant gets is unconfirmed, so
// both are read: an object keyed by service name (`{ pcloud: { api }, identity_user_portal: { api } }`,
// psPAS) and a list (`{ services: [{ service_name, endpoints: [{ api }] }] }`).
import { checkScheme, parseUrl, type PrivilegeCloudDeployment } from "../deployment.js";
import { checkMilliseconds } from "../core/time-limit.js";
import { untilAborted } from "../core/wait.js";
import { ResponseTooLargeError } from "../errors/response-too-large.js";
import { limitResponseBody } from "../transport/body-limit.js";
import { ConfigurationError } from "../errors/configuration.js";
import { InvalidResponseError } from "../errors/invalid-response.js";
import { describeNetworkFailure, NetworkError } from "../errors/network.js";
import { RequestAbortedError } from "../errors/aborted.js";
import { TimeoutError } from "../errors/timeout.js";

export const DEFAULT_DISCOVERY_URL = "https://platform-discovery.cyberark.cloud";
const DEFAULT_DISCOVERY_TIMEOUT_MS = 30_000;
/** Identity service names, in order of preference (psPAS reads the user portal one). */
const IDENTITY_SERVICES = ["identity_user_portal", "identity_administration"] as const;

export interface PlatformDiscoveryOptions {
  /** The discovery service's root (a test server, another CyberArk environment). */
  discoveryUrl?: string;
  /** A fetch to use instead of the global one, e.g. undici's fetch with a ProxyAgent. */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** Default 30000; 0 = none (as the client's timeoutMs). */
  timeoutMs?: number;
  /** Allow an http:// discoveryUrl (local test servers only); the URLs it returns must still be https. */
  allowInsecureHttp?: boolean;
}

/** What discovery found, plus the deployment to pass to createCyberArkClient. */
export interface DiscoveredPrivilegeCloud {
  subdomain: string;
  /** Origin of the Privilege Cloud API, e.g. "https://mycompany.privilegecloud.cyberark.cloud". */
  privilegeCloudUrl: string;
  /** Identity tenant root, e.g. "https://abc1234.id.cyberark.cloud"; undefined if discovery listed none. */
  identityUrl: string | undefined;
  /** Every service discovery listed, by name, with its API URL. */
  services: Record<string, string>;
  deployment: PrivilegeCloudDeployment;
}

/**
 * The subdomain of "mycompany", "https://mycompany.cyberark.cloud/privilegecloud" (portal) or
 * "https://mycompany.privilegecloud.cyberark.cloud" (API): the first label of the host.
 */
export function subdomainOf(input: string): string {
  const text = input.trim();
  if (/^[a-z0-9][a-z0-9-]*$/i.test(text)) return text.toLowerCase();
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname;
  } catch {
    throw new ConfigurationError(`"${text}" is neither a Privilege Cloud subdomain nor a tenant URL`);
  }
  const first = host.split(".")[0] ?? "";
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(first) || !/\.cyberark\.(cloud|com)$/i.test(host)) {
    throw new ConfigurationError(`"${text}" is not a CyberArk tenant URL (https://<subdomain>.cyberark.cloud or .privilegecloud.cyberark.cloud)`);
  }
  return first.toLowerCase();
}

/** Asks platform discovery for the tenant's Privilege Cloud and Identity URLs. */
export async function discoverPrivilegeCloud(subdomainOrUrl: string, options: PlatformDiscoveryOptions = {}): Promise<DiscoveredPrivilegeCloud> {
  const subdomain = subdomainOf(subdomainOrUrl);
  const root = discoveryRoot(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS;
  checkMilliseconds("timeoutMs", timeoutMs);
  const urlPath = `/api/v2/services/subdomain/${subdomain}`;
  const body = await getJson(`${root}${urlPath}`, urlPath, subdomain, timeoutMs, options);
  const services = readServices(body, urlPath);

  const pcloud = services["pcloud"];
  if (pcloud === undefined) {
    const listed = Object.keys(services);
    throw new ConfigurationError(
      `platform discovery lists no Privilege Cloud service for subdomain "${subdomain}"` +
        (listed.length ? ` (it lists: ${listed.join(", ")})` : " (it lists no services)"),
    );
  }
  const privilegeCloudUrl = httpsOrigin(pcloud, "pcloud", urlPath);
  const identityName = IDENTITY_SERVICES.find((name) => services[name] !== undefined);
  const identityUrl = identityName ? identityRoot(services[identityName] as string, identityName, urlPath) : undefined;
  return {
    subdomain,
    privilegeCloudUrl,
    identityUrl,
    services,
    deployment: { type: "privilege-cloud", subdomain: privilegeCloudUrl, ...(identityUrl ? { identityUrl } : {}) },
  };
}

function discoveryRoot(options: PlatformDiscoveryOptions): string {
  const url = parseUrl(options.discoveryUrl ?? DEFAULT_DISCOVERY_URL, "discoveryUrl");
  checkScheme(url, "discoveryUrl", options.allowInsecureHttp);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Far above any real answer (a few hundred bytes). */
const MAX_DISCOVERY_BYTES = 1024 * 1024;

async function getJson(url: string, urlPath: string, subdomain: string, timeoutMs: number, options: PlatformDiscoveryOptions): Promise<unknown> {
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const doFetch = options.fetch ?? globalThis.fetch;
  const failed = (error: unknown): never => {
    if (options.signal?.aborted) throw new RequestAbortedError(`GET ${urlPath} (platform discovery)`, options.signal.reason);
    if (timeout?.aborted) throw new TimeoutError(timeoutMs, `GET ${urlPath} (platform discovery)`);
    throw new NetworkError(`GET ${urlPath}: platform discovery could not be reached: ${describeNetworkFailure(error)}`, { method: "GET", urlPath });
  };

  let response: Response;
  try {
    response = await doFetch(url, { headers: { accept: "application/json" }, signal, redirect: "error" });
  } catch (error) {
    return failed(error);
  }
  const contentType = response.headers.get("content-type");
  let text: string;
  try {
    // The answer is a few hundred bytes: a larger one is refused as it arrives, and the time limit covers the
    // body too, even with a `fetch` of the caller's that lets it run on.
    const capped = limitResponseBody(response, MAX_DISCOVERY_BYTES, "GET");
    const reading = capped.text();
    if (signal) reading.catch(() => undefined);
    text = await untilAborted(reading, signal);
    if (signal?.aborted) void capped.body?.cancel().catch(() => undefined);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error;
    void response.body?.cancel().catch(() => undefined);
    return failed(error);
  }
  if (response.status === 404) {
    throw new ConfigurationError(`platform discovery does not know the subdomain "${subdomain}" (404); check it against your portal URL`);
  }
  if (!response.ok) {
    throw invalid(urlPath, `answered ${response.status}`, response.status, contentType);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const what = /html/i.test(contentType ?? "") || /^\s*</.test(text) ? "an HTML page" : "a body that is not JSON";
    throw invalid(urlPath, `answered ${response.status} with ${what}`, response.status, contentType);
  }
}

/** Service name -> API URL, from either answer shape. */
function readServices(body: unknown, urlPath: string): Record<string, string> {
  const services: Record<string, string> = {};
  if (!isObject(body)) {
    throw invalid(urlPath, "did not answer with a JSON object");
  }
  const list = body["services"];
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (!isObject(entry)) continue;
      const name = entry["service_name"] ?? entry["serviceName"] ?? entry["name"];
      const endpoints = entry["endpoints"];
      const first = Array.isArray(endpoints) ? endpoints.find((e) => isObject(e) && typeof e["api"] === "string") : undefined;
      const api = isObject(first) ? first["api"] : entry["api"];
      if (typeof name === "string" && typeof api === "string" && api) services[name] ??= api;
    }
  } else {
    for (const [name, value] of Object.entries(body)) {
      if (isObject(value) && typeof value["api"] === "string" && value["api"]) services[name] = value["api"];
    }
  }
  return services;
}

function serviceUrl(value: string, name: string, urlPath: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(urlPath, `gave "${name}" an invalid URL`);
  }
  // The client sends credentials to these URLs: never over plain http, whatever the answer says.
  if (url.protocol !== "https:" || url.username || url.password) {
    throw invalid(urlPath, `gave "${name}" a URL that is not plain https://`);
  }
  return url;
}

function httpsOrigin(value: string, name: string, urlPath: string): string {
  return serviceUrl(value, name, urlPath).origin;
}

function identityRoot(value: string, name: string, urlPath: string): string {
  const url = serviceUrl(value, name, urlPath);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function invalid(urlPath: string, problem: string, status = 200, contentType?: string | null): InvalidResponseError {
  return new InvalidResponseError(`GET ${urlPath}: platform discovery ${problem}`, { status, method: "GET", urlPath, contentType });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

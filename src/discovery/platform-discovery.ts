// Privilege Cloud Shared Services tenants publish their service URLs through CyberArk's platform
// discovery service, keyed by the tenant's subdomain. The Identity tenant id is often unrelated to
// the subdomain ("mycompany" vs "abc1234.id.cyberark.cloud"), so this is how a user who knows only
// the subdomain gets a complete deployment.
//
// Two answer shapes are seen in public clients, and which one a tenant gets is unconfirmed, so
// both are read: an object keyed by service name (`{ pcloud: { api }, identity_user_portal: { api } }`,
// psPAS) and a list (`{ services: [{ service_name, endpoints: [{ api }] }] }`).
//
// The request goes through the same transport as the client's (its own undici dispatcher), so the
// client's `tls`, `proxy` and `connectTimeoutMs` options apply to it too.
import { checkScheme, parseUrl, type PrivilegeCloudDeployment } from "../deployment.js";
import { callSignal } from "../core/call-signal.js";
import { classifyBody } from "../core/body-kind.js";
import { checkMilliseconds } from "../core/time-limit.js";
import { ConfigurationError } from "../errors/configuration.js";
import { InvalidResponseError } from "../errors/invalid-response.js";
import { NetworkError } from "../errors/network.js";
import { resolveLogLevel, type LogLevel } from "../logging/log-level.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { givenUrlText } from "../logging/url-text.js";
import { SecretRegistry } from "../logging/secret-registry.js";
import { parseSubdomain } from "../subdomain.js";
import type { DispatcherTlsOptions } from "../transport/dispatcher.js";
import { createTransport, type Transport } from "../transport/transport.js";

export const DEFAULT_DISCOVERY_URL = "https://platform-discovery.cyberark.cloud";
const DEFAULT_DISCOVERY_TIMEOUT_MS = 30_000;
/** Identity service names, in order of preference (psPAS reads the user portal one). */
const IDENTITY_SERVICES = ["identity_user_portal", "identity_administration"] as const;

export interface PlatformDiscoveryOptions {
  /** The discovery service's root (a test server, another CyberArk environment). */
  discoveryUrl?: string;
  signal?: AbortSignal;
  /** Default 30000; 0 = none (as the client's timeoutMs). */
  timeoutMs?: number;
  /** Allow an http:// discoveryUrl (local test servers only); the URLs it returns must still be https. */
  allowInsecureHttp?: boolean;
  /** As the client's `tls`: a CA (replacing the system CAs), a client certificate, or (labs only) insecureSkipVerify. */
  tls?: DispatcherTlsOptions;
  /** As the client's: undefined = HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment, false = never, string = this proxy. */
  proxy?: string | false;
  /** As the client's (default 10000). */
  connectTimeoutMs?: number;
  /** Receives redacted log events (the one warning of insecureSkipVerify), as the client's. */
  logger?: Partial<Logger>;
  /** As the client's: the option, else CYBERARK_LOG_LEVEL, else "info". */
  logLevel?: LogLevel;
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
 * The subdomain of "mycompany", "https://mycompany.cyberark.cloud/privilegecloud" (portal),
 * "https://mycompany.privilegecloud.cyberark.cloud" (API) or another URL on a CyberArk tenant host: the
 * first label of the host.
 */
export function subdomainOf(input: string): string {
  const named = parseSubdomain(input);
  // Quoted safely (no user-info, query or fragment), or not at all: a pasted URL may carry a password or token.
  if (named.form === "invalid") {
    const shown = givenUrlText(input.trim());
    throw new ConfigurationError(
      `${shown ?? "the value (not quoted: it may hold a secret)"} is neither a Privilege Cloud subdomain nor a tenant URL`,
    );
  }
  if (named.form === "foreign") {
    const shown = givenUrlText(named.url) ?? "the value (not quoted: it may hold a secret)";
    throw new ConfigurationError(`${shown} is not a CyberArk tenant URL (https://<subdomain>.cyberark.cloud or .privilegecloud.cyberark.cloud)`);
  }
  return named.subdomain;
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

function openTransport(options: PlatformDiscoveryOptions): Transport {
  const logger = createLogger(options.logger, new SecretRegistry(), resolveLogLevel(options.logLevel));
  try {
    return createTransport(
      { ...options.tls, proxy: options.proxy, connectTimeoutMs: options.connectTimeoutMs, maxResponseBytes: MAX_DISCOVERY_BYTES },
      logger,
    );
  } catch (error) {
    // The transport's own option checks (proxy URL, connectTimeoutMs), reported as the client reports them.
    if (error instanceof TypeError || error instanceof RangeError) throw new ConfigurationError(error.message);
    throw error;
  }
}

async function getJson(url: string, urlPath: string, subdomain: string, timeoutMs: number, options: PlatformDiscoveryOptions): Promise<unknown> {
  const transport = openTransport(options);
  // One signal for the whole exchange, body included: a TimeoutError when timeoutMs runs out, a
  // RequestAbortedError when the caller's signal fires.
  const call = callSignal({ what: `GET ${urlPath} (platform discovery)`, timeoutMs, caller: options.signal });
  let response: Response;
  let text: string;
  try {
    const request = { method: "GET", url, headers: new Headers({ accept: "application/json" }), body: null };
    // The whole answer (at most MAX_DISCOVERY_BYTES, else a ResponseTooLargeError) is read under the signal.
    response = await transport.send(request, { signal: call.signal });
    text = new TextDecoder().decode(await transport.read(response, request, { signal: call.signal }));
  } catch (error) {
    if (error instanceof NetworkError) {
      throw new NetworkError(`platform discovery could not be reached: ${error.message}`, { method: "GET", urlPath, cause: error });
    }
    // A TimeoutError, RequestAbortedError, ResponseTooLargeError or InvalidResponseError: as it is.
    throw error;
  } finally {
    call.dispose();
    await transport.close().catch(() => undefined);
  }
  const contentType = response.headers.get("content-type");
  if (response.status === 404) {
    throw new ConfigurationError(`platform discovery does not know the subdomain "${subdomain}" (404); check it against your portal URL`);
  }
  if (response.status >= 300 && response.status < 400) {
    // Not followed: the answer decides where credentials go, so it must come from the discovery URL itself.
    throw invalid(urlPath, `answered ${response.status}, a redirect, which discovery does not follow`, response.status, contentType);
  }
  if (!response.ok) {
    throw invalid(urlPath, `answered ${response.status}`, response.status, contentType);
  }
  const body = classifyBody(text, contentType);
  if (body.kind === "json") return body.value;
  const what = body.kind === "html" ? "an HTML page" : "a body that is not JSON";
  throw invalid(urlPath, `answered ${response.status} with ${what}`, response.status, contentType);
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

// Resolves what the user says about their deployment into the roots the client calls.
// People paste many URL shapes (the PVWA page, the API base, the Privilege Cloud portal); we accept
// the harmless variants and reject the others (the portal, a web UI page, an operation's URL) with the
// API address to use instead.
import { ConfigurationError } from "./errors/configuration.js";
import { givenUrlText } from "./logging/url-text.js";
import { pastedAddress } from "./pasted-address.js";
import { parseSubdomain, privilegeCloudApiOrigin, tenantHost } from "./subdomain.js";

export interface DeploymentOverrides {
  /** Root in front of the IIS application, e.g. "http://127.0.0.1:8443" (tests, reverse proxies). */
  pvwaRoot?: string;
  /** Root of the Privilege Cloud "/api" services (Privilege Cloud only). */
  pcloudRoot?: string;
  /** Identity tenant URL used for the platform token. */
  identityUrl?: string;
}

interface CommonDeploymentOptions {
  /** Allow http:// URLs. Only for local tests or a TLS-terminating proxy on the same host. */
  allowInsecureHttp?: boolean;
  overrides?: DeploymentOverrides;
}

export interface SelfHostedDeployment extends CommonDeploymentOptions {
  type: "self-hosted";
  /** The PVWA address, e.g. "https://pvwa.example.com" (a pasted ".../PasswordVault/API/" is fine too). */
  url: string;
  /** IIS application name; "PasswordVault" unless your PVWA was installed under another name. */
  applicationName?: string;
}

export interface PrivilegeCloudDeployment extends CommonDeploymentOptions {
  type: "privilege-cloud";
  /** The subdomain ("mycompany") or the API URL "https://mycompany.privilegecloud.cyberark.cloud". */
  subdomain: string;
  /** Identity tenant, e.g. "https://abc1234.id.cyberark.cloud" (needed for client-credentials logon). */
  identityUrl?: string;
}

export type Deployment = SelfHostedDeployment | PrivilegeCloudDeployment;

/** The kinds of deployment: where an operation exists, and what a client is for. */
export type DeploymentType = Deployment["type"];

export interface ResolvedDeployment {
  type: Deployment["type"];
  /** "<root>/<app>/API" */
  gen2Base: string;
  /** "<root>/<app>/WebServices" */
  gen1Base: string;
  /** "<pcloud root>/api" (Privilege Cloud only). */
  pcloudBase: string | undefined;
  /** Identity tenant root without trailing slash (Privilege Cloud, when known). */
  identityUrl: string | undefined;
  /** Origins a session token may be sent to: the API origins, never Identity's. */
  tokenOrigins: ReadonlySet<string>;
}

const DEFAULT_APP = "PasswordVault";

export function parseUrl(input: string, label: string): URL {
  const url = readUrl(input, label);
  refuseQuery(url, label);
  return url;
}

/** A URL with credentials refused (before any message can quote it); a query is left to the caller. */
function readUrl(input: string, label: string): URL {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigurationError(`${label} is not a valid URL${quote(withScheme, ": ")}`);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(`${label} must not contain a user name or password; pass credentials to the auth option`);
  }
  return url;
}

/**
 * The address as a message may quote it (no user-info, query or fragment: see givenUrlText), after
 * `lead`; when nothing is safe to quote, a note saying so. Every message here quotes through this.
 */
function quote(address: string | URL, lead: string): string {
  const text = givenUrlText(address);
  return text === undefined ? " (the value is not quoted: it may hold a secret)" : `${lead}${text}`;
}

function refuseQuery(url: URL, label: string): void {
  if (url.search || url.hash) {
    throw new ConfigurationError(`${label} must not contain a query or fragment${quote(url, ": ")}`);
  }
}

/**
 * A pasted web UI page, operation URL or portal path of a self-hosted PVWA, refused with its root. Checked
 * before the query, so ".../v10/logon?ReturnUrl=..." gets this message, which says what to use.
 */
function rejectPastedAddress(url: URL, label: string, applicationName: string): void {
  const pasted = pastedAddress(url, applicationName);
  if (!pasted) return;
  const app = pasted.applicationName ? `, with applicationName "${pasted.applicationName}"` : "";
  const host = tenantHost(url.hostname);
  const cloud = host?.kind === "api" ? ` (for Privilege Cloud: { type: "privilege-cloud", subdomain: "${host.subdomain}" })` : "";
  throw new ConfigurationError(
    `${label}${quote(url, " ")} is the address of a web page or an operation, not the API root: ` +
      `${pasted.root} is the API root${app}; drop ${pasted.dropped}${cloud}`,
  );
}

export function checkScheme(url: URL, label: string, allowInsecureHttp: boolean | undefined): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:") {
    if (allowInsecureHttp) return;
    throw new ConfigurationError(
      `${label} uses http://, which would send passwords and tokens unencrypted; use https:// ` +
        "(or set allowInsecureHttp: true for a local test server)",
    );
  }
  throw new ConfigurationError(`${label} must be an https:// URL, not ${url.protocol}//`);
}

/** `override`: the option's name, for an overrides.* root (which takes the API URL only, never a subdomain). */
function rejectPortal(url: URL, override?: string): void {
  // Any path, trailing slash, query or letter case: the host says it.
  const host = tenantHost(url.hostname);
  if (host?.kind === "portal") {
    const api = privilegeCloudApiOrigin(host.subdomain);
    throw new ConfigurationError(
      `${override ? `${override} ` : ""}${url.origin}${url.pathname.replace(/\/$/, "")} is the Privilege Cloud portal (web UI) address, not the API. ` +
        (override ? `Use ${api}` : `Use ${api} (or subdomain "${host.subdomain}")`),
    );
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** "https://h/x/PasswordVault/API/" -> "https://h/x" (the part in front of the IIS application). */
function stripApplication(url: URL, applicationName: string): string {
  const app = escapeRe(applicationName);
  const tail = new RegExp(`(?:/${app}(?:/(?:api|webservices))?)?/*$`, "i");
  const path = url.pathname.replace(tail, "");
  return `${url.origin}${path}`;
}

function checkApplicationName(name: string): string {
  const trimmed = name.trim().replace(/^\/+|\/+$/g, "");
  if (!trimmed || !/^[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) {
    throw new ConfigurationError(`applicationName "${name}" is not a valid IIS application name`);
  }
  return trimmed;
}

function resolveIdentityUrl(input: string, allowInsecureHttp: boolean | undefined): string {
  const text = input.trim();
  // A bare tenant id ("abc1234") is the usual way people copy it from the Identity admin portal.
  const candidate = /^[a-z0-9-]+$/i.test(text) ? `https://${text}.id.cyberark.cloud` : text;
  const url = parseUrl(candidate, "identityUrl");
  checkScheme(url, "identityUrl", allowInsecureHttp);
  const path = url.pathname.replace(/\/oauth2\/platformtoken\/?$/i, "").replace(/\/+$/, "");
  return `${url.origin}${path}`;
}

function roots(root: string, applicationName: string): { gen2Base: string; gen1Base: string } {
  return { gen2Base: `${root}/${applicationName}/API`, gen1Base: `${root}/${applicationName}/WebServices` };
}

/** Privilege Cloud subdomain from "mycompany" or a pasted API URL (the portal URL is refused, naming the API URL). */
function resolveSubdomain(input: string): { subdomain: string; origin: string } {
  const text = input.trim();
  const named = parseSubdomain(text);
  if (named.form === "subdomain") return { subdomain: named.subdomain, origin: privilegeCloudApiOrigin(named.subdomain) };
  // The checks every deployment URL gets (a valid URL, no credentials, no query), with their messages.
  const url = readUrl(text, "subdomain");
  rejectPortal(url);
  if (named.form !== "api") {
    refuseQuery(url, "subdomain");
    throw new ConfigurationError(
      `subdomain${quote(url, " ")} is neither a Privilege Cloud subdomain ("mycompany") nor an API URL ` +
        `("https://mycompany.privilegecloud.cyberark.cloud")`,
    );
  }
  // Only the host is read (a pasted page's path is harmless), but a query is refused as everywhere: say what to use.
  if (url.search || url.hash) {
    throw new ConfigurationError(
      `subdomain must not contain a query or fragment: use ${privilegeCloudApiOrigin(named.subdomain)} (or subdomain "${named.subdomain}")`,
    );
  }
  if (url.protocol !== "https:") throw new ConfigurationError(`Privilege Cloud URLs must use https://${quote(url, ": ")}`);
  return { subdomain: named.subdomain, origin: `https://${url.hostname.toLowerCase()}` };
}

export function resolveDeployment(deployment: Deployment): ResolvedDeployment {
  if (!deployment || typeof deployment !== "object") {
    throw new ConfigurationError('deployment is required: { type: "self-hosted", url } or { type: "privilege-cloud", subdomain }');
  }
  const insecure = deployment.allowInsecureHttp;
  const overrides = deployment.overrides ?? {};
  let gen2Base: string;
  let gen1Base: string;
  let pcloudBase: string | undefined;
  let identityUrl: string | undefined;

  if (deployment.type === "self-hosted") {
    if (typeof deployment.url !== "string" || !deployment.url.trim()) {
      throw new ConfigurationError("deployment.url is required for a self-hosted deployment");
    }
    const app = checkApplicationName(deployment.applicationName ?? DEFAULT_APP);
    const label = overrides.pvwaRoot ? "overrides.pvwaRoot" : "deployment.url";
    const url = readUrl(overrides.pvwaRoot ?? deployment.url, label);
    rejectPortal(url, overrides.pvwaRoot ? label : undefined);
    rejectPastedAddress(url, label, app);
    refuseQuery(url, label);
    checkScheme(url, label, insecure);
    ({ gen2Base, gen1Base } = roots(stripApplication(url, app), app));
    if (overrides.pcloudRoot) throw new ConfigurationError("overrides.pcloudRoot only applies to Privilege Cloud deployments");
    if (overrides.identityUrl) identityUrl = resolveIdentityUrl(overrides.identityUrl, insecure);
  } else if (deployment.type === "privilege-cloud") {
    if (typeof deployment.subdomain !== "string" || !deployment.subdomain.trim()) {
      throw new ConfigurationError("deployment.subdomain is required for a Privilege Cloud deployment");
    }
    const { origin } = resolveSubdomain(deployment.subdomain);
    let pvwaRoot = origin;
    if (overrides.pvwaRoot) {
      const url = readUrl(overrides.pvwaRoot, "overrides.pvwaRoot");
      // As the self-hosted url: the portal host serves the web UI, never the API.
      rejectPortal(url, "overrides.pvwaRoot");
      rejectPastedAddress(url, "overrides.pvwaRoot", DEFAULT_APP);
      refuseQuery(url, "overrides.pvwaRoot");
      checkScheme(url, "overrides.pvwaRoot", insecure);
      pvwaRoot = stripApplication(url, DEFAULT_APP);
    }
    ({ gen2Base, gen1Base } = roots(pvwaRoot, DEFAULT_APP));
    let pcloudRoot = origin;
    if (overrides.pcloudRoot) {
      const url = readUrl(overrides.pcloudRoot, "overrides.pcloudRoot");
      rejectPortal(url, "overrides.pcloudRoot");
      refuseQuery(url, "overrides.pcloudRoot");
      checkScheme(url, "overrides.pcloudRoot", insecure);
      pcloudRoot = `${url.origin}${url.pathname.replace(/(?:\/api)?\/*$/i, "")}`;
    }
    pcloudBase = `${pcloudRoot}/api`;
    const identity = overrides.identityUrl ?? deployment.identityUrl;
    if (identity) identityUrl = resolveIdentityUrl(identity, insecure);
  } else {
    throw new ConfigurationError(
      `deployment.type must be "self-hosted" or "privilege-cloud", not ${JSON.stringify((deployment as { type?: unknown }).type)}`,
    );
  }

  const tokenOrigins = new Set([new URL(gen2Base).origin]);
  if (pcloudBase) tokenOrigins.add(new URL(pcloudBase).origin);
  return { type: deployment.type, gen2Base, gen1Base, pcloudBase, identityUrl, tokenOrigins };
}

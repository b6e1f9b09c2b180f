// Text for --help. Kept apart from the option parser so it reads as documentation.

/** How the generator was started, for the first lines of --help and for messages that name the command. */
export interface Invocation {
  /** e.g. "npm run generate -- [options]". */
  usage: string[];
  /** The command as the user runs it, e.g. "npx cyberark-pam-client generate". */
  command: string;
  /** Where output goes without --out, as the user should read it. */
  outDefault: string;
}

/** This repository's own scripts (`npm run generate`). */
export const REPO_INVOCATION: Invocation = {
  usage: ["npm run generate -- [options]", "npx tsx scripts/generate.ts [options]"],
  command: "npm run generate",
  outDefault: "generated/",
};

export function helpText(invocation: Invocation = REPO_INVOCATION): string {
  const [first, ...others] = invocation.usage;
  const usage = [`Usage: ${first ?? ""}`, ...others.map((line) => `       ${line}`)].join("\n");
  return `${usage}

Regenerates the typed API from three Swagger 2.0 / OpenAPI 3 documents (by default the embedded
spec shipped with the package):
  gen2    spec/pvwa-gen2.swagger.json   -> paths relative to <root>/PasswordVault/API
  gen1    spec/pvwa-gen1.swagger.json   -> paths relative to <root>/PasswordVault/WebServices
  pcloud  spec/pcloud-root.swagger.json -> paths relative to <root>/api
and writes, per document NAME, NAME.ts, NAME.openapi.json and NAME.operations.ts, plus index.ts and
the list of these files, .cyberark-generated.json, into the output folder. The folder is replaced only
when every step passed, and only when it is new, empty or a previous generation holding nothing else:
a folder with other files, the working folder or a folder above it, or one holding an input is refused.
Headers name each input relative to the working folder, so a copy of the project generates the same bytes.

Options:
  --spec [name=]<file|URL>  Replace one document's input (name: gen2, gen1 or pcloud; default gen2).
  --overlay [name=]<file>   Apply an OpenAPI Overlay 1.0 file (YAML or JSON) after the project's knowledge
                            (spec/knowledge/); repeatable; default document gen2.
  --tenant <subdomain>      Pull the gen2 document from Privilege Cloud,
                            https://<subdomain>.privilegecloud.cyberark.cloud
  --pvwa <host[:port]>      Pull the gen2 document from a self-hosted PVWA, https://<host[:port]>
  --ca <file>               Also trust this PEM CA certificate when pulling.
  --timeout <ms>            Time limit of each HTTP request, body included (default 30000).
  --max-download-mb <n>     Largest document read (local file or download), in MiB (default 64).
  --out <dir>               Output folder (default ${invocation.outDefault}).
  --check                   Generate into a temporary folder and compare with --out; exit 1 if they differ.
                            Give the same options as the run that generated --out.
  --report <file>           Write the API change report (previous generation vs new) and what the
                            project's knowledge covered, as Markdown.
                            Inside --out it becomes a file of the new generation (not with --check).
  --quiet                   Print only warnings and errors (both always go to stderr).
  --version                 Print the package version.
  -h, --help                Show this help.

Pulling from a portal (--tenant / --pvwa): the location of the Swagger document on a PVWA is
UNCONFIRMED, so these are tried in turn and the first that returns a Swagger/OpenAPI document
(JSON or YAML) wins:
  /PasswordVault/swagger/docs/v1
  /PasswordVault/swagger/v1/swagger.json
  /PasswordVault/swagger/swagger.json
  /PasswordVault/swagger.json
If none does, the error lists each URL with what it returned.

Authentication for pulling comes from the environment only, never from arguments:
  CYBERARK_TOKEN         sent as "Authorization: Bearer <token>" for --tenant (and for URLs on
                         *.cyberark.cloud), as the raw token for --pvwa and other URLs.
  CYBERARK_AUTH_HEADER   the full Authorization header value, used instead of the above.
Credentials are never sent over plain http:// and never printed.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.
`;
}

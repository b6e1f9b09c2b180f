// The three API documents the client is generated from, and where each one's paths are rooted.
export const DOCUMENT_NAMES = ["gen2", "gen1", "pcloud"] as const;
export type DocumentName = (typeof DOCUMENT_NAMES)[number];

export interface DocumentDefinition {
  name: DocumentName;
  /** Default input, relative to the repository root. */
  defaultFile: string;
  /** Base URL path (below the portal root) that the client prefixes to every path of this document. */
  serverUrl: string;
  /** Base path the source document normally declares; assumed when it declares none. */
  expectedBasePath: string;
  /** Prefix of the exported identifiers in generated/index.ts. */
  typePrefix: string;
}

export const DOCUMENTS: readonly DocumentDefinition[] = [
  {
    name: "gen2",
    defaultFile: "spec/pvwa-gen2.swagger.json",
    serverUrl: "/PasswordVault/API",
    expectedBasePath: "/PasswordVault",
    typePrefix: "Gen2",
  },
  {
    name: "gen1",
    defaultFile: "spec/pvwa-gen1.swagger.json",
    serverUrl: "/PasswordVault/WebServices",
    expectedBasePath: "/PasswordVault/WebServices",
    typePrefix: "Gen1",
  },
  {
    name: "pcloud",
    defaultFile: "spec/pcloud-root.swagger.json",
    serverUrl: "/api",
    expectedBasePath: "/api",
    typePrefix: "Pcloud",
  },
];

export function isDocumentName(value: string): value is DocumentName {
  return (DOCUMENT_NAMES as readonly string[]).includes(value);
}

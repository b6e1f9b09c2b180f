// Auth strategy helpers: pass one of these as `auth` to createCyberArkClient.
export { vaultLogon, type VaultLogonMethod, type VaultLogonOptions } from "./vault-logon.js";
export { radiusLogon, type OtpSource, type RadiusLogonOptions } from "./radius-logon.js";
export { gen1Logon, type Gen1LogonOptions } from "./gen1-logon.js";
export { samlLogon, type SamlLogonOptions } from "./saml-logon.js";
export { pkiLogon, pkipnLogon, type PkiLogonOptions } from "./pki-logon.js";
export { platformToken, type PlatformTokenOptions } from "./platform-token.js";
export { staticToken, tokenProvider, type ProvidedToken, type StaticTokenOptions, type TokenProviderOptions, type TokenScheme } from "./token-auth.js";
export type { AuthContext, AuthRequest, AuthStrategy, Session } from "./types.js";

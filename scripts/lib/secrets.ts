// Defence in depth: whatever a step prints, the pull credentials are scrubbed from it.
export type Env = Readonly<Record<string, string | undefined>>;

const SECRET_VARIABLES = ["CYBERARK_TOKEN", "CYBERARK_AUTH_HEADER"] as const;

export function redactSecrets(text: string, env: Env): string {
  let out = text;
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    // Very short values would redact ordinary words; they are not plausible credentials anyway.
    if (value && value.length >= 4) out = out.split(value).join(`<${name}>`);
  }
  return out;
}

// Defence in depth: whatever a step prints or writes, the pull credentials never appear in it. A server may
// echo a credential in any of the forms it travelled in (the whole header value, the token after "Bearer ",
// percent- or JSON-encoded), and a URL given on the command line may carry a password.
export type Env = Readonly<Record<string, string | undefined>>;

const SECRET_VARIABLES = ["CYBERARK_TOKEN", "CYBERARK_AUTH_HEADER"] as const;
// Very short values would match ordinary words; they are not plausible credentials anyway.
const MIN_LENGTH = 4;
// scheme://user:password@ -> scheme://
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi;

/** Each secret text to hide, with the name to show instead; longest first, so a value hides whole. */
function secretForms(env: Env): { form: string; name: string }[] {
  const forms = new Map<string, string>();
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    // "Bearer X", "Basic X", "CyberArk X": the token alone is echoed as often as the whole value.
    const token = /^[A-Za-z][A-Za-z0-9_-]*\s+(\S.*)$/s.exec(value)?.[1];
    for (const raw of [value, token]) {
      if (raw === undefined || raw.length < MIN_LENGTH) continue;
      for (const form of [raw, encodeURIComponent(raw), JSON.stringify(raw).slice(1, -1)]) forms.set(form, `<${name}>`);
    }
  }
  return [...forms].map(([form, name]) => ({ form, name })).sort((a, b) => b.form.length - a.form.length);
}

export function redactSecrets(text: string, env: Env): string {
  let out = text.replace(URL_CREDENTIALS, "$1");
  for (const { form, name } of secretForms(env)) out = out.split(form).join(name);
  return out;
}

/** The variable whose credential appears in text, if one does. */
export function secretIn(text: string, env: Env): string | undefined {
  return secretForms(env).find(({ form }) => text.includes(form))?.name;
}

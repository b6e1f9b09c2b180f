// The usual encoded spellings of a secret, searched for as they are. The decoded views
// (encoded-views.ts) find a secret however its characters were escaped, but read a text from left to
// right: a stray `\` or `%4` just before an escaped secret pairs with its first characters and the
// secret no longer decodes. These spellings are found whatever precedes them. Hex case needs no
// variants: matching ignores ASCII case.

/** Raw, percent-encoded (URI component, form, twice), JSON-escaped (plain and ASCII-only) and HTML-escaped spellings. */
export function encodedForms(secret: string): Set<string> {
  const forms = new Set<string>([secret]);
  const add = (encode: () => string): void => {
    try {
      forms.add(encode());
    } catch {
      // A lone surrogate has no percent-encoding; its other spellings are still added.
    }
  };
  add(() => encodeURIComponent(secret));
  add(() => encodeURIComponent(encodeURIComponent(secret)));
  add(() => new URLSearchParams({ v: secret }).toString().slice(2));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  forms.add(secret.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string));
  return forms;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

// The one reading of a response body's text, for success bodies, error bodies, logon answers and
// discovery alike: JSON when it parses (tried first, the common case), an HTML page when the content
// type or the first tag says so (a sign-in page, an IIS error page), otherwise plain text.

export type ClassifiedBody = { kind: "empty" } | { kind: "json"; value: unknown } | { kind: "html" } | { kind: "text"; text: string };

const HTML_START = /^\s*(<\?xml[^>]*>\s*)?<(!doctype\s+html|html|head|body)\b/i;

export function classifyBody(text: string, contentType: string | null): ClassifiedBody {
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON; the SyntaxError is dropped: its message quotes the body, which may hold a secret.
  }
  if (!/\S/.test(text)) return { kind: "empty" };
  if ((contentType !== null && /html/i.test(contentType)) || HTML_START.test(text)) return { kind: "html" };
  return { kind: "text", text };
}

// A document's raw bytes as read or pulled, with the label the generated headers cite.
export interface LoadedSource {
  bytes: Buffer;
  /** Repository-relative file path, or the URL without query string. */
  label: string;
  /** Content-Type of an HTTP response, when pulled. */
  contentType?: string;
}

// A document's raw bytes as read or pulled, with the label the generated headers cite.
export interface LoadedSource {
  bytes: Buffer;
  /** Project-relative file path (absolute outside the project), or the URL without query string. */
  label: string;
  /** A local file outside the project: the generated headers say so next to its absolute path. */
  outsideProject?: boolean;
  /** Content-Type of an HTTP response, when pulled. */
  contentType?: string;
}

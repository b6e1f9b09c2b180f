// Step "read": a document from a local file. Local inputs (--spec, --overlay, --ca) are read only from regular
// files and only up to the largest document read (--max-download-mb): a FIFO would block the run for ever and a
// device such as /dev/zero would fill memory without end.
import { constants, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { DEFAULT_MAX_DOWNLOAD_MB } from "../lib/cli-options.js";
import { GenerateError } from "../lib/errors.js";
import type { LoadedSource } from "../lib/loaded-source.js";
import { sourceLabel } from "../lib/repo-paths.js";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** Why a local input was not read, in words that complete "cannot read FILE: ...". */
export class NotReadable extends Error {}

/** What a file system entry is, for "... is KIND, not a regular file". */
export function kindOf(info: Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "a special file";
}

function requireRegular(info: Stats): void {
  if (!info.isFile()) throw new NotReadable(`it is ${kindOf(info)}, not a regular file`);
}

function describeLimit(maxBytes: number): string {
  const size = maxBytes % MiB === 0 ? `${maxBytes / MiB} MiB` : `${maxBytes} bytes`;
  return `${size}, the largest document read (--max-download-mb)`;
}

function tooLarge(maxBytes: number): NotReadable {
  return new NotReadable(`it is larger than ${describeLimit(maxBytes)}`);
}

/**
 * Opens `path` for reading without blocking and refuses anything but a regular file, judged on the opened handle
 * (what a stat of the path said may have changed since). O_NONBLOCK: opening a FIFO would otherwise wait for a writer.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; info: Stats }> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    requireRegular(info);
    return { handle, info };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads to the end, but never more than maxBytes: a file may grow, or say size 0 and hold more (/proc). */
async function readAtMost(handle: FileHandle, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(CHUNK), 0, CHUNK, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    total += bytesRead;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(buffer.subarray(0, bytesRead));
  }
}

/** A local input's bytes; throws NotReadable (or the file system's error) when it is not read. */
export async function readLocalInput(path: string, maxBytes: number): Promise<Buffer> {
  // stat does not open the path: a FIFO is refused before anything opens it (which would release a waiting writer).
  requireRegular(await stat(path));
  const { handle, info } = await openRegularFile(path);
  try {
    if (info.size > maxBytes) throw tooLarge(maxBytes);
    return await readAtMost(handle, maxBytes);
  } finally {
    await handle.close();
  }
}

/** The reason in `error`, for "cannot read FILE: <reason>". */
export function whyNotRead(error: unknown): string {
  if (error instanceof NotReadable) return error.message;
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "the file does not exist";
  return error instanceof Error ? error.message : String(error);
}

/**
 * `projectDir`: the folder the label is relative to (see sourceLabel); the pipeline passes the working folder.
 * `maxBytes`: the largest document read; --overlay files are read with the default.
 */
export async function readSource(path: string, projectDir: string, maxBytes = DEFAULT_MAX_DOWNLOAD_MB * MiB): Promise<LoadedSource> {
  const { label, outsideProject } = await sourceLabel(path, projectDir);
  try {
    return { bytes: await readLocalInput(path, maxBytes), label, outsideProject };
  } catch (error) {
    throw new GenerateError("read", `cannot read ${label}: ${whyNotRead(error)}.`);
  }
}

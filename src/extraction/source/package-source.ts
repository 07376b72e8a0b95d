import { decodeText } from '../manifest/xml.js';
import type { Warning } from '../result/errors.js';

export interface SourceEntry {
  /** `/`-separated, relative, never absolute or with `..`. */
  path: string;
  size: number;
}

/** Where a package's files come from: a zip (ZipArchive) or a folder (FolderSource). */
export interface PackageSource {
  readonly entries: readonly SourceEntry[];
  /** What opening the source skipped (symlinks, encrypted entries). */
  readonly warnings?: readonly Warning[];
  has(path: string): boolean;
  /** One file whole; files above maxBytes are refused rather than read. */
  read(path: string, maxBytes: number): Promise<Buffer>;
  /** The first bytes of a file, however big it is (media headers). */
  readHead(path: string, bytes: number): Promise<Buffer>;
  close(): void;
}

export async function readText(source: PackageSource, path: string, maxBytes: number): Promise<string> {
  return decodeText(await source.read(path, maxBytes));
}

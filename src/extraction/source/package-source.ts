import { decodeText } from '../manifest/xml.js';

export interface SourceEntry {
  /** `/`-separated, relative, never absolute or with `..`. */
  path: string;
  size: number;
}

/** Where a package's files come from: a zip (ZipArchive) or a folder (FolderSource). */
export interface PackageSource {
  readonly entries: readonly SourceEntry[];
  has(path: string): boolean;
  /** One file whole; files above maxBytes are refused rather than read. */
  read(path: string, maxBytes: number): Promise<Buffer>;
  close(): void;
}

export async function readText(source: PackageSource, path: string, maxBytes: number): Promise<string> {
  return decodeText(await source.read(path, maxBytes));
}

import yauzl from 'yauzl';
import { ExtractionError, type Warning } from '../result/errors.js';
import type { PackageSource } from '../source/package-source.js';

export interface ArchiveLimits {
  maxEntries: number;
  maxTotalUncompressedBytes: number;
  /** uncompressed / compressed, checked for entries big enough to matter. */
  maxCompressionRatio: number;
}

export const defaultArchiveLimits: ArchiveLimits = {
  maxEntries: 50_000,
  maxTotalUncompressedBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 1000,
};

const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, never absolute, never with `..`. */
  path: string;
  size: number;
  compressedSize: number;
}

/** Names that archivers add and no package means: macOS resource forks, Finder and Windows litter. */
export function isJunkPath(path: string): boolean {
  return /(^|\/)__MACOSX\//i.test(path) || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]+)$/i.test(path);
}

const YAUZL_OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false };

function openZip(input: string | Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(error ?? new Error('no zip')) : resolve(zip));
    if (typeof input === 'string') yauzl.open(input, YAUZL_OPTIONS, done);
    else yauzl.fromBuffer(input, YAUZL_OPTIONS, done);
  });
}

/**
 * A zip read through its central directory, with every entry checked against the limits before
 * any byte is inflated. Entries are read into memory one at a time and never written to disk, so
 * a hostile path cannot land anywhere; declared sizes are enforced while inflating.
 */
export class ZipArchive implements PackageSource {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly byPath: Map<string, yauzl.Entry>,
    readonly entries: ArchiveEntry[],
    readonly warnings: Warning[],
  ) {}

  /** Opens a zip file on disk, or one held in memory (a DOCX inside a package). */
  static async open(file: string, limits: ArchiveLimits = defaultArchiveLimits): Promise<ZipArchive> {
    return ZipArchive.openInput(file, limits);
  }

  static async openBuffer(bytes: Buffer, limits: ArchiveLimits = defaultArchiveLimits): Promise<ZipArchive> {
    return ZipArchive.openInput(bytes, limits);
  }

  private static async openInput(input: string | Buffer, limits: ArchiveLimits): Promise<ZipArchive> {
    const zip = await openZip(input).catch((error: Error) => {
      throw new ExtractionError('not_a_zip', `The file is not a readable zip archive (${error.message}).`);
    });
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new ExtractionError(
          'archive_too_many_entries',
          `The archive has ${zip.entryCount} entries; the limit is ${limits.maxEntries}.`,
        );
      }
      const { byPath, entries, warnings } = await ZipArchive.readDirectory(zip, limits);
      return new ZipArchive(zip, byPath, entries, warnings);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  private static readDirectory(zip: yauzl.ZipFile, limits: ArchiveLimits) {
    const byPath = new Map<string, yauzl.Entry>();
    const entries: ArchiveEntry[] = [];
    const warnings: Warning[] = [];
    let total = 0;
    return new Promise<{ byPath: Map<string, yauzl.Entry>; entries: ArchiveEntry[]; warnings: Warning[] }>(
      (resolve, reject) => {
        zip.on('error', (error: Error) => {
          const unsafe = /absolute path|invalid relative path|invalid characters/.test(error.message);
          reject(
            unsafe
              ? new ExtractionError('archive_unsafe_path', `The archive holds an unsafe path (${error.message}).`)
              : new ExtractionError('archive_corrupt', `The zip archive is damaged (${error.message}).`),
          );
        });
        zip.on('end', () => resolve({ byPath, entries, warnings }));
        zip.on('entry', (entry: yauzl.Entry) => {
          const path = entry.fileName;
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (path.endsWith('/')) return zip.readEntry();
          if (mode === S_IFLNK) {
            warnings.push({ code: 'symlink_skipped', message: 'A symbolic link was ignored.', path });
            return zip.readEntry();
          }
          if ((entry.generalPurposeBitFlag & 0x1) !== 0) {
            warnings.push({ code: 'encrypted_entry_skipped', message: 'An encrypted file was ignored.', path });
            return zip.readEntry();
          }
          total += entry.uncompressedSize;
          if (total > limits.maxTotalUncompressedBytes) {
            return reject(
              new ExtractionError(
                'archive_too_large',
                `The archive unpacks to more than ${limits.maxTotalUncompressedBytes} bytes.`,
              ),
            );
          }
          if (
            entry.uncompressedSize > RATIO_CHECK_MIN_BYTES &&
            entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
          ) {
            return reject(
              new ExtractionError(
                'archive_compression_ratio',
                `${path} inflates more than ${limits.maxCompressionRatio} times: a zip bomb is refused.`,
              ),
            );
          }
          if (!byPath.has(path)) {
            byPath.set(path, entry);
            entries.push({ path, size: entry.uncompressedSize, compressedSize: entry.compressedSize });
          }
          zip.readEntry();
        });
        zip.readEntry();
      },
    );
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  /** Reads one entry whole; entries above maxBytes are refused rather than read. */
  async read(path: string, maxBytes: number): Promise<Buffer> {
    const entry = this.byPath.get(path);
    if (!entry) throw new ExtractionError('archive_entry_missing', `${path} is not in the archive.`);
    if (entry.uncompressedSize > maxBytes) {
      throw new ExtractionError('archive_entry_too_large', `${path} is larger than ${maxBytes} bytes.`);
    }
    return this.inflate(path, entry, Number.POSITIVE_INFINITY);
  }

  /** The first bytes of an entry; inflating stops there. */
  async readHead(path: string, bytes: number): Promise<Buffer> {
    const entry = this.byPath.get(path);
    if (!entry) throw new ExtractionError('archive_entry_missing', `${path} is not in the archive.`);
    return this.inflate(path, entry, bytes);
  }

  private async inflate(path: string, entry: yauzl.Entry, limit: number): Promise<Buffer> {
    const stream = await new Promise<NodeJS.ReadableStream & { destroy(): void }>((resolve, reject) =>
      this.zip.openReadStream(entry, (error, s) =>
        error || !s ? reject(error ?? new Error('no stream')) : resolve(s as NodeJS.ReadableStream & { destroy(): void }),
      ),
    ).catch((error: Error) => {
      throw new ExtractionError('archive_corrupt', `${path} cannot be read (${error.message}).`);
    });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= limit) break;
      }
    } catch (error) {
      throw new ExtractionError('archive_corrupt', `${path} cannot be read (${(error as Error).message}).`);
    } finally {
      stream.destroy();
    }
    const whole = Buffer.concat(chunks);
    return size > limit ? whole.subarray(0, limit) : whole;
  }

  close(): void {
    this.zip.close();
  }
}

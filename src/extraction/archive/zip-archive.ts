import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ExtractionError, type Warning } from '../result/errors.js';
import type { PackageSource } from '../source/package-source.js';

export interface ArchiveLimits {
  maxEntries: number;
  maxTotalUncompressedBytes: number;
  /** uncompressed / compressed, checked for entries big enough to matter. */
  maxCompressionRatio: number;
  /**
   * Bytes of central directory read (headers, names, extra fields and comments): a directory
   * padded with comments or extra fields is refused before it costs time or memory.
   */
  maxDirectoryBytes: number;
}

export const defaultArchiveLimits: ArchiveLimits = {
  maxEntries: 50_000,
  maxTotalUncompressedBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 1000,
  maxDirectoryBytes: 16 * 1024 * 1024,
};

const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
const CENTRAL_HEADER_BYTES = 46;
/** The fixed part of a local file header: the least an entry takes before its data. */
const LOCAL_HEADER_BYTES = 30;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, never absolute, never with `..`. */
  path: string;
  size: number;
  compressedSize: number;
}

/** What reading an entry needs, copied out of yauzl's entry so that its name, extra and comment buffers are not kept. */
interface EntryLocation {
  offset: number;
  compressedSize: number;
  size: number;
  deflated: boolean;
}

/** yauzl's documented low-level API, which its type declarations lack. */
interface LowLevelZipFile {
  readLocalFileHeader(
    entry: { relativeOffsetOfLocalHeader: number; compressedSize: number },
    options: { minimal: true },
    callback: (error: Error | null, header?: { fileDataStart: number }) => void,
  ): void;
  openReadStreamLowLevel(
    fileDataStart: number,
    compressedSize: number,
    relativeStart: number,
    relativeEnd: number,
    decompress: boolean,
    uncompressedSize: number,
    callback: (error: Error | null, stream?: Readable & { destroy(): void }) => void,
  ): void;
}

interface NameApi {
  getFileNameLowLevel(flags: number, raw: Buffer, extraFields: { id: number; data: Buffer }[], strict: boolean): string;
  validateFileName(name: string): string | null;
}
const names = yauzl as unknown as NameApi;

/** Names that archivers add and no package means: macOS resource forks, Finder and Windows litter. */
export function isJunkPath(path: string): boolean {
  return /(^|\/)__MACOSX\//i.test(path) || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]+)$/i.test(path);
}

/**
 * The first entry whose bytes begin inside another entry's, or null. Entries that share one
 * compressed stream inflate it again and again: a small zip that unpacks to the size limit (an
 * overlapping zip bomb). Each entry takes at least its local header and its compressed bytes.
 */
function overlappingEntry(byPath: Map<string, EntryLocation>): string | null {
  const spans = [...byPath]
    .map(([path, entry]) => ({ path, start: entry.offset, end: entry.offset + LOCAL_HEADER_BYTES + entry.compressedSize }))
    .sort((a, b) => a.start - b.start);
  let end = 0;
  for (const span of spans) {
    if (span.start < end) return span.path;
    end = Math.max(end, span.end);
  }
  return null;
}

// Strings are not decoded by yauzl: entry comments are never looked at, and names are decoded here.
const YAUZL_OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };

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
 * a hostile path cannot land anywhere. Inflating counts the real bytes: an entry that inflates to
 * more than its declared size fails as soon as it passes it.
 */
export class ZipArchive implements PackageSource {
  /** Entries whose name an earlier entry already had: only the first of a name is read. */
  duplicates = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly byPath: Map<string, EntryLocation>,
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
      const { byPath, entries, warnings, duplicates } = await ZipArchive.readDirectory(zip, limits);
      return Object.assign(new ZipArchive(zip, byPath, entries, warnings), { duplicates });
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  private static readDirectory(zip: yauzl.ZipFile, limits: ArchiveLimits) {
    const byPath = new Map<string, EntryLocation>();
    const entries: ArchiveEntry[] = [];
    const warnings: Warning[] = [];
    let total = 0;
    let directoryBytes = 0;
    let duplicates = 0;
    return new Promise<{ byPath: Map<string, EntryLocation>; entries: ArchiveEntry[]; warnings: Warning[]; duplicates: number }>(
      (resolve, reject) => {
        const refuse = (error: ExtractionError) => {
          zip.removeAllListeners('entry');
          reject(error);
        };
        zip.on('error', (error: Error) => refuse(new ExtractionError('archive_corrupt', `The zip archive is damaged (${error.message}).`)));
        zip.on('end', () => {
          const shared = overlappingEntry(byPath);
          if (shared !== null) {
            return refuse(
              new ExtractionError('archive_overlapping_entries', `${shared.slice(0, 300)} shares its bytes with another entry: a zip bomb is refused.`),
            );
          }
          resolve({ byPath, entries, warnings, duplicates });
        });
        zip.on('entry', (entry: yauzl.Entry) => {
          directoryBytes += CENTRAL_HEADER_BYTES + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
          if (directoryBytes > limits.maxDirectoryBytes) {
            return refuse(
              new ExtractionError(
                'archive_directory_too_large',
                `The archive's directory is larger than ${limits.maxDirectoryBytes} bytes (names, comments and extra fields).`,
              ),
            );
          }
          const path = names.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
          const unsafe = names.validateFileName(path);
          if (unsafe !== null) {
            return refuse(new ExtractionError('archive_unsafe_path', `The archive holds an unsafe path (${unsafe.slice(0, 300)}).`));
          }
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
          if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
            warnings.push({ code: 'compression_unsupported', message: `A file compressed with method ${entry.compressionMethod} was ignored.`, path });
            return zip.readEntry();
          }
          total += entry.uncompressedSize;
          if (total > limits.maxTotalUncompressedBytes) {
            return refuse(new ExtractionError('archive_too_large', `The archive unpacks to more than ${limits.maxTotalUncompressedBytes} bytes.`));
          }
          if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES && entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio) {
            return refuse(
              new ExtractionError(
                'archive_compression_ratio',
                `${path} inflates more than ${limits.maxCompressionRatio} times: a zip bomb is refused.`,
              ),
            );
          }
          if (byPath.has(path)) duplicates++;
          else {
            byPath.set(path, {
              offset: entry.relativeOffsetOfLocalHeader,
              compressedSize: entry.compressedSize,
              size: entry.uncompressedSize,
              deflated: entry.compressionMethod === 8,
            });
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
    const entry = this.locate(path);
    if (entry.size > maxBytes) {
      throw new ExtractionError('archive_entry_too_large', `${path} is larger than ${maxBytes} bytes.`);
    }
    return this.inflate(path, entry, Number.POSITIVE_INFINITY);
  }

  /** The first bytes of an entry; inflating stops there. */
  async readHead(path: string, bytes: number): Promise<Buffer> {
    return this.inflate(path, this.locate(path), bytes);
  }

  /**
   * Writes one entry to a local file, streamed, whatever its size. Inflating counts the real
   * bytes: an entry that inflates past its declared size fails and its file is removed.
   */
  async copyTo(path: string, target: string): Promise<void> {
    const entry = this.locate(path);
    const stream = await this.openStream(entry).catch((error: Error) => {
      throw new ExtractionError('archive_corrupt', `${path} cannot be read (${error.message}).`);
    });
    try {
      await pipeline(stream, fs.createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      await fs.promises.rm(target, { force: true });
      // The disk's faults (full, quota) are the server's, not the package's.
      if ((error as NodeJS.ErrnoException).syscall !== undefined) throw error;
      throw new ExtractionError('archive_corrupt', `${path} cannot be read (${(error as Error).message}).`);
    }
  }

  private locate(path: string): EntryLocation {
    const entry = this.byPath.get(path);
    if (!entry) throw new ExtractionError('archive_entry_missing', `${path} is not in the archive.`);
    return entry;
  }

  private openStream(entry: EntryLocation): Promise<Readable & { destroy(): void }> {
    const zip = this.zip as unknown as LowLevelZipFile;
    return new Promise((resolve, reject) =>
      zip.readLocalFileHeader({ relativeOffsetOfLocalHeader: entry.offset, compressedSize: entry.compressedSize }, { minimal: true }, (error, header) => {
        if (error || !header) return reject(error ?? new Error('no local header'));
        zip.openReadStreamLowLevel(header.fileDataStart, entry.compressedSize, 0, entry.compressedSize, entry.deflated, entry.size, (streamError, stream) =>
          streamError || !stream ? reject(streamError ?? new Error('no stream')) : resolve(stream),
        );
      }),
    );
  }

  private async inflate(path: string, entry: EntryLocation, limit: number): Promise<Buffer> {
    const stream = await this.openStream(entry).catch((error: Error) => {
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
      if (/too many bytes|not enough bytes/.test((error as Error).message)) {
        throw new ExtractionError('archive_corrupt', `${path} does not inflate to the ${entry.size} bytes its archive declares.`);
      }
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

import path from 'node:path/posix';
import { isJunkPath } from '../archive/zip-archive.js';
import { decodeText } from '../manifest/xml.js';
import type { Warning } from '../result/errors.js';
import type { PackageSource } from './package-source.js';

/** Text files bigger than this are data dumps or bundles, not course text. */
export const MAX_TEXT_BYTES = 32 * 1024 * 1024;

/** An organization item as tools see it: which file it launches. */
export interface ItemRef {
  identifier: string;
  title: string;
  /** Launch path relative to the package root, without query or fragment; null for external URLs. */
  launch: string | null;
  /** The files its resource (and the resources it depends on) lists, relative to the package root. */
  files?: string[];
}

/**
 * The files of a package seen from one folder of it (the package root, or a tool's folder inside
 * it). Paths given to and returned by a view are relative to that folder and `/`-separated.
 */
export class PackageView {
  private readonly listing: string[];
  private readonly sizes: Map<string, number>;

  constructor(
    private readonly source: PackageSource,
    /** Prefix of this view inside the source, '' or ending in '/'. */
    readonly base: string,
    readonly warnings: Warning[],
    readonly items: ItemRef[],
  ) {
    const own = source.entries.filter((e) => e.path.startsWith(base) && !isJunkPath(e.path));
    this.listing = own.map((e) => e.path.slice(base.length));
    this.sizes = new Map(own.map((e) => [e.path.slice(base.length), e.size]));
  }

  /** Every file below this view, in archive order. */
  files(): string[] {
    return this.listing;
  }

  has(file: string): boolean {
    return this.source.has(this.base + file);
  }

  size(file: string): number | null {
    return this.sizes.get(file) ?? null;
  }

  bytes(file: string, maxBytes = MAX_TEXT_BYTES): Promise<Buffer> {
    return this.source.read(this.base + file, maxBytes);
  }

  /** The first bytes of a file, however big it is. */
  head(file: string, bytes: number): Promise<Buffer> {
    return this.source.readHead(this.base + file, bytes);
  }

  /** A text file, decoded (BOM and UTF-16 aware); undefined with a warning when it cannot be read. */
  async text(file: string, maxBytes = MAX_TEXT_BYTES): Promise<string | undefined> {
    try {
      return decodeText(await this.bytes(file, maxBytes));
    } catch (error) {
      this.warn('file_unreadable', `${file} could not be read: ${(error as Error).message}`, file);
      return undefined;
    }
  }

  /** A JSON file; undefined with a warning when it is missing or not valid JSON. */
  async json<T = unknown>(file: string): Promise<T | undefined> {
    const content = await this.text(file);
    if (content === undefined) return undefined;
    try {
      return JSON.parse(content) as T;
    } catch (error) {
      this.warn('json_invalid', `${file} is not valid JSON: ${(error as Error).message}`, file);
      return undefined;
    }
  }

  warn(code: string, message: string, file?: string): void {
    this.warnings.push(file === undefined ? { code, message } : { code, message, path: this.base + file });
  }

  /** A view of a folder inside this one (e.g. a Storyline output embedded in a Rise course). */
  sub(folder: string): PackageView {
    const prefix = folder.endsWith('/') || folder === '' ? folder : `${folder}/`;
    return new PackageView(this.source, this.base + prefix, this.warnings, this.items);
  }

  /**
   * Resolves a reference found in `from` (an href, src, or URL in data) to a file path of this
   * view: query and fragment dropped, percent-escapes decoded. Null for external URLs and for
   * references that leave the view.
   */
  resolve(from: string, reference: string): string | null {
    const trimmed = reference.trim();
    if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//') || trimmed.startsWith('#')) {
      return null;
    }
    let target = trimmed.replace(/[?#].*$/, '');
    try {
      target = decodeURIComponent(target);
    } catch {
      // Keep the raw text: a stray % is more likely part of a file name than an escape.
    }
    const joined = target.startsWith('/') ? target.slice(1) : path.join(path.dirname(from), target);
    const normalized = path.normalize(joined);
    return normalized.startsWith('..') || normalized === '.' ? null : normalized;
  }
}

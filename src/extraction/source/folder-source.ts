import fs from 'node:fs';
import path from 'node:path';
import { ExtractionError } from '../result/errors.js';
import type { PackageSource, SourceEntry } from './package-source.js';

/**
 * An unpacked package on disk. Symbolic links are not followed, so the folder's files are all
 * it can reach; the entry count is capped like a zip's.
 */
export class FolderSource implements PackageSource {
  private constructor(
    private readonly root: string,
    readonly entries: SourceEntry[],
    private readonly byPath: Set<string>,
  ) {}

  static async open(root: string, maxEntries: number): Promise<FolderSource> {
    const entries: SourceEntry[] = [];
    const walk = async (relative: string) => {
      for (const dirent of await fs.promises.readdir(path.join(root, relative), { withFileTypes: true })) {
        const child = relative ? `${relative}/${dirent.name}` : dirent.name;
        if (dirent.isDirectory()) await walk(child);
        else if (dirent.isFile()) {
          if (entries.length >= maxEntries) {
            throw new ExtractionError('archive_too_many_entries', `The folder has more than ${maxEntries} files.`);
          }
          entries.push({ path: child, size: (await fs.promises.stat(path.join(root, child))).size });
        }
      }
    };
    await walk('');
    entries.sort((a, b) => a.path.localeCompare(b.path));
    return new FolderSource(root, entries, new Set(entries.map((e) => e.path)));
  }

  /** Where a file of the package is on disk. */
  pathOf(file: string): string {
    if (!this.byPath.has(file)) throw new ExtractionError('archive_entry_missing', `${file} is not in the package.`);
    return path.join(this.root, file);
  }

  has(file: string): boolean {
    return this.byPath.has(file);
  }

  async read(file: string, maxBytes: number): Promise<Buffer> {
    const full = this.pathOf(file);
    const { size } = await fs.promises.stat(full);
    if (size > maxBytes) throw new ExtractionError('archive_entry_too_large', `${file} is larger than ${maxBytes} bytes.`);
    return fs.promises.readFile(full);
  }

  async readHead(file: string, bytes: number): Promise<Buffer> {
    const handle = await fs.promises.open(this.pathOf(file), 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  close(): void {}
}

import type { PackageSource, SourceEntry } from '../../src/extraction/source/package-source.js';
import { PackageView, type ItemRef } from '../../src/extraction/source/package-view.js';

/** A package held in memory, for layouts and content the real fixtures do not have. */
export class MemorySource implements PackageSource {
  readonly entries: SourceEntry[];
  constructor(private readonly files: Record<string, string>) {
    this.entries = Object.entries(files).map(([path, data]) => ({ path, size: Buffer.byteLength(data) }));
  }
  has(path: string): boolean {
    return path in this.files;
  }
  async read(path: string): Promise<Buffer> {
    const data = this.files[path];
    if (data === undefined) throw new Error(`no ${path}`);
    return Buffer.from(data);
  }
  async readHead(path: string, bytes: number): Promise<Buffer> {
    return (await this.read(path)).subarray(0, bytes);
  }
  close(): void {}
}

/** The root of an in-memory package as decoders see it, with the organization items they are given. */
export function memoryView(files: Record<string, string>, items: ItemRef[] = []): PackageView {
  return new PackageView(new MemorySource(files), '', [], items);
}

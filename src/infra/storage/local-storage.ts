import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LinkSigner } from './link-signer.js';
import { ObjectNotFoundError, type Storage } from './storage.js';

/**
 * Moves a file to another file system: copied beside the target, synced, then renamed into place,
 * so the target is whole or absent. A copy that fails (the disk is full) leaves nothing behind.
 */
async function copyAcross(source: string, target: string): Promise<void> {
  const partial = `${target}.partial`;
  try {
    await pipeline(fs.createReadStream(source), fs.createWriteStream(partial, { flush: true }));
    await fs.promises.rename(partial, target);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  await fs.promises.rm(source, { force: true });
}

/** Objects as files under one root folder; download links point at the service's own signed route. */
export class LocalStorage implements Storage {
  constructor(
    private readonly root: string,
    private readonly signer: LinkSigner,
    private readonly publicUrl: string,
  ) {}

  /** The file of a key; keys never leave the root, whatever they contain. */
  private pathOf(key: string): string {
    const segments = key.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
      throw new ObjectNotFoundError(key);
    }
    return path.join(this.root, ...segments);
  }

  private async place(target: string, write: () => Promise<void>): Promise<void> {
    const dir = path.dirname(target);
    await fs.promises.mkdir(dir, { recursive: true });
    await write();
    // The rename is durable only once the folder entry is on disk.
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    await this.place(target, () =>
      fs.promises.rename(localPath, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await copyAcross(localPath, target);
      }),
    );
  }

  async read(key: string): Promise<Readable> {
    return (await this.open(key)).createReadStream();
  }

  async readRange(key: string, start: number, end: number): Promise<Readable> {
    // An empty range still needs a stream: createReadStream's `end` is inclusive.
    return end > start ? (await this.open(key)).createReadStream({ start, end: end - 1 }) : Readable.from([]);
  }

  private async open(key: string): Promise<fs.promises.FileHandle> {
    return fs.promises.open(this.pathOf(key), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') throw new ObjectNotFoundError(key);
      throw error;
    });
  }

  async withLocalFile<T>(key: string, fn: (localPath: string) => Promise<T>): Promise<T> {
    const file = this.pathOf(key);
    await fs.promises.access(file).catch(() => {
      throw new ObjectNotFoundError(key);
    });
    return fn(file);
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  async downloadUrl(key: string, ttlSeconds: number): Promise<string> {
    const { expires, signature } = this.signer.sign(key, ttlSeconds);
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    return `${this.publicUrl}/v1/downloads/${encodedKey}?expires=${expires}&signature=${signature}`;
  }
}

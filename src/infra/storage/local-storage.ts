import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { LinkSigner } from './link-signer.js';
import { ObjectNotFoundError, type Storage } from './storage.js';

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
    await this.place(target, () => fs.promises.rename(localPath, target));
  }

  async putBuffer(key: string, body: Buffer): Promise<void> {
    const target = this.pathOf(key);
    const partial = `${target}.partial`;
    await this.place(target, async () => {
      await fs.promises.writeFile(partial, body, { flush: true });
      await fs.promises.rename(partial, target);
    });
  }

  async read(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    const handle = await fs.promises.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') throw new ObjectNotFoundError(key);
      throw error;
    });
    return handle.createReadStream();
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

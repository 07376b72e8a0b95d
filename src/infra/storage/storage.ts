import type { Readable } from 'node:stream';

/**
 * Where packages and extraction results live. Keys are `/`-separated paths built by the service
 * (see `modules/scorm-files/storage-keys.ts`); implementations: local disk and S3.
 */
export interface Storage {
  /** Takes over a finished local file (the caller's copy is gone afterwards). */
  putFile(key: string, localPath: string, contentType?: string): Promise<void>;
  read(key: string): Promise<Readable>;
  /** Bytes [start, end) of an object. */
  readRange(key: string, start: number, end: number): Promise<Readable>;
  /** Runs fn with a local path to the object, for readers that need random access (zip). */
  withLocalFile<T>(key: string, fn: (localPath: string) => Promise<T>): Promise<T>;
  delete(key: string): Promise<void>;
  /** A link anyone holding it can download the object with, until it expires. */
  downloadUrl(key: string, ttlSeconds: number): Promise<string>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object at ${key}`);
  }
}

/** A stored object read whole into text, refused past maxBytes (what names it in the error). */
export async function readCapped(stream: Readable, maxBytes: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new Error(`${what} is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

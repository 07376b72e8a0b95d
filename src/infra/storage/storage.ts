import type { Readable } from 'node:stream';

/**
 * Where packages and extraction results live. Keys are `/`-separated paths built by the service
 * (`<org-slug>/scorm-files/<id>/<file_name>`); implementations: local disk and S3.
 */
export interface Storage {
  /** Takes over a finished local file (the caller's copy is gone afterwards). */
  putFile(key: string, localPath: string): Promise<void>;
  putBuffer(key: string, body: Buffer, contentType: string): Promise<void>;
  read(key: string): Promise<Readable>;
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

/** Keeps a user-supplied file name usable as the last segment of a storage key. */
export function safeFileName(raw: string, fallback = 'package.zip'): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? fallback : cleaned;
}

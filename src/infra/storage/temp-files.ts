import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

export class StreamLimitError extends Error {
  constructor(readonly limitBytes: number) {
    super(`stream exceeded ${limitBytes} bytes`);
  }
}

/**
 * Scratch files on the same disk as the data folder, so finished uploads reach local storage by
 * rename. Left-overs of a crash are swept at start.
 */
export class TempFiles {
  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const name of await fs.promises.readdir(this.dir)) {
      const file = path.join(this.dir, name);
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs < dayAgo) await fs.promises.rm(file, { recursive: true, force: true });
    }
  }

  newPath(suffix = ''): string {
    return path.join(this.dir, `${randomUUID()}${suffix}`);
  }

  /** Writes the stream to a new temp file, durably; rejects with StreamLimitError past maxBytes. */
  async write(stream: Readable, maxBytes: number): Promise<{ path: string; size: number }> {
    const file = this.newPath();
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) callback(new StreamLimitError(maxBytes));
        else callback(null, chunk);
      },
    });
    try {
      // Large buffers let queued chunks go to disk in few writev calls instead of one write each;
      // flush fsyncs before close, so an acknowledged upload survives a power cut too.
      await pipeline(stream, counter, fs.createWriteStream(file, { highWaterMark: WRITE_BUFFER_BYTES, flush: true }));
    } catch (error) {
      await fs.promises.rm(file, { force: true });
      throw error;
    }
    return { path: file, size };
  }

  async remove(file: string): Promise<void> {
    await fs.promises.rm(file, { force: true });
  }
}

/** A write refused because the disk (or the user's quota on it) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

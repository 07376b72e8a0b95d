import fs from 'node:fs';
import { once } from 'node:events';
import zlib from 'node:zlib';

export interface ZipEntrySpec {
  /** Written exactly as given, hostile names included: that is the point. */
  name: string;
  data: Buffer | string;
  deflate?: boolean;
  /** Sets the "encrypted" flag without encrypting. */
  encryptedFlag?: boolean;
  /** Unix mode in the high bits of the external attributes, e.g. 0o120777 for a symlink. */
  unixMode?: number;
  /** Overrides the uncompressed size the central directory declares. */
  declaredSize?: number;
  /** Name bytes written without the UTF-8 flag (an old archiver's code page); replaces `name`. */
  rawName?: Buffer;
  /** An entry comment in the central directory. */
  comment?: Buffer;
  /**
   * Writes no bytes of its own: the central directory points this name at the local header and
   * data of the earlier entry so named (`data` is ignored), as an overlapping zip bomb does.
   */
  sharesDataOf?: string;
}

interface Written {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  method: number;
  flags: number;
  unixMode: number;
  comment: Buffer;
}

function localHeader(entry: Written): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(entry.flags, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(0, 10);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, entry.name]);
}

function centralHeader(entry: Written): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | 20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressedSize, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(entry.comment.length, 32);
  header.writeUInt32LE((entry.unixMode << 16) >>> 0, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name, entry.comment]);
}

function endOfDirectory(count: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}

/**
 * Writes a zip file from in-memory entries, or streams big stored entries chunk by chunk (for
 * benchmark packages of any size up to 4 GiB). A minimal writer: no zip64, UTF-8 names.
 */
export class ZipWriter {
  private readonly out: fs.WriteStream;
  private readonly entries: Written[] = [];
  private offset = 0;

  constructor(file: string) {
    this.out = fs.createWriteStream(file);
  }

  private async write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async add(spec: ZipEntrySpec): Promise<void> {
    if (spec.sharesDataOf !== undefined) {
      const shared = this.entries.find((entry) => entry.name.equals(Buffer.from(spec.sharesDataOf!)));
      if (!shared) throw new Error(`no entry ${spec.sharesDataOf} to share`);
      this.entries.push({ ...shared, name: Buffer.from(spec.name) });
      return;
    }
    const raw = typeof spec.data === 'string' ? Buffer.from(spec.data) : spec.data;
    const body = spec.deflate ? zlib.deflateRawSync(raw) : raw;
    const entry: Written = {
      name: spec.rawName ?? Buffer.from(spec.name),
      crc: zlib.crc32(raw),
      compressedSize: body.length,
      size: spec.declaredSize ?? raw.length,
      offset: this.offset,
      method: spec.deflate ? 8 : 0,
      flags: (spec.rawName ? 0 : 0x800) | (spec.encryptedFlag ? 0x1 : 0),
      unixMode: spec.unixMode ?? 0o100644,
      comment: spec.comment ?? Buffer.alloc(0),
    };
    await this.write(localHeader(entry));
    await this.write(body);
    this.entries.push(entry);
  }

  /**
   * A stored entry of `size` bytes produced by a deterministic `chunk(i)`, read twice (once for the
   * CRC the header needs, once to write); only one chunk is in memory at a time.
   */
  async addStreamed(name: string, size: number, chunk: (index: number) => Buffer): Promise<void> {
    let crc = 0;
    let produced = 0;
    for (let i = 0; produced < size; i++) {
      const part = chunk(i).subarray(0, size - produced);
      crc = zlib.crc32(part, crc);
      produced += part.length;
    }
    const entry: Written = {
      name: Buffer.from(name),
      crc,
      compressedSize: size,
      size,
      offset: this.offset,
      method: 0,
      flags: 0x800,
      unixMode: 0o100644,
      comment: Buffer.alloc(0),
    };
    await this.write(localHeader(entry));
    produced = 0;
    for (let i = 0; produced < size; i++) {
      const part = chunk(i).subarray(0, size - produced);
      produced += part.length;
      await this.write(part);
    }
    this.entries.push(entry);
  }

  async close(): Promise<void> {
    const start = this.offset;
    for (const entry of this.entries) await this.write(centralHeader(entry));
    await this.write(endOfDirectory(this.entries.length, this.offset - start, start));
    this.out.end();
    await once(this.out, 'finish');
  }
}

export async function writeZip(file: string, entries: ZipEntrySpec[]): Promise<void> {
  const writer = new ZipWriter(file);
  for (const entry of entries) await writer.add(entry);
  await writer.close();
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultArchiveLimits,
  isJunkPath,
  ZipArchive,
  type ArchiveLimits,
} from '../../src/extraction/archive/zip-archive.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import { writeZip, type ZipEntrySpec } from '../support/zip-writer.js';

let dir: string;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorm-lens-zip-archive-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function zipOf(entries: ZipEntrySpec[]): Promise<string> {
  const file = path.join(dir, `archive-${++counter}.zip`);
  await writeZip(file, entries);
  return file;
}

/** The ExtractionError a promise rejects with; fails the test if it resolves or throws anything else. */
async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    if (outcome.value instanceof ZipArchive) outcome.value.close();
    throw new Error('expected the promise to reject with an ExtractionError, but it resolved');
  }
  expect(outcome.error).toBeInstanceOf(ExtractionError);
  return outcome.error as ExtractionError;
}

async function withArchive<T>(
  file: string,
  use: (archive: ZipArchive) => Promise<T> | T,
  limits?: ArchiveLimits,
): Promise<T> {
  const archive = await ZipArchive.open(file, limits);
  try {
    return await use(archive);
  } finally {
    archive.close();
  }
}

const limits = (overrides: Partial<ArchiveLimits>): ArchiveLimits => ({ ...defaultArchiveLimits, ...overrides });
const MiB = 1024 * 1024;

describe('ZipArchive.open on a well-formed archive', () => {
  it('lists file entries with their sizes, skipping directory entries', async () => {
    const file = await zipOf([
      { name: 'course/', data: '' },
      { name: 'course/index.html', data: '<html>hello</html>' },
      { name: 'imsmanifest.xml', data: 'x'.repeat(5000), deflate: true },
    ]);
    await withArchive(file, (archive) => {
      expect(archive.entries).toHaveLength(2);
      expect(archive.entries[0]).toEqual({ path: 'course/index.html', size: 18, compressedSize: 18 });
      expect(archive.entries[1]?.path).toBe('imsmanifest.xml');
      expect(archive.entries[1]?.size).toBe(5000);
      expect(archive.entries[1]?.compressedSize).toBeLessThan(100);
      expect(archive.warnings).toEqual([]);
      expect(archive.has('course/index.html')).toBe(true);
      expect(archive.has('course/')).toBe(false);
      expect(archive.has('missing.html')).toBe(false);
    });
  });

  it('reads stored and deflated entries back byte for byte', async () => {
    const text = 'Golf Explained — Гольф '.repeat(300);
    const file = await zipOf([
      { name: 'stored.txt', data: 'plain bytes' },
      { name: 'deflated.txt', data: text, deflate: true },
    ]);
    await withArchive(file, async (archive) => {
      expect((await archive.read('stored.txt', 1000)).toString('utf8')).toBe('plain bytes');
      expect((await archive.read('deflated.txt', 100_000)).toString('utf8')).toBe(text);
    });
  });

  it('keeps the first of two entries with the same name', async () => {
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: 'first' },
      { name: 'imsmanifest.xml', data: 'second, longer' },
    ]);
    await withArchive(file, async (archive) => {
      expect(archive.entries).toEqual([{ path: 'imsmanifest.xml', size: 5, compressedSize: 5 }]);
      expect((await archive.read('imsmanifest.xml', 100)).toString()).toBe('first');
    });
  });

  it('accepts an archive exactly at the entry and size limits', async () => {
    const file = await zipOf([
      { name: 'a.txt', data: 'x'.repeat(400) },
      { name: 'b.txt', data: 'y'.repeat(400) },
      { name: 'c.txt', data: 'z'.repeat(200) },
    ]);
    await withArchive(
      file,
      (archive) => expect(archive.entries.map((e) => e.path)).toEqual(['a.txt', 'b.txt', 'c.txt']),
      limits({ maxEntries: 3, maxTotalUncompressedBytes: 1000 }),
    );
  });
});

describe('ZipArchive.open refuses hostile archives', () => {
  it('refuses a zip bomb by compression ratio (8 MiB of zeros deflated) under the default limits', async () => {
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: '<manifest/>' },
      { name: 'bomb.bin', data: Buffer.alloc(8 * MiB), deflate: true },
    ]);
    const error = await failure(ZipArchive.open(file));
    expect(error.code).toBe('archive_compression_ratio');
    expect(error.message).toContain('bomb.bin');
  });

  it('applies the ratio check only to entries above 1 MiB', async () => {
    const small = await zipOf([{ name: 'zeros.bin', data: Buffer.alloc(512 * 1024), deflate: true }]);
    await withArchive(
      small,
      (archive) => expect(archive.entries.map((e) => e.path)).toEqual(['zeros.bin']),
      limits({ maxCompressionRatio: 10 }),
    );
    const big = await zipOf([{ name: 'zeros.bin', data: Buffer.alloc(2 * MiB), deflate: true }]);
    expect((await failure(ZipArchive.open(big, limits({ maxCompressionRatio: 10 })))).code).toBe(
      'archive_compression_ratio',
    );
  });

  it('refuses an archive whose total uncompressed size exceeds the limit', async () => {
    const file = await zipOf([
      { name: 'a.txt', data: 'x'.repeat(600) },
      { name: 'b.txt', data: 'y'.repeat(600) },
    ]);
    const error = await failure(ZipArchive.open(file, limits({ maxTotalUncompressedBytes: 1000 })));
    expect(error.code).toBe('archive_too_large');
  });

  it('counts declared sizes towards the total, before anything is inflated', async () => {
    const file = await zipOf([{ name: 'liar.bin', data: 'x'.repeat(100), deflate: true, declaredSize: 5000 }]);
    const error = await failure(ZipArchive.open(file, limits({ maxTotalUncompressedBytes: 1000 })));
    expect(error.code).toBe('archive_too_large');
  });

  it('refuses an archive with more entries than the limit', async () => {
    const file = await zipOf(['a', 'b', 'c', 'd'].map((name) => ({ name: `${name}.txt`, data: name })));
    const error = await failure(ZipArchive.open(file, limits({ maxEntries: 3 })));
    expect(error.code).toBe('archive_too_many_entries');
    expect(error.message).toContain('4 entries');
  });

  it.each([
    ['a parent-directory path', '../evil.txt'],
    ['a parent-directory path inside a folder', 'course/../../evil.txt'],
    ['a backslash parent-directory path', '..\\evil.txt'],
    ['an absolute path', '/etc/passwd'],
    ['a Windows drive path', 'C:/Windows/evil.txt'],
  ])('refuses %s (%s) as archive_unsafe_path', async (_label, name) => {
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: '<manifest/>' },
      { name, data: 'pwned' },
    ]);
    expect((await failure(ZipArchive.open(file))).code).toBe('archive_unsafe_path');
  });

  it('refuses a file that is not a zip', async () => {
    const file = path.join(dir, 'not-a-zip.zip');
    fs.writeFileSync(file, '# Not a zip\n\nThis is a Markdown file with a .zip name.\n');
    expect((await failure(ZipArchive.open(file))).code).toBe('not_a_zip');
  });

  it('refuses an empty file as not_a_zip', async () => {
    const file = path.join(dir, 'empty.zip');
    fs.writeFileSync(file, '');
    expect((await failure(ZipArchive.open(file))).code).toBe('not_a_zip');
  });

  it('reports a damaged central directory as archive_corrupt', async () => {
    const file = await zipOf([{ name: 'a.txt', data: 'hello' }]);
    const bytes = fs.readFileSync(file);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(central).toBeGreaterThan(0);
    bytes.writeUInt32LE(0xdeadbeef, central);
    fs.writeFileSync(file, bytes);
    expect((await failure(ZipArchive.open(file))).code).toBe('archive_corrupt');
  });

  it('refuses a central directory padded with comments past its byte budget, before reading it all', async () => {
    const comment = Buffer.alloc(65_000, 0xe9);
    const entries = Array.from({ length: 40 }, (_, i) => ({ name: `page${i}.html`, data: '<p>x</p>', comment }));
    const file = await zipOf(entries);
    const refused = await failure(ZipArchive.open(file, limits({ maxDirectoryBytes: MiB })));
    expect(refused.code).toBe('archive_directory_too_large');
    expect(refused.message).toContain('1048576');
  });

  it('decodes names written in an old code page and keeps no entry comments', async () => {
    // "Übung/café.html" in code page 437, without the UTF-8 flag, as old Windows archivers write it.
    const rawName = Buffer.from([0x9a, 0x62, 0x75, 0x6e, 0x67, 0x2f, 0x63, 0x61, 0x66, 0x82, 0x2e, 0x68, 0x74, 0x6d, 0x6c]);
    const file = await zipOf([{ name: '', rawName, data: 'hello', comment: Buffer.from('a comment of the archiver') }]);
    await withArchive(file, async (archive) => {
      expect(archive.entries).toEqual([{ path: 'Übung/café.html', size: 5, compressedSize: 5 }]);
      expect((await archive.read('Übung/café.html', 100)).toString()).toBe('hello');
    });
  });

  it('refuses entries that share their compressed bytes (an overlapping zip bomb), before inflating any', async () => {
    // 200 names over one deflated MiB: a few kilobytes that would inflate to 200 MiB.
    const entries: ZipEntrySpec[] = [{ name: 'blob0.txt', data: Buffer.alloc(MiB, 0x20), deflate: true }];
    for (let i = 1; i < 200; i++) entries.push({ name: `blob${i}.txt`, data: '', sharesDataOf: 'blob0.txt' });
    const file = await zipOf(entries);
    expect(fs.statSync(file).size).toBeLessThan(20_000);
    const refused = await failure(ZipArchive.open(file));
    expect(refused.code).toBe('archive_overlapping_entries');
    expect(refused.message).toMatch(/^blob\d+\.txt shares its bytes with another entry/);
  });

  it('refuses an entry whose data begins inside the compressed bytes of another', async () => {
    // The second entry's local header is quoted inside the first one's stored data.
    const inner = await fs.promises.readFile(await zipOf([{ name: 'inner.txt', data: 'inside' }]));
    const file = await zipOf([{ name: 'outer.bin', data: inner }]);
    const bytes = await fs.promises.readFile(file);
    // A second central entry pointing 30 + 9 bytes into the archive: at the quoted local header.
    const directoryStart = bytes.readUInt32LE(bytes.length - 6);
    const central = bytes.subarray(directoryStart, bytes.length - 22);
    const quoted = Buffer.from(central);
    quoted.writeUInt32LE(30 + 'outer.bin'.length, 42);
    const renamed = Buffer.concat([quoted.subarray(0, 46), Buffer.from('quote.bin')]);
    const compressed = inner.readUInt32LE(18);
    renamed.writeUInt32LE(compressed, 20);
    renamed.writeUInt32LE(compressed, 24);
    renamed.writeUInt32LE(inner.readUInt32LE(14), 16);
    const end = Buffer.from(bytes.subarray(bytes.length - 22));
    end.writeUInt16LE(2, 8);
    end.writeUInt16LE(2, 10);
    end.writeUInt32LE(central.length + renamed.length, 12);
    const forged = path.join(dir, 'quoted.zip');
    await fs.promises.writeFile(forged, Buffer.concat([bytes.subarray(0, directoryStart), central, renamed, end]));
    expect((await failure(ZipArchive.open(forged))).code).toBe('archive_overlapping_entries');
  });

  it('reports a stored entry whose declared size lies as archive_corrupt', async () => {
    const file = await zipOf([{ name: 'a.txt', data: 'hello', declaredSize: 3 }]);
    expect((await failure(ZipArchive.open(file))).code).toBe('archive_corrupt');
  });
});

describe('ZipArchive.open skips entries it will not read', () => {
  it('skips a symbolic link with a symlink_skipped warning', async () => {
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: '<manifest/>' },
      { name: 'shared/passwd', data: '/etc/passwd', unixMode: 0o120777 },
    ]);
    await withArchive(file, async (archive) => {
      expect(archive.entries.map((e) => e.path)).toEqual(['imsmanifest.xml']);
      expect(archive.has('shared/passwd')).toBe(false);
      expect(archive.warnings).toEqual([{ code: 'symlink_skipped', message: expect.any(String), path: 'shared/passwd' }]);
      expect((await failure(archive.read('shared/passwd', 1000))).code).toBe('archive_entry_missing');
    });
  });

  it('skips entries flagged as encrypted with encrypted_entry_skipped warnings', async () => {
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: '<manifest/>' },
      { name: 'secret.html', data: '<p>the answers</p>'.repeat(20), deflate: true, encryptedFlag: true },
      // A stored ZipCrypto entry carries a 12-byte encryption header before its 10 bytes of data.
      { name: 'stored-secret.txt', data: Buffer.alloc(22, 0x5a), declaredSize: 10, encryptedFlag: true },
    ]);
    await withArchive(file, (archive) => {
      expect(archive.entries.map((e) => e.path)).toEqual(['imsmanifest.xml']);
      expect(archive.has('secret.html')).toBe(false);
      expect(archive.has('stored-secret.txt')).toBe(false);
      expect(archive.warnings).toEqual([
        { code: 'encrypted_entry_skipped', message: expect.any(String), path: 'secret.html' },
        { code: 'encrypted_entry_skipped', message: expect.any(String), path: 'stored-secret.txt' },
      ]);
    });
  });

  it('does not count skipped entries towards the size limit', async () => {
    const file = await zipOf([
      { name: 'ok.txt', data: 'x'.repeat(500) },
      { name: 'secret.bin', data: 'y'.repeat(5000), deflate: true, encryptedFlag: true },
      { name: 'link', data: 'z'.repeat(5000), unixMode: 0o120777 },
    ]);
    await withArchive(
      file,
      (archive) => {
        expect(archive.entries.map((e) => e.path)).toEqual(['ok.txt']);
        expect(archive.warnings.map((w) => w.code)).toEqual(['encrypted_entry_skipped', 'symlink_skipped']);
      },
      limits({ maxTotalUncompressedBytes: 1000 }),
    );
  });
});

describe('ZipArchive.read', () => {
  it('refuses an entry above maxBytes with archive_entry_too_large', async () => {
    const file = await zipOf([{ name: 'big.html', data: 'x'.repeat(2048), deflate: true }]);
    await withArchive(file, async (archive) => {
      expect((await failure(archive.read('big.html', 2047))).code).toBe('archive_entry_too_large');
      expect((await archive.read('big.html', 2048)).length).toBe(2048);
    });
  });

  it('refuses a path that is not in the archive with archive_entry_missing', async () => {
    const file = await zipOf([{ name: 'a.txt', data: 'a' }]);
    await withArchive(file, async (archive) => {
      expect((await failure(archive.read('b.txt', 1000))).code).toBe('archive_entry_missing');
    });
  });

  it('fails with archive_corrupt when a deflated entry inflates beyond its declared size', async () => {
    const file = await zipOf([{ name: 'liar.bin', data: Buffer.alloc(MiB, 0x61), deflate: true, declaredSize: 10 }]);
    await withArchive(file, async (archive) => {
      expect(archive.entries[0]?.size).toBe(10);
      expect((await failure(archive.read('liar.bin', 1000))).code).toBe('archive_corrupt');
    });
  });

  it('fails with archive_corrupt when a deflated entry inflates to less than its declared size', async () => {
    const file = await zipOf([{ name: 'short.txt', data: 'only a few bytes', deflate: true, declaredSize: 500 }]);
    await withArchive(file, async (archive) => {
      expect((await failure(archive.read('short.txt', 1000))).code).toBe('archive_corrupt');
    });
  });
});

describe('isJunkPath', () => {
  it.each([
    '__MACOSX/imsmanifest.xml',
    '__MACOSX/course/._index.html',
    'course/__MACOSX/._a.js',
    '.DS_Store',
    'course/.DS_Store',
    'images/Thumbs.db',
    'images/thumbs.db',
    'desktop.ini',
  ])('treats %s as junk', (p) => {
    expect(isJunkPath(p)).toBe(true);
  });

  it.each(['imsmanifest.xml', 'course/index.html', 'my__MACOSX/a.txt', '__MACOSX.txt', 'notes.DS_Store.txt'])(
    'keeps %s',
    (p) => {
      expect(isJunkPath(p)).toBe(false);
    },
  );
});

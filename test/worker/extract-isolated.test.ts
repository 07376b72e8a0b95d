import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import { extractIsolated } from '../../src/worker/extract-isolated.js';
import { scorm12Manifest, writeScormPackage } from '../support/packages.js';
import { writeZip } from '../support/zip-writer.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-thread-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('extractIsolated', () => {
  it('returns the result of a good package', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'good.zip'), 'Threaded', ['One page']);
    const result = await extractIsolated(pkg, { timeoutMs: 60_000, maxMemoryMb: 512 });
    expect(result.package.title).toBe('Threaded');
    expect(result.pages.map((p) => p.text)).toEqual(['One page']);
  });

  it('passes a package fault through with its code', async () => {
    const notZip = path.join(dir, 'notes.zip');
    fs.writeFileSync(notZip, 'plain text');
    const error = await failure(extractIsolated(notZip, { timeoutMs: 60_000, maxMemoryMb: 512 }));
    expect(error).toBeInstanceOf(ExtractionError);
    expect((error as ExtractionError).code).toBe('not_a_zip');
  });

  it('stops an extraction that runs out of time', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'slow.zip'), 'Slow', ['One page']);
    const error = await failure(extractIsolated(pkg, { timeoutMs: 1, maxMemoryMb: 512 }));
    expect((error as ExtractionError).code).toBe('extraction_timeout');
  });

  it('stops an extraction that needs more memory than allowed, and the process carries on', async () => {
    const words = Array.from({ length: 400_000 }, (_v, i) => `word${i % 977}`).join(' ');
    const big = path.join(dir, 'big.zip');
    await writeZip(big, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Big', ['Huge page']), deflate: true },
      { name: 'page1.html', data: `<html><body>${`<p>${words}</p>`.repeat(8)}</body></html>`, deflate: true },
    ]);
    const error = await failure(extractIsolated(big, { timeoutMs: 120_000, maxMemoryMb: 64 }));
    expect((error as ExtractionError).code).toBe('extraction_out_of_memory');
    const pkg = await writeScormPackage(path.join(dir, 'after.zip'), 'After', ['Still fine']);
    // The same limit is plenty for an ordinary package: it was the package that needed too much.
    expect((await extractIsolated(pkg, { timeoutMs: 60_000, maxMemoryMb: 64 })).package.title).toBe('After');
  });
});

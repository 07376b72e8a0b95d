import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractionError } from '../../../src/extraction/result/errors.js';
import type { LaunchPlan } from '../../../src/extraction/result/launch-plan.js';
import type { ResultIndex } from '../../../src/extraction/result/result-files.js';
import { Sandbox } from '../../../src/modules/scorm-files/sandbox/sandbox.js';
import { scorm12Manifest, writeScormPackage } from '../../support/packages.js';
import { pdfFlateBomb } from '../../support/documents.js';
import { writeZip } from '../../support/zip-writer.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-sandbox-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const outputs = (name: string) => ({
  json: path.join(dir, `${name}.json`),
  markdown: path.join(dir, `${name}.md`),
  index: path.join(dir, `${name}.index.json`),
  plan: path.join(dir, `${name}.launch.json`),
  files: path.join(dir, `${name}-files`),
});

describe('the sandbox', () => {
  const sandbox = new Sandbox({ timeoutMs: 60_000, memoryMb: 512 });

  it('writes the result of a good package as JSON, Markdown and an index of its slices', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'good.zip'), 'Sandboxed', ['One page', 'Two page']);
    const files = outputs('good');
    await sandbox.extract(pkg, files);
    const result = JSON.parse(fs.readFileSync(files.json, 'utf8'));
    expect(result.package.title).toBe('Sandboxed');
    expect(fs.readFileSync(files.markdown, 'utf8')).toContain('# Sandboxed');
    const index = JSON.parse(fs.readFileSync(files.index, 'utf8')) as ResultIndex;
    expect(index.launchable_items).toEqual([
      { identifier: 'item1', title: 'One page' },
      { identifier: 'item2', title: 'Two page' },
    ]);
    // Each slice's byte range of the JSON holds exactly its elements.
    const json = fs.readFileSync(files.json);
    const [slice] = index.sections.pages.slices;
    expect(JSON.parse(`[${json.subarray(slice!.start, slice!.end).toString()}]`)).toEqual(result.pages);
    expect(sandbox.running).toBe(0);
  });

  it('unpacks the files of a package for the player, with the plan that launches them', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'played.zip'), 'Played', ['One page', 'Two page']);
    const files = outputs('played');
    await sandbox.extract(pkg, files);
    const plan = JSON.parse(fs.readFileSync(files.plan, 'utf8')) as LaunchPlan;
    expect(plan.items.map((item) => [item.identifier, item.launch, item.sco])).toEqual([
      ['item1', 'page1.html', true],
      ['item2', 'page2.html', true],
    ]);
    expect(Object.keys(plan.files).sort()).toEqual(['imsmanifest.xml', 'page1.html', 'page2.html']);
    expect(fs.readFileSync(path.join(files.files, 'page2.html'), 'utf8')).toContain('Two page');
  });

  it('leaves out of the unpacked files the names no file system takes, and still completes', async () => {
    const pkg = path.join(dir, 'odd-names.zip');
    const deep = Array.from({ length: 30 }, (_v, i) => `${i}`.padEnd(200, 'd')).join('/');
    await writeZip(pkg, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Odd names', ['One page']) },
      { name: 'page1.html', data: '<h1>One page</h1>' },
      { name: 'a\u0000b.html', data: 'a NUL in the name' },
      { name: `${deep}/x.html`, data: 'a path of 6,000 bytes' },
      { name: 'ok/fine.html', data: 'fine' },
    ]);
    const files = outputs('odd-names');
    await sandbox.extract(pkg, files);
    const plan = JSON.parse(fs.readFileSync(files.plan, 'utf8')) as LaunchPlan;
    expect(Object.keys(plan.files).sort()).toEqual(['imsmanifest.xml', 'ok/fine.html', 'page1.html']);
    expect(fs.readdirSync(files.files).sort()).toEqual(['imsmanifest.xml', 'ok', 'page1.html']);
  });

  it('checks that a file is a package, and passes a package fault through with its code', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'checked.zip'), 'Checked', ['One']);
    expect(await sandbox.check(pkg)).toEqual({ entries: 2 });
    const notZip = path.join(dir, 'notes.zip');
    fs.writeFileSync(notZip, 'plain text');
    const error = await failure(sandbox.check(notZip));
    expect(error).toBeInstanceOf(ExtractionError);
    expect((error as ExtractionError).code).toBe('not_a_zip');
  });

  it('stops an extraction that runs out of time', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'slow.zip'), 'Slow', ['One page']);
    const error = await failure(new Sandbox({ timeoutMs: 1, memoryMb: 512 }).extract(pkg, outputs('slow')));
    expect((error as ExtractionError).code).toBe('extraction_timeout');
  });

  it('stops an extraction that needs more memory than allowed, and the next one runs', async () => {
    const words = Array.from({ length: 400_000 }, (_v, i) => `word${i % 977}`).join(' ');
    const big = path.join(dir, 'big.zip');
    await writeZip(big, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Big', ['Huge page']), deflate: true },
      { name: 'page1.html', data: `<html><body>${`<p>${words}</p>`.repeat(8)}</body></html>`, deflate: true },
    ]);
    const small = new Sandbox({ timeoutMs: 120_000, memoryMb: 300 });
    const error = await failure(small.extract(big, outputs('big')));
    expect((error as ExtractionError).code).toBe('extraction_out_of_memory');
    const pkg = await writeScormPackage(path.join(dir, 'after.zip'), 'After', ['Still fine']);
    // The same limit is plenty for an ordinary package: it was the package that needed too much.
    await small.extract(pkg, outputs('after'));
    expect(JSON.parse(fs.readFileSync(outputs('after').json, 'utf8')).package.title).toBe('After');
  });

  it('counts memory outside the JavaScript heap: a PDF that decodes to 200 MB of buffers is stopped', async () => {
    const pkg = path.join(dir, 'buffers.zip');
    await writeZip(pkg, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Buffers', ['One page']) },
      { name: 'page1.html', data: '<p>See the handout.</p>' },
      { name: 'handout.pdf', data: await pdfFlateBomb(200 * 1024 * 1024) },
    ]);
    const error = await failure(new Sandbox({ timeoutMs: 120_000, memoryMb: 300 }).extract(pkg, outputs('buffers')));
    expect((error as ExtractionError).code).toBe('extraction_out_of_memory');
  });

  it('ends the child when the work is aborted', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'aborted.zip'), 'Aborted', ['One page']);
    const abort = new AbortController();
    const running = failure(sandbox.extract(pkg, outputs('aborted'), abort.signal));
    abort.abort();
    expect((await running) as Error).toBeInstanceOf(Error);
    expect(sandbox.running).toBe(0);
  });
});

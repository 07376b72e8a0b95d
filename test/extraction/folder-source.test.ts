import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSource } from '../../src/extraction/source/folder-source.js';
import { PackageView } from '../../src/extraction/source/package-view.js';
import { xerte } from '../../src/extraction/tools/xerte.js';
import { memoryView } from '../support/memory-source.js';

// An unpacked package on disk must read as the same package as its archive would.

const files: Record<string, string> = {
  'template.xml': `<?xml version="1.0"?><learningObject editorVersion="3" name="Rivers" language="en">` +
    `<text linkID="P1" name="Intro"><![CDATA[<p>Rivers run to the sea.</p>]]></text>` +
    `<mcq linkID="P2" name="Quiz" prompt="Where do rivers run?"><option text="To the sea" correct="true"/><option text="Uphill" correct="false"/></mcq>` +
    `</learningObject>`,
  'scormRLO.htm': '<html></html>',
  'media/notes/a.txt': 'abcdef',
};

describe('FolderSource', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-folder-'));
    for (const [file, data] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), data);
    }
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists every file, nested ones too, sorted by path, with its size', async () => {
    const source = await FolderSource.open(root, 100);
    expect(source.entries).toEqual([
      { path: 'media/notes/a.txt', size: 6 },
      { path: 'scormRLO.htm', size: 13 },
      { path: 'template.xml', size: Buffer.byteLength(files['template.xml'] ?? '') },
    ]);
    expect(source.has('media/notes/a.txt')).toBe(true);
    expect(source.has('media/notes')).toBe(false);
  });

  it('reads whole files and first bytes, and refuses missing files and files over the limit', async () => {
    const source = await FolderSource.open(root, 100);
    expect((await source.read('media/notes/a.txt', 6)).toString()).toBe('abcdef');
    expect((await source.readHead('media/notes/a.txt', 3)).toString()).toBe('abc');
    await expect(source.read('media/notes/a.txt', 5)).rejects.toMatchObject({ code: 'archive_entry_too_large' });
    await expect(source.read('missing.txt', 100)).rejects.toMatchObject({ code: 'archive_entry_missing' });
    await expect(source.readHead('missing.txt', 3)).rejects.toMatchObject({ code: 'archive_entry_missing' });
  });

  it('caps its entries like a zip', async () => {
    await expect(FolderSource.open(root, 2)).rejects.toMatchObject({ code: 'archive_too_many_entries' });
  });

  it('gives a decoder the same package as the files in memory', async () => {
    const fromFolder = await xerte.extract(new PackageView(await FolderSource.open(root, 100), '', [], []));
    expect(fromFolder.pages.map((p) => p.title)).toEqual(['Intro', 'Quiz']);
    expect(fromFolder).toEqual(await xerte.extract(memoryView(files)));
  });
});

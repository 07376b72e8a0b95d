import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractionResultSchema } from '../../src/extraction/result/extraction-result.js';
import { writeScormPackage } from '../support/packages.js';

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../docs/extraction-result.schema.json');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-cli-extract-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function extract(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'extract', ...args], { encoding: 'utf8' });
}

describe('scorm-lens extract', () => {
  it('writes the JSON result and a Markdown rendering of a package', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'fire.zip'), 'Fire Safety', ['Raising the alarm', 'Using an extinguisher']);
    const run = extract(pkg, '-o', path.join(dir, 'fire.json'), '--markdown', path.join(dir, 'fire.md'));
    expect(run.status).toBe(0);
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'fire.json'), 'utf8'));
    expect(result.package).toMatchObject({ standard: 'scorm', version: '1.2', title: 'Fire Safety' });
    expect(result.pages.map((p: { text: string }) => p.text)).toEqual(['Raising the alarm', 'Using an extinguisher']);
    const markdown = fs.readFileSync(path.join(dir, 'fire.md'), 'utf8');
    expect(markdown).toMatch(/^# Fire Safety\n/);
    expect(markdown).toContain('## Outline\n\n- Raising the alarm\n- Using an extinguisher');
  });

  it('prints the result to stdout without -o', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'stdout.zip'), 'To stdout', ['Only page']);
    const run = extract(pkg);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).package.title).toBe('To stdout');
  });

  it('ends with a one-line summary on stderr, and writes either output to stdout when it is named -', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'dash.zip'), 'Dashes', ['First', 'Second']);
    const json = extract(pkg, '-o', '-');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).package.title).toBe('Dashes');
    expect(json.stderr.trim().split('\n').at(-1)).toMatch(/^scorm 1\.2 · no known authoring tool · 2 pages · 0 questions · 0 warnings · \d+\.\d s$/);

    const markdown = extract(pkg, '--markdown', '-');
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(/^# Dashes\n/);

    const both = extract(pkg, '-o', path.join(dir, 'dash.json'), '--markdown', '-');
    expect(both.stdout).toMatch(/^# Dashes\n/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'dash.json'), 'utf8')).package.title).toBe('Dashes');

    const clash = extract(pkg, '-o', '-', '--markdown', '-');
    expect(clash.status).toBe(2);
    expect(clash.stdout).toBe('');
  });

  it('exits 1 with a one-line reason for a file that is not a package', () => {
    const notes = path.join(dir, 'notes.zip');
    fs.writeFileSync(notes, '# meeting notes\n');
    const run = extract(notes);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: not_a_zip: /)]);
  });

  it('exits 2 with the usage when no package is given', () => {
    const run = extract();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: scorm-lens extract');
  });
});

describe('the result JSON Schema', () => {
  it('in docs/ is the one the code defines (run `npm run schema` after changing the format)', () => {
    const file = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    const { $schema: _draft, ...published } = file;
    expect(published).toEqual(JSON.parse(JSON.stringify(ExtractionResultSchema)));
  });

  it('accepts a real result and rejects one with a field of the wrong type', async () => {
    const pkg = await writeScormPackage(path.join(dir, 'schema.zip'), 'Schema check', ['One', 'Two']);
    const run = extract(pkg);
    const result = JSON.parse(run.stdout);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...result, statistics: { ...result.statistics, words: 'many' } })).toBe(false);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { writeManyItems } from '../support/hostile-packages.js';
import { scorm12Manifest } from '../support/packages.js';
import { writeZip } from '../support/zip-writer.js';

// Packages of no known tool: hand-written HTML, read through its pages, templates and forms.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-generic-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const quizPage = `<html><head><title>Rocks</title></head><body>
<h1>Rock quiz</h1><img src="img/rock.png" alt="A piece of granite">
<label for="q1">Which rock forms from melt?</label>
<select name="q1" id="q1"><option value="s">Sedimentary</option><option value="i" data-correct="yes">Igneous</option></select>
<label for="q2">How many rock types are there?</label><input type="text" name="q2" id="q2" data-answer="3">
</body></html>`;

const templatedPage = `<html><body><div class="nav"><button>Next</button></div>
<script id="p1" type="text/template" data-title="Minerals"><h2>Minerals</h2><p>Quartz is a hard mineral.</p></script>
<script id="p2" type="text/template" data-title="Fossils"><p>Fossils are preserved remains.</p></script>
<script>var course = new Course();</script></body></html>`;

describe('the generic reader', () => {
  it('reads form quizzes with marked answers, linked to their page even when it shows an image', async () => {
    const file = path.join(dir, 'quiz.zip');
    await writeZip(file, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Rocks', ['Quiz']) },
      { name: 'page1.html', data: quizPage },
      { name: 'img/rock.png', data: Buffer.from([137, 80, 78, 71]) },
    ]);
    const result = await extractPackage(file);
    const [page] = result.pages;
    expect(page?.blocks).toContainEqual({ type: 'image', alt: 'A piece of granite', src: 'img/rock.png' });
    expect(result.assessments).toHaveLength(1);
    expect(result.assessments[0]?.page_id).toBe(page?.id);
    const questions = result.assessments[0]?.questions ?? [];
    expect(questions.map((q) => [q.type, q.prompt, q.correct_answers])).toEqual([
      ['choice', 'Which rock forms from melt?', ['Igneous']],
      ['fill_in', 'How many rock types are there?', ['3']],
    ]);
    expect(result.media.find((m) => m.path === 'img/rock.png')?.alt_text).toBe('A piece of granite');
  });

  it('reads client-side templates as pages, without the navigation around them or the scripts', async () => {
    const file = path.join(dir, 'templates.zip');
    await writeZip(file, [
      { name: 'imsmanifest.xml', data: scorm12Manifest('Earth', ['Lessons']) },
      { name: 'page1.html', data: templatedPage },
    ]);
    const result = await extractPackage(file);
    expect(result.pages.map((p) => [p.title, p.text])).toEqual([
      ['Minerals', 'Minerals\n\nQuartz is a hard mineral.'],
      ['Fossils', 'Fossils are preserved remains.'],
    ]);
  });
});

describe('the generic reader on a manifest of 200,000 items', () => {
  // Every stage is linear in items: on quadratic code this runs for many minutes and times out.
  it('lists every item and reads the shared page once', async () => {
    const file = path.join(dir, 'huge.zip');
    await writeManyItems(file, 200_000, 200_000);
    const result = await extractPackage(file);
    expect(result.statistics.items).toBe(200_000);
    expect(result.pages.map((p) => p.title)).toEqual(['Shared topic page']);
    expect(result.warnings.filter((w) => w.code === 'file_missing')).toHaveLength(100_000);
  }, 60_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import { writeZip } from '../support/zip-writer.js';

// The cmi5 specification's course structure rules: a package that breaks one is refused, with the
// rule's code, as a conformant LMS refuses it.

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-cmi5-rules-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const text = (name: string, value: string) => `<${name}><langstring lang="en">${value}</langstring></${name}>`;
const au = (id: string, url: string, attributes = '', extra = '') =>
  `<au id="${id}"${attributes}>${text('title', 'Lesson')}${text('description', 'A lesson.')}${extra}<url>${url}</url></au>`;
const course = (body: string, courseId = 'https://example.com/course', before = '') =>
  `<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="${courseId}">${text('title', 'Course')}${text('description', 'A course.')}</course>${before}${body}</courseStructure>`;

async function extract(xml: string, files: string[] = ['index.html'], bare = false) {
  const file = path.join(dir, `package-${++counter}.${bare ? 'xml' : 'zip'}`);
  if (bare) fs.writeFileSync(file, xml);
  else await writeZip(file, [{ name: 'cmi5.xml', data: xml }, ...files.map((name) => ({ name, data: '<p>Lesson text.</p>' }))]);
  return extractPackage(file);
}

async function refusal(xml: string, files?: string[], bare?: boolean): Promise<ExtractionError> {
  const error = await extract(xml, files, bare).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

describe('cmi5 course structure rules', () => {
  it('accepts a course that follows them: relative and absolute AU URLs, objectives, nested blocks', async () => {
    const objectives = `<objectives><objective id="https://example.com/obj/1">${text('title', 'Objective')}${text('description', 'It.')}</objective></objectives>`;
    const block = `<block id="https://example.com/block">${text('title', 'Block')}${text('description', 'B.')}<objectives><objective idref="https://example.com/obj/1"/></objectives>${au('https://example.com/au/1', 'index.html?lang=en', ' moveOn="Passed" masteryScore="0.8" launchMethod="OwnWindow"')}</block>`;
    const result = await extract(course(block + au('urn:example:au:2', 'https://cdn.example.com/lesson/'), undefined, objectives));
    expect(result.package.standard).toBe('cmi5');
    expect(result.statistics.launchable_items).toBe(2);
  });

  it.each([
    ['an id that is not an IRI', course(au('lesson-1', 'index.html')), 'cmi5_id_not_iri', 'AU "lesson-1"'],
    ['a course id that is not an IRI', course(au('https://example.com/au', 'index.html'), 'my course'), 'cmi5_id_not_iri', 'course "my course"'],
    ['an id used twice', course(au('https://example.com/x', 'index.html') + au('https://example.com/x', 'index.html')), 'cmi5_duplicate_id', 'AU "https://example.com/x"'],
    ['an AU id equal to the course id', course(au('https://example.com/course', 'index.html')), 'cmi5_duplicate_id', 'https://example.com/course'],
    ['an AU URL with a space', course(au('https://example.com/au', 'my lesson.html')), 'cmi5_au_url_invalid', 'my lesson.html'],
    ['an AU URL with a bad escape', course(au('https://example.com/au', 'index%zz.html')), 'cmi5_au_url_invalid', 'index%zz.html'],
    ['an AU URL of another scheme', course(au('https://example.com/au', 'javascript:alert(1)')), 'cmi5_au_url_invalid', 'javascript:alert(1)'],
    ['a launch parameter in the AU URL', course(au('https://example.com/au', 'index.html?endpoint=https://lrs.example.com&amp;x=1')), 'cmi5_launch_parameter_collision', 'endpoint'],
    ['an activityId in an absolute AU URL', course(au('https://example.com/au', 'https://cdn.example.com/?activityId=1')), 'cmi5_launch_parameter_collision', 'activityId'],
    ['a relative AU URL with no file', course(au('https://example.com/au', 'lessons/one.html')), 'cmi5_au_file_missing', 'lessons/one.html'],
    ['an AU without a URL', course('<au id="https://example.com/au"><title><langstring>T</langstring></title><description><langstring>D</langstring></description></au>'), 'cmi5_schema_invalid', '<url>'],
    ['an unknown moveOn', course(au('https://example.com/au', 'index.html', ' moveOn="Sometimes"')), 'cmi5_schema_invalid', 'moveOn "Sometimes"'],
    ['a masteryScore above 1', course(au('https://example.com/au', 'index.html', ' masteryScore="80"')), 'cmi5_schema_invalid', 'masteryScore "80"'],
    ['an empty block', course(`<block id="https://example.com/b">${text('title', 'B')}${text('description', 'B')}</block>`), 'cmi5_schema_invalid', 'holds no AU'],
    ['no AU at all', course(''), 'cmi5_schema_invalid', 'no AU or block'],
    ['a reference to an undefined objective', course(au('https://example.com/au', 'index.html', '', '<objectives><objective idref="https://example.com/none"/></objectives>')), 'cmi5_schema_invalid', 'https://example.com/none'],
    ['an AU URL before its title', course(`<au id="https://example.com/au"><url>index.html</url>${text('title', 'T')}${text('description', 'D')}</au>`), 'cmi5_schema_invalid', '<title> after <url>'],
    ['launch parameters before the URL', course(`<au id="https://example.com/au">${text('title', 'T')}${text('description', 'D')}<launchParameters>a=1</launchParameters><url>index.html</url></au>`), 'cmi5_schema_invalid', '<url> after <launchParameters>'],
    ['a block described before its title', course(`<block id="https://example.com/b">${text('description', 'B')}${text('title', 'B')}${au('https://example.com/au', 'index.html')}</block>`), 'cmi5_schema_invalid', '<title> after <description>'],
    [
      "the course's objectives after its AUs",
      course(`${au('https://example.com/au', 'index.html')}<objectives><objective id="https://example.com/o">${text('title', 'O')}${text('description', 'O')}</objective></objectives>`),
      'cmi5_schema_invalid',
      '<objectives> after <au>',
    ],
  ])('refuses %s', async (_label, xml, code, detail) => {
    const error = await refusal(xml);
    expect(error.code).toBe(code);
    expect(error.message).toContain(detail);
  });

  it("accepts a vendor's extension elements wherever they are", async () => {
    const extended = course(au('https://example.com/au', 'index.html', '', '<v:theme>dark</v:theme>'))
      .replace('<courseStructure ', '<courseStructure xmlns:v="https://vendor.example.com" ')
      .replace('<au ', '<v:note>first</v:note><au ');
    expect((await extract(extended)).package.standard).toBe('cmi5');
  });

  it('refuses a bare cmi5.xml whose AUs launch relative URLs (there is no package to hold them), and accepts absolute ones', async () => {
    expect((await refusal(course(au('https://example.com/au', 'index.html')), [], true)).code).toBe('cmi5_au_file_missing');
    const result = await extract(course(au('https://example.com/au', 'https://cdn.example.com/index.html')), [], true);
    expect(result.package.standard).toBe('cmi5');
  });
});

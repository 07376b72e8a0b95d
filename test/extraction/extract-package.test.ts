import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultArchiveLimits } from '../../src/extraction/archive/zip-archive.js';
import { estimateTokens } from '../../src/extraction/content/text.js';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { resultToMarkdown } from '../../src/extraction/result/markdown.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import type { ExtractionResult, Item } from '../../src/extraction/result/extraction-result.js';
import { writeZip, type ZipEntrySpec } from '../support/zip-writer.js';

const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../docs/extraction-result.schema.json');

let dir: string;
let counter = 0;
let ajv: Ajv2020;
let validateResult: ValidateFunction;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorm-lens-extract-'));
  ajv = new Ajv2020({ allErrors: true });
  addFormats.default(ajv);
  validateResult = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function zipOf(entries: ZipEntrySpec[]): Promise<string> {
  const file = path.join(dir, `package-${++counter}.zip`);
  await writeZip(file, entries);
  return file;
}

/** The ExtractionError extraction rejects with; fails the test if it succeeds or throws anything else. */
async function extractionFailure(file: string, limits = defaultArchiveLimits): Promise<ExtractionError> {
  const outcome = await extractPackage(file, { limits }).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error(`expected extraction of ${file} to fail, but it succeeded`);
  expect(outcome).toBeInstanceOf(ExtractionError);
  return outcome as ExtractionError;
}

/** A result must match the published JSON Schema and hold no undefined anywhere (absent is null). */
function expectValidResult(result: ExtractionResult): void {
  expect(validateResult(result), ajv.errorsText(validateResult.errors)).toBe(true);
  expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
}

/** What the result says about the package file itself. */
function fileFacts(file: string): { size_bytes: number; sha256: string } {
  const bytes = fs.readFileSync(file);
  return { size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Statistics of a package whose pages carry no text (and which has no media or questions). */
const structureOnly = (items: number, launchable_items: number, resources: number) => ({
  items,
  launchable_items,
  resources,
  pages: 0,
  words: 0,
  questions: 0,
  media: 0,
  reading_time_minutes: 0,
});

/** An expected item: every field the format has, null or empty unless given. */
function item(fields: Partial<Item> & Pick<Item, 'identifier' | 'title'>): Item {
  return {
    identifierref: null,
    launch: null,
    parameters: null,
    visible: true,
    mastery_score: null,
    completion_threshold: null,
    time_limit: null,
    data_from_lms: null,
    prerequisites: null,
    move_on: null,
    launch_method: null,
    sequencing: null,
    children: [],
    ...fields,
  };
}

const SCORM12_OPEN =
  '<manifest identifier="com.example.course" version="1"' +
  ' xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"' +
  ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">';
const SCORM2004_4TH_OPEN =
  '<manifest identifier="com.example.course2004" version="1"' +
  ' xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"' +
  ' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"' +
  ' xmlns:imsss="http://www.imsglobal.org/xsd/imsss">';

interface ManifestParts {
  prolog?: string;
  open?: string;
  metadata?: string;
  title?: string;
  items?: string;
  resources?: string;
}

/** A SCORM 1.2 manifest with one SCO, whose parts a test can replace. */
function manifestXml(parts: ManifestParts = {}): string {
  const {
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n',
    open = SCORM12_OPEN,
    metadata = '<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>',
    title = 'Example Course',
    items = '<item identifier="item_1" identifierref="res_1"><title>Lesson One</title></item>',
    resources = '<resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="index.html">' +
      '<file href="index.html"/></resource>',
  } = parts;
  return (
    `${prolog}${open}\n${metadata}\n` +
    `<organizations default="org_1"><organization identifier="org_1"><title>${title}</title>\n${items}\n` +
    `</organization></organizations>\n<resources>${resources}</resources>\n</manifest>\n`
  );
}

async function packageWith(manifest: string | Buffer, others: ZipEntrySpec[] = []): Promise<string> {
  return zipOf([{ name: 'imsmanifest.xml', data: manifest, deflate: true }, { name: 'index.html', data: '<html/>' }, ...others]);
}

function flatten(items: Item[]): Item[] {
  return items.flatMap((i) => [i, ...flatten(i.children)]);
}

const titles = (result: ExtractionResult) => flatten(result.organizations[0]?.items ?? []).map((i) => i.title);
const warningCodes = (result: ExtractionResult) => result.warnings.map((w) => w.code);


/** A cmi5 course: two AUs in one block. */
const CMI5_XML = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.com/courses/safety">
    <title><langstring lang="en-US">Workplace Safety</langstring></title>
    <description><langstring lang="en-US">Staying safe at work.</langstring></description>
  </course>
  <block id="https://example.com/courses/safety/basics">
    <title><langstring lang="en-US">Basics</langstring></title>
    <description><langstring lang="en-US">The basics of safety.</langstring></description>
    <au id="https://example.com/courses/safety/fire" moveOn="Completed" launchMethod="OwnWindow">
      <title><langstring lang="en-US">Fire Safety</langstring></title>
      <description><langstring lang="en-US">What to do in a fire.</langstring></description>
      <url>fire/index.html</url>
    </au>
    <au id="https://example.com/courses/safety/quiz" moveOn="CompletedAndPassed" masteryScore="0.75">
      <title><langstring lang="en-US">Safety Quiz</langstring></title>
      <description><langstring lang="en-US">Check what you learned.</langstring></description>
      <url>quiz/index.html</url>
      <launchParameters>mode=quiz</launchParameters>
    </au>
  </block>
</courseStructure>
`;

/** A Tin Can package: a course activity with its launch page, a module, and one interaction. */
const TINCAN_XML = `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="http://example.com/activities/golf" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">Golf Explained</name>
      <description lang="en-US">An introduction to golf.</description>
      <launch lang="en-US">index.html</launch>
    </activity>
    <activity id="http://example.com/activities/golf/handicap" type="http://adlnet.gov/expapi/activities/module">
      <name lang="en-US">Handicapping</name>
      <description lang="en-US">How handicaps work.</description>
    </activity>
    <activity id="http://example.com/activities/golf/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name lang="en-US">How many holes does a standard golf course have?</name>
      <description lang="en-US">Pick one.</description>
      <interactionType>choice</interactionType>
      <correctResponsePatterns><correctResponsePattern>holes18</correctResponsePattern></correctResponsePatterns>
      <choices>
        <component><id>holes9</id><description lang="en-US">9</description></component>
        <component><id>holes18</id><description lang="en-US">18</description></component>
      </choices>
    </activity>
  </activities>
</tincan>
`;

/** An AICC course (CMI001): a block of two AUs and a test, described in .crs, .au, .des and .cst. */
const AICC_FILES = {
  crs: [
    '[Course]',
    'Course_Creator=Example Corp',
    'Course_ID=SAFETY101',
    'Course_System=HTML',
    'Course_Title=Safety at Work',
    'Level=1',
    'Max_Fields_CST=3',
    'Max_Fields_ORT=0',
    'Total_AUs=3',
    'Total_Blocks=1',
    'Total_Objectives=0',
    'Total_Complex_Obj=0',
    'Version=3.5',
    '[Course_Behavior]',
    'Max_Normal=99',
    '[Course_Description]',
    'How to stay safe at work.',
    '',
  ].join('\r\n'),
  au: [
    '"System_ID","Type","Command_Line","Max_Time_Allowed","Time_Limit_Action","File_Name",' +
      '"Max_Score","Mastery_Score","System_Vendor","Core_Vendor","Web_Launch","AU_Password"',
    '"A1","lesson","","","","fire/index.html","","","","","",""',
    '"A2","lesson","","","","first-aid/index.html","","","","","",""',
    '"A3","test","","00:20:00","","quiz/index.html","100","80","","level=hard","",""',
    '',
  ].join('\r\n'),
  des: [
    '"System_ID","Developer_ID","Title","Description"',
    '"B1","BASICS","The Basics","Fire and first aid"',
    '"A1","FIRE","Fire Safety","What to do in a fire"',
    '"A2","AID","First Aid","Helping the injured"',
    '"A3","QUIZ","Safety Quiz","Check what you learned"',
    '',
  ].join('\r\n'),
  cst: ['"block","member","member"', '"root","B1","A3"', '"B1","A1","A2"', ''].join('\r\n'),
};

/** The AICC course's files in `folder`, those of `only` extensions if given. */
function aiccEntries(folder = '', only: (keyof typeof AICC_FILES)[] = ['crs', 'au', 'des', 'cst']): ZipEntrySpec[] {
  return only.map((extension) => ({ name: `${folder}course.${extension}`, data: AICC_FILES[extension] }));
}

/** A hand-written launch page (no authoring tool to decode): a heading and a sentence. */
const lessonHtml = (title: string) => `<html><body><h1>${title}</h1><p>All about ${title.toLowerCase()}.</p></body></html>`;

describe('extractPackage on a well-formed synthetic package', () => {
  it('describes a minimal SCORM 1.2 package completely', async () => {
    const file = await packageWith(manifestXml());
    const result = await extractPackage(file);
    expect(result).toStrictEqual({
      format_version: '1.1',
      package: {
        standard: 'scorm',
        version: '1.2',
        tool: null,
        title: 'Example Course',
        titles: [{ language: null, value: 'Example Course' }],
        description: null,
        language: null,
        identifier: 'com.example.course',
        keywords: [],
        typical_learning_time: null,
        root: '',
        manifest_path: 'imsmanifest.xml',
        ...fileFacts(file),
        entry_count: 2,
      },
      default_organization: 'org_1',
      organizations: [
        {
          identifier: 'org_1',
          title: 'Example Course',
          items: [item({ identifier: 'item_1', title: 'Lesson One', identifierref: 'res_1', launch: 'index.html' })],
          sequencing: null,
        },
      ],
      resources: [
        {
          identifier: 'res_1',
          type: 'webcontent',
          scorm_type: 'sco',
          href: 'index.html',
          files: ['index.html'],
          dependencies: [],
        },
      ],
      pages: [],
      assessments: [],
      media: [],
      chunks: [],
      statistics: structureOnly(1, 1, 1),
      warnings: [],
    });
  });

  it('reads the default organization, not the first one, for title and statistics', async () => {
    const xml =
      `<?xml version="1.0"?>\n${SCORM12_OPEN}<organizations default="full">` +
      '<organization identifier="short"><title>Short Version</title>' +
      '<item identifier="s1" identifierref="r1"><title>Only Lesson</title></item></organization>' +
      '<organization identifier="full"><title>Full Version</title>' +
      '<item identifier="f1"><title>Module</title>' +
      '<item identifier="f2" identifierref="r1"><title>Lesson A</title></item>' +
      '<item identifier="f3" identifierref="r2" parameters="?page=2" isvisible="false"><title>Lesson B</title></item>' +
      '</item></organization></organizations>' +
      '<resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="a.html"/>' +
      '<resource identifier="r2" type="webcontent" adlcp:scormtype="asset" href="b.html"/></resources></manifest>';
    const file = await packageWith(xml, [
      { name: 'a.html', data: '<html/>' },
      { name: 'b.html', data: '<html/>' },
    ]);
    const result = await extractPackage(file);
    expect(result.package.title).toBe('Full Version');
    expect(result.default_organization).toBe('full');
    expect(result.organizations.map((o) => o.identifier)).toEqual(['short', 'full']);
    expect(result.statistics).toStrictEqual(structureOnly(3, 2, 2));
    expect(result.organizations[1]).toStrictEqual({
      identifier: 'full',
      title: 'Full Version',
      items: [
        item({
          identifier: 'f1',
          title: 'Module',
          children: [
            item({ identifier: 'f2', title: 'Lesson A', identifierref: 'r1', launch: 'a.html' }),
            item({
              identifier: 'f3',
              title: 'Lesson B',
              identifierref: 'r2',
              launch: 'b.html',
              parameters: '?page=2',
              visible: false,
            }),
          ],
        }),
      ],
      sequencing: null,
    });
    expect(result.resources.map((r) => r.scorm_type)).toEqual(['sco', 'asset']);
    expect(result.warnings).toEqual([]);
  });

  it('falls back on the LOM title when the organization has none, and reads the LOM facts', async () => {
    const xml =
      `<?xml version="1.0"?>\n${SCORM2004_4TH_OPEN}<metadata><schema>ADL SCORM</schema>` +
      '<schemaversion>2004 4th Edition</schemaversion><lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>' +
      '<title><string language="en-US">Course From Metadata</string><string language="es">Curso</string></title>' +
      '<language>en-US</language>' +
      '<description><string language="en-US">What the course is about.</string></description>' +
      '<keyword><string language="en-US">golf</string></keyword><keyword><string language="en-US">rules</string></keyword>' +
      '</general><educational><typicalLearningTime><duration>PT1H30M</duration></typicalLearningTime></educational>' +
      '</lom></metadata><organizations default="o"><organization identifier="o">' +
      '<item identifier="i" identifierref="r"><title>Lesson</title></item></organization></organizations>' +
      '<resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html"/></resources>' +
      '</manifest>';
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Course From Metadata');
    expect(result.package.titles).toEqual([
      { language: 'en-US', value: 'Course From Metadata' },
      { language: 'es', value: 'Curso' },
    ]);
    expect(result.package).toMatchObject({
      version: '2004 4th Edition',
      language: 'en-US',
      description: 'What the course is about.',
      keywords: ['golf', 'rules'],
      typical_learning_time: 'PT1H30M',
    });
    expect(result.organizations[0]?.title).toBeNull();
    expect(result.resources[0]?.scorm_type).toBe('sco');
    // SCORM requires an organization title: the package is read, and the gap is said.
    expect(result.warnings).toEqual([{ code: 'organization_title_missing', message: expect.stringContaining('"o"') }]);
  });

  it('refuses a manifest whose default organization does not exist', async () => {
    const xml = manifestXml().replace('default="org_1"', 'default="org_9"');
    const error = await extractionFailure(await packageWith(xml));
    expect(error.code).toBe('manifest_default_organization_missing');
    expect(error.message).toContain('"org_9"');
  });

  it('refuses a manifest with nothing to launch: no resource has an href', async () => {
    const xml = manifestXml({ resources: '<resource identifier="res_1" type="webcontent" adlcp:scormtype="asset"><file href="index.html"/></resource>' });
    expect((await extractionFailure(await packageWith(xml))).code).toBe('manifest_no_launchable_resource');
  });

  it('uses the item identifier when an item has no title', async () => {
    const xml = manifestXml({ items: '<item identifier="untitled_item" identifierref="res_1"/>' });
    const result = await extractPackage(await packageWith(xml));
    expect(titles(result)).toEqual(['untitled_item']);
  });

  it.each([
    ['1.2', '1.2'],
    ['CAM 1.3', '2004 2nd Edition'],
    ['2004 3rd Edition', '2004 3rd Edition'],
    ['2004 4th Edition', '2004 4th Edition'],
  ])('maps schemaversion %s to SCORM %s', async (declared, version) => {
    const xml = manifestXml({ metadata: `<metadata><schema>ADL SCORM</schema><schemaversion>${declared}</schemaversion></metadata>` });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.version).toBe(version);
    expect(result.warnings).toEqual([]);
  });

  it('warns about an unknown schemaversion and falls back on the namespaces', async () => {
    const xml = manifestXml({
      open: SCORM2004_4TH_OPEN,
      metadata: '<metadata><schema>ADL SCORM</schema><schemaversion>SCORM 2004 v9</schemaversion></metadata>',
    });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.version).toBe('2004 3rd Edition');
    expect(result.warnings).toEqual([{ code: 'schemaversion_unknown', message: expect.stringContaining('SCORM 2004 v9') }]);
  });

  it('passes archive warnings (a skipped symlink) through to the result', async () => {
    const file = await packageWith(manifestXml(), [{ name: 'shared/link', data: '/etc/passwd', unixMode: 0o120777 }]);
    const result = await extractPackage(file);
    expect(result.warnings).toEqual([{ code: 'symlink_skipped', message: expect.any(String), path: 'shared/link' }]);
    expect(result.package.entry_count).toBe(2);
  });
});

describe('extractPackage finds the manifest', () => {
  it('accepts a manifest nested in a wrapper folder, with a manifest_not_at_root warning', async () => {
    const file = await zipOf([
      { name: 'My Course/', data: '' },
      { name: 'My Course/imsmanifest.xml', data: manifestXml({ title: 'Wrapped Course' }) },
      { name: 'My Course/index.html', data: '<html/>' },
    ]);
    const result = await extractPackage(file);
    expect(result.package.root).toBe('My Course/');
    expect(result.package.manifest_path).toBe('My Course/imsmanifest.xml');
    expect(result.package.title).toBe('Wrapped Course');
    expect(result.warnings).toEqual([
      { code: 'manifest_not_at_root', message: expect.any(String), path: 'My Course/imsmanifest.xml' },
    ]);
  });

  it('chooses the root-most manifest when a nested copy exists', async () => {
    const file = await zipOf([
      { name: 'a/b/c/imsmanifest.xml', data: manifestXml({ title: 'Deep Copy' }) },
      { name: 'wrapper/old/imsmanifest.xml', data: manifestXml({ title: 'Old Copy' }) },
      { name: 'wrapper/imsmanifest.xml', data: manifestXml({ title: 'The Course' }) },
      { name: 'wrapper/index.html', data: '<html/>' },
    ]);
    const result = await extractPackage(file);
    expect(result.package.manifest_path).toBe('wrapper/imsmanifest.xml');
    expect(result.package.root).toBe('wrapper/');
    expect(result.package.title).toBe('The Course');
    expect(result.warnings).toEqual([
      { code: 'manifest_not_at_root', message: expect.any(String), path: 'wrapper/imsmanifest.xml' },
    ]);
  });

  it('prefers a root manifest over nested ones and then gives no warning', async () => {
    const file = await zipOf([
      { name: 'nested/imsmanifest.xml', data: manifestXml({ title: 'Nested Copy' }) },
      { name: 'IMSMANIFEST.XML', data: manifestXml({ title: 'Root Course' }) },
      { name: 'index.html', data: '<html/>' },
    ]);
    const result = await extractPackage(file);
    expect(result.package.manifest_path).toBe('IMSMANIFEST.XML');
    expect(result.package.root).toBe('');
    expect(result.package.title).toBe('Root Course');
    expect(result.warnings).toEqual([]);
  });

  it('ignores __MACOSX/ junk, even a shallower manifest-named file in it', async () => {
    const file = await zipOf([
      { name: '__MACOSX/imsmanifest.xml', data: Buffer.from([0x00, 0x05, 0x16, 0x07, 0x00, 0x02]) },
      { name: '__MACOSX/course/v1/._imsmanifest.xml', data: Buffer.from([0x00, 0x05, 0x16, 0x07]) },
      { name: 'course/v1/imsmanifest.xml', data: manifestXml({ title: 'Mac Zipped Course' }) },
      { name: 'course/v1/index.html', data: '<html/>' },
      { name: 'course/v1/.DS_Store', data: 'Bud1' },
    ]);
    const result = await extractPackage(file);
    expect(result.package.manifest_path).toBe('course/v1/imsmanifest.xml');
    expect(result.package.title).toBe('Mac Zipped Course');
    expect(warningCodes(result)).toEqual(['manifest_not_at_root']);
  });

  it('fails with manifest_not_found when the only manifest is __MACOSX junk', async () => {
    const file = await zipOf([
      { name: '__MACOSX/imsmanifest.xml', data: manifestXml() },
      { name: 'index.html', data: '<html/>' },
    ]);
    expect((await extractionFailure(file)).code).toBe('manifest_not_found');
  });

  it('fails with manifest_not_found when there is no manifest', async () => {
    const file = await zipOf([
      { name: 'index.html', data: '<html/>' },
      { name: 'manifest.xml', data: manifestXml() },
    ]);
    expect((await extractionFailure(file)).code).toBe('manifest_not_found');
  });

  it('fails with manifest_not_found when the manifest is encrypted', async () => {
    const file = await zipOf([{ name: 'imsmanifest.xml', data: manifestXml(), deflate: true, encryptedFlag: true }]);
    expect((await extractionFailure(file)).code).toBe('manifest_not_found');
  });

  it.each([
    ['an .au sound file', 'sounds/beep.au'],
    ['a cmi5.xml inside __MACOSX', '__MACOSX/cmi5.xml'],
    ['an AICC file inside __macosx', '__macosx/._course.crs'],
  ])('is not misled by %s: manifest_not_found', async (_label, name) => {
    const file = await zipOf([
      { name, data: 'junk' },
      { name: 'index.html', data: '<html/>' },
    ]);
    expect((await extractionFailure(file)).code).toBe('manifest_not_found');
  });

  it('passes archive errors through: not_a_zip, archive_unsafe_path, archive_too_many_entries', async () => {
    const text = path.join(dir, 'readme.zip');
    fs.writeFileSync(text, 'This is not a zip.\n');
    expect((await extractionFailure(text)).code).toBe('not_a_zip');
    const slip = await packageWith(manifestXml(), [{ name: '../../evil.sh', data: 'rm -rf /' }]);
    expect((await extractionFailure(slip)).code).toBe('archive_unsafe_path');
    const many = await packageWith(manifestXml(), [{ name: 'a.html', data: 'a' }]);
    expect((await extractionFailure(many, { ...defaultArchiveLimits, maxEntries: 2 })).code).toBe(
      'archive_too_many_entries',
    );
  });

  it('refuses a manifest declared above 32 MiB without inflating it', async () => {
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: manifestXml(), deflate: true, declaredSize: 40 * 1024 * 1024 },
    ]);
    const limits = { ...defaultArchiveLimits, maxCompressionRatio: Number.POSITIVE_INFINITY };
    expect((await extractionFailure(file, limits)).code).toBe('archive_entry_too_large');
  });
});

describe('extractPackage reads manifest XML defensively', () => {
  it('reads a manifest with a UTF-8 BOM', async () => {
    const xml = manifestXml({ title: 'Тиндер — курс' });
    const file = await packageWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]));
    const result = await extractPackage(file);
    expect(result.package.title).toBe('Тиндер — курс');
    expect(result.package.version).toBe('1.2');
    expect(result.warnings).toEqual([]);
  });

  it('reads a UTF-16LE manifest with a BOM', async () => {
    const xml = manifestXml({ prolog: '<?xml version="1.0" encoding="UTF-16"?>\n', title: 'Curso de ecuación' });
    const file = await packageWith(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    const result = await extractPackage(file);
    expect(result.package.title).toBe('Curso de ecuación');
    expect(titles(result)).toEqual(['Lesson One']);
  });

  it('does not expand an entity bomb declared in a DOCTYPE', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) {
      entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    }
    // A flat 9 KB entity used ten times: 90 KB if the DOCTYPE were honoured.
    entities.push(`<!ENTITY big "${'A'.repeat(9000)}">`);
    const prolog = `<?xml version="1.0"?>\n<!DOCTYPE manifest [\n${entities.join('\n')}\n]>\n`;
    const xml = manifestXml({ prolog, title: `${'&big;'.repeat(10)}&lol9;` });
    const file = await packageWith(xml);
    const heapBefore = process.memoryUsage().heapUsed;
    const result = await extractPackage(file);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(result.warnings).toEqual([{ code: 'doctype_ignored', message: expect.any(String), path: 'imsmanifest.xml' }]);
    expect(result.package.title?.length).toBeLessThan(200);
    expect(result.package.title).not.toContain('lollol');
    expect(result.package.title).not.toContain('AAAA');
    expect(JSON.stringify(result).length).toBeLessThan(5000);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(titles(result)).toEqual(['Lesson One']);
  });

  it('reads a stray "&" in a title as text, with an xml_stray_ampersand warning', async () => {
    const xml = manifestXml({
      title: 'Health & Safety',
      items: '<item identifier="item_1" identifierref="res_1"><title>Q&A: Fire & Flood</title></item>',
    });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Health & Safety');
    expect(titles(result)).toEqual(['Q&A: Fire & Flood']);
    expect(result.warnings).toEqual([
      { code: 'xml_stray_ampersand', message: expect.any(String), path: 'imsmanifest.xml' },
    ]);
  });

  it('keeps "&" inside CDATA as it is, without a warning', async () => {
    const xml = manifestXml({ title: '<![CDATA[Health & Safety]]>' });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Health & Safety');
    expect(result.warnings).toEqual([]);
  });

  it('decodes numeric character references', async () => {
    const xml = manifestXml({ title: 'Explic&#243; Golf &#x2013; Basics' });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Explicó Golf – Basics');
  });

  it('drops a DOCTYPE whose internal subset is never closed, entities and all', async () => {
    const prolog = `<?xml version="1.0"?>\n<!DOCTYPE manifest [\n<!ENTITY t "${'Injected '.repeat(1000)}">\n>\n`;
    const xml = manifestXml({ prolog, title: '&t;'.repeat(20) });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title ?? '').not.toContain('Injected');
    expect(warningCodes(result)).toContain('doctype_ignored');
  });

  it('reads in linear time a manifest full of sections left open: processing instructions, DOCTYPEs, CDATA', async () => {
    // Each opening left unclosed once made the reader scan to the end again: minutes for these.
    const cases = [
      manifestXml({ title: 'Open PIs' }) + '<?'.repeat(200_000),
      manifestXml({ title: 'Open CDATA' }).replace('<title>Open CDATA</title>', `<title>x${'<![CDATA['.repeat(200_000)}</title>`),
      manifestXml({ title: 'DOCTYPEs' }) + '<!DOCTYPE'.repeat(50_000),
    ];
    for (const xml of cases) {
      const error = await extractionFailure(await packageWith(xml));
      expect(error.code).toBe('manifest_malformed');
    }
  }, 60_000);

  it('refuses an element with more attributes than any descriptor needs, before parsing it', async () => {
    // A million attributes on one element: 12 MB that the parser held as 1.2 GB.
    const attributes = Array.from({ length: 20_000 }, (_v, i) => `a${i}="1"`).join(' ');
    const xml = manifestXml({ open: SCORM12_OPEN.replace('<manifest ', `<manifest ${attributes} `) });
    const error = await extractionFailure(await packageWith(xml));
    expect(error.code).toBe('manifest_malformed');
    expect(error.message).toContain('an element with 20004 attributes');
  });

  it('decodes properly escaped entities without any warning', async () => {
    const xml = manifestXml({ title: 'Health &amp; Safety &lt;2024&gt; &quot;Basics&quot;' });
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Health & Safety <2024> "Basics"');
    expect(result.warnings).toEqual([]);
  });

  it('fails with manifest_malformed on XML that is not well-formed', async () => {
    const xml = manifestXml({ items: '<item identifier="item_1" identifierref="res_1"><title>Unclosed</title>' });
    const error = await extractionFailure(await packageWith(xml));
    expect(error.code).toBe('manifest_malformed');
    expect(error.message).toContain('imsmanifest.xml');
  });

  it.each([
    ['an empty file', ''],
    ['only whitespace', '  \n\t\n'],
    ['only an XML declaration', '<?xml version="1.0" encoding="UTF-8"?>\n'],
    ['a BOM and an XML declaration', '\uFEFF<?xml version="1.0"?>'],
  ])('fails with manifest_empty on %s', async (_label, content) => {
    expect((await extractionFailure(await packageWith(content))).code).toBe('manifest_empty');
  });

  it('fails with manifest_invalid when the root element is not <manifest>', async () => {
    const file = await packageWith('<?xml version="1.0"?><html><body>Not a manifest</body></html>');
    expect((await extractionFailure(file)).code).toBe('manifest_invalid');
  });
});

describe('extractPackage reads the course structure', () => {
  it('warns about an item pointing at a resource that does not exist', async () => {
    const xml = manifestXml({
      items:
        '<item identifier="item_1" identifierref="res_1"><title>Lesson One</title></item>' +
        '<item identifier="item_2" identifierref="res_missing"><title>Lesson Two</title></item>',
    });
    const result = await extractPackage(await packageWith(xml));
    expect(result.warnings).toEqual([
      { code: 'dangling_identifierref', message: expect.stringContaining('res_missing') },
    ]);
    const lessonTwo = result.organizations[0]?.items[1];
    expect(lessonTwo).toStrictEqual(item({ identifier: 'item_2', title: 'Lesson Two', identifierref: 'res_missing' }));
    expect(result.statistics).toStrictEqual(structureOnly(2, 1, 1));
  });

  it('joins xml:base of <resources> and <resource> into hrefs and file paths', async () => {
    const resources =
      '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html" xml:base="sco1/">' +
      '<file href="index.html"/><file href="img/a.png"/></resource>' +
      '<resource identifier="r2" type="webcontent" adlcp:scormtype="sco" href="start.html?x=1" xml:base="sco2">' +
      '<file href="start.html"/></resource>' +
      '<resource identifier="r3" type="webcontent" adlcp:scormtype="asset" href="https://cdn.example.com/v.mp4"/>' +
      '<resource identifier="r4" type="webcontent" adlcp:scormtype="asset"><file href="shared/common.js"/></resource>';
    const items =
      '<item identifier="i1" identifierref="r1"><title>One</title></item>' +
      '<item identifier="i2" identifierref="r2"><title>Two</title></item>' +
      '<item identifier="i3" identifierref="r3"><title>Three</title></item>';
    const xml = manifestXml({ items, resources }).replace('<resources>', '<resources xml:base="content/">');
    const result = await extractPackage(await packageWith(xml));
    expect(result.resources).toStrictEqual([
      {
        identifier: 'r1',
        type: 'webcontent',
        scorm_type: 'sco',
        href: 'content/sco1/index.html',
        files: ['content/sco1/index.html', 'content/sco1/img/a.png'],
        dependencies: [],
      },
      {
        identifier: 'r2',
        type: 'webcontent',
        scorm_type: 'sco',
        href: 'content/sco2/start.html?x=1',
        files: ['content/sco2/start.html'],
        dependencies: [],
      },
      {
        identifier: 'r3',
        type: 'webcontent',
        scorm_type: 'asset',
        href: 'https://cdn.example.com/v.mp4',
        files: [],
        dependencies: [],
      },
      {
        identifier: 'r4',
        type: 'webcontent',
        scorm_type: 'asset',
        href: null,
        files: ['content/shared/common.js'],
        dependencies: [],
      },
    ]);
    expect(result.organizations[0]?.items.map((i) => i.launch)).toEqual([
      'content/sco1/index.html',
      'content/sco2/start.html?x=1',
      'https://cdn.example.com/v.mp4',
    ]);
    // The package holds none of them: each is missing once, at its xml:base path; the URL is not a file.
    const missing = ['content/sco1/index.html', 'content/sco1/img/a.png', 'content/sco2/start.html', 'content/shared/common.js'];
    expect(result.warnings).toEqual(
      missing.map((file) => ({ code: 'file_missing', message: expect.stringContaining(file), path: file })),
    );
    expect(result.media.map((m) => [m.path, m.kind, m.missing])).toEqual([['content/sco1/img/a.png', 'image', true]]);
  });

  it('joins xml:base of <manifest> before those of <resources>', async () => {
    const xml = manifestXml().replace(SCORM12_OPEN, SCORM12_OPEN.replace('<manifest ', '<manifest xml:base="course/" '));
    const result = await extractPackage(await packageWith(xml, [{ name: 'course/index.html', data: '<html/>' }]));
    expect(result.resources[0]?.href).toBe('course/index.html');
    expect(result.organizations[0]?.items[0]?.launch).toBe('course/index.html');
    expect(result.warnings).toEqual([]);
  });

  it('lists resource dependencies', async () => {
    const resources =
      '<resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="index.html">' +
      '<file href="index.html"/><dependency identifierref="common"/><dependency identifierref="media"/></resource>' +
      '<resource identifier="common" type="webcontent" adlcp:scormtype="asset"><file href="c.js"/></resource>' +
      '<resource identifier="media" type="webcontent" adlcp:scormtype="asset"><file href="m.mp3"/></resource>';
    const file = await packageWith(manifestXml({ resources }), [
      { name: 'c.js', data: 'var x = 1;' },
      { name: 'm.mp3', data: Buffer.alloc(16) },
    ]);
    const result = await extractPackage(file);
    expect(result.resources[0]?.dependencies).toEqual(['common', 'media']);
    expect(result.statistics).toStrictEqual({ ...structureOnly(1, 1, 3), media: 1 });
    expect(result.media.map((m) => [m.path, m.kind, m.missing])).toEqual([['m.mp3', 'audio', false]]);
    expect(result.warnings).toEqual([]);
  });

  it('reads the SCORM 1.2 item extensions: mastery score, time limit, launch data, prerequisites', async () => {
    const items =
      '<item identifier="item_1" identifierref="res_1"><title>Lesson One</title>' +
      '<adlcp:prerequisites type="aicc_script">intro</adlcp:prerequisites>' +
      '<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed><adlcp:timelimitaction>exit,message</adlcp:timelimitaction>' +
      '<adlcp:datafromlms>level=2</adlcp:datafromlms><adlcp:masteryscore>80</adlcp:masteryscore></item>';
    const result = await extractPackage(await packageWith(manifestXml({ items })));
    expect(result.organizations[0]?.items).toStrictEqual([
      item({
        identifier: 'item_1',
        title: 'Lesson One',
        identifierref: 'res_1',
        launch: 'index.html',
        mastery_score: 80,
        time_limit: '00:30:00',
        data_from_lms: 'level=2',
        prerequisites: 'intro',
      }),
    ]);
  });

  it('reads SCORM 2004 sequencing, with the completion threshold, mastery and time limit it implies', async () => {
    const items =
      '<item identifier="item_1" identifierref="res_1"><title>Lesson One</title>' +
      '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>' +
      '<imsss:sequencing><imsss:controlMode choice="false" flow="true"/>' +
      '<imsss:limitConditions attemptLimit="2" attemptAbsoluteDurationLimit="PT1H"/>' +
      '<imsss:objectives><imsss:primaryObjective objectiveID="passed" satisfiedByMeasure="true">' +
      '<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>' +
      '</imsss:sequencing></item><imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>';
    const xml = manifestXml({
      open: SCORM2004_4TH_OPEN,
      metadata: '<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>',
      items,
    });
    const result = await extractPackage(await packageWith(xml));
    expect(result.organizations).toStrictEqual([
      {
        identifier: 'org_1',
        title: 'Example Course',
        items: [
          item({
            identifier: 'item_1',
            title: 'Lesson One',
            identifierref: 'res_1',
            launch: 'index.html',
            mastery_score: 70,
            completion_threshold: 0.8,
            time_limit: 'PT1H',
            sequencing: {
              controlMode: { choice: 'false', flow: 'true' },
              limitConditions: { attemptLimit: '2', attemptAbsoluteDurationLimit: 'PT1H' },
              objectives: {
                primaryObjective: { objectiveID: 'passed', satisfiedByMeasure: 'true', minNormalizedMeasure: '0.7' },
              },
            },
          }),
        ],
        sequencing: { controlMode: { choice: 'true', flow: 'true' } },
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('warns when the manifest defines no organization', async () => {
    const xml =
      `<?xml version="1.0"?>\n${SCORM12_OPEN}<organizations/>` +
      '<resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>' +
      '</manifest>';
    const result = await extractPackage(await packageWith(xml));
    expect(result.warnings).toEqual([{ code: 'no_organization', message: expect.any(String) }]);
    expect(result.organizations).toEqual([]);
    expect(result.default_organization).toBeNull();
    expect(result.package.title).toBeNull();
    expect(result.statistics).toStrictEqual(structureOnly(0, 0, 1));
  });
});

/** The cmi5 course's block and AUs as items. */
const CMI5_ITEMS: Item[] = [
  item({
    identifier: 'https://example.com/courses/safety/basics',
    title: 'Basics',
    children: [
      item({
        identifier: 'https://example.com/courses/safety/fire',
        title: 'Fire Safety',
        launch: 'fire/index.html',
        move_on: 'Completed',
        launch_method: 'OwnWindow',
      }),
      item({
        identifier: 'https://example.com/courses/safety/quiz',
        title: 'Safety Quiz',
        launch: 'quiz/index.html',
        parameters: 'mode=quiz',
        mastery_score: 75,
        move_on: 'CompletedAndPassed',
        launch_method: 'AnyWindow',
      }),
    ],
  }),
];

describe('extractPackage reads cmi5, xAPI and AICC packages', () => {
  it('reads a cmi5 course: its block and AUs as items, and the pages they launch', async () => {
    const file = await zipOf([
      { name: 'cmi5.xml', data: CMI5_XML },
      { name: 'fire/index.html', data: lessonHtml('Fire Safety') },
      { name: 'quiz/index.html', data: lessonHtml('Safety Quiz') },
    ]);
    const result = await extractPackage(file);
    expect(result.package).toStrictEqual({
      standard: 'cmi5',
      version: 'cmi5',
      tool: null,
      title: 'Workplace Safety',
      titles: [{ language: 'en-US', value: 'Workplace Safety' }],
      description: 'Staying safe at work.',
      language: 'en-US',
      identifier: 'https://example.com/courses/safety',
      keywords: [],
      typical_learning_time: null,
      root: '',
      manifest_path: 'cmi5.xml',
      ...fileFacts(file),
      entry_count: 3,
    });
    expect(result.default_organization).toBe('https://example.com/courses/safety');
    expect(result.organizations).toStrictEqual([
      { identifier: 'https://example.com/courses/safety', title: 'Workplace Safety', items: CMI5_ITEMS, sequencing: null },
    ]);
    expect(result.resources).toEqual([]);
    expect(result.pages.map((p) => [p.item_id, p.source, p.text])).toEqual([
      ['https://example.com/courses/safety/fire', 'fire/index.html', 'Fire Safety\n\nAll about fire safety.'],
      ['https://example.com/courses/safety/quiz', 'quiz/index.html', 'Safety Quiz\n\nAll about safety quiz.'],
    ]);
    expect(result.statistics).toStrictEqual({
      items: 3,
      launchable_items: 2,
      resources: 0,
      pages: 2,
      words: 12,
      questions: 0,
      media: 0,
      reading_time_minutes: 1,
    });
    expect(result.warnings).toEqual([]);
    expectValidResult(result);
  });

  it('reads a cmi5 course in a folder, relative to that folder, with a manifest_not_at_root warning', async () => {
    const file = await zipOf([
      { name: 'Safety Course/cmi5.xml', data: CMI5_XML },
      { name: 'Safety Course/fire/index.html', data: lessonHtml('Fire Safety') },
      { name: 'Safety Course/quiz/index.html', data: lessonHtml('Safety Quiz') },
    ]);
    const result = await extractPackage(file);
    expect(result.package).toMatchObject({
      standard: 'cmi5',
      title: 'Workplace Safety',
      root: 'Safety Course/',
      manifest_path: 'Safety Course/cmi5.xml',
    });
    expect(result.organizations[0]?.items).toStrictEqual(CMI5_ITEMS);
    expect(result.pages.map((p) => [p.item_id, p.source])).toEqual([
      ['https://example.com/courses/safety/fire', 'fire/index.html'],
      ['https://example.com/courses/safety/quiz', 'quiz/index.html'],
    ]);
    expect(result.warnings).toEqual([
      { code: 'manifest_not_at_root', message: expect.any(String), path: 'Safety Course/cmi5.xml' },
    ]);
  });

  it('refuses a cmi5 package that lacks the file an AU launches, as the cmi5 specification requires', async () => {
    const file = await zipOf([
      { name: 'cmi5.xml', data: CMI5_XML },
      { name: 'fire/index.html', data: lessonHtml('Fire Safety') },
    ]);
    const error = await extractionFailure(file);
    expect(error.code).toBe('cmi5_au_file_missing');
    expect(error.message).toContain('quiz/index.html');
  });

  it('reads an xAPI (Tin Can) package: the course activity, its modules and its interactions', async () => {
    const file = await zipOf([
      { name: 'tincan.xml', data: TINCAN_XML },
      { name: 'index.html', data: lessonHtml('Golf Basics') },
    ]);
    const result = await extractPackage(file);
    expect(result.package).toStrictEqual({
      standard: 'xapi',
      version: 'Tin Can (tincan.xml)',
      tool: null,
      title: 'Golf Explained',
      titles: [{ language: 'en-US', value: 'Golf Explained' }],
      description: 'An introduction to golf.',
      language: 'en-US',
      identifier: 'http://example.com/activities/golf',
      keywords: [],
      typical_learning_time: null,
      root: '',
      manifest_path: 'tincan.xml',
      ...fileFacts(file),
      entry_count: 2,
    });
    expect(result.organizations).toStrictEqual([
      {
        identifier: 'http://example.com/activities/golf',
        title: 'Golf Explained',
        items: [
          item({
            identifier: 'http://example.com/activities/golf',
            title: 'Golf Explained',
            launch: 'index.html',
            children: [item({ identifier: 'http://example.com/activities/golf/handicap', title: 'Handicapping' })],
          }),
        ],
        sequencing: null,
      },
    ]);
    expect(result.pages.map((p) => [p.item_id, p.source, p.text])).toEqual([
      ['http://example.com/activities/golf', 'index.html', 'Golf Basics\n\nAll about golf basics.'],
    ]);
    expect(result.assessments).toStrictEqual([
      {
        id: expect.any(String),
        title: 'Golf Explained',
        item_id: null,
        page_id: null,
        source: 'tincan.xml',
        passing_score: null,
        questions_per_attempt: null,
        questions: [
          {
            id: 'http://example.com/activities/golf/q1',
            type: 'choice',
            prompt: 'How many holes does a standard golf course have?',
            choices: [
              { id: 'holes9', text: '9', correct: false, feedback: null },
              { id: 'holes18', text: '18', correct: true, feedback: null },
            ],
            correct_answers: ['18'],
            matches: [],
            feedback: { correct: null, incorrect: null },
            points: null,
            source: 'tincan.xml',
          },
        ],
      },
    ]);
    expect(result.statistics).toStrictEqual({
      items: 2,
      launchable_items: 1,
      resources: 0,
      pages: 1,
      words: 6,
      questions: 1,
      media: 0,
      reading_time_minutes: 1,
    });
    expect(result.warnings).toEqual([]);
    expectValidResult(result);
  });

  it('takes the .crs as the AICC descriptor, and skips AppleDouble "._" files beside it', async () => {
    const entries = aiccEntries().map((e) => ({ ...e, name: e.name.replace(/^course\.(au|des|cst)$/, 'aa.$1') }));
    const file = await zipOf([
      ...entries,
      { name: '._course.crs', data: Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]) },
      { name: 'fire/index.html', data: lessonHtml('Fire Safety') },
      { name: 'first-aid/index.html', data: lessonHtml('First Aid') },
      { name: 'quiz/index.html', data: lessonHtml('Safety Quiz') },
    ]);
    const result = await extractPackage(file);
    expect(result.package.manifest_path).toBe('course.crs');
    expect(result.package.title).toBe('Safety at Work');
  });

  it('reads an AICC course: .crs facts, .au launches, .des titles and the .cst block tree', async () => {
    const file = await zipOf([
      ...aiccEntries(),
      { name: 'fire/index.html', data: lessonHtml('Fire Safety') },
      { name: 'first-aid/index.html', data: lessonHtml('First Aid') },
      { name: 'quiz/index.html', data: lessonHtml('Safety Quiz') },
    ]);
    const result = await extractPackage(file);
    expect(result.package).toStrictEqual({
      standard: 'aicc',
      version: 'AICC 3.5',
      tool: null,
      title: 'Safety at Work',
      titles: [{ language: null, value: 'Safety at Work' }],
      description: 'How to stay safe at work.',
      language: null,
      identifier: 'SAFETY101',
      keywords: [],
      typical_learning_time: null,
      root: '',
      manifest_path: 'course.crs',
      ...fileFacts(file),
      entry_count: 7,
    });
    expect(result.default_organization).toBe('SAFETY101');
    expect(result.organizations).toStrictEqual([
      {
        identifier: 'SAFETY101',
        title: 'Safety at Work',
        items: [
          item({
            identifier: 'B1',
            title: 'The Basics',
            children: [
              item({ identifier: 'A1', title: 'Fire Safety', launch: 'fire/index.html' }),
              item({ identifier: 'A2', title: 'First Aid', launch: 'first-aid/index.html' }),
            ],
          }),
          item({
            identifier: 'A3',
            title: 'Safety Quiz',
            launch: 'quiz/index.html',
            mastery_score: 80,
            time_limit: '00:20:00',
            data_from_lms: 'level=hard',
          }),
        ],
        sequencing: null,
      },
    ]);
    expect(result.pages.map((p) => [p.item_id, p.source])).toEqual([
      ['A1', 'fire/index.html'],
      ['A2', 'first-aid/index.html'],
      ['A3', 'quiz/index.html'],
    ]);
    // course.au is the AU table, not a sound.
    expect(result.media).toEqual([]);
    expect(result.statistics).toStrictEqual({
      items: 4,
      launchable_items: 3,
      resources: 0,
      pages: 3,
      words: 18,
      questions: 0,
      media: 0,
      reading_time_minutes: 1,
    });
    expect(result.warnings).toEqual([]);
    expectValidResult(result);
  });

  it.each([
    ['an empty Course_Title', AICC_FILES.crs.replace('Course_Title=Safety at Work', 'Course_Title='), 'Course_Title', 'aicc_crs_invalid'],
    ['no [Course] section', AICC_FILES.crs.replace('[Course]\r\n', '[Settings]\r\n'), '[Course]', 'aicc_crs_invalid'],
    ['text before any section', `Safety course\r\n${AICC_FILES.crs}`, 'line 1', 'aicc_crs_invalid'],
    ['a line that is not key=value', AICC_FILES.crs.replace('Level=1', 'Level 1'), 'Line 6', 'aicc_crs_invalid'],
  ])('refuses an AICC course whose .crs has %s', async (_label, crs, detail, code) => {
    const entries = aiccEntries('', ['au', 'des', 'cst']);
    const error = await extractionFailure(await zipOf([{ name: 'course.crs', data: crs }, ...entries, { name: 'index.html', data: '<html/>' }]));
    expect(error.code).toBe(code);
    expect(error.message).toContain(detail);
  });

  it('refuses an AICC .au row without a System_ID', async () => {
    const au = AICC_FILES.au.replace('"A2","lesson"', '"","lesson"');
    const error = await extractionFailure(await zipOf([...aiccEntries('', ['crs', 'des', 'cst']), { name: 'course.au', data: au }]));
    expect(error.code).toBe('aicc_au_invalid');
  });

  it('keeps every prerequisite row the .pre gives an AU: all of them must hold', async () => {
    const pre = '"Structure_Element","Prerequisite"\r\n"A3","A1"\r\n"A3","A2"\r\n"A2","A1"\r\n';
    const lessons = ['fire', 'first-aid', 'quiz'].map((folder) => ({ name: `${folder}/index.html`, data: lessonHtml(folder) }));
    const result = await extractPackage(await zipOf([...aiccEntries(), { name: 'course.pre', data: pre }, ...lessons]));
    const prerequisites = Object.fromEntries(flatten(result.organizations[0]!.items).map((i) => [i.identifier, i.prerequisites]));
    expect(prerequisites).toMatchObject({ A2: 'A1', A3: '(A1)&(A2)' });
  });

  it.each<[string, ZipEntrySpec[], string]>([
    ['only a .crs', aiccEntries('', ['crs']), '.au, .des'],
    ['only a .des', aiccEntries('', ['des']), '.crs, .au'],
    ['only a .cst', aiccEntries('', ['cst']), '.crs, .au, .des'],
    ['no .des', aiccEntries('', ['crs', 'au', 'cst']), '.des'],
    [
      'its .au in another folder',
      [...aiccEntries('', ['crs', 'des', 'cst']), { name: 'units/course.au', data: AICC_FILES.au }],
      '.au',
    ],
    ['only a .crs, in a folder', aiccEntries('course/', ['crs']), '.au, .des'],
  ])('fails with aicc_incomplete for an AICC course with %s', async (_label, entries, missing) => {
    const error = await extractionFailure(await zipOf([...entries, { name: 'index.html', data: '<html/>' }]));
    expect(error.code).toBe('aicc_incomplete');
    expect(error.message).toContain(`lacks its ${missing} file`);
  });

  const NOT_READ = 'Not XML: a deeper or lower-ranked descriptor must not be read.';
  it.each<[string, ZipEntrySpec[], string, string]>([
    [
      'a root cmi5.xml over a nested imsmanifest.xml',
      [{ name: 'scorm/imsmanifest.xml', data: NOT_READ }, { name: 'cmi5.xml', data: CMI5_XML }],
      'cmi5',
      'cmi5.xml',
    ],
    [
      'a root tincan.xml over a nested imsmanifest.xml and cmi5.xml',
      [
        { name: 'a/imsmanifest.xml', data: NOT_READ },
        { name: 'a/cmi5.xml', data: NOT_READ },
        { name: 'tincan.xml', data: TINCAN_XML },
      ],
      'xapi',
      'tincan.xml',
    ],
    [
      'a root AICC course over a nested imsmanifest.xml',
      [{ name: 'old/imsmanifest.xml', data: NOT_READ }, ...aiccEntries()],
      'aicc',
      'course.crs',
    ],
    [
      'imsmanifest.xml over cmi5.xml, tincan.xml and an AICC course beside it',
      [
        { name: 'course.crs', data: NOT_READ },
        { name: 'tincan.xml', data: NOT_READ },
        { name: 'cmi5.xml', data: NOT_READ },
        { name: 'imsmanifest.xml', data: manifestXml() },
      ],
      'scorm',
      'imsmanifest.xml',
    ],
    [
      'cmi5.xml over tincan.xml and an AICC course beside it',
      [{ name: 'course.des', data: NOT_READ }, { name: 'tincan.xml', data: NOT_READ }, { name: 'cmi5.xml', data: CMI5_XML }],
      'cmi5',
      'cmi5.xml',
    ],
    [
      'tincan.xml over an AICC course beside it',
      [{ name: 'course.cst', data: NOT_READ }, { name: 'tincan.xml', data: TINCAN_XML }],
      'xapi',
      'tincan.xml',
    ],
    [
      "a wrapper folder's cmi5.xml over its tincan.xml and a deeper imsmanifest.xml",
      [
        { name: 'pkg/v1/imsmanifest.xml', data: NOT_READ },
        { name: 'pkg/tincan.xml', data: NOT_READ },
        { name: 'pkg/cmi5.xml', data: CMI5_XML },
      ],
      'cmi5',
      'pkg/cmi5.xml',
    ],
  ])('takes the root-most descriptor (at one depth SCORM, cmi5, xAPI, AICC): %s', async (_label, entries, standard, descriptor) => {
    // A cmi5 course is read only with the files its AUs launch.
    const folder = descriptor.slice(0, descriptor.lastIndexOf('/') + 1);
    const launched = standard === 'cmi5' ? ['fire', 'quiz'].map((au) => ({ name: `${folder}${au}/index.html`, data: lessonHtml(au) })) : [];
    const result = await extractPackage(await zipOf([...entries, ...launched]));
    expect(result.package.standard).toBe(standard);
    expect(result.package.manifest_path).toBe(descriptor);
    expect(result.package.root).toBe(descriptor.slice(0, descriptor.lastIndexOf('/') + 1));
  });
});

describe('extractPackage results follow the published format', () => {
  it('gives for a minimal SCORM 1.2 package a whole result the JSON Schema accepts', async () => {
    const result = await extractPackage(await packageWith(manifestXml()));
    expectValidResult(result);
    // The schema is not vacuous: undefined for null, unknown fields and another version are refused.
    expect(validateResult({ ...result, default_organization: undefined })).toBe(false);
    expect(validateResult({ ...result, package: { ...result.package, title: undefined } })).toBe(false);
    expect(validateResult({ ...result, statistics: { ...result.statistics, sections: 0 } })).toBe(false);
    expect(validateResult({ ...result, format_version: '0.1' })).toBe(false);
  });

  it('names the standard once in the Markdown, with its version', async () => {
    const lessons = (names: string[]) => names.map((name) => ({ name: `${name}/index.html`, data: lessonHtml(name) }));
    const standardLine = async (entries: ZipEntrySpec[]) =>
      resultToMarkdown(await extractPackage(await zipOf(entries))).split('\n').find((line) => line.startsWith('- Standard:'));
    expect(await standardLine([{ name: 'cmi5.xml', data: CMI5_XML }, ...lessons(['fire', 'quiz'])])).toBe('- Standard: cmi5');
    expect(await standardLine([...aiccEntries(), ...lessons(['fire', 'first-aid', 'quiz'])])).toBe('- Standard: AICC 3.5');
    expect(await standardLine([{ name: 'imsmanifest.xml', data: manifestXml() }, { name: 'index.html', data: '<html/>' }])).toBe('- Standard: SCORM 1.2');
  });

  it('lists course media, not the icons a page gives the browser', async () => {
    const png = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
    const file = await packageWith(manifestXml(), [
      { name: 'favicon.ico', data: png },
      { name: 'assets/apple-touch-icon-180x180.png', data: png },
      { name: 'assets/android-chrome-192x192.png', data: png },
      { name: 'assets/mstile-150x150.png', data: png },
      { name: 'img/diagram.png', data: png },
    ]);
    const result = await extractPackage(file);
    expect(result.media.map((m) => m.path)).toEqual(['img/diagram.png']);
  });

  it('gives a result the JSON Schema accepts for a SCORM 1.2 package with pages, media, chunks and warnings', async () => {
    const resources =
      '<resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="index.html">' +
      '<file href="index.html"/><file href="img/diagram.png"/><file href="handout.pdf"/></resource>';
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: manifestXml({ resources }) },
      {
        name: 'index.html',
        data:
          '<html><head><title>Lesson One</title></head><body><h1>Welcome</h1><p>Read this first.</p>' +
          '<img src="img/diagram.png" alt="A diagram"><ul><li>One</li><li>Two</li></ul></body></html>',
      },
      { name: 'img/diagram.png', data: Buffer.from('89504e470d0a1a0a', 'hex') },
    ]);
    const result = await extractPackage(file);
    expect(result.pages).toHaveLength(1);
    expect(result.chunks).toHaveLength(1);
    expect(result.media.map((m) => [m.path, m.missing])).toEqual([
      ['img/diagram.png', false],
      ['handout.pdf', true],
    ]);
    expect(result.warnings).toEqual([{ code: 'file_missing', message: expect.any(String), path: 'handout.pdf' }]);
    expectValidResult(result);
  });
});

describe('extractPackage reads the text of the pages', () => {
  it('leaves out what a player says about its own controls, and never reads a bundled player script as pages', async () => {
    const page = '<html><head><script src="dist/main.chunk.js"></script></head><body><p>(click or tap here to play and pause the video)</p>' +
      '<p>Play/Pause Button</p><p>Next Button</p><p>Volume Control</p><p>Press the red button to stop the conveyor belt.</p></body></html>';
    const chunk =
      'var slideRef={title:"Slide reference",description:"Schema for a reference to a slide, as the player stores it."},' +
      'quiz={title:"Quiz settings",description:"How many attempts a learner gets before the quiz locks."};';
    const result = await extractPackage(await zipOf([
      { name: 'imsmanifest.xml', data: manifestXml() },
      { name: 'index.html', data: page },
      { name: 'dist/main.chunk.js', data: chunk },
    ]));
    expect(result.pages.map((p) => p.text)).toStrictEqual(['Press the red button to stop the conveyor belt.']);
  });

  it('reads in linear time a page, a description and captions full of tags left open', async () => {
    // Each `<script` or `<a` left open once made a search scan to the end again: minutes for these.
    const description = `<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><description><string>Rules${'&lt;a'.repeat(400_000)}</string></description></general></lom>`;
    const result = await extractPackage(
      await zipOf([
        { name: 'imsmanifest.xml', data: manifestXml({ metadata: `<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>${description}</metadata>` }) },
        { name: 'index.html', data: `<html><body><p>Read the safety rules.</p>${'<script>'.repeat(100_000)}</body></html>` },
        { name: 'media/Drill.mp4', data: Buffer.alloc(64) },
        { name: 'media/Drill.vtt', data: `WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nLeave now ${'<a'.repeat(400_000)}\n` },
      ]),
    );
    expect(result.package.description).toMatch(/^Rules<a<a/);
    expect(result.pages.find((p) => p.source === 'index.html')?.text).toBe('Read the safety rules.');
    expect(result.pages.find((p) => p.kind === 'transcript')?.text).toMatch(/^Leave now <a<a/);
  });

  it('reads in linear time a page of 300,000 elements left open, all its text kept', async () => {
    // The parser's work at each tag grew with the elements left open: minutes for this page.
    const steps = Array.from({ length: 150_000 }, (_v, i) => `<div><b>Step ${i + 1}`).join('');
    const result = await extractPackage(
      await zipOf([
        { name: 'imsmanifest.xml', data: manifestXml() },
        { name: 'index.html', data: `<html><body>${steps}</body></html>` },
      ]),
    );
    const text = result.pages.find((p) => p.source === 'index.html')?.text ?? '';
    expect(text.startsWith('Step 1\n\nStep 2')).toBe(true);
    expect(text.endsWith('Step 150000')).toBe(true);
  });

  it('reads a page a tool decodes as a DOM (eXeLearning) with 100,000 elements left open, without overflowing the stack', async () => {
    const nested = '<div><span>Deep'.repeat(50_000);
    const page = `<html><head><meta name="generator" content="eXeLearning 2.6"></head><body><div id="main"><div class="iDevice_wrapper"><p>Wash your hands.</p>${nested}</div></div></body></html>`;
    const result = await extractPackage(
      await zipOf([
        { name: 'imsmanifest.xml', data: manifestXml() },
        { name: 'index.html', data: page },
      ]),
    );
    expect(result.package.tool?.name).toBe('eXeLearning');
    expect(result.pages[0]?.text).toMatch(/^Wash your hands\./);
  }, 120_000);

  it('fails with package_too_deep on tool data nested deeper than its reader recurses (Adapt menus 100,000 deep)', async () => {
    const menus = Array.from({ length: 100_000 }, (_v, i) => ({ _id: `m${i}`, _parentId: i === 0 ? 'course' : `m${i - 1}`, _type: 'menu', title: `Menu ${i}` }));
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: manifestXml() },
      { name: 'index.html', data: '<html><body>Adapt</body></html>' },
      { name: 'adapt/js/build.js', data: '{}' },
      { name: 'course/en/course.json', data: JSON.stringify({ _id: 'course', _type: 'course', title: 'Deep' }) },
      { name: 'course/en/contentObjects.json', data: JSON.stringify(menus), deflate: true },
    ]);
    expect((await extractionFailure(file)).code).toBe('package_too_deep');
  }, 60_000);

  it('titles a transcript by what its media is called, never by a bare file name', async () => {
    const vtt = (line: string) => `WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n${line}\n`;
    const result = await extractPackage(
      await packageWith(manifestXml(), [
        { name: 'media/Fire_Drill.mp4', data: Buffer.alloc(64) },
        { name: 'media/Fire_Drill.vtt', data: vtt('Leave by the nearest marked exit.') },
        { name: 'media/0042.mp3', data: Buffer.alloc(64) },
        { name: 'media/0042.vtt', data: vtt('Count your team at the assembly point.') },
      ]),
    );
    expect(result.pages.filter((p) => p.kind === 'transcript').map((p) => [p.title, p.text])).toStrictEqual([
      ['Transcript: Fire Drill', 'Leave by the nearest marked exit.'],
      ['Transcript', 'Count your team at the assembly point.'],
    ]);
  });

  describe('the course language', () => {
    const RUSSIAN =
      'Этот курс рассказывает о безопасности на рабочем месте. Вы узнаете, как действовать при пожаре, ' +
      'как быстро покинуть здание и как оказать первую помощь коллегам, которые получили травму. В конце курса вас ждёт короткий тест.';
    const GERMAN =
      'Dieser Kurs erklärt die Sicherheit am Arbeitsplatz. Sie lernen, wie Sie bei einem Brand richtig handeln, ' +
      'wie Sie das Gebäude schnell verlassen und wie Sie verletzten Kollegen Erste Hilfe leisten. Am Ende wartet ein kurzer Test auf Sie.';
    const ENGLISH =
      'This course explains safety at work. You will learn how to act when a fire starts, how to leave the building ' +
      'quickly and how to give first aid to colleagues who have been injured. A short quiz waits for you at the end of the course.';
    const languageOf = async (declared: string | null, text: string) => {
      const metadata = `<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>${
        declared ? `<lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general><language>${declared}</language></general></lom>` : ''
      }</metadata>`;
      const file = await zipOf([
        { name: 'imsmanifest.xml', data: manifestXml({ metadata }) },
        { name: 'index.html', data: `<html><body><p>${text}</p></body></html>` },
      ]);
      return (await extractPackage(file)).package.language;
    };

    it('is the one the package declares when its text reads so', async () => {
      expect(await languageOf('de-DE', GERMAN)).toBe('de-DE');
      expect(await languageOf('en', ENGLISH)).toBe('en');
    });

    it('is the one the text is written in when the package declares a tool default that the text is not', async () => {
      expect(await languageOf('en-US', RUSSIAN)).toBe('ru');
      expect(await languageOf('en', GERMAN)).toBe('de');
    });

    it('is read from the text when the package declares none, and left as declared when there is too little text to judge', async () => {
      expect(await languageOf(null, RUSSIAN)).toBe('ru');
      expect(await languageOf('en-US', 'Привет!')).toBe('en-US');
      expect(await languageOf(null, 'Hi.')).toBeNull();
    });
  });

  it('leaves out a description the tool wrote in place of the author\'s', async () => {
    const described = async (description: string) => {
      const metadata =
        '<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion><lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">' +
        `<general><description><langstring>${description}</langstring></description></general></lom></metadata>`;
      return (await extractPackage(await packageWith(manifestXml({ metadata })))).package.description;
    };
    expect(await described('Course Description.')).toBeNull();
    expect(await described('Description')).toBeNull();
    expect(await described('How to describe a fire to the emergency services.')).toBe('How to describe a fire to the emergency services.');
    expect(await described('Two lines.&amp;#xA;&amp;#xA;Read both.')).toBe('Two lines. Read both.');
    expect(await described('&lt;p&gt;Know your &lt;a href="exits.html"&gt;exits&lt;/a&gt; &amp;amp; alarms.&lt;/p&gt;')).toBe('Know your exits & alarms.');
  });

  it('titles a page by the menu item that launches it when the page has no title of its own, never by its file path', async () => {
    const items =
      '<item identifier="i_fire" identifierref="r_fire"><title>Fire drills</title></item>' +
      '<item identifier="i_aid" identifierref="r_aid"><title>First aid kits</title></item>';
    const resources = ['fire', 'aid']
      .map((name) => `<resource identifier="r_${name}" type="webcontent" adlcp:scormtype="sco" href="lessons/${name}.html"><file href="lessons/${name}.html"/></resource>`)
      .join('');
    const untitled = (text: string) => `<html><head><title>lessons/page.html</title></head><body><p>${text}</p></body></html>`;
    const result = await extractPackage(
      await packageWith(manifestXml({ items, resources }), [
        { name: 'lessons/fire.html', data: untitled('Walk, do not run, to the assembly point.') },
        { name: 'lessons/aid.html', data: untitled('Check the kit every month and restock it.') },
      ]),
    );
    expect(result.pages.map((p) => [p.title, p.text])).toStrictEqual([
      ['Fire drills', 'Walk, do not run, to the assembly point.'],
      ['First aid kits', 'Check the kit every month and restock it.'],
    ]);
  });

  it('turns a page with headings, lists, an image and a table into blocks, plain text and Markdown', async () => {
    const resources =
      '<resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="lesson/index.html">' +
      '<file href="lesson/index.html"/><file href="lesson/img/exit.png"/></resource>';
    const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fire Safety Basics</title>
<style>body { color: red; }</style><script>var hidden = "Never shown to a learner";</script></head>
<body>
  <h1>Fire Safety</h1>
  <p>Fires spread <strong>fast</strong>: act&nbsp;quickly &amp; <em>calmly</em>.<br>Never use a lift.</p>
  <h2>Steps to follow</h2>
  <ol>
    <li>Raise the <em>alarm</em></li>
    <li><p>Leave the building</p></li>
    <li>Call 112</li>
  </ol>
  <img src="img/exit.png" alt="Green exit sign">
  <h3>Kinds of extinguisher</h3>
  <ul><li>Water</li><li>Foam *and* powder</li></ul>
  <table>
    <thead><tr><th>Class</th><th>Fuel</th></tr></thead>
    <tbody>
      <tr><td>A</td><td>Wood, paper</td></tr>
      <tr><td>B</td><td>Flammable | liquids</td></tr>
    </tbody>
  </table>
  <p>112. That is the number to call [free of charge].</p>
</body></html>`;
    const file = await zipOf([
      { name: 'imsmanifest.xml', data: manifestXml({ resources }) },
      { name: 'lesson/index.html', data: html },
      { name: 'lesson/img/exit.png', data: Buffer.from('89504e470d0a1a0a', 'hex') },
    ]);
    const result = await extractPackage(file);
    const text = [
      'Fire Safety',
      'Fires spread fast: act quickly & calmly. Never use a lift.',
      'Steps to follow',
      'Raise the alarm\nLeave the building\nCall 112',
      '[Image: Green exit sign]',
      'Kinds of extinguisher',
      'Water\nFoam *and* powder',
      'Class | Fuel\nA | Wood, paper\nB | Flammable | liquids',
      '112. That is the number to call [free of charge].',
    ].join('\n\n');
    expect(result.pages).toStrictEqual([
      {
        id: expect.any(String),
        item_id: 'item_1',
        title: 'Fire Safety Basics',
        kind: 'page',
        source: 'lesson/index.html',
        page_number: null,
        blocks: [
          { type: 'heading', level: 1, text: 'Fire Safety' },
          { type: 'paragraph', text: 'Fires spread fast: act quickly & calmly. Never use a lift.' },
          { type: 'heading', level: 2, text: 'Steps to follow' },
          { type: 'list', ordered: true, items: ['Raise the alarm', 'Leave the building', 'Call 112'] },
          { type: 'image', alt: 'Green exit sign', src: 'lesson/img/exit.png' },
          { type: 'heading', level: 3, text: 'Kinds of extinguisher' },
          { type: 'list', ordered: false, items: ['Water', 'Foam *and* powder'] },
          {
            type: 'table',
            rows: [
              ['Class', 'Fuel'],
              ['A', 'Wood, paper'],
              ['B', 'Flammable | liquids'],
            ],
          },
          { type: 'paragraph', text: '112. That is the number to call [free of charge].' },
        ],
        text,
        markdown: [
          '# Fire Safety Basics',
          '## Fire Safety',
          'Fires spread fast: act quickly & calmly. Never use a lift.',
          '### Steps to follow',
          '1. Raise the alarm\n2. Leave the building\n3. Call 112',
          '![Green exit sign](lesson/img/exit.png)',
          '#### Kinds of extinguisher',
          '- Water\n- Foam \\*and\\* powder',
          '| Class | Fuel |\n| - | - |\n| A | Wood, paper |\n| B | Flammable \\| liquids |',
          '112\\. That is the number to call \\[free of charge].',
        ].join('\n\n'),
        word_count: 51,
      },
    ]);
    const page = result.pages[0]!;
    expect(result.chunks).toStrictEqual([
      {
        id: expect.any(String),
        page_id: page.id,
        page_ids: [page.id],
        assessment_id: null,
        item_id: 'item_1',
        title: 'Fire Safety Basics › Fire Safety',
        text,
        token_estimate: estimateTokens(text),
      },
    ]);
    expect(result.media).toStrictEqual([
      {
        path: 'lesson/img/exit.png',
        kind: 'image',
        mime: 'image/png',
        size_bytes: 8,
        missing: false,
        alt_text: 'Green exit sign',
        duration_seconds: null,
        transcripts: [],
      },
    ]);
    expect(result.statistics).toStrictEqual({
      items: 1,
      launchable_items: 1,
      resources: 1,
      pages: 1,
      words: 51,
      questions: 0,
      media: 1,
      reading_time_minutes: 1,
    });
    expect(result.warnings).toEqual([]);
  });
});

const VOCABULARY = (
  'fire alarm exit route stairs smoke door extinguisher water foam powder blanket warden assembly point ' +
  'register floor plan hazard oxygen fuel heat spark wiring cable kitchen storage corridor signage drill'
).split(' ');

/** Sentence n of some deterministic prose: always the same, and never the same as another. */
function sentence(n: number): string {
  const words = Array.from({ length: 8 + (n % 9) }, (_v, i) => VOCABULARY[(n * 7 + i * 3) % VOCABULARY.length] ?? '');
  return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())} in case ${n}.`;
}

/** Lines and sentences of a text, the pieces no chunking may cut. */
const fragments = (text: string) =>
  text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A SCORM 1.2 course of several thousand words: "fire" launches three linked pages (the first with
 * a paragraph longer than any chunk), "evacuation" one long page, "summary" two short linked pages
 * and "contacts" one short page.
 */
async function longCourse(): Promise<string> {
  let next = 0;
  const prose = (sentences: number) => Array.from({ length: sentences }, () => sentence(next++)).join(' ');
  const page = (title: string, parts: number, link?: string, intro = '') => {
    let body = `<h1>${title}</h1>${intro}`;
    for (let part = 1; part <= parts; part++) {
      body += `<h2>${title}, part ${part}</h2><p>${prose(6)}</p><p>${prose(9)}</p>`;
      body += `<ul><li>${prose(1)}</li><li>${prose(1)}</li></ul>`;
    }
    if (link) body += `<p><a href="${link}">Read on</a></p>`;
    return `<html><head><title>${title}</title></head><body>${body}</body></html>`;
  };
  const pages: [string, string][] = [
    ['fire/p1.html', page('Fire', 12, 'p2.html', `<p>${prose(50)}</p>`)],
    ['fire/p2.html', page('Fire, continued', 3, 'p3.html')],
    ['fire/p3.html', page('Fire, the end', 1)],
    ['evacuation/p1.html', page('Evacuation', 10)],
    ['summary/p1.html', `<h1>Summary</h1><p>${prose(2)}</p><p><a href="p2.html">More of the summary</a></p>`],
    ['summary/p2.html', `<h1>Summary, continued</h1><p>${prose(2)}</p>`],
    ['contacts/p1.html', `<h1>Contacts</h1><p>${prose(2)}</p>`],
  ];
  const itemIds = ['fire', 'evacuation', 'summary', 'contacts'];
  const items = itemIds.map((id) => `<item identifier="${id}" identifierref="r_${id}"><title>${id}</title></item>`).join('');
  const resources = itemIds
    .map((id) => {
      const files = pages.filter(([name]) => name.startsWith(`${id}/`)).map(([name]) => `<file href="${name}"/>`);
      const open = `<resource identifier="r_${id}" type="webcontent" adlcp:scormtype="sco" href="${id}/p1.html">`;
      return `${open}${files.join('')}</resource>`;
    })
    .join('');
  return zipOf([
    { name: 'imsmanifest.xml', data: manifestXml({ items, resources }), deflate: true },
    ...pages.map(([name, data]) => ({ name, data, deflate: true })),
  ]);
}

describe('extractPackage cuts the text into retrieval chunks', () => {
  let file: string;
  let result: ExtractionResult;

  beforeAll(async () => {
    file = await longCourse();
    result = await extractPackage(file);
  });

  it('reads the long course as its pages, in reading order', () => {
    expect(result.warnings).toEqual([]);
    expect(result.pages.map((p) => [p.item_id, p.source])).toEqual([
      ['fire', 'fire/p1.html'],
      ['fire', 'fire/p2.html'],
      ['fire', 'fire/p3.html'],
      ['evacuation', 'evacuation/p1.html'],
      ['summary', 'summary/p1.html'],
      ['summary', 'summary/p2.html'],
      ['contacts', 'contacts/p1.html'],
    ]);
    expect(result.statistics.words).toBeGreaterThan(5000);
    // A paragraph longer than the largest chunk, which chunking has to split.
    expect(result.pages[0]?.blocks.some((b) => b.type === 'paragraph' && estimateTokens(b.text) > 800)).toBe(true);
  });

  it('makes chunks of 300 to 800 tokens, only the last one of an item being shorter', () => {
    expect(result.chunks.length).toBeGreaterThan(15);
    const lastOfItem = new Set(
      ['fire', 'evacuation', 'summary', 'contacts'].map((id) => result.chunks.filter((c) => c.item_id === id).at(-1)),
    );
    for (const chunk of result.chunks) {
      expect(chunk.token_estimate, chunk.id).toBe(estimateTokens(chunk.text));
      expect(chunk.token_estimate, chunk.id).toBeLessThanOrEqual(800);
      if (!lastOfItem.has(chunk)) expect(chunk.token_estimate, chunk.id).toBeGreaterThanOrEqual(300);
    }
  });

  it('covers every sentence of every page, and holds nothing but text of its own pages', () => {
    const pageById = new Map(result.pages.map((p) => [p.id, p]));
    const uncovered = result.pages.flatMap((page) => {
      const texts = result.chunks.filter((c) => c.page_ids.includes(page.id)).map((c) => c.text);
      return fragments(page.text)
        .filter((fragment) => !texts.some((t) => t.includes(fragment)))
        .map((fragment) => `${page.source}: ${fragment}`);
    });
    expect(uncovered).toEqual([]);
    const foreign = result.chunks.flatMap((chunk) => {
      const texts = chunk.page_ids.map((id) => pageById.get(id)?.text ?? '');
      return fragments(chunk.text)
        .filter((fragment) => !texts.some((t) => t.includes(fragment)))
        .map((fragment) => `${chunk.id}: ${fragment}`);
    });
    expect(foreign).toEqual([]);
  });

  it('never joins pages of different items, but joins the short pages of one item', () => {
    const pageById = new Map(result.pages.map((p) => [p.id, p]));
    for (const chunk of result.chunks) {
      expect(chunk.page_id, chunk.id).toBe(chunk.page_ids[0]);
      expect(
        chunk.page_ids.map((id) => pageById.get(id)?.item_id),
        chunk.id,
      ).toEqual(chunk.page_ids.map(() => chunk.item_id));
    }
    // In reading order: the pages chunk after chunk never go back.
    const order = new Map(result.pages.map((p, index) => [p.id, index]));
    const positions = result.chunks.flatMap((c) => c.page_ids.map((id) => order.get(id) ?? -1));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect([...new Set(result.chunks.map((c) => c.item_id))]).toEqual(['fire', 'evacuation', 'summary', 'contacts']);
    const idsOf = (...sources: string[]) => sources.map((s) => result.pages.find((p) => p.source === s)?.id);
    expect(result.chunks.filter((c) => c.item_id === 'summary').map((c) => c.page_ids)).toEqual([
      idsOf('summary/p1.html', 'summary/p2.html'),
    ]);
    expect(result.chunks.filter((c) => c.item_id === 'contacts').map((c) => c.page_ids)).toEqual([idsOf('contacts/p1.html')]);
  });

  it('gives chunks unique ids that stay the same when the same package is extracted again', async () => {
    const ids = result.chunks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const again = await extractPackage(file);
    expect(again.chunks).toStrictEqual(result.chunks);
    const copy = path.join(dir, 'long-course-copy.zip');
    fs.copyFileSync(file, copy);
    expect((await extractPackage(copy)).chunks.map((c) => c.id)).toEqual(ids);
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultArchiveLimits } from '../../src/extraction/archive/zip-archive.js';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import type { ExtractionResult, Item } from '../../src/extraction/result/extraction-result.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { writeZip, type ZipEntrySpec } from '../support/zip-writer.js';

let dir: string;
let counter = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorm-lens-extract-'));
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
  return items.flatMap((item) => [item, ...flatten(item.children)]);
}

const titles = (result: ExtractionResult) => flatten(result.organizations[0]?.items ?? []).map((i) => i.title);
const warningCodes = (result: ExtractionResult) => result.warnings.map((w) => w.code);

describe('extractPackage on a well-formed synthetic package', () => {
  it('describes a minimal SCORM 1.2 package completely', async () => {
    const file = await packageWith(manifestXml());
    const bytes = fs.readFileSync(file);
    const result = await extractPackage(file);
    expect(result).toEqual({
      format_version: '0.1',
      package: {
        standard: 'scorm',
        version: '1.2',
        identifier: 'com.example.course',
        title: 'Example Course',
        root: '',
        manifest_path: 'imsmanifest.xml',
        size_bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        entry_count: 2,
      },
      default_organization: 'org_1',
      organizations: [
        {
          identifier: 'org_1',
          title: 'Example Course',
          items: [
            {
              identifier: 'item_1',
              title: 'Lesson One',
              identifierref: 'res_1',
              launch: 'index.html',
              parameters: undefined,
              visible: true,
              children: [],
            },
          ],
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
      statistics: { items: 1, launchable_items: 1, resources: 1 },
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
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Full Version');
    expect(result.default_organization).toBe('full');
    expect(result.organizations.map((o) => o.identifier)).toEqual(['short', 'full']);
    expect(result.statistics).toEqual({ items: 3, launchable_items: 2, resources: 2 });
    const lessonB = flatten(result.organizations[1]?.items ?? []).find((i) => i.identifier === 'f3');
    expect(lessonB).toMatchObject({ title: 'Lesson B', launch: 'b.html', parameters: '?page=2', visible: false });
    expect(result.resources.map((r) => r.scorm_type)).toEqual(['sco', 'asset']);
  });

  it('falls back on the LOM title when the organization has none', async () => {
    const xml =
      `<?xml version="1.0"?>\n${SCORM2004_4TH_OPEN}<metadata><schema>ADL SCORM</schema>` +
      '<schemaversion>2004 4th Edition</schemaversion><lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>' +
      '<title><string language="en-US">Course From Metadata</string><string language="es">Curso</string></title>' +
      '</general></lom></metadata><organizations default="o"><organization identifier="o">' +
      '<item identifier="i" identifierref="r"><title>Lesson</title></item></organization></organizations>' +
      '<resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html"/></resources>' +
      '</manifest>';
    const result = await extractPackage(await packageWith(xml));
    expect(result.package.title).toBe('Course From Metadata');
    expect(result.package.version).toBe('2004 4th Edition');
    expect(result.resources[0]?.scorm_type).toBe('sco');
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
    ]);
    const result = await extractPackage(file);
    expect(result.package.manifest_path).toBe('wrapper/imsmanifest.xml');
    expect(result.package.root).toBe('wrapper/');
    expect(result.package.title).toBe('The Course');
  });

  it('prefers a root manifest over nested ones and then gives no warning', async () => {
    const file = await zipOf([
      { name: 'nested/imsmanifest.xml', data: manifestXml({ title: 'Nested Copy' }) },
      { name: 'IMSMANIFEST.XML', data: manifestXml({ title: 'Root Course' }) },
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

  it.each([
    ['cmi5', 'cmi5.xml', 'cmi5'],
    ['cmi5 in a folder', 'course/cmi5.xml', 'cmi5'],
    ['xAPI', 'tincan.xml', 'xAPI'],
    ['AICC (.crs)', 'course.crs', 'AICC'],
    ['AICC (.des)', 'course.des', 'AICC'],
    ['AICC (.cst)', 'course.cst', 'AICC'],
  ])('recognises a %s package and fails with standard_not_supported', async (_label, name, standard) => {
    const file = await zipOf([
      { name, data: '<courseStructure/>' },
      { name: 'index.html', data: '<html/>' },
    ]);
    const error = await extractionFailure(file);
    expect(error.code).toBe('standard_not_supported');
    expect(error.message).toContain(standard);
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
    expect(lessonTwo).toMatchObject({ identifier: 'item_2', identifierref: 'res_missing', launch: undefined });
    expect(result.statistics).toEqual({ items: 2, launchable_items: 1, resources: 1 });
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
    expect(result.resources).toEqual([
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
        href: undefined,
        files: ['content/shared/common.js'],
        dependencies: [],
      },
    ]);
    expect(result.organizations[0]?.items.map((i) => i.launch)).toEqual([
      'content/sco1/index.html',
      'content/sco2/start.html?x=1',
      'https://cdn.example.com/v.mp4',
    ]);
  });

  it('joins xml:base of <manifest> before those of <resources>', async () => {
    const xml = manifestXml().replace(SCORM12_OPEN, SCORM12_OPEN.replace('<manifest ', '<manifest xml:base="course/" '));
    const result = await extractPackage(await packageWith(xml));
    expect(result.resources[0]?.href).toBe('course/index.html');
    expect(result.organizations[0]?.items[0]?.launch).toBe('course/index.html');
  });

  it('lists resource dependencies', async () => {
    const resources =
      '<resource identifier="res_1" type="webcontent" adlcp:scormtype="sco" href="index.html">' +
      '<file href="index.html"/><dependency identifierref="common"/><dependency identifierref="media"/></resource>' +
      '<resource identifier="common" type="webcontent" adlcp:scormtype="asset"><file href="c.js"/></resource>' +
      '<resource identifier="media" type="webcontent" adlcp:scormtype="asset"><file href="m.mp3"/></resource>';
    const result = await extractPackage(await packageWith(manifestXml({ resources })));
    expect(result.resources[0]?.dependencies).toEqual(['common', 'media']);
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 3 });
  });

  it('warns when the manifest defines no organization', async () => {
    const xml =
      `<?xml version="1.0"?>\n${SCORM12_OPEN}<organizations/>` +
      '<resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>' +
      '</manifest>';
    const result = await extractPackage(await packageWith(xml));
    expect(result.warnings).toEqual([{ code: 'no_organization', message: expect.any(String) }]);
    expect(result.organizations).toEqual([]);
    expect(result.default_organization).toBeUndefined();
    expect(result.statistics).toEqual({ items: 0, launchable_items: 0, resources: 1 });
  });
});

describe.skipIf(!haveFixtures)('extractPackage on real packages', () => {
  const extract = (name: string) => extractPackage(fixture(name));
  const codeFor = async (name: string) => (await extractionFailure(fixture(name))).code;

  it('golf SCORM 1.2 run-time basic calls: one SCO', async () => {
    const result = await extract('golf-scorm12-runtime-basic.zip');
    expect(result.package).toMatchObject({
      standard: 'scorm',
      version: '1.2',
      identifier: 'com.scorm.golfsamples.runtime.basicruntime.12',
      title: 'Golf Explained - Run-time Basic Calls',
      root: '',
      manifest_path: 'imsmanifest.xml',
      entry_count: 44,
    });
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(result.organizations[0]?.items[0]).toMatchObject({
      title: 'Golf Explained',
      launch: 'shared/launchpage.html',
    });
    expect(result.resources[0]?.scorm_type).toBe('sco');
    expect(result.warnings).toEqual([]);
  });

  it('golf SCORM 1.2 one file per SCO: 22 items in 4 aggregations over 19 resources', async () => {
    const result = await extract('golf-scorm12-cp-onefilepersco.zip');
    expect(result.package.version).toBe('1.2');
    expect(result.package.title).toBe('Golf Explained - CP One File Per SCO');
    expect(result.statistics).toEqual({ items: 22, launchable_items: 18, resources: 19 });
    const top = result.organizations[0]?.items ?? [];
    expect(top.map((i) => i.title)).toEqual(['Playing the Game', 'Etiquette', 'Handicapping', 'Having Fun']);
    expect(top.map((i) => i.launch)).toEqual([undefined, undefined, undefined, undefined]);
    expect(top[0]?.children.map((i) => i.title)).toEqual([
      'How to Play',
      'Par',
      'Keeping Score',
      'Other Scoring Systems',
      'The Rules of Golf',
      'Playing Golf Quiz',
    ]);
    expect(top[2]?.children[1]).toMatchObject({
      title: 'Calculating a Handicap',
      launch: 'Handicapping/CalculatingHandicap.html',
    });
    expect(top[3]?.children[2]).toMatchObject({
      title: 'Having Fun Quiz',
      launch: 'shared/assessmenttemplate.html',
      parameters: '?questions=HavingFun',
    });
    expect(result.resources.find((r) => r.identifier === 'playing_par_resource')).toMatchObject({
      scorm_type: 'asset',
      href: 'Playing/Par.html',
      dependencies: ['common_files'],
    });
    expect(result.warnings).toEqual([]);
  });

  it('golf SCORM 2004 2nd edition single SCO: schemaversion CAM 1.3', async () => {
    const result = await extract('golf-scorm2004-2nd-cp-singlesco.zip');
    expect(result.package.version).toBe('2004 2nd Edition');
    expect(result.package.title).toBe('Golf Explained - CP Single SCO');
    expect(result.package.entry_count).toBe(79);
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(titles(result)).toEqual(['Golf Explained']);
  });

  it('golf SCORM 2004 3rd edition metadata example', async () => {
    const result = await extract('golf-scorm2004-3rd-cp-metadata.zip');
    expect(result.package.version).toBe('2004 3rd Edition');
    expect(result.package.title).toBe('Golf Explained - Metadata Example');
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(result.resources[0]?.files).toHaveLength(39);
    expect(result.resources[0]?.href).toBe('shared/launchpage.html');
  });

  it('golf SCORM 2004 3rd edition forced sequential: 5 SCOs', async () => {
    const result = await extract('golf-scorm2004-3rd-seq-forced-sequential.zip');
    expect(result.package.version).toBe('2004 3rd Edition');
    expect(result.package.title).toBe('Golf Explained - Sequencing Forced Order');
    expect(result.statistics).toEqual({ items: 5, launchable_items: 5, resources: 6 });
    expect(titles(result)).toEqual(['Playing the Game', 'Etiquette', 'Handicapping', 'Having Fun', 'Quiz']);
    expect(result.organizations[0]?.items[4]?.launch).toBe('shared/launchpage.html?content=assessment');
  });

  it('golf SCORM 2004 4th edition post-test rollup: 5 SCOs', async () => {
    const result = await extract('golf-scorm2004-4th-seq-posttest-rollup.zip');
    expect(result.package.version).toBe('2004 4th Edition');
    expect(result.package.title).toBe('Golf Explained - 4th Edition Features');
    expect(result.statistics).toEqual({ items: 5, launchable_items: 5, resources: 6 });
    expect(titles(result)).toEqual(['Playing the Game', 'Etiquette', 'Handicapping', 'Having Fun', 'Quiz']);
    expect(result.resources.filter((r) => r.scorm_type === 'sco')).toHaveLength(5);
    expect(result.warnings).toEqual([]);
  });

  it('Moodle single SCO SCORM 1.2 (original golf zip)', async () => {
    const result = await extract('moodle-singlesco-scorm12-singlesco_scorm12.zip');
    expect(result.package.version).toBe('1.2');
    expect(result.package.title).toBe('Golf Explained - CP Single SCO');
    expect(result.package.entry_count).toBe(46);
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(result.resources[0]?.files).toHaveLength(41);
  });

  it('eXeLearning multi-SCO: 12 SCOs in a 3-level tree with Spanish titles', async () => {
    const result = await extract('exe-scorm12-multisco-es.zip');
    expect(result.package.version).toBe('1.2');
    expect(result.package.title).toBe('Solución de ecuaciones cuadráticas');
    expect(result.statistics).toEqual({ items: 12, launchable_items: 12, resources: 13 });
    const top = result.organizations[0]?.items ?? [];
    expect(top.map((i) => i.title)).toEqual(['Ecuación Cuadrática']);
    expect(top[0]?.children.map((i) => i.title)).toEqual([
      'Definición y clasificación',
      'Ecuaciones cuadráticas incompletas',
      'Ecuaciones cuadráticcas completas',
      'Evaluación',
    ]);
    expect(top[0]?.children[3]?.children.map((i) => i.title)).toEqual(['Actividad 1', 'Actividad 2', 'Actividad 3']);
    expect(top[0]?.children[0]?.children[0]).toMatchObject({ title: 'Video de apoyo', launch: 'video_de_apoyo.html' });
    expect(result.resources.find((r) => r.identifier === 'COMMON_FILES')?.scorm_type).toBe('asset');
    expect(result.warnings).toEqual([]);
  });

  it('ADL CTS T-01a: 42 items, xml:base and item parameters', async () => {
    const result = await extract('adl-cts-2004-4th-T-01a-manifest-only.zip');
    expect(result.package.version).toBe('2004 4th Edition');
    expect(result.package.identifier).toBe('LMSTestPackage_T-01a');
    expect(result.package.title).toBe('LMS Test Content Package T-01a');
    expect(result.statistics).toEqual({ items: 42, launchable_items: 29, resources: 7 });
    const all = flatten(result.organizations[0]?.items ?? []);
    expect(all.map((i) => i.title)).toEqual(Array.from({ length: 42 }, (_, n) => `Activity ${n + 1}`));
    expect(all[0]).toMatchObject({
      identifier: 'activity_1',
      launch: 'resources/SequencingTest.htm',
      parameters: '?tc=T-01a&act=1',
    });
    expect(all[1]).toMatchObject({ identifier: 'activity_2', launch: undefined, parameters: undefined });
    expect(all[41]?.parameters).toBe('?tc=T-01a&act=42');
    expect(result.resources.find((r) => r.identifier === 'SEQ01')).toMatchObject({
      href: 'resources/SequencingTest.htm',
      files: ['resources/SequencingTest.htm'],
      dependencies: ['LMSFNCTS01', 'JAR01', 'ABOUT01', 'EMULATION01', 'LMSINCLUDE'],
    });
    expect(result.resources.find((r) => r.identifier === 'JAR01')?.files).toEqual(['common/LMSTest.jar']);
    expect(result.warnings).toEqual([]);
  });

  it('Storyline SCORM 2004 4th edition with a BOM and Cyrillic identifiers', async () => {
    const result = await extract('storyline-scorm2004-4th-cyrillic-bom.zip');
    expect(result.package.version).toBe('2004 4th Edition');
    expect(result.package.identifier).toBe('Тиндер');
    expect(result.package.title).toBe('Тиндер');
    expect(result.default_organization).toBe('Тиндер_ORG');
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(result.organizations[0]?.items[0]).toMatchObject({
      identifier: 'Тиндер_SCO',
      identifierref: '_Тиндер_RES',
      title: 'Тиндер',
      launch: 'index_lms.html',
    });
    expect(result.warnings).toEqual([]);
  });

  it('Storyline SCORM 1.2 with a BOM', async () => {
    const result = await extract('storyline-scorm12-text-entry.zip');
    expect(result.package.version).toBe('1.2');
    expect(result.package.title).toBe('sl-input-block-sample');
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(result.organizations[0]?.items[0]?.launch).toBe('index_lms.html');
  });

  it('emp SCORM 2004 without schemaversion: 2nd edition inferred from the namespaces', async () => {
    const result = await extract('emp-scorm2004-no-schemaversion.zip');
    expect(result.package.version).toBe('2004 2nd Edition');
    expect(result.package.title).toBe('Minimal 2nd Edition No SchemaVersion');
    expect(result.statistics).toEqual({ items: 1, launchable_items: 1, resources: 1 });
    expect(result.organizations[0]?.items[0]).toMatchObject({ title: 'Launch Item', launch: 'index.html' });
    expect(result.warnings).toEqual([]);
  });

  it('Moodle missing-organization package: extracted with a no_organization warning', async () => {
    const result = await extract('moodle-singlescobasic-missingorg-singlescobasic_missingorg.zip');
    expect(result.package.version).toBe('1.2');
    expect(result.package.title).toBeUndefined();
    expect(result.statistics).toEqual({ items: 0, launchable_items: 0, resources: 1 });
    expect(result.resources[0]?.href).toBe('sso/launchpage.html');
    expect(warningCodes(result)).toEqual(['no_organization']);
  });

  it.each([
    ['emp-scorm12-malformed-xml.zip', 'manifest_malformed'],
    ['moodle-validscorm-stub-validscorm.zip', 'manifest_empty'],
    ['moodle-badscorm-nested-manifest-badscorm.zip', 'manifest_empty'],
    ['moodle-invalid-no-manifest-invalid.zip', 'manifest_not_found'],
    ['moodle-validaicc-stub-validaicc.zip', 'standard_not_supported'],
    ['emp-aicc-complex.zip', 'standard_not_supported'],
    ['catapult-cmi5-multi-au-multi_au_framed.zip', 'standard_not_supported'],
    ['adapt-xapi-tincan-pdf.zip', 'standard_not_supported'],
    ['catapult-lts-not-a-zip-209-1-not-a-zip.zip', 'not_a_zip'],
  ])('%s fails with %s', async (name, code) => {
    expect(await codeFor(name)).toBe(code);
  });
});

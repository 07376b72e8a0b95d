import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { del, eventually, get, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { ISO } from '../support/progress.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';
import { writeZip } from '../support/zip-writer.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let harness: Harness;
let acme: Tenant;
let globex: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;

beforeAll(async () => {
  harness = await startHarness({ worker: true });
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
  packages = await packagesDir();
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

function patch(key: string | undefined, url: string, body: unknown) {
  return harness.app.inject({
    method: 'PATCH',
    url,
    headers: key ? { 'x-api-key': key } : {},
    payload: body as Record<string, unknown>,
  });
}

interface CollectionJson {
  identifier: string;
  name: string;
  description: string | null;
  logo: string | null;
  scormFileId: number | null;
  leafNodesCount: number;
  contents: { contentId: string; name: string; optional: boolean }[];
  createdAt: string;
  updatedAt: string;
}

interface ContextJson {
  identifier: string;
  collectionId: string;
  name: string;
  startDate: string | null;
  endDate: string | null;
  enrollment: 'open' | 'invite';
  certificate: { name: string; criteria: { minScorePercent: number | null } } | null;
  createdAt: string;
  updatedAt: string;
}

interface EnrollmentJson {
  userId: string;
  contextId: string;
  enrolledDate: number;
  active: boolean;
  status: number;
  progress: number;
}

const twoContents = [
  { contentId: 'intro', name: 'Introduction' },
  { contentId: 'quiz', name: 'Final quiz' },
];

async function createCollection(key: string, body: Record<string, unknown>): Promise<CollectionJson> {
  const response = await post(harness.app, key, '/v1/collections', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CollectionJson>();
}

async function createContext(key: string, body: Record<string, unknown>): Promise<ContextJson> {
  const response = await post(harness.app, key, '/v1/contexts', { enrollment: 'invite', name: 'Batch', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ContextJson>();
}

async function enroll(key: string, context: string, userIds: string[]): Promise<EnrollmentJson[]> {
  const response = await post(harness.app, key, `/v1/contexts/${context}/enrollments`, { userIds });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ enrollments: EnrollmentJson[] }>().enrollments;
}

async function collectionIdentifiers(key: string): Promise<string[]> {
  const body = (await get(harness.app, key, '/v1/collections?page_size=100')).json<{ results: CollectionJson[] }>();
  return body.results.map((c) => c.identifier);
}

async function uploadAndWait(app: Harness['app'], key: string, file: string, status = 'content_extraction_completed') {
  const response = await upload(app, key, { file: { path: file } });
  expect(response.statusCode).toBe(200);
  const id: number = response.json().scorm_file_id;
  await eventually(
    async () => ((await get(app, key, `/v1/scorm-files/${id}/`)).json().status === status ? true : undefined),
    30_000,
    `file ${id} to reach ${status}`,
  );
  return id;
}

/** SCORM 1.2 with a draft organization and, as default, one with a top-level SCO and a module of two SCOs. */
const nestedManifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="acme.safety" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="main">
    <organization identifier="draft">
      <title>Draft outline</title>
      <item identifier="draft-intro" identifierref="res-welcome"><title>Old welcome</title></item>
    </organization>
    <organization identifier="main">
      <title>Workplace Safety</title>
      <item identifier="welcome" identifierref="res-welcome"><title>Welcome</title></item>
      <item identifier="module-1">
        <title>Module 1: Hazards</title>
        <item identifier="hazards-video" identifierref="res-video"><title>Spotting hazards</title></item>
        <item identifier="hazards-quiz" identifierref="res-quiz"><title>Hazards quiz</title></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-welcome" type="webcontent" adlcp:scormtype="sco" href="welcome.html"><file href="welcome.html"/></resource>
    <resource identifier="res-video" type="webcontent" adlcp:scormtype="sco" href="video.html"><file href="video.html"/></resource>
    <resource identifier="res-quiz" type="webcontent" adlcp:scormtype="sco" href="quiz.html"><file href="quiz.html"/></resource>
  </resources>
</manifest>`;

describe('POST /v1/collections from an explicit list', () => {
  it('creates the collection and answers with all of it, as a read does', async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/collections', {
      identifier: 'onboarding-2026',
      name: 'Onboarding',
      description: 'First week at Acme',
      logo: 'https://cdn.example.com/onboarding.png',
      contents: [
        { contentId: 'welcome-video', name: 'Welcome video' },
        { contentId: 'handbook', name: 'Employee handbook', optional: true },
        { contentId: 'policy-quiz', name: 'Policy quiz', optional: false },
      ],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<CollectionJson>();
    expect(body).toEqual({
      identifier: 'onboarding-2026',
      name: 'Onboarding',
      description: 'First week at Acme',
      logo: 'https://cdn.example.com/onboarding.png',
      scormFileId: null,
      leafNodesCount: 3,
      contents: [
        { contentId: 'welcome-video', name: 'Welcome video', optional: false },
        { contentId: 'handbook', name: 'Employee handbook', optional: true },
        { contentId: 'policy-quiz', name: 'Policy quiz', optional: false },
      ],
      createdAt: expect.stringMatching(ISO),
      updatedAt: body.createdAt,
    });
    const read = await get(harness.app, acme.member.key, '/v1/collections/onboarding-2026');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
  });

  it('keeps the contents in the order given', async () => {
    const ids = ['zeta', 'alpha', 'mu', 'beta', 'omega'];
    const created = await createCollection(acme.manager.key, {
      identifier: 'ordered',
      name: 'Ordered',
      contents: ids.map((contentId) => ({ contentId, name: contentId.toUpperCase() })),
    });
    expect(created.contents.map((c) => c.contentId)).toEqual(ids);
    const read = (await get(harness.app, acme.manager.key, '/v1/collections/ordered')).json<CollectionJson>();
    expect(read.contents.map((c) => c.contentId)).toEqual(ids);
  });

  it('generates an identifier when none is given', async () => {
    const created = await createCollection(acme.manager.key, { name: 'No identifier', contents: twoContents });
    expect(created.identifier).toMatch(new RegExp(`^collection-${UUID}$`));
    expect((await get(harness.app, acme.manager.key, `/v1/collections/${created.identifier}`)).json()).toEqual(created);
  });

  it('refuses an identifier already used in the organization with 409, leaving the first collection as it was', async () => {
    const first = await createCollection(acme.manager.key, { identifier: 'taken', name: 'First', contents: twoContents });
    const response = await post(harness.app, acme.manager.key, '/v1/collections', {
      identifier: 'taken',
      name: 'Second',
      contents: [{ contentId: 'other', name: 'Other' }],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ code: 'collection_exists', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/taken')).json()).toEqual(first);
  });

  it('refuses a contentId listed twice with 400 duplicate_content, creating nothing', async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/collections', {
      identifier: 'twice',
      name: 'Twice',
      contents: [
        { contentId: 'a', name: 'A' },
        { contentId: 'b', name: 'B' },
        { contentId: 'a', name: 'A again' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'duplicate_content', message: expect.stringContaining('"a"') });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/twice')).statusCode).toBe(404);
  });

  it.each([
    ['neither contents nor scormFileId', { identifier: 'neither', name: 'Neither' }],
    ['both contents and scormFileId', { identifier: 'both', name: 'Both', contents: twoContents, scormFileId: 1 }],
  ])('refuses %s with 400 contents_or_scorm_file', async (_label, body) => {
    const response = await post(harness.app, acme.manager.key, '/v1/collections', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'contents_or_scorm_file', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, `/v1/collections/${body.identifier}`)).statusCode).toBe(404);
  });

  it.each([
    ['empty', ''],
    ['starting with a dash', '-course'],
    ['starting with a dot', '.course'],
    ['with a space', 'safety course'],
    ['with a slash', 'safety/2026'],
    ['with a hash', 'safety#1'],
    ['with a non-ASCII letter', 'sécurité'],
  ])('refuses an identifier %s with 400 invalid_identifier', async (_label, identifier) => {
    const response = await post(harness.app, acme.manager.key, '/v1/collections', { identifier, name: 'Bad', contents: twoContents });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'invalid_identifier', message: expect.any(String) });
  });

  it('accepts identifiers of letters, digits and . _ : - up to 128 characters, and refuses 129', async () => {
    const longest = `a${'b'.repeat(127)}`;
    for (const identifier of ['X', 'course.v2_final:2026-03', longest]) {
      const created = await createCollection(globex.manager.key, { identifier, name: 'Fine', contents: twoContents });
      expect(created.identifier).toBe(identifier);
      expect((await get(harness.app, globex.manager.key, `/v1/collections/${encodeURIComponent(identifier)}`)).statusCode).toBe(200);
    }
    const response = await post(harness.app, globex.manager.key, '/v1/collections', {
      identifier: `${longest}c`,
      name: 'Too long',
      contents: twoContents,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });

  it.each([
    ['no name', { identifier: 'v1', contents: twoContents }, 'name_required'],
    ['an empty name', { identifier: 'v2', name: '', contents: twoContents }, 'validation_failed'],
    ['an unknown field', { identifier: 'v3', name: 'N', contents: twoContents, owner: 'me' }, 'validation_failed'],
    ['a content without a name', { identifier: 'v4', name: 'N', contents: [{ contentId: 'a' }] }, 'validation_failed'],
    ['a content with an empty contentId', { identifier: 'v5', name: 'N', contents: [{ contentId: '', name: 'A' }] }, 'validation_failed'],
    ['optional that is not a boolean', { identifier: 'v6', name: 'N', contents: [{ contentId: 'a', name: 'A', optional: 'yes' }] }, 'validation_failed'],
    ['an unknown content field', { identifier: 'v7', name: 'N', contents: [{ contentId: 'a', name: 'A', weight: 2 }] }, 'validation_failed'],
    ['contents that are not a list', { identifier: 'v8', name: 'N', contents: { contentId: 'a', name: 'A' } }, 'validation_failed'],
    ['a scormFileId of zero', { identifier: 'v9', name: 'N', scormFileId: 0 }, 'validation_failed'],
    ['a scormFileId that is text', { identifier: 'v10', name: 'N', scormFileId: '12' }, 'validation_failed'],
  ])('refuses %s with 400 and a stable code', async (_label, body, code) => {
    const response = await post(harness.app, acme.manager.key, '/v1/collections', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code, message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, `/v1/collections/${body.identifier}`)).statusCode).toBe(404);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/collections',
      headers: { 'x-api-key': acme.manager.key, 'content-type': 'application/json' },
      payload: '{"identifier": "broken", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'invalid_json', message: expect.any(String) });
  });
});

describe('POST /v1/collections from a SCORM file', () => {
  let nestedFileId: number;

  beforeAll(async () => {
    const file = path.join(packages.dir, 'nested-safety.zip');
    await writeZip(file, [
      { name: 'imsmanifest.xml', data: nestedManifest, deflate: true },
      { name: 'welcome.html', data: '<html><body><h1>Welcome</h1></body></html>' },
      { name: 'video.html', data: '<html><body><h1>Spotting hazards</h1></body></html>' },
      { name: 'quiz.html', data: '<html><body><h1>Hazards quiz</h1></body></html>' },
    ]);
    nestedFileId = await uploadAndWait(harness.app, acme.manager.key, file);
  });

  it("takes the launchable items of the default organization as contents, with the manifest's identifiers and titles", async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/collections', {
      identifier: 'safety-from-file',
      scormFileId: nestedFileId,
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<CollectionJson>();
    expect(body).toEqual({
      identifier: 'safety-from-file',
      name: 'Workplace Safety',
      description: null,
      logo: null,
      scormFileId: nestedFileId,
      leafNodesCount: 3,
      contents: [
        { contentId: 'welcome', name: 'Welcome', optional: false },
        { contentId: 'hazards-video', name: 'Spotting hazards', optional: false },
        { contentId: 'hazards-quiz', name: 'Hazards quiz', optional: false },
      ],
      createdAt: expect.stringMatching(ISO),
      updatedAt: body.createdAt,
    });
    expect((await get(harness.app, acme.member.key, '/v1/collections/safety-from-file')).json()).toEqual(body);
  });

  it('uses the name, description and logo given instead of the package title', async () => {
    const created = await createCollection(acme.manager.key, {
      identifier: 'safety-renamed',
      scormFileId: nestedFileId,
      name: 'Safety for warehouse staff',
      description: 'Mandatory',
      logo: 'https://cdn.example.com/safety.svg',
    });
    expect(created).toMatchObject({
      identifier: 'safety-renamed',
      name: 'Safety for warehouse staff',
      description: 'Mandatory',
      logo: 'https://cdn.example.com/safety.svg',
      scormFileId: nestedFileId,
      leafNodesCount: 3,
    });
    expect(created.contents.map((c) => c.contentId)).toEqual(['welcome', 'hazards-video', 'hazards-quiz']);
  });

  it('names a flat package after its title, one content per item', async () => {
    const file = await writeScormPackage(path.join(packages.dir, 'fire.zip'), 'Fire Drill', ['Alarm', 'Exits', 'Assembly point']);
    const id = await uploadAndWait(harness.app, globex.manager.key, file);
    const created = await createCollection(globex.manager.key, { identifier: 'fire-drill', scormFileId: id });
    expect(created).toEqual({
      identifier: 'fire-drill',
      name: 'Fire Drill',
      description: null,
      logo: null,
      scormFileId: id,
      leafNodesCount: 3,
      contents: [
        { contentId: 'item1', name: 'Alarm', optional: false },
        { contentId: 'item2', name: 'Exits', optional: false },
        { contentId: 'item3', name: 'Assembly point', optional: false },
      ],
      createdAt: expect.stringMatching(ISO),
      updatedAt: created.createdAt,
    });
  });

  it('refuses a file whose extraction failed with 409 extraction_not_completed', async () => {
    const noManifest = path.join(packages.dir, 'no-manifest.zip');
    await writeZip(noManifest, [{ name: 'index.html', data: '<p>hello</p>' }]);
    const id = await uploadAndWait(harness.app, acme.manager.key, noManifest, 'failed');
    const response = await post(harness.app, acme.manager.key, '/v1/collections', { identifier: 'from-failed', scormFileId: id });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ code: 'extraction_not_completed', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/from-failed')).statusCode).toBe(404);
  });

  it("answers 404 scorm_file_not_found for an unknown file, another organization's file and a deleted file", async () => {
    const file = await writeScormPackage(path.join(packages.dir, 'doomed.zip'), 'Doomed', ['Only page']);
    const deleted = await uploadAndWait(harness.app, acme.manager.key, file);
    expect((await del(harness.app, acme.manager.key, `/v1/scorm-files/${deleted}/`)).statusCode).toBe(200);
    for (const [key, scormFileId] of [
      [acme.manager.key, 99_999_999],
      [globex.manager.key, nestedFileId],
      [acme.manager.key, deleted],
    ] as const) {
      const response = await post(harness.app, key, '/v1/collections', { identifier: 'from-elsewhere', scormFileId });
      expect(response.statusCode, String(scormFileId)).toBe(404);
      expect(response.json()).toEqual({ code: 'scorm_file_not_found', message: expect.any(String) });
    }
    expect(await collectionIdentifiers(globex.manager.key)).not.toContain('from-elsewhere');
    expect(await collectionIdentifiers(acme.manager.key)).not.toContain('from-elsewhere');
  });
});

describe('POST /v1/collections from a SCORM file not yet extracted', () => {
  let idle: Harness;
  let packagePath: string;
  beforeAll(async () => {
    idle = await startHarness();
    packagePath = await writeScormPackage(path.join(packages.dir, 'pending.zip'), 'Pending', ['One', 'Two']);
  });
  afterAll(() => idle.close());

  it('refuses with 409 extraction_not_completed and creates nothing', async () => {
    const tenant = await idle.createTenant('Idle');
    const uploaded = await upload(idle.app, tenant.manager.key, { file: { path: packagePath } });
    expect(uploaded.statusCode).toBe(200);
    const response = await post(idle.app, tenant.manager.key, '/v1/collections', {
      identifier: 'too-early',
      scormFileId: uploaded.json().scorm_file_id,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ code: 'extraction_not_completed', message: expect.any(String) });
    expect((await get(idle.app, tenant.manager.key, '/v1/collections')).json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});

describe('GET /v1/collections', () => {
  it('pages newest first, each result as a read shows it, with links that keep page_size', async () => {
    const tenant = await harness.createTenant('Lister');
    const created: CollectionJson[] = [];
    for (const n of [1, 2, 3]) {
      created.push(await createCollection(tenant.manager.key, { identifier: `course-${n}`, name: `Course ${n}`, contents: twoContents }));
    }
    const first = await get(harness.app, tenant.member.key, '/v1/collections?page_size=2');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      count: 3,
      next: 'http://lens.test/v1/collections?page_size=2&page=2',
      previous: null,
      results: [created[2], created[1]],
    });
    const second = await get(harness.app, tenant.member.key, '/v1/collections?page_size=2&page=2');
    expect(second.json()).toEqual({
      count: 3,
      next: null,
      previous: 'http://lens.test/v1/collections?page_size=2',
      results: [created[0]],
    });
    const beyond = await get(harness.app, tenant.member.key, '/v1/collections?page_size=2&page=3');
    expect(beyond.statusCode).toBe(404);
    expect(beyond.json().code).toBe('invalid_page');
    const bad = await get(harness.app, tenant.member.key, '/v1/collections?page=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_page');
  });

  it('answers an empty first page for an organization without collections', async () => {
    const tenant = await harness.createTenant('Empty');
    const response = await get(harness.app, tenant.manager.key, '/v1/collections');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('answers 404 collection_not_found for an unknown identifier', async () => {
    const response = await get(harness.app, acme.manager.key, '/v1/collections/no-such-course');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'collection_not_found', message: expect.any(String) });
  });
});

describe('PATCH /v1/collections/:identifier', () => {
  it('changes name, description and logo, and only what is given', async () => {
    const created = await createCollection(acme.manager.key, {
      identifier: 'patch-me',
      name: 'Before',
      description: 'Old description',
      logo: 'https://cdn.example.com/old.png',
      contents: twoContents,
    });
    const renamed = await patch(acme.manager.key, '/v1/collections/patch-me', { name: 'After' });
    expect(renamed.statusCode).toBe(200);
    const body = renamed.json<CollectionJson>();
    expect(body).toEqual({ ...created, name: 'After', updatedAt: expect.stringMatching(ISO) });
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

    const cleared = await patch(acme.manager.key, '/v1/collections/patch-me', {
      description: null,
      logo: 'https://cdn.example.com/new.png',
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toEqual({
      ...created,
      name: 'After',
      description: null,
      logo: 'https://cdn.example.com/new.png',
      updatedAt: expect.stringMatching(ISO),
    });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/patch-me')).json()).toEqual(cleared.json());
  });

  it('replaces the contents with the list given, in its order', async () => {
    await createCollection(acme.manager.key, {
      identifier: 'recontent',
      name: 'Recontent',
      contents: [
        { contentId: 'a', name: 'A' },
        { contentId: 'b', name: 'B', optional: true },
        { contentId: 'c', name: 'C' },
      ],
    });
    const response = await patch(acme.manager.key, '/v1/collections/recontent', {
      contents: [
        { contentId: 'c', name: 'C renamed', optional: true },
        { contentId: 'd', name: 'D' },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Recontent',
      leafNodesCount: 2,
      contents: [
        { contentId: 'c', name: 'C renamed', optional: true },
        { contentId: 'd', name: 'D', optional: false },
      ],
    });
    expect((await get(harness.app, acme.member.key, '/v1/collections/recontent')).json()).toEqual(response.json());
  });

  it('keeps the scormFileId of a collection made from a file when its contents are replaced', async () => {
    const file = await writeScormPackage(path.join(packages.dir, 'keep.zip'), 'Keep', ['One', 'Two']);
    const id = await uploadAndWait(harness.app, acme.manager.key, file);
    await createCollection(acme.manager.key, { identifier: 'from-file-then-edited', scormFileId: id });
    const response = await patch(acme.manager.key, '/v1/collections/from-file-then-edited', {
      contents: [{ contentId: 'item2', name: 'Two only' }],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Keep',
      scormFileId: id,
      leafNodesCount: 1,
      contents: [{ contentId: 'item2', name: 'Two only', optional: false }],
    });
  });

  it('refuses duplicate contentIds with 400 and changes nothing, the name included', async () => {
    const created = await createCollection(acme.manager.key, { identifier: 'atomic', name: 'Atomic', contents: twoContents });
    const response = await patch(acme.manager.key, '/v1/collections/atomic', {
      name: 'Should not stick',
      contents: [
        { contentId: 'x', name: 'X' },
        { contentId: 'x', name: 'X again' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'duplicate_content', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/atomic')).json()).toEqual(created);
  });

  it.each([
    ['the identifier', { identifier: 'renamed' }],
    ['the scormFileId', { scormFileId: 3 }],
    ['an empty name', { name: '' }],
    ['a null name', { name: null }],
  ])('refuses to change %s with 400 validation_failed', async (_label, body) => {
    const created = await createCollection(acme.manager.key, { identifier: `fixed-${Object.keys(body)[0]}-${String(Object.values(body)[0])}`, name: 'Fixed', contents: twoContents });
    const response = await patch(acme.manager.key, `/v1/collections/${created.identifier}`, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect((await get(harness.app, acme.manager.key, `/v1/collections/${created.identifier}`)).json()).toEqual(created);
  });

  it('answers 404 collection_not_found for an unknown collection', async () => {
    const response = await patch(acme.manager.key, '/v1/collections/no-such-course', { name: 'X' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('collection_not_found');
  });
});

describe('DELETE /v1/collections/:identifier', () => {
  it('is refused while contexts exist, then deletes, then answers 404, and the identifier can be used again', async () => {
    await createCollection(acme.manager.key, { identifier: 'retiring', name: 'Retiring', contents: twoContents });
    await createContext(acme.manager.key, { identifier: 'retiring-spring', collectionId: 'retiring' });

    const refused = await del(harness.app, acme.manager.key, '/v1/collections/retiring');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ code: 'collection_in_use', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/retiring')).statusCode).toBe(200);

    expect((await del(harness.app, acme.manager.key, '/v1/contexts/retiring-spring')).statusCode).toBe(200);
    const deleted = await del(harness.app, acme.manager.key, '/v1/collections/retiring');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ message: 'Collection retiring deleted.' });

    const read = await get(harness.app, acme.manager.key, '/v1/collections/retiring');
    expect(read.statusCode).toBe(404);
    expect(read.json().code).toBe('collection_not_found');
    const again = await del(harness.app, acme.manager.key, '/v1/collections/retiring');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('collection_not_found');
    expect(await collectionIdentifiers(acme.manager.key)).not.toContain('retiring');

    const reborn = await createCollection(acme.manager.key, {
      identifier: 'retiring',
      name: 'Retiring, second edition',
      contents: [{ contentId: 'fresh', name: 'Fresh' }],
    });
    expect(reborn).toMatchObject({ identifier: 'retiring', name: 'Retiring, second edition', contents: [{ contentId: 'fresh', name: 'Fresh', optional: false }] });
    expect((await get(harness.app, acme.manager.key, '/v1/collections/retiring')).json()).toEqual(reborn);
    const context = await createContext(acme.manager.key, { identifier: 'retiring-spring', collectionId: 'retiring' });
    expect(context.collectionId).toBe('retiring');
  });

  it('refuses a context for a deleted collection with 404 collection_not_found', async () => {
    await createCollection(globex.manager.key, { identifier: 'phoenix', name: 'Phoenix 1', contents: twoContents });
    expect((await del(harness.app, globex.manager.key, '/v1/collections/phoenix')).statusCode).toBe(200);
    const response = await post(harness.app, globex.manager.key, '/v1/contexts', {
      identifier: 'phoenix-batch',
      collectionId: 'phoenix',
      name: 'Batch',
      enrollment: 'open',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('collection_not_found');
  });
});

describe('POST /v1/contexts', () => {
  beforeAll(async () => {
    await createCollection(acme.manager.key, { identifier: 'ctx-course', name: 'Context course', contents: twoContents });
  });

  it('creates a context with date-only dates: the start day from midnight, the whole end day included', async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/contexts', {
      identifier: 'march-2026',
      collectionId: 'ctx-course',
      name: 'March 2026',
      startDate: '2026-03-01',
      endDate: '2026-03-31',
      enrollment: 'invite',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<ContextJson>();
    expect(body).toEqual({
      identifier: 'march-2026',
      collectionId: 'ctx-course',
      name: 'March 2026',
      startDate: '2026-03-01T00:00:00.000Z',
      endDate: '2026-03-31T23:59:59.999Z',
      enrollment: 'invite',
      certificate: null,
      createdAt: expect.stringMatching(ISO),
      updatedAt: body.createdAt,
    });
    const read = await get(harness.app, acme.member.key, '/v1/contexts/march-2026');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
  });

  it('creates a context with date-times, converted to UTC', async () => {
    const created = await createContext(acme.manager.key, {
      identifier: 'timed',
      collectionId: 'ctx-course',
      startDate: '2026-04-01T09:30:00+02:00',
      endDate: '2026-04-30T17:00:00.250Z',
      enrollment: 'open',
    });
    expect(created).toMatchObject({
      startDate: '2026-04-01T07:30:00.000Z',
      endDate: '2026-04-30T17:00:00.250Z',
      enrollment: 'open',
    });
  });

  it('creates a context without dates', async () => {
    const created = await createContext(acme.manager.key, { identifier: 'undated', collectionId: 'ctx-course', enrollment: 'open' });
    expect(created).toMatchObject({ startDate: null, endDate: null, certificate: null });
  });

  it('accepts a context of a single day given as date-only start and end', async () => {
    const created = await createContext(acme.manager.key, {
      identifier: 'one-day',
      collectionId: 'ctx-course',
      startDate: '2026-05-05',
      endDate: '2026-05-05',
    });
    expect(created).toMatchObject({ startDate: '2026-05-05T00:00:00.000Z', endDate: '2026-05-05T23:59:59.999Z' });
  });

  it.each([
    ['an end day before the start day', '2026-03-10', '2026-03-09'],
    ['an end time before the start time', '2026-03-10T12:00:00Z', '2026-03-10T11:59:59Z'],
  ])('refuses %s with 400 invalid_date', async (_label, startDate, endDate) => {
    const response = await post(harness.app, acme.manager.key, '/v1/contexts', {
      identifier: 'backwards',
      collectionId: 'ctx-course',
      name: 'Backwards',
      startDate,
      endDate,
      enrollment: 'invite',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'invalid_date', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/backwards')).statusCode).toBe(404);
  });

  it.each([
    ['text that is no date', 'next monday'],
    ['a month 13', '2026-13-01'],
    ['February 30th', '2026-02-30'],
    ['April 31st', '2026-04-31'],
    ['a bare number', '1'],
    ['a date in words', 'March 1, 2026'],
    ['an hour 25', '2026-03-01T25:00:00Z'],
  ])('refuses a startDate that is %s with 400 invalid_date', async (label, startDate) => {
    const identifier = `bad-date-${label.replaceAll(' ', '-')}`;
    const response = await post(harness.app, acme.manager.key, '/v1/contexts', {
      identifier,
      collectionId: 'ctx-course',
      name: 'Bad date',
      startDate,
      enrollment: 'invite',
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ code: 'invalid_date', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, `/v1/contexts/${identifier}`)).statusCode).toBe(404);
  });

  it('keeps a certificate with its criteria, or without criteria', async () => {
    const withCriteria = await createContext(acme.manager.key, {
      identifier: 'certified',
      collectionId: 'ctx-course',
      certificate: { name: 'Safety certificate', criteria: { minScorePercent: 72.5 } },
    });
    expect(withCriteria.certificate).toEqual({ name: 'Safety certificate', criteria: { minScorePercent: 72.5 } });
    const withoutCriteria = await createContext(acme.manager.key, {
      identifier: 'certified-plain',
      collectionId: 'ctx-course',
      certificate: { name: 'Attendance' },
    });
    expect(withoutCriteria.certificate).toEqual({ name: 'Attendance', criteria: { minScorePercent: null } });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/certified')).json()).toEqual(withCriteria);
  });

  it.each([
    ['no identifier', { collectionId: 'ctx-course', name: 'N', enrollment: 'open' }, 'validation_failed'],
    ['no collectionId', { identifier: 'v-ctx', name: 'N', enrollment: 'open' }, 'validation_failed'],
    ['no name', { identifier: 'v-ctx', collectionId: 'ctx-course', enrollment: 'open' }, 'validation_failed'],
    ['no enrollment policy', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N' }, 'validation_failed'],
    ['an unknown enrollment policy', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'closed' }, 'validation_failed'],
    ['an unknown field', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'open', capacity: 3 }, 'validation_failed'],
    ['a minScorePercent above 100', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'open', certificate: { name: 'C', criteria: { minScorePercent: 101 } } }, 'validation_failed'],
    ['a negative minScorePercent', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'open', certificate: { name: 'C', criteria: { minScorePercent: -1 } } }, 'validation_failed'],
    ['a certificate without a name', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'open', certificate: { criteria: {} } }, 'validation_failed'],
    ['an unknown criterion', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'open', certificate: { name: 'C', criteria: { minTimeSpent: 60 } } }, 'validation_failed'],
    ['a bad identifier', { identifier: 'march 2026', collectionId: 'ctx-course', name: 'N', enrollment: 'open' }, 'invalid_identifier'],
    ['a startDate that is a number', { identifier: 'v-ctx', collectionId: 'ctx-course', name: 'N', enrollment: 'open', startDate: 1772323200000 }, 'validation_failed'],
  ])('refuses %s with 400 and a stable code', async (_label, body, code) => {
    const response = await post(harness.app, acme.manager.key, '/v1/contexts', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code, message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/v-ctx')).statusCode).toBe(404);
  });

  it('answers 404 collection_not_found for an unknown collection', async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/contexts', {
      identifier: 'orphan',
      collectionId: 'no-such-course',
      name: 'Orphan',
      enrollment: 'open',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'collection_not_found', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/orphan')).statusCode).toBe(404);
  });

  it('refuses an identifier already used by a context of the organization with 409 context_exists', async () => {
    const first = await createContext(acme.manager.key, { identifier: 'unique-batch', collectionId: 'ctx-course', name: 'First' });
    const response = await post(harness.app, acme.manager.key, '/v1/contexts', {
      identifier: 'unique-batch',
      collectionId: 'ctx-course',
      name: 'Second',
      enrollment: 'open',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ code: 'context_exists', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/unique-batch')).json()).toEqual(first);
  });
});

describe('GET /v1/contexts', () => {
  it('lists newest first, filtered by collectionId, with links that keep the filter', async () => {
    const tenant = await harness.createTenant('Contexts');
    await createCollection(tenant.manager.key, { identifier: 'algebra', name: 'Algebra', contents: twoContents });
    await createCollection(tenant.manager.key, { identifier: 'geometry', name: 'Geometry', contents: twoContents });
    const a1 = await createContext(tenant.manager.key, { identifier: 'algebra-jan', collectionId: 'algebra' });
    const g1 = await createContext(tenant.manager.key, { identifier: 'geometry-jan', collectionId: 'geometry' });
    const a2 = await createContext(tenant.manager.key, { identifier: 'algebra-feb', collectionId: 'algebra' });
    const a3 = await createContext(tenant.manager.key, { identifier: 'algebra-mar', collectionId: 'algebra' });

    const all = await get(harness.app, tenant.member.key, '/v1/contexts');
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ count: 4, next: null, previous: null, results: [a3, a2, g1, a1] });

    const algebra = await get(harness.app, tenant.member.key, '/v1/contexts?collectionId=algebra&page_size=2');
    expect(algebra.json()).toEqual({
      count: 3,
      next: 'http://lens.test/v1/contexts?collectionId=algebra&page_size=2&page=2',
      previous: null,
      results: [a3, a2],
    });
    const algebraPage2 = await get(harness.app, tenant.member.key, '/v1/contexts?collectionId=algebra&page_size=2&page=2');
    expect(algebraPage2.json()).toEqual({
      count: 3,
      next: null,
      previous: 'http://lens.test/v1/contexts?collectionId=algebra&page_size=2',
      results: [a1],
    });
    const geometry = await get(harness.app, tenant.member.key, '/v1/contexts?collectionId=geometry');
    expect(geometry.json()).toEqual({ count: 1, next: null, previous: null, results: [g1] });
    const unknown = await get(harness.app, tenant.member.key, '/v1/contexts?collectionId=calculus');
    expect(unknown.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});

describe('GET /v1/contexts/:identifier', () => {
  it('answers 404 context_not_found for an unknown context', async () => {
    const response = await get(harness.app, acme.member.key, '/v1/contexts/no-such-batch');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'context_not_found', message: expect.any(String) });
  });
});

describe('PATCH /v1/contexts/:identifier', () => {
  beforeAll(async () => {
    await createCollection(acme.manager.key, { identifier: 'patch-ctx-course', name: 'Patch contexts', contents: twoContents });
  });

  it('changes name, policy, dates and certificate, keeping what is not given', async () => {
    const created = await createContext(acme.manager.key, {
      identifier: 'evolving',
      collectionId: 'patch-ctx-course',
      name: 'Evolving',
      startDate: '2026-06-01',
      endDate: '2026-06-30',
      enrollment: 'invite',
    });
    const first = await patch(acme.manager.key, '/v1/contexts/evolving', {
      name: 'Evolving, renamed',
      enrollment: 'open',
      certificate: { name: 'Completion', criteria: { minScorePercent: 80 } },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      ...created,
      name: 'Evolving, renamed',
      enrollment: 'open',
      certificate: { name: 'Completion', criteria: { minScorePercent: 80 } },
      updatedAt: expect.stringMatching(ISO),
    });

    const second = await patch(acme.manager.key, '/v1/contexts/evolving', { endDate: '2026-07-15T12:00:00Z', certificate: null });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({
      ...created,
      name: 'Evolving, renamed',
      enrollment: 'open',
      endDate: '2026-07-15T12:00:00.000Z',
      certificate: null,
      updatedAt: expect.stringMatching(ISO),
    });

    const third = await patch(acme.manager.key, '/v1/contexts/evolving', { startDate: null });
    expect(third.json()).toMatchObject({ startDate: null, endDate: '2026-07-15T12:00:00.000Z' });
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/evolving')).json()).toEqual(third.json());
  });

  it('refuses dates that would end the context before it starts, against the stored dates too', async () => {
    const created = await createContext(acme.manager.key, {
      identifier: 'bounded',
      collectionId: 'patch-ctx-course',
      startDate: '2026-09-01',
      endDate: '2026-09-30',
    });
    for (const body of [{ endDate: '2026-08-31' }, { startDate: '2026-10-01' }, { startDate: '2026-09-20', endDate: '2026-09-10' }]) {
      const response = await patch(acme.manager.key, '/v1/contexts/bounded', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toEqual({ code: 'invalid_date', message: expect.any(String) });
    }
    expect((await get(harness.app, acme.manager.key, '/v1/contexts/bounded')).json()).toEqual(created);
  });

  it.each([
    ['the collection', { collectionId: 'ctx-course' }],
    ['the identifier', { identifier: 'moved' }],
    ['to an unknown policy', { enrollment: 'closed' }],
    ['to an empty name', { name: '' }],
  ])('refuses to change %s with 400 validation_failed', async (_label, body) => {
    const created = await createContext(acme.manager.key, {
      identifier: `frozen-${Object.keys(body)[0]}-${String(Object.values(body)[0]).length}`,
      collectionId: 'patch-ctx-course',
    });
    const response = await patch(acme.manager.key, `/v1/contexts/${created.identifier}`, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect((await get(harness.app, acme.manager.key, `/v1/contexts/${created.identifier}`)).json()).toEqual(created);
  });

  it('answers 404 context_not_found for an unknown context', async () => {
    const response = await patch(acme.manager.key, '/v1/contexts/no-such-batch', { name: 'X' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('context_not_found');
  });
});

describe('DELETE /v1/contexts/:identifier', () => {
  it('deletes: 404 afterwards, gone from lists, the identifier free again', async () => {
    await createCollection(acme.manager.key, { identifier: 'del-ctx-course', name: 'Delete contexts', contents: twoContents });
    await createContext(acme.manager.key, { identifier: 'short-lived', collectionId: 'del-ctx-course' });
    await enroll(acme.manager.key, 'short-lived', ['learner-1']);

    const response = await del(harness.app, acme.manager.key, '/v1/contexts/short-lived');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Context short-lived deleted.' });
    for (const url of ['/v1/contexts/short-lived', '/v1/contexts/short-lived/enrollments']) {
      const gone = await get(harness.app, acme.manager.key, url);
      expect(gone.statusCode, url).toBe(404);
      expect(gone.json().code).toBe('context_not_found');
    }
    const again = await del(harness.app, acme.manager.key, '/v1/contexts/short-lived');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('context_not_found');
    const list = (await get(harness.app, acme.manager.key, '/v1/contexts?collectionId=del-ctx-course')).json();
    expect(list).toEqual({ count: 0, next: null, previous: null, results: [] });

    const recreated = await createContext(acme.manager.key, { identifier: 'short-lived', collectionId: 'del-ctx-course', name: 'Again' });
    expect(recreated.name).toBe('Again');
    const enrollments = (await get(harness.app, acme.manager.key, '/v1/contexts/short-lived/enrollments')).json();
    expect(enrollments).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});

describe('enrollments', () => {
  beforeAll(async () => {
    await createCollection(acme.manager.key, { identifier: 'enrol-course', name: 'Enrol course', contents: twoContents });
  });

  it('enrolls several learners at once, a learner named twice once', async () => {
    await createContext(acme.manager.key, { identifier: 'cohort-a', collectionId: 'enrol-course' });
    const response = await post(harness.app, acme.manager.key, '/v1/contexts/cohort-a/enrollments', {
      userIds: ['ana@example.com', 'ben', 'ana@example.com', 'chen'],
    });
    expect(response.statusCode).toBe(200);
    const { enrollments } = response.json<{ enrollments: EnrollmentJson[] }>();
    expect(enrollments).toEqual(
      ['ana@example.com', 'ben', 'chen'].map((userId) => ({
        userId,
        contextId: 'cohort-a',
        enrolledDate: expect.any(Number),
        active: true,
        status: 0,
        progress: 0,
      })),
    );
    for (const e of enrollments) expect(new Date(e.enrolledDate).toISOString()).toMatch(ISO);

    const list = await get(harness.app, acme.member.key, '/v1/contexts/cohort-a/enrollments');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ count: 3, next: null, previous: null, results: enrollments });

    const repeat = await enroll(acme.manager.key, 'cohort-a', ['ben', 'dana']);
    expect(repeat).toEqual([enrollments[1], { ...enrollments[0], userId: 'dana', enrolledDate: expect.any(Number) }]);
    expect((await get(harness.app, acme.member.key, '/v1/contexts/cohort-a/enrollments')).json().count).toBe(4);
  });

  it('lists enrollments in the order learners were enrolled, by page', async () => {
    await createContext(acme.manager.key, { identifier: 'cohort-paged', collectionId: 'enrol-course' });
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const enrolled = await enroll(acme.manager.key, 'cohort-paged', users);
    const first = await get(harness.app, acme.member.key, '/v1/contexts/cohort-paged/enrollments?page_size=2');
    expect(first.json()).toEqual({
      count: 5,
      next: 'http://lens.test/v1/contexts/cohort-paged/enrollments?page_size=2&page=2',
      previous: null,
      results: enrolled.slice(0, 2),
    });
    const second = await get(harness.app, acme.member.key, '/v1/contexts/cohort-paged/enrollments?page_size=2&page=2');
    expect(second.json()).toEqual({
      count: 5,
      next: 'http://lens.test/v1/contexts/cohort-paged/enrollments?page_size=2&page=3',
      previous: 'http://lens.test/v1/contexts/cohort-paged/enrollments?page_size=2',
      results: enrolled.slice(2, 4),
    });
    const third = await get(harness.app, acme.member.key, '/v1/contexts/cohort-paged/enrollments?page_size=2&page=3');
    expect(third.json()).toMatchObject({ next: null, results: enrolled.slice(4) });
    const beyond = await get(harness.app, acme.member.key, '/v1/contexts/cohort-paged/enrollments?page_size=2&page=4');
    expect(beyond.statusCode).toBe(404);
    expect(beyond.json().code).toBe('invalid_page');
  });

  it('ends an enrollment: inactive and kept; enrolling again makes the same enrollment active', async () => {
    await createContext(acme.manager.key, { identifier: 'cohort-ending', collectionId: 'enrol-course' });
    const [ana, ben] = await enroll(acme.manager.key, 'cohort-ending', ['ana@example.com', 'ben']);

    const ended = await del(harness.app, acme.manager.key, '/v1/contexts/cohort-ending/enrollments/ana@example.com');
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ message: 'ana@example.com is no longer enrolled in cohort-ending.' });
    const afterEnd = (await get(harness.app, acme.manager.key, '/v1/contexts/cohort-ending/enrollments')).json();
    expect(afterEnd).toEqual({ count: 2, next: null, previous: null, results: [{ ...ana, active: false }, ben] });

    const endedTwice = await del(harness.app, acme.manager.key, '/v1/contexts/cohort-ending/enrollments/ana@example.com');
    expect(endedTwice.statusCode).toBe(200);

    const [again] = await enroll(acme.manager.key, 'cohort-ending', ['ana@example.com']);
    expect(again).toEqual({ ...ana, active: true });
    const afterReenroll = (await get(harness.app, acme.manager.key, '/v1/contexts/cohort-ending/enrollments')).json();
    expect(afterReenroll).toEqual({ count: 2, next: null, previous: null, results: [ana, ben] });
  });

  it('enrolls a learner named by concurrent requests once, answering every request', async () => {
    await createContext(acme.manager.key, { identifier: 'cohort-race', collectionId: 'enrol-course' });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => post(harness.app, acme.manager.key, '/v1/contexts/cohort-race/enrollments', { userIds: ['racer', 'other-racer'] })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    const list = (await get(harness.app, acme.manager.key, '/v1/contexts/cohort-race/enrollments')).json();
    expect(list.count).toBe(2);
    for (const response of responses) expect(response.json().enrollments).toEqual(list.results);
  });

  it('answers 404 for a learner not enrolled and for an unknown context', async () => {
    await createContext(acme.manager.key, { identifier: 'cohort-404', collectionId: 'enrol-course' });
    const notEnrolled = await del(harness.app, acme.manager.key, '/v1/contexts/cohort-404/enrollments/nobody');
    expect(notEnrolled.statusCode).toBe(404);
    expect(notEnrolled.json()).toEqual({ code: 'enrollment_not_found', message: expect.any(String) });
    for (const [method, url, body] of [
      ['GET', '/v1/contexts/no-such-batch/enrollments', undefined],
      ['POST', '/v1/contexts/no-such-batch/enrollments', { userIds: ['u1'] }],
      ['DELETE', '/v1/contexts/no-such-batch/enrollments/u1', undefined],
    ] as const) {
      const response = await harness.app.inject({ method, url, headers: { 'x-api-key': acme.manager.key }, ...(body ? { payload: body } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().code).toBe('context_not_found');
    }
  });

  it.each([
    ['no userIds', {}],
    ['an empty list', { userIds: [] }],
    ['an empty user id', { userIds: ['ok', ''] }],
    ['a user id that is a number', { userIds: [42] }],
    ['an unknown field', { userIds: ['u1'], notify: true }],
  ])('refuses %s with 400 validation_failed, enrolling nobody', async (_label, body) => {
    await createContext(acme.manager.key, { identifier: `cohort-invalid-${_label.replaceAll(' ', '-')}`, collectionId: 'enrol-course' });
    const url = `/v1/contexts/cohort-invalid-${_label.replaceAll(' ', '-')}/enrollments`;
    const response = await post(harness.app, acme.manager.key, url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    expect((await get(harness.app, acme.manager.key, url)).json().count).toBe(0);
  });
});

describe('roles', () => {
  let tenant: Tenant;
  let collection: CollectionJson;
  let context: ContextJson;
  let enrollments: EnrollmentJson[];

  beforeAll(async () => {
    tenant = await harness.createTenant('Roles');
    collection = await createCollection(tenant.manager.key, { identifier: 'roles-course', name: 'Roles', contents: twoContents });
    context = await createContext(tenant.manager.key, { identifier: 'roles-batch', collectionId: 'roles-course' });
    enrollments = await enroll(tenant.manager.key, 'roles-batch', ['learner-1']);
  });

  it('lets members read collections, contexts and enrollments', async () => {
    const reads: [string, unknown][] = [
      ['/v1/collections', { count: 1, next: null, previous: null, results: [collection] }],
      ['/v1/collections/roles-course', collection],
      ['/v1/contexts', { count: 1, next: null, previous: null, results: [context] }],
      ['/v1/contexts?collectionId=roles-course', { count: 1, next: null, previous: null, results: [context] }],
      ['/v1/contexts/roles-batch', context],
      ['/v1/contexts/roles-batch/enrollments', { count: 1, next: null, previous: null, results: enrollments }],
    ];
    for (const [url, expected] of reads) {
      const response = await get(harness.app, tenant.member.key, url);
      expect(response.statusCode, url).toBe(200);
      expect(response.json()).toEqual(expected);
    }
  });

  it.each([
    ['POST', '/v1/collections', { identifier: 'member-course', name: 'M', contents: twoContents }],
    ['PATCH', '/v1/collections/roles-course', { name: 'Member rename' }],
    ['DELETE', '/v1/collections/roles-course', undefined],
    ['POST', '/v1/contexts', { identifier: 'member-batch', collectionId: 'roles-course', name: 'M', enrollment: 'open' }],
    ['PATCH', '/v1/contexts/roles-batch', { name: 'Member rename' }],
    ['DELETE', '/v1/contexts/roles-batch', undefined],
    ['POST', '/v1/contexts/roles-batch/enrollments', { userIds: ['intruder'] }],
    ['DELETE', '/v1/contexts/roles-batch/enrollments/learner-1', undefined],
  ] as const)('refuses a member %s %s with 403 manager_role_required, changing nothing', async (method, url, body) => {
    const response = await harness.app.inject({
      method,
      url,
      headers: { 'x-api-key': tenant.member.key },
      ...(body ? { payload: body } : {}),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ code: 'manager_role_required', message: expect.any(String) });
    expect((await get(harness.app, tenant.manager.key, '/v1/collections')).json().results).toEqual([collection]);
    expect((await get(harness.app, tenant.manager.key, '/v1/contexts')).json().results).toEqual([context]);
    expect((await get(harness.app, tenant.manager.key, '/v1/contexts/roles-batch/enrollments')).json().results).toEqual(enrollments);
  });

  it.each([
    ['no key', undefined, 'authentication_required'],
    ['an unknown key', 'sl_not-a-real-key', 'invalid_api_key'],
  ])('refuses a request with %s with 401', async (_label, key, code) => {
    for (const url of ['/v1/collections', '/v1/contexts', '/v1/contexts/roles-batch/enrollments']) {
      const response = await get(harness.app, key, url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toEqual({ code, message: expect.any(String) });
    }
    const write = await post(harness.app, key, '/v1/collections', { identifier: 'anon', name: 'Anon', contents: twoContents });
    expect(write.statusCode).toBe(401);
  });
});

describe('organizations', () => {
  let north: Tenant;
  let south: Tenant;

  beforeAll(async () => {
    north = await harness.createTenant('North');
    south = await harness.createTenant('South');
    await createCollection(north.manager.key, { identifier: 'north-only', name: 'North only', contents: twoContents });
    await createContext(north.manager.key, { identifier: 'north-batch', collectionId: 'north-only' });
    await enroll(north.manager.key, 'north-batch', ['north-learner']);
  });

  it("answers 404 for another organization's collections, contexts and enrollments, changing nothing", async () => {
    const before = {
      collection: (await get(harness.app, north.manager.key, '/v1/collections/north-only')).json(),
      context: (await get(harness.app, north.manager.key, '/v1/contexts/north-batch')).json(),
      enrollments: (await get(harness.app, north.manager.key, '/v1/contexts/north-batch/enrollments')).json(),
    };
    const attempts = [
      ['GET', '/v1/collections/north-only', undefined, 'collection_not_found'],
      ['PATCH', '/v1/collections/north-only', { name: 'Hijacked' }, 'collection_not_found'],
      ['DELETE', '/v1/collections/north-only', undefined, 'collection_not_found'],
      ['POST', '/v1/contexts', { identifier: 'south-on-north', collectionId: 'north-only', name: 'S', enrollment: 'open' }, 'collection_not_found'],
      ['GET', '/v1/contexts/north-batch', undefined, 'context_not_found'],
      ['PATCH', '/v1/contexts/north-batch', { name: 'Hijacked' }, 'context_not_found'],
      ['DELETE', '/v1/contexts/north-batch', undefined, 'context_not_found'],
      ['GET', '/v1/contexts/north-batch/enrollments', undefined, 'context_not_found'],
      ['POST', '/v1/contexts/north-batch/enrollments', { userIds: ['south-learner'] }, 'context_not_found'],
      ['DELETE', '/v1/contexts/north-batch/enrollments/north-learner', undefined, 'context_not_found'],
    ] as const;
    for (const [method, url, body, code] of attempts) {
      const response = await harness.app.inject({ method, url, headers: { 'x-api-key': south.manager.key }, ...(body ? { payload: body } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toEqual({ code, message: expect.any(String) });
    }
    expect((await get(harness.app, south.manager.key, '/v1/collections')).json().count).toBe(0);
    expect((await get(harness.app, south.manager.key, '/v1/contexts')).json().count).toBe(0);
    expect((await get(harness.app, south.manager.key, '/v1/contexts?collectionId=north-only')).json().count).toBe(0);
    expect((await get(harness.app, north.manager.key, '/v1/collections/north-only')).json()).toEqual(before.collection);
    expect((await get(harness.app, north.manager.key, '/v1/contexts/north-batch')).json()).toEqual(before.context);
    expect((await get(harness.app, north.manager.key, '/v1/contexts/north-batch/enrollments')).json()).toEqual(before.enrollments);
  });

  it('lets two organizations use the same identifiers, each seeing only its own', async () => {
    const west = await harness.createTenant('West');
    const east = await harness.createTenant('East');
    const westCourse = await createCollection(west.manager.key, { identifier: 'shared', name: 'West course', contents: [{ contentId: 'w', name: 'W' }] });
    const eastCourse = await createCollection(east.manager.key, { identifier: 'shared', name: 'East course', contents: [{ contentId: 'e', name: 'E' }] });
    const westBatch = await createContext(west.manager.key, { identifier: 'shared-batch', collectionId: 'shared', name: 'West batch' });
    const eastBatch = await createContext(east.manager.key, { identifier: 'shared-batch', collectionId: 'shared', name: 'East batch' });
    await enroll(west.manager.key, 'shared-batch', ['same-user']);

    expect((await get(harness.app, west.member.key, '/v1/collections/shared')).json()).toEqual(westCourse);
    expect((await get(harness.app, east.member.key, '/v1/collections/shared')).json()).toEqual(eastCourse);
    expect((await get(harness.app, west.member.key, '/v1/contexts/shared-batch')).json()).toEqual(westBatch);
    expect((await get(harness.app, east.member.key, '/v1/contexts/shared-batch')).json()).toEqual(eastBatch);
    expect((await get(harness.app, east.member.key, '/v1/contexts/shared-batch/enrollments')).json().count).toBe(0);
    expect((await get(harness.app, west.member.key, '/v1/contexts/shared-batch/enrollments')).json().count).toBe(1);

    expect((await del(harness.app, east.manager.key, '/v1/contexts/shared-batch')).statusCode).toBe(200);
    expect((await del(harness.app, east.manager.key, '/v1/collections/shared')).statusCode).toBe(200);
    expect((await get(harness.app, west.member.key, '/v1/collections/shared')).json()).toEqual(westCourse);
    expect((await get(harness.app, west.member.key, '/v1/contexts/shared-batch')).json()).toEqual(westBatch);
  });
});

describe('GET /openapi.json', () => {
  it('documents every collections, contexts and enrollments route', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ paths: Record<string, Record<string, { tags?: string[] }>>; components: { schemas: Record<string, unknown> } }>();
    const expected: Record<string, string[]> = {
      '/v1/collections': ['get', 'post'],
      '/v1/collections/{identifier}': ['delete', 'get', 'patch'],
      '/v1/contexts': ['get', 'post'],
      '/v1/contexts/{identifier}': ['delete', 'get', 'patch'],
      '/v1/contexts/{identifier}/enrollments': ['get', 'post'],
      '/v1/contexts/{identifier}/enrollments/{userId}': ['delete'],
    };
    for (const [route, methods] of Object.entries(expected)) {
      expect(Object.keys(document.paths[route] ?? {}).sort(), route).toEqual(methods);
      for (const method of methods) expect(document.paths[route]?.[method]?.tags, `${method} ${route}`).toEqual(['Collections']);
    }
    // Named schemas are listed under generated keys; what a client generator uses is the title the $ref leads to.
    const titleOf = (route: string, method: string, status: string) => {
      const operation = document.paths[route]?.[method] as { responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }> };
      const ref = operation.responses[status]?.content['application/json']?.schema.$ref ?? '';
      return (document.components.schemas[ref.replace('#/components/schemas/', '')] as { title?: string } | undefined)?.title;
    };
    expect(titleOf('/v1/collections/{identifier}', 'get', '200')).toBe('Collection');
    expect(titleOf('/v1/collections', 'post', '201')).toBe('Collection');
    expect(titleOf('/v1/contexts/{identifier}', 'get', '200')).toBe('Context');
    expect(titleOf('/v1/contexts', 'post', '201')).toBe('Context');
  });
});

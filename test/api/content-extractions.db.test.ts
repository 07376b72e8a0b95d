import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { ISO } from '../support/progress.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';
import { writeZip } from '../support/zip-writer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let harness: Harness;
let acme: Tenant;
let globex: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;
let coursePath: string;

const extractionRow = (id: number) =>
  harness.context.database.db.selectFrom('content_extractions').selectAll().where('id', '=', id).executeTakeFirst();

beforeAll(async () => {
  harness = await startHarness({ worker: true });
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
  packages = await packagesDir();
  coursePath = await writeScormPackage(path.join(packages.dir, 'safety.zip'), 'Workplace Safety', ['Intro', 'Fire exits']);
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

/** Download links are signed afresh on every read; compare what they point at. */
function stable<T extends { download_link: string | null }>(extraction: T) {
  return { ...extraction, download_link: extraction.download_link && new URL(extraction.download_link).pathname };
}

async function uploadAndWait(key: string, file = coursePath, status = 'content_extraction_completed', name?: string) {
  const response = await upload(harness.app, key, { file: { path: file, name } });
  expect(response.statusCode).toBe(200);
  const id: number = response.json().scorm_file_id;
  return eventually(
    async () => {
      const body = (await get(harness.app, key, `/v1/scorm-files/${id}/`)).json();
      return body.status === status ? body : undefined;
    },
    20_000,
    `file ${id} to reach ${status}`,
  );
}

describe('names a user gives a package', () => {
  it.each([
    ['86 CJK characters', `${'安全培训课程'.repeat(14)}课程.zip`],
    ['122 Cyrillic characters', `${'Охрана'.repeat(20)}тр.zip`],
    ['60 emoji', `${'🦺'.repeat(60)}.zip`],
    ['the name of the results folder', 'content_extractions'],
    ['a name longer than any file system allows', `${'é'.repeat(600)}.zip`],
  ])('keeps %s for display and extracts the package', async (_label, name) => {
    const file = await uploadAndWait(acme.member.key, coursePath, 'content_extraction_completed', name);
    expect(file.file_name).toBe(name);
    const key: string = file.storage_path;
    expect(Buffer.byteLength(key.split('/').pop() ?? '')).toBeLessThanOrEqual(200);
    expect(key.startsWith(`${acme.slug}/scorm-files/${file.id}/`)).toBe(true);
    const markdown = await get(harness.app, acme.member.key, `/v1/content-extractions/${file.last_extraction.id}/markdown/`);
    expect(markdown.statusCode).toBe(200);
    expect(markdown.body).toContain('Workplace Safety');
  });
});

describe('the extraction that starts on upload', () => {
  it('completes and its download_link serves the result JSON', async () => {
    const file = await uploadAndWait(acme.member.key);
    const extraction = file.last_extraction;
    expect(file.content_extractions).toEqual([extraction]);
    expect(extraction).toEqual({
      id: extraction.id,
      status: 'completed',
      started_at: expect.stringMatching(ISO),
      finished_at: expect.stringMatching(ISO),
      file_id: file.id,
      final_output_path: `${acme.slug}/scorm-files/${file.id}/content_extractions/${extraction.id}/safety.zip.json`,
      file_name: 'safety.zip',
      download_link: expect.stringMatching(/^http:\/\/lens\.test\/v1\/downloads\/.+\?expires=\d+&signature=[\w-]+$/),
      is_deleted: false,
      deleted_at: null,
      deleted_by: null,
      remarks: 'Extraction completed.',
    });
    expect(file.remark).toBe('File uploaded and processed successfully.');
    const download = await harness.app.inject({ method: 'GET', url: extraction.download_link.replace('http://lens.test', '') });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('application/json');
    const result = download.json();
    expect(result.package).toMatchObject({ standard: 'scorm', version: '1.2', title: 'Workplace Safety' });
    expect(result.organizations[0].items.map((i: { title: string }) => i.title)).toEqual(['Intro', 'Fire exits']);

    const markdown = await get(harness.app, acme.member.key, `/v1/content-extractions/${extraction.id}/markdown`);
    expect(markdown.statusCode).toBe(200);
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toMatch(/^# Workplace Safety\n/);
    expect(markdown.body).toContain('## Outline\n\n- Intro\n- Fire exits');
    const outsider = await get(harness.app, globex.manager.key, `/v1/content-extractions/${extraction.id}/markdown`);
    expect(outsider.statusCode).toBe(404);
  });

  it('fails a package without a manifest, saying why in remarks', async () => {
    const noManifest = path.join(packages.dir, 'no-manifest.zip');
    await writeZip(noManifest, [{ name: 'index.html', data: '<p>hello</p>' }]);
    const file = await uploadAndWait(acme.member.key, noManifest, 'failed');
    expect(file.last_extraction).toMatchObject({ status: 'failed', download_link: null, final_output_path: null });
    expect(file.last_extraction.remarks).toContain('[manifest_not_found]');
    expect(file.remark).toContain('Content extraction failed');
    const markdown = await get(harness.app, acme.member.key, `/v1/content-extractions/${file.last_extraction.id}/markdown`);
    expect(markdown.statusCode).toBe(409);
    expect(markdown.json().code).toBe('extraction_not_completed');
  });

  it('fails a file that is not a zip at preparation, without an extraction', async () => {
    const notZip = path.join(packages.dir, 'notes.zip');
    await import('node:fs').then((fs) => fs.promises.writeFile(notZip, '# just markdown\n'));
    const file = await uploadAndWait(acme.member.key, notZip, 'failed');
    expect(file.content_extractions).toEqual([]);
    expect(file.remark).toContain('[not_a_zip]');
  });
});

describe('POST /v1/content-extractions/', () => {
  it('dispatches a new extraction with the queue message id and the full file', async () => {
    const file = await uploadAndWait(acme.manager.key);
    const response = await post(harness.app, acme.manager.key, '/v1/content-extractions/', { file_id: file.id });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      extraction_id: expect.any(Number),
      status: 'dispatched',
      started_at: expect.stringMatching(ISO),
      scorm_file_id: file.id,
      scorm_file: expect.objectContaining({ id: file.id, file_name: 'safety.zip' }),
      sqs_message_id: expect.stringMatching(UUID),
    });
    expect(body.extraction_id).not.toBe(file.last_extraction.id);
    expect(body.scorm_file.content_extractions.map((e: { id: number }) => e.id)).toEqual([
      file.last_extraction.id,
      body.extraction_id,
    ]);
    const stored = await extractionRow(body.extraction_id);
    expect(stored?.queue_message_id).toBe(body.sqs_message_id);
    const done = await eventually(async () => {
      const e = (await get(harness.app, acme.manager.key, `/v1/content-extractions/${body.extraction_id}/`)).json();
      return e.status === 'completed' ? e : undefined;
    });
    expect(done.remarks).toBe('Extraction completed.');
  });

  it.each([
    ['an unknown file', { file_id: 999999 }, 404, 'scorm_file_not_found'],
    ['no file_id', {}, 400, 'validation_failed'],
    ['a file_id that is text', { file_id: 'abc' }, 400, 'validation_failed'],
    ['a file_id of zero', { file_id: 0 }, 400, 'validation_failed'],
  ])('refuses %s', async (_label, body, status, code) => {
    const response = await post(harness.app, acme.manager.key, '/v1/content-extractions/', body);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });

  it("refuses another organization's file and another member's file as not found", async () => {
    const file = await uploadAndWait(acme.member.key);
    const colleague = await harness.addUser(acme, 'member');
    for (const key of [globex.manager.key, colleague.key]) {
      const response = await post(harness.app, key, '/v1/content-extractions/', { file_id: file.id });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('scorm_file_not_found');
    }
  });
});

describe('GET /v1/content-extractions/', () => {
  it('lists only visible extractions, newest first, paginated', async () => {
    const tenant = await harness.createTenant('Lister');
    const first = await uploadAndWait(tenant.member.key);
    const second = await uploadAndWait(tenant.manager.key);
    const managerList = (await get(harness.app, tenant.manager.key, '/v1/content-extractions/?page_size=1')).json();
    expect(managerList).toMatchObject({
      count: 2,
      previous: null,
      next: 'http://lens.test/v1/content-extractions/?page_size=1&page=2',
    });
    expect(managerList.results.map(stable)).toEqual([stable(second.last_extraction)]);
    const memberList = (await get(harness.app, tenant.member.key, '/v1/content-extractions/')).json();
    expect({ ...memberList, results: memberList.results.map(stable) }).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [stable(first.last_extraction)],
    });
    const outsider = (await get(harness.app, globex.manager.key, '/v1/content-extractions/')).json();
    expect(outsider.results.map((e: { file_id: number }) => e.file_id)).not.toContain(first.id);
  });
});

describe('GET /v1/content-extractions/{id}/', () => {
  it('answers the extraction, and 404 outside its scope or after the file is deleted', async () => {
    const file = await uploadAndWait(acme.member.key);
    const id = file.last_extraction.id;
    const own = await get(harness.app, acme.member.key, `/v1/content-extractions/${id}/`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id, status: 'completed', file_id: file.id, file_name: 'safety.zip' });
    for (const [key, url] of [
      [globex.manager.key, `/v1/content-extractions/${id}/`],
      [acme.manager.key, '/v1/content-extractions/999999/'],
      [acme.manager.key, '/v1/content-extractions/x1/'],
    ] as const) {
      const response = await get(harness.app, key, url);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('content_extraction_not_found');
    }
    await harness.app.inject({ method: 'DELETE', url: `/v1/scorm-files/${file.id}/`, headers: { 'x-api-key': acme.member.key } });
    expect((await get(harness.app, acme.member.key, `/v1/content-extractions/${id}/`)).statusCode).toBe(404);
    const row = await extractionRow(id);
    expect(row).toMatchObject({ deleted_by: acme.member.id, deleted_at: expect.any(Number) });
  });
});

describe('POST /v1/content-extractions/{id}/restart/', () => {
  it('runs the same extraction again under a new queue message', async () => {
    const file = await uploadAndWait(acme.member.key);
    const id = file.last_extraction.id;
    const before = await extractionRow(id);
    const response = await post(harness.app, acme.member.key, `/v1/content-extractions/${id}/restart/`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      message: 'Extraction restarted',
      extraction_id: id,
      status: 'dispatched',
      started_at: expect.stringMatching(ISO),
      scorm_file_id: file.id,
      scorm_file: expect.objectContaining({ id: file.id }),
      sqs_message_id: expect.stringMatching(UUID),
    });
    expect(body.sqs_message_id).not.toBe(before?.queue_message_id);
    const done = await eventually(async () => {
      const e = (await get(harness.app, acme.member.key, `/v1/content-extractions/${id}/`)).json();
      return e.status === 'completed' ? e : undefined;
    });
    expect(done.download_link).not.toBeNull();
    expect((await get(harness.app, acme.member.key, `/v1/scorm-files/${file.id}/`)).json().content_extractions).toHaveLength(1);
  });

  it("answers 404 for another organization's extraction", async () => {
    const file = await uploadAndWait(acme.member.key);
    const response = await post(harness.app, globex.member.key, `/v1/content-extractions/${file.last_extraction.id}/restart/`);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('content_extraction_not_found');
  });
});

describe('download links', () => {
  it('refuse a tampered signature and an expired link', async () => {
    const file = await uploadAndWait(acme.member.key);
    const link = new URL(file.last_extraction.download_link);
    const tampered = `${link.pathname}?expires=${link.searchParams.get('expires')}&signature=AAAA${link.searchParams.get('signature')?.slice(4)}`;
    const bad = await harness.app.inject({ method: 'GET', url: tampered });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().code).toBe('invalid_signature');
    const key = decodeURIComponent(link.pathname.replace('/v1/downloads/', ''));
    const { expires, signature } = harness.context.linkSigner.sign(key, 60, Date.now() - 3_600_000);
    const expired = await harness.app.inject({ method: 'GET', url: `${link.pathname}?expires=${expires}&signature=${signature}` });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().code).toBe('link_expired');
    const otherPath = link.pathname.replace('.json', '.zip');
    const moved = await harness.app.inject({ method: 'GET', url: `${otherPath}${link.search}` });
    expect(moved.statusCode).toBe(403);
  });
});

describe('a file that is not ready', () => {
  let idle: Harness;
  beforeAll(async () => {
    idle = await startHarness();
  });
  afterAll(() => idle.close());

  it('cannot be extracted while it is still being prepared', async () => {
    const tenant = await idle.createTenant('Idle');
    const uploaded = await upload(idle.app, tenant.manager.key, { file: { path: coursePath } });
    const response = await post(idle.app, tenant.manager.key, '/v1/content-extractions/', {
      file_id: uploaded.json().scorm_file_id,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('scorm_file_not_ready');
  });
});

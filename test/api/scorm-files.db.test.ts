import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { del, eventually, get, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { ISO } from '../support/progress.js';

const zipBytes = (label: string) => Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(label.repeat(50))]);

let harness: Harness;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
  globex = await harness.createTenant('Globex');
});
afterAll(() => harness.close());

async function uploadAs(key: string, name = 'course.zip', batchName?: string) {
  const response = await upload(harness.app, key, { file: { data: zipBytes(name), name }, batchName });
  expect(response.statusCode).toBe(200);
  return response.json<{ scorm_file_id: number }>().scorm_file_id;
}

describe('POST /v1/scorm-files/upload/ (multipart)', () => {
  it('stores the file and answers with every field of the document', async () => {
    const data = zipBytes('golf');
    const response = await upload(harness.app, acme.member.key, {
      file: { data, name: 'golf.zip' },
      batchName: 'spring-2026',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const id = body.scorm_file_id;
    expect(body).toEqual({
      scorm_file_id: id,
      file_name: 'golf.zip',
      message: 'File is being processed and content extraction will start automatically.',
      scorm_file: {
        id,
        file_name: 'golf.zip',
        user: acme.member.id,
        status: 'processing',
        storage_path: `${acme.slug}/scorm-files/${id}/golf.zip`,
        batch_name: 'spring-2026',
        file_size: Math.round((data.length / 1024 / 1024) * 100) / 100,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        content_extractions: [],
        last_extraction: null,
        public_url: null,
        is_deleted: false,
        deleted_at: null,
        deleted_by: null,
        remark: 'File uploaded and validation started.',
        client_ip: '127.0.0.1',
        api_key_name: 'member key',
      },
    });
    const stored = await buffer(await harness.context.storage.read(body.scorm_file.storage_path));
    expect(stored.equals(data)).toBe(true);
  });

  it('accepts batch_name after the file part and keeps the file name safe', async () => {
    const form = new FormData();
    form.append('file', new Blob([zipBytes('x')]), '../../etc/passwd.zip');
    form.append('batch_name', 'late-field');
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/scorm-files/upload',
      headers: { 'x-api-key': acme.manager.key },
      payload: form,
    });
    expect(response.statusCode).toBe(200);
    const file = response.json().scorm_file;
    expect(file.batch_name).toBe('late-field');
    expect(file.file_name).toBe('passwd.zip');
    expect(file.storage_path).toBe(`${acme.slug}/scorm-files/${file.id}/passwd.zip`);
  });

  it.each([
    ['no file part', { batchName: 'b' }, 'file_missing'],
    ['an empty file', { file: { data: Buffer.alloc(0), name: 'empty.zip' } }, 'file_empty'],
  ])('refuses %s without recording anything', async (_label, input, code) => {
    const response = await upload(harness.app, globex.manager.key, input);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code, message: expect.any(String) });
    expect((await get(harness.app, globex.manager.key, '/v1/scorm-files/')).json().count).toBe(0);
  });

  it('refuses a file sent under another field name', async () => {
    const form = new FormData();
    form.append('package', new Blob([zipBytes('y')]), 'y.zip');
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/scorm-files/upload/',
      headers: { 'x-api-key': globex.manager.key },
      payload: form,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'unexpected_file', message: expect.any(String) });
    expect((await get(harness.app, globex.manager.key, '/v1/scorm-files/')).json().count).toBe(0);
  });

  it('refuses two files in one upload', async () => {
    const form = new FormData();
    form.append('file', new Blob([zipBytes('a')]), 'a.zip');
    form.append('file', new Blob([zipBytes('b')]), 'b.zip');
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/scorm-files/upload/',
      headers: { 'x-api-key': globex.member.key },
      payload: form,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('too_many_files');
  });

  it('refuses bodies that are neither multipart nor JSON', async () => {
    const plain = await harness.app.inject({
      method: 'POST',
      url: '/v1/scorm-files/upload/',
      headers: { 'x-api-key': acme.member.key, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().code).toBe('unsupported_media_type');
    const none = await post(harness.app, acme.member.key, '/v1/scorm-files/upload/');
    expect(none.statusCode).toBe(415);
    expect(none.json().code).toBe('unsupported_media_type');
  });
});

describe('POST /v1/scorm-files/upload/ (JSON public_url)', () => {
  it('registers a public URL for the worker to download', async () => {
    const response = await post(harness.app, acme.member.key, '/v1/scorm-files/upload/', {
      public_url: 'https://cdn.example.com/files/your-file.zip',
      batch_name: 'example_batch_name',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.file_name).toBe('your-file.zip');
    expect(body.scorm_file).toMatchObject({
      status: 'processing',
      public_url: 'https://cdn.example.com/files/your-file.zip',
      batch_name: 'example_batch_name',
      file_size: null,
      storage_path: `${acme.slug}/scorm-files/${body.scorm_file_id}/your-file.zip`,
      content_extractions: [],
      last_extraction: null,
    });
  });

  it.each([
    ['a loopback address', 'http://127.0.0.1/course.zip', 'public_url_private_address'],
    ['a private address', 'http://10.1.2.3/course.zip', 'public_url_private_address'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data', 'public_url_private_address'],
    ['an IPv6 loopback', 'http://[::1]/course.zip', 'public_url_private_address'],
    ['an IPv4-mapped private address', 'http://[::ffff:192.168.0.1]/course.zip', 'public_url_private_address'],
    ['a name that resolves to loopback', 'http://localhost/course.zip', 'public_url_private_address'],
    ['another scheme', 'file:///etc/passwd', 'public_url_invalid'],
    ['credentials in the URL', 'https://user:secret@cdn.example.com/a.zip', 'public_url_invalid'],
    ['text that is no URL', 'not a url', 'public_url_invalid'],
  ])('refuses %s', async (_label, publicUrl, code) => {
    const response = await post(harness.app, globex.member.key, '/v1/scorm-files/upload/', { public_url: publicUrl });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code, message: expect.any(String) });
  });

  it.each([
    ['malformed JSON', '{"public_url": ', 'invalid_json'],
    ['JSON without public_url', '{"batch_name": "x"}', 'validation_failed'],
    ['an unknown field', '{"public_url": "https://a.example/x.zip", "admin": true}', 'validation_failed'],
    ['a batch_name that is not text', '{"public_url": "https://a.example/x.zip", "batch_name": 5}', 'validation_failed'],
  ])('answers %s with a stable code', async (_label, payload, code) => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/scorm-files/upload/',
      headers: { 'x-api-key': globex.member.key, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
  });
});

describe('authentication', () => {
  it.each([
    ['no key', undefined, 'authentication_required'],
    ['an unknown key', 'sl_not-a-real-key', 'invalid_api_key'],
  ])('refuses a request with %s', async (_label, key, code) => {
    const response = await get(harness.app, key, '/v1/scorm-files/');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ code, message: expect.any(String) });
  });
});

describe('GET /v1/scorm-files/{id}/', () => {
  it('shows a member their own file and a manager every file of the organization', async () => {
    const id = await uploadAs(acme.member.key, 'mine.zip');
    const own = await get(harness.app, acme.member.key, `/v1/scorm-files/${id}/`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id, file_name: 'mine.zip', user: acme.member.id, content_extractions: [] });
    const manager = await get(harness.app, acme.manager.key, `/v1/scorm-files/${id}`);
    expect(manager.statusCode).toBe(200);
    expect(manager.json()).toEqual(own.json());
  });

  it('answers 404 for another member, another organization, unknown and malformed ids', async () => {
    const id = await uploadAs(acme.member.key);
    const colleague = await harness.addUser(acme, 'member');
    for (const [key, url] of [
      [colleague.key, `/v1/scorm-files/${id}/`],
      [globex.manager.key, `/v1/scorm-files/${id}/`],
      [acme.manager.key, '/v1/scorm-files/999999/'],
      [acme.manager.key, '/v1/scorm-files/abc/'],
      [acme.manager.key, '/v1/scorm-files/-1/'],
    ] as const) {
      const response = await get(harness.app, key, url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toEqual({ code: 'scorm_file_not_found', message: expect.any(String) });
    }
  });
});

describe('GET /v1/scorm-files/', () => {
  it('pages newest first with next and previous links that keep the filters', async () => {
    const tenant = await harness.createTenant('Paging');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await uploadAs(tenant.manager.key, `p${i}.zip`, 'paging'));
    const first = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?page_size=2&batch_name=paging');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      count: 5,
      previous: null,
      next: 'http://lens.test/v1/scorm-files/?page_size=2&batch_name=paging&page=2',
    });
    expect(first.json().results.map((f: { id: number }) => f.id)).toEqual([ids[4], ids[3]]);
    const second = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?page_size=2&batch_name=paging&page=2');
    expect(second.json()).toMatchObject({
      next: 'http://lens.test/v1/scorm-files/?page_size=2&batch_name=paging&page=3',
      previous: 'http://lens.test/v1/scorm-files/?page_size=2&batch_name=paging',
    });
    const last = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?page_size=2&batch_name=paging&page=3');
    expect(last.json().results.map((f: { id: number }) => f.id)).toEqual([ids[0]]);
    expect(last.json().next).toBeNull();
  });

  it('shows each file with last_extraction only and every summary field', async () => {
    const tenant = await harness.createTenant('Summary');
    const id = await uploadAs(tenant.member.key, 'summary.zip');
    const list = await get(harness.app, tenant.member.key, '/v1/scorm-files/');
    const [item] = list.json().results;
    expect(item).not.toHaveProperty('content_extractions');
    const detail = (await get(harness.app, tenant.member.key, `/v1/scorm-files/${id}/`)).json();
    const { content_extractions: _extractions, ...summary } = detail;
    expect(item).toEqual(summary);
  });

  it.each([
    ['page=0', 400],
    ['page=abc', 400],
    ['page_size=0', 400],
    ['page=99', 404],
  ])('answers %s with invalid_page', async (query, status) => {
    const response = await get(harness.app, acme.manager.key, `/v1/scorm-files/?${query}`);
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe('invalid_page');
  });

  it('caps page_size at 100 and answers an empty first page for an empty organization', async () => {
    const tenant = await harness.createTenant('Empty');
    const response = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?page_size=1000');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('filters by status and batch_name and refuses an unknown status', async () => {
    const tenant = await harness.createTenant('Filters');
    await uploadAs(tenant.manager.key, 'a.zip', 'alpha');
    await uploadAs(tenant.manager.key, 'b.zip', 'beta');
    const alpha = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?batch_name=alpha');
    expect(alpha.json().results.map((f: { file_name: string }) => f.file_name)).toEqual(['a.zip']);
    const processing = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?status=processing');
    expect(processing.json().count).toBe(2);
    const failed = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?status=failed');
    expect(failed.json().count).toBe(0);
    const unknown = await get(harness.app, tenant.manager.key, '/v1/scorm-files/?status=done');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('validation_failed');
  });

  it('lists for a member only what they uploaded, and nothing of other organizations', async () => {
    const tenant = await harness.createTenant('Scopes');
    const other = await harness.addUser(tenant, 'member');
    const mine = await uploadAs(tenant.member.key, 'mine.zip');
    const theirs = await uploadAs(other.key, 'theirs.zip');
    const memberView = (await get(harness.app, tenant.member.key, '/v1/scorm-files/')).json();
    expect(memberView.results.map((f: { id: number }) => f.id)).toEqual([mine]);
    const managerView = (await get(harness.app, tenant.manager.key, '/v1/scorm-files/')).json();
    expect(managerView.results.map((f: { id: number }) => f.id)).toEqual([theirs, mine]);
    const outsider = (await get(harness.app, globex.manager.key, '/v1/scorm-files/')).json();
    expect(outsider.results.map((f: { id: number }) => f.id)).not.toContain(mine);
  });
});

describe('DELETE /v1/scorm-files/{id}/', () => {
  it('soft-deletes: 404 afterwards, hidden from lists, the record kept with who deleted it', async () => {
    const tenant = await harness.createTenant('Deleting');
    const id = await uploadAs(tenant.member.key, 'gone.zip');
    const response = await del(harness.app, tenant.member.key, `/v1/scorm-files/${id}/`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: `SCORM file with ID ${id} deleted successfully.` });
    expect((await get(harness.app, tenant.member.key, `/v1/scorm-files/${id}/`)).statusCode).toBe(404);
    expect((await get(harness.app, tenant.manager.key, '/v1/scorm-files/')).json().count).toBe(0);
    expect((await del(harness.app, tenant.member.key, `/v1/scorm-files/${id}/`)).statusCode).toBe(404);
    const row = await harness.context.database.db.selectFrom('scorm_files').selectAll().where('id', '=', id).executeTakeFirst();
    expect(row).toMatchObject({ deleted_by: tenant.member.id, deleted_at: expect.any(Number) });
    expect(fs.existsSync(path.join(harness.config.dataDir, 'objects', row!.storage_path!))).toBe(true);
  });

  it('lets nobody outside the file\'s scope delete it', async () => {
    const tenant = await harness.createTenant('Guarded');
    const id = await uploadAs(tenant.member.key);
    const colleague = await harness.addUser(tenant, 'member');
    for (const key of [colleague.key, globex.manager.key]) {
      const response = await del(harness.app, key, `/v1/scorm-files/${id}/`);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('scorm_file_not_found');
    }
    expect((await get(harness.app, tenant.member.key, `/v1/scorm-files/${id}/`)).statusCode).toBe(200);
    expect((await del(harness.app, tenant.manager.key, `/v1/scorm-files/${id}/`)).statusCode).toBe(200);
  });
});

describe('upload size limit', () => {
  let small: Harness;
  beforeAll(async () => {
    small = await startHarness({ env: { LENS_MAX_UPLOAD_BYTES: '1000' } });
  });
  afterAll(() => small.close());

  it('answers 413 past the limit and leaves no record, object or temp file', async () => {
    const tenant = await small.createTenant('Small');
    const response = await upload(small.app, tenant.manager.key, {
      file: { data: Buffer.alloc(5000, 1), name: 'big.zip' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'payload_too_large', details: { limit_bytes: 1000 } });
    expect((await get(small.app, tenant.manager.key, '/v1/scorm-files/')).json().count).toBe(0);
    expect(fs.readdirSync(path.join(small.config.dataDir, 'tmp'))).toEqual([]);
    expect(fs.existsSync(path.join(small.config.dataDir, 'objects'))).toBe(false);
    const fits = await upload(small.app, tenant.manager.key, { file: { data: Buffer.alloc(900, 1), name: 'ok.zip' } });
    expect(fits.statusCode).toBe(200);
  });
});

describe('an upload the client abandons', () => {
  let live: Harness;
  beforeAll(async () => {
    live = await startHarness({ listen: true });
  });
  afterAll(() => live.close());

  it('leaves no record and no temp file behind', async () => {
    const tenant = await live.createTenant('Abandoned');
    const { port } = new URL(live.baseUrl);
    const boundary = 'lens-boundary';
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      [
        'POST /v1/scorm-files/upload/ HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `X-API-KEY: ${tenant.manager.key}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${10 * 1024 * 1024}`,
        '',
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="half.zip"',
        'Content-Type: application/zip',
        '',
        'PK\x03\x04',
      ].join('\r\n'),
    );
    socket.write(Buffer.alloc(256 * 1024, 7));
    await eventually(async () => (fs.readdirSync(path.join(live.config.dataDir, 'tmp')).length > 0 ? true : undefined));
    socket.destroy();
    await eventually(async () => (fs.readdirSync(path.join(live.config.dataDir, 'tmp')).length === 0 ? true : undefined));
    expect((await get(live.app, tenant.manager.key, '/v1/scorm-files/')).json().count).toBe(0);
  });
});

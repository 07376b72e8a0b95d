import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { eventually } from '../support/api.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { startContextWorker, startHarness, type Harness, type Tenant } from '../support/harness.js';
import { startLocalS3, type LocalS3 } from '../support/s3.js';

// The whole system over real HTTP on loopback: upload, worker, extraction, download link.

interface ScormFile {
  id: number;
  status: string;
  remark: string;
  file_size: number | null;
  last_extraction: { id: number; status: string; download_link: string | null } | null;
}

function client(baseUrl: string, key: string) {
  const headers = { 'x-api-key': key };
  return {
    async uploadFile(file: string, batchName: string): Promise<number> {
      const form = new FormData();
      form.append('file', await fs.openAsBlob(file), file.split('/').pop());
      form.append('batch_name', batchName);
      const response = await fetch(`${baseUrl}/v1/scorm-files/upload/`, { method: 'POST', headers, body: form });
      expect(response.status).toBe(200);
      return ((await response.json()) as { scorm_file_id: number }).scorm_file_id;
    },
    async uploadUrl(publicUrl: string): Promise<number> {
      const response = await fetch(`${baseUrl}/v1/scorm-files/upload/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ public_url: publicUrl, batch_name: 'from-url' }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { scorm_file_id: number }).scorm_file_id;
    },
    async file(id: number): Promise<ScormFile> {
      const response = await fetch(`${baseUrl}/v1/scorm-files/${id}/`, { headers });
      return (await response.json()) as ScormFile;
    },
    async reextract(id: number): Promise<void> {
      const response = await fetch(`${baseUrl}/v1/content-extractions/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ file_id: id }),
      });
      expect(response.status).toBe(200);
    },
    waitFor(id: number, status: string): Promise<ScormFile> {
      return eventually(
        async () => {
          const file = await this.file(id);
          return file.status === status ? file : undefined;
        },
        30_000,
        `file ${id} to be ${status}`,
      );
    },
  };
}

async function downloadResult(file: ScormFile) {
  expect(file.last_extraction?.download_link).toBeTruthy();
  const response = await fetch(file.last_extraction?.download_link ?? '');
  expect(response.status).toBe(200);
  return (await response.json()) as {
    package: { title: string; version: string; sha256: string };
    statistics: { items: number; launchable_items: number };
  };
}

describe.skipIf(!haveFixtures)('a package from upload to downloaded result', () => {
  let harness: Harness;
  let tenant: Tenant;
  let packageServer: http.Server;
  let packageServerUrl: string;

  beforeAll(async () => {
    harness = await startHarness({ listen: true, worker: true, env: { LENS_ALLOW_PRIVATE_NETWORKS: 'true' } });
    tenant = await harness.createTenant('E2E');
    packageServer = http.createServer((request, response) => {
      if (request.url === '/old/golf.zip') {
        response.writeHead(302, { location: '/packages/golf.zip' }).end();
        return;
      }
      if (request.url === '/packages/golf.zip') {
        response.writeHead(200, { 'content-type': 'application/zip' });
        fs.createReadStream(fixture('golf-scorm12-runtime-basic.zip')).pipe(response);
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => packageServer.listen(0, '127.0.0.1', resolve));
    packageServerUrl = `http://127.0.0.1:${(packageServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => packageServer.close(resolve));
    await harness.close();
  });

  it.each([
    ['golf-scorm12-runtime-basic.zip', 'Golf Explained - Run-time Basic Calls', '1.2', 1],
    ['golf-scorm12-cp-onefilepersco.zip', 'Golf Explained - CP One File Per SCO', '1.2', 22],
    ['golf-scorm2004-2nd-cp-singlesco.zip', 'Golf Explained - CP Single SCO', '2004 2nd Edition', 1],
    ['golf-scorm2004-3rd-seq-forced-sequential.zip', 'Golf Explained - Sequencing Forced Order', '2004 3rd Edition', 5],
    ['golf-scorm2004-4th-seq-posttest-rollup.zip', 'Golf Explained - 4th Edition Features', '2004 4th Edition', 5],
  ])('%s: uploaded, extracted, downloadable', async (name, title, version, items) => {
    const api = client(harness.baseUrl, tenant.member.key);
    const id = await api.uploadFile(fixture(name), 'golf');
    const done = await api.waitFor(id, 'content_extraction_completed');
    expect(done.last_extraction?.status).toBe('completed');
    const result = await downloadResult(done);
    expect(result.package).toMatchObject({ title, version });
    expect(result.statistics.items).toBe(items);
  });

  it('accepts a bare cmi5.xml as a package', async () => {
    const api = client(harness.baseUrl, tenant.member.key);
    const id = await api.uploadFile(fixture('catapult-lts-cmi5-1000-aus-101-one-thousand-aus.xml'), 'cmi5');
    const done = await api.waitFor(id, 'content_extraction_completed');
    const result = await downloadResult(done);
    expect(result.package).toMatchObject({ title: 'CATAPULT LMS Test Course: 0002-one-thousand-aus', version: 'cmi5' });
    expect(result.statistics.items).toBe(1001);
  });

  it('downloads a package from a public URL, following a redirect', async () => {
    const api = client(harness.baseUrl, tenant.manager.key);
    const id = await api.uploadUrl(`${packageServerUrl}/old/golf.zip`);
    const done = await api.waitFor(id, 'content_extraction_completed');
    expect(done.file_size).toBe(Math.round((fs.statSync(fixture('golf-scorm12-runtime-basic.zip')).size / 1048576) * 100) / 100);
    const result = await downloadResult(done);
    expect(result.package.title).toBe('Golf Explained - Run-time Basic Calls');
  });

  it('fails a public URL that answers 404, saying so in the remark', async () => {
    const api = client(harness.baseUrl, tenant.manager.key);
    const id = await api.uploadUrl(`${packageServerUrl}/missing.zip`);
    const failed = await api.waitFor(id, 'failed');
    expect(failed.remark).toContain('[public_url_http_error]');
    expect(failed.last_extraction).toBeNull();
  });
});

describe('an extraction nobody works on', () => {
  let harness: Harness;
  let tenant: Tenant;

  beforeAll(async () => {
    harness = await startHarness({ listen: true, stallMonitor: true, env: { LENS_STALL_TIMEOUT_SECONDS: '1' } });
    tenant = await harness.createTenant('Stalls');
  });
  afterAll(() => harness.close());

  async function runWorkerUntil(check: () => Promise<unknown>) {
    const context = await createContext(harness.config, pino({ level: 'silent' }));
    const worker = await startContextWorker(context);
    try {
      return await check();
    } finally {
      await worker.stop(5_000);
      await context.close();
    }
  }

  it('is flagged extraction_stalled, and recovers when a worker comes back', async () => {
    const api = client(harness.baseUrl, tenant.manager.key);
    const { writeScormPackage, packagesDir } = await import('../support/packages.js');
    const packages = await packagesDir();
    const id = await api.uploadFile(await writeScormPackage(`${packages.dir}/stall.zip`, 'Stall test', ['One']), 'stall');
    await runWorkerUntil(() => api.waitFor(id, 'content_extraction_completed'));

    await api.reextract(id);
    const stalled = await api.waitFor(id, 'extraction_stalled');
    expect(stalled.remark).toMatch(/has made no progress/);
    expect(stalled.last_extraction?.status).toBe('dispatched');

    const recovered = (await runWorkerUntil(() => api.waitFor(id, 'content_extraction_completed'))) as ScormFile;
    expect(recovered.remark).toBe('File uploaded and processed successfully.');
    expect(recovered.last_extraction?.status).toBe('completed');
    await packages.cleanup();
  });
});

describe.skipIf(!haveFixtures)('with packages and results in S3', () => {
  let s3: LocalS3;
  let harness: Harness;
  let tenant: Tenant;

  beforeAll(async () => {
    s3 = await startLocalS3();
    harness = await startHarness({ listen: true, worker: true, env: s3.env });
    tenant = await harness.createTenant('Cloud');
  });
  afterAll(async () => {
    await harness.close();
    await s3.close();
  });

  it('stores the upload in the bucket and hands out a presigned link to the result', async () => {
    const api = client(harness.baseUrl, tenant.member.key);
    const id = await api.uploadFile(fixture('golf-scorm12-runtime-basic.zip'), 'cloud');
    const done = await api.waitFor(id, 'content_extraction_completed');
    expect(done.last_extraction?.download_link).toContain(`${s3.endpoint}/${s3.bucket}/tenant-data/`);
    const result = await downloadResult(done);
    expect(result.package.title).toBe('Golf Explained - Run-time Basic Calls');
    const local = fs.existsSync(`${harness.config.dataDir}/objects`);
    expect(local).toBe(false);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { healthy, run, type Running } from '../support/cli.js';
import { testEnvironment } from '../support/harness.js';
import { writeBigResult } from '../support/hostile-packages.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';
import { freePort } from '../support/ports.js';

// A full disk, for real: the server runs in a mount namespace of its own where its scratch folder
// and its object store are small tmpfs file systems, filled and emptied from outside through
// /proc/<pid>/root. Mounting needs root (or a user namespace); where neither is allowed this file
// says so and runs nothing.

const KEY = 'sl_disk-full-test-key-00000000000000';
const canMount = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs /mnt'], { stdio: 'ignore' }).status === 0;
if (!canMount) console.warn('disk-full tests not run: this machine does not allow a private mount namespace (unshare -m)');

let environment: Awaited<ReturnType<typeof testEnvironment>>;
let packages: Awaited<ReturnType<typeof packagesDir>>;
let baseUrl: string;
let serving: Running;
let root: string;

beforeAll(async () => {
  if (!canMount) return;
  environment = await testEnvironment({ LENS_BOOTSTRAP_API_KEY: KEY, LENS_SHUTDOWN_GRACE_SECONDS: '1' });
  packages = await packagesDir();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const { dataDir } = environment;
  for (const folder of ['tmp', 'objects']) fs.mkdirSync(path.join(dataDir, folder));
  // Each disk holds a finished extraction of the 3 MB package below: its result (text, Markdown,
  // chunks) and its files unpacked for the player.
  const mounts = `mount -t tmpfs -o size=32m tmpfs '${dataDir}/tmp' && mount -t tmpfs -o size=32m tmpfs '${dataDir}/objects' && exec "$@"`;
  serving = run(['serve'], { ...environment.env, PORT: String(port), HOST: '127.0.0.1' }, ['unshare', '-m', '--propagation', 'private', 'sh', '-c', mounts, 'sh']);
  await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
  root = `/proc/${serving.child.pid}/root${dataDir}`;
});
afterAll(async () => {
  if (!canMount) return;
  serving.child.kill('SIGTERM');
  await serving.exited;
  await environment.cleanup();
  await packages.cleanup();
});

/** Fills the file system of `folder` (as the server sees it) up to `leaveBytes` free. */
function fill(folder: string, leaveBytes = 0): void {
  const free = fs.statfsSync(path.join(root, folder));
  fs.writeFileSync(path.join(root, folder, 'filler'), Buffer.alloc(Math.max(0, free.bavail * free.bsize - leaveBytes)));
}
const empty = (folder: string) => fs.rmSync(path.join(root, folder, 'filler'), { force: true });

/** Every file under the folder, as the server sees it, but the filler. */
function filesIn(folder: string): string[] {
  return (fs.readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile() && entry.name !== 'filler')
    .map((entry) => path.join(entry.parentPath, entry.name).slice(root.length));
}

async function upload(file: string) {
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file), path.basename(file));
  return fetch(`${baseUrl}/v1/scorm-files/upload/`, { method: 'POST', headers: { 'x-api-key': KEY }, body: form });
}

const api = async (url: string, method = 'GET') => (await fetch(`${baseUrl}${url}`, { method, headers: { 'x-api-key': KEY } })).json();
const fileCount = async () => ((await api('/v1/scorm-files/')) as { count: number }).count;

describe.runIf(canMount)('a full disk', () => {
  it('refuses an upload with 507 storage_full, whichever disk is full, and leaves no file or record behind', async () => {
    const pkg = await writeScormPackage(path.join(packages.dir, 'course.zip'), 'Course', ['One page']);
    for (const folder of ['tmp', 'objects']) {
      fill(folder);
      const response = await upload(pkg);
      expect(response.status, folder).toBe(507);
      expect(await response.json()).toEqual({ code: 'storage_full', message: expect.any(String) });
      expect(filesIn('tmp'), folder).toEqual([]);
      expect(filesIn('objects'), folder).toEqual([]);
      empty(folder);
    }
    expect(await fileCount()).toBe(0);
  });

  it('fails an extraction that has no room for its result with a clear remark, and a restart succeeds once there is room', async () => {
    const pkg = path.join(packages.dir, 'wordy.zip');
    await writeBigResult(pkg, 3, 1024 * 1024);
    // Room for the upload, not for the result.
    fill('tmp', 2 * 1024 * 1024);
    const response = await upload(pkg);
    expect(response.status).toBe(200);
    const id = ((await response.json()) as { scorm_file_id: number }).scorm_file_id;
    const failed = await eventually(async () => {
      const file = (await api(`/v1/scorm-files/${id}/`)) as { status: string; last_extraction: { id: number; status: string; remarks: string } | null };
      // The file and its extraction are read one after the other: wait for both to show it.
      return file.status === 'failed' && file.last_extraction?.status === 'failed' ? file : undefined;
    }, 60_000, 'the extraction to fail');
    expect(failed.last_extraction!.remarks).toMatch(/disk space.*\[storage_full\]$/);
    expect(filesIn('tmp')).toEqual([]);

    empty('tmp');
    await api(`/v1/content-extractions/${failed.last_extraction!.id}/restart/`, 'POST');
    const completed = await eventually(async () => {
      const file = (await api(`/v1/scorm-files/${id}/`)) as { status: string };
      return file.status === 'content_extraction_completed' ? file : undefined;
    }, 60_000, 'the restarted extraction to complete');
    expect(completed.status).toBe('content_extraction_completed');
  });
});

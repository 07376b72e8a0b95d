import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { healthy, run, type Running } from '../support/cli.js';
import { testEnvironment } from '../support/harness.js';
import { writeBigResult, writeCommentBomb, writeDocxBomb, writeManyItems, writePdfBomb } from '../support/hostile-packages.js';
import { packagesDir } from '../support/packages.js';
import { freePort } from '../support/ports.js';
import { isRunning, sandboxChildren, watchService, type WatchReport } from '../support/process-watch.js';

// Hostile packages against the service as it runs in production: its own process, its sandboxes.
// The figures the watch saw are printed for the notes.

const KEY = 'sl_hostile-packages-test-key-0000000';
const MiB = 1024 * 1024;
const TERMINAL = new Set(['content_extraction_completed', 'content_extraction_failed', 'failed']);

let environment: Awaited<ReturnType<typeof testEnvironment>>;
let packages: Awaited<ReturnType<typeof packagesDir>>;
let baseUrl: string;
let env: Record<string, string>;

beforeAll(async () => {
  environment = await testEnvironment({
    LOG_LEVEL: 'warn',
    LENS_BOOTSTRAP_API_KEY: KEY,
    LENS_WORKER_CONCURRENCY: '5',
    // Enough for the 300 MB result to complete; every other package ends far below it.
    LENS_EXTRACTION_MEMORY_MB: '1536',
    LENS_EXTRACTION_TIMEOUT_SECONDS: '300',
    LENS_SHUTDOWN_GRACE_SECONDS: '1',
  });
  packages = await packagesDir();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = { ...environment.env, PORT: String(port), HOST: '127.0.0.1' };
});
afterAll(async () => {
  // A failed assertion leaves its server running: end every one this file started.
  for (const serving of started) serving.child.kill('SIGKILL');
  await Promise.all(started.map((serving) => serving.exited));
  await environment.cleanup();
  await packages.cleanup();
});

const started: Running[] = [];

async function serve(): Promise<Running> {
  const serving = run(['serve'], env);
  started.push(serving);
  await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
  return serving;
}

async function upload(file: string): Promise<number> {
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file), path.basename(file));
  const response = await fetch(`${baseUrl}/v1/scorm-files/upload/`, { method: 'POST', headers: { 'x-api-key': KEY }, body: form });
  expect(response.status).toBe(200);
  return ((await response.json()) as { scorm_file_id: number }).scorm_file_id;
}

interface FileBody {
  status: string;
  remark: string;
  last_extraction: { id: number; status: string; remarks: string } | null;
}

async function fileOf(id: number): Promise<FileBody> {
  return (await fetch(`${baseUrl}/v1/scorm-files/${id}/`, { headers: { 'x-api-key': KEY } })).json() as Promise<FileBody>;
}

const settled = (id: number) => eventually(async () => {
  const file = await fileOf(id);
  return TERMINAL.has(file.status) ? file : undefined;
}, 600_000, `file ${id} to settle`);

/** Waits until the server runs a sandbox child, and answers its pids. */
const runningChildren = (pid: number) => eventually(async () => {
  const children = sandboxChildren(pid);
  return children.length > 0 ? children : undefined;
}, 60_000, 'a sandbox child to start');

const gone = (pids: number[]) => eventually(async () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 10_000, `children ${pids.join(', ')} to end`);

function printReport(report: WatchReport): void {
  console.log(
    `hostile set: API peak RSS ${(report.peakRssBytes / MiB).toFixed(0)} MiB, largest sandbox ${(report.peakChildRssBytes / MiB).toFixed(0)} MiB, ` +
      `${report.childPids.length} sandboxes, /health/ slowest ${report.slowestHealthMs.toFixed(0)} ms of ${report.healthChecks} checks (${report.failedHealthChecks} failed)`,
  );
}

describe('hostile packages uploaded at once', () => {
  it('leave the API small and answering, and each ends with a code or a result', async () => {
    const file = (name: string) => path.join(packages.dir, name);
    await writeCommentBomb(file('comments.zip'));
    await writeDocxBomb(file('docx-bomb.zip'));
    await writePdfBomb(file('pdf-bomb.zip'));
    await writeManyItems(file('items.zip'));
    await writeBigResult(file('big-result.zip'));
    expect(fs.statSync(file('comments.zip')).size).toBeGreaterThan(150 * MiB);

    const serving = await serve();
    const pid = serving.child.pid ?? 0;
    const watch = watchService(pid, baseUrl);
    const names = ['comments.zip', 'docx-bomb.zip', 'pdf-bomb.zip', 'items.zip', 'big-result.zip'];
    const ids = await Promise.all(names.map((name) => upload(file(name))));
    const outcomes = await Promise.all(ids.map(settled));
    // The big result is read as a person would: its Markdown and a page of the panel's viewer.
    const big = outcomes[4]!.last_extraction!;
    const markdown = await fetch(`${baseUrl}/v1/content-extractions/${big.id}/markdown/`, { headers: { 'x-api-key': KEY } });
    expect(markdown.status).toBe(200);
    let markdownBytes = 0;
    for await (const chunk of markdown.body!) markdownBytes += (chunk as Uint8Array).length;
    const report = await watch.stop();
    printReport(report);

    expect(outcomes.map((o) => [o.status, o.last_extraction?.status ?? null])).toEqual([
      ['failed', null],
      ['content_extraction_completed', 'completed'],
      ['content_extraction_completed', 'completed'],
      ['content_extraction_completed', 'completed'],
      ['content_extraction_completed', 'completed'],
    ]);
    expect(outcomes[0]!.remark).toContain('[archive_directory_too_large]');
    expect(markdownBytes).toBeGreaterThan(50 * MiB);
    expect(report.peakRssBytes).toBeLessThan(300 * MiB);
    // Every health check was answered (each within its 10 s): parsing never held up the API.
    expect(report.failedHealthChecks).toBe(0);
    expect(report.childPids.length).toBeGreaterThanOrEqual(names.length);

    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
    await gone(report.childPids);
  }, 900_000);
});

describe('sandbox children and the server they belong to', () => {
  it('end when the server is killed, and when it is stopped with work still running', async () => {
    const slow = path.join(packages.dir, 'slow.zip');
    await writeManyItems(slow);

    const killed = await serve();
    await upload(slow);
    const orphans = await runningChildren(killed.child.pid ?? 0);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBeNull();
    await gone(orphans);

    const stopped = await serve();
    await upload(slow);
    const running = await runningChildren(stopped.child.pid ?? 0);
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(0);
    await gone(running);
  }, 300_000);
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentExtractionsRepository } from '../../../src/modules/scorm-files/extractions-repository.js';
import { extractJob } from '../../../src/modules/scorm-files/extract-job.js';
import { ScormFilesRepository } from '../../../src/modules/scorm-files/files-repository.js';
import { SandboxCrash, SandboxFault, Sandbox } from '../../../src/modules/scorm-files/sandbox/sandbox.js';
import type { RunContentExtractionPayload } from '../../../src/modules/scorm-files/jobs.js';
import type { QueuedJob } from '../../../src/infra/queue/job-queue.js';
import { upload } from '../../support/api.js';
import { startHarness, type Harness, type Tenant } from '../../support/harness.js';
import { packagesDir, writeScormPackage } from '../../support/packages.js';

// What the extraction job retries: only what a retry can mend. The sandbox here fails on purpose,
// the one way to make our own code fail on demand; everything around it is the real service.

let harness: Harness;
let acme: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme');
  packages = await packagesDir();
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

/** A sandbox whose extraction always fails with `error`, counting its runs. */
class FailingSandbox extends Sandbox {
  runs = 0;
  constructor(private readonly error: Error) {
    super({ timeoutMs: 60_000, memoryMb: 256 });
  }
  override async extract(): Promise<void> {
    this.runs++;
    throw this.error;
  }
}

/** An uploaded package with a dispatched extraction, and the job that runs it (first attempt of four). */
async function dispatchedExtraction(): Promise<QueuedJob<RunContentExtractionPayload>> {
  const pkg = await writeScormPackage(path.join(packages.dir, `course-${Date.now()}.zip`), 'Course', ['One']);
  const response = await upload(harness.app, acme.manager.key, { file: { path: pkg } });
  const { db } = harness.context.database;
  const file = await new ScormFilesRepository(db).findById(response.json().scorm_file_id);
  const { extraction, messageId } = await db.transaction().execute((tx) => harness.context.scormFiles.extractions.createFor(tx, file!));
  return { id: messageId, name: 'run-content-extraction', data: { contentExtractionId: extraction.id }, attempt: 1, maxAttempts: 4, signal: new AbortController().signal };
}

function jobWith(sandbox: Sandbox) {
  const { db } = harness.context.database;
  return extractJob({
    db,
    files: new ScormFilesRepository(db),
    extractions: new ContentExtractionsRepository(db),
    storage: harness.context.storage,
    tempFiles: harness.context.scormFiles.upload.tempFiles,
    sandbox,
    webhooks: harness.context.webhooks.service,
    metrics: harness.context.metrics,
    log: harness.context.log,
  });
}

const extractionOf = (id: number) => new ContentExtractionsRepository(harness.context.database.db).findById(id);

describe('the extraction job', () => {
  it('fails at once, without a retry, when our own code fails in the sandbox (the same package would fail again)', async () => {
    const job = await dispatchedExtraction();
    const sandbox = new FailingSandbox(new SandboxFault('RangeError: Maximum call stack size exceeded'));
    await expect(jobWith(sandbox).handler(job as never)).resolves.toBeUndefined();
    expect(sandbox.runs).toBe(1);
    const extraction = await extractionOf(job.data.contentExtractionId);
    expect(extraction?.status).toBe('failed');
    expect(extraction?.remarks).toMatch(/\[internal_error\]$/);
  });

  it('hands the job back for a retry when the sandbox was killed from outside, and gives up after the last attempt', async () => {
    const job = await dispatchedExtraction();
    const sandbox = new FailingSandbox(new SandboxCrash('the sandbox process ended with SIGKILL'));
    const handler = jobWith(sandbox).handler;
    await expect(handler(job as never)).rejects.toBeInstanceOf(SandboxCrash);
    expect((await extractionOf(job.data.contentExtractionId))?.status).toBe('in_progress');
    await expect(handler({ ...job, attempt: 4 } as never)).resolves.toBeUndefined();
    expect(sandbox.runs).toBe(2);
    expect((await extractionOf(job.data.contentExtractionId))?.remarks).toMatch(/after several attempts\. \[internal_error\]$/);
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentExtractionsRepository } from '../../../src/modules/scorm-files/extractions-repository.js';
import { packageFactsBackfill } from '../../../src/modules/scorm-files/package-facts-backfill.js';
import { resultKeysOf } from '../../../src/modules/scorm-files/storage-keys.js';
import { eventually, upload } from '../../support/api.js';
import { startHarness, type Harness, type Tenant } from '../../support/harness.js';
import { packagesDir, writeScormPackage } from '../../support/packages.js';

// Extractions completed before their rows kept the package's facts get them from their stored
// result when a worker starts: the real extraction writes the result, the row then loses its facts.

let harness: Harness;
let acme: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;

beforeAll(async () => {
  harness = await startHarness({ worker: true });
  acme = await harness.createTenant('Acme');
  packages = await packagesDir();
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

/** Uploads a generated course and waits for its extraction to complete. */
async function extracted(title: string) {
  const pkg = await writeScormPackage(path.join(packages.dir, `${title}.zip`), title, ['One']);
  const fileId = (await upload(harness.app, acme.manager.key, { file: { path: pkg } })).json().scorm_file_id as number;
  const extractions = new ContentExtractionsRepository(harness.context.database.db);
  return eventually(async () => (await extractions.listForFiles([fileId])).find((e) => e.status === 'completed'), 30_000, `${title} to be extracted`);
}

describe('keeping the package facts of earlier extractions', () => {
  it('fills them in from the stored result, and leaves a result without an index as it is', async () => {
    const unindexed = await extracted('Stored before indexing');
    const earlier = await extracted('Earlier course');
    expect(earlier).toMatchObject({ package_title: 'Earlier course', package_standard: 'SCORM 1.2', package_tool: null });
    const { db } = harness.context.database;
    await db.updateTable('content_extractions').set({ package_title: null, package_standard: null }).where('id', 'in', [unindexed.id, earlier.id]).execute();
    await harness.context.storage.delete(resultKeysOf(unindexed.final_output_path!).index);

    const extractions = new ContentExtractionsRepository(db);
    const backfill = packageFactsBackfill({ extractions, results: harness.context.scormFiles.results, log: harness.context.log });
    backfill.start();
    const filled = await eventually(async () => {
      const row = await extractions.findById(earlier.id);
      return row?.package_standard ? row : undefined;
    }, 10_000, 'the earlier extraction to get its facts');
    await backfill.stop();
    expect(filled).toMatchObject({ package_title: 'Earlier course', package_standard: 'SCORM 1.2' });
    expect(await extractions.findById(unindexed.id)).toMatchObject({ package_title: null, package_standard: null });
  });
});

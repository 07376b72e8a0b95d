import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { packagesDir, writeScormPackage } from '../support/packages.js';

// The README's shell examples, run as written against a live service: only the address, the key
// and the id of the file change.

const README = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const shellBlocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => block.includes('curl'));

let harness: Harness;
let tenant: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;

beforeAll(async () => {
  harness = await startHarness({ listen: true, worker: true });
  tenant = await harness.createTenant('Readme Org');
  packages = await packagesDir();
  await writeScormPackage(path.join(packages.dir, 'course.zip'), 'Readme course', ['First page']);
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

/**
 * Runs a README block in bash, in the folder holding course.zip, and parses each line it prints as
 * JSON. Asynchronously: the service answering it runs in this process.
 */
async function runBlock(block: string, replacements: [RegExp, string][] = []): Promise<Record<string, unknown>[]> {
  let script = block.replaceAll('http://localhost:8080', harness.baseUrl).replace(/^KEY=.*$/m, '');
  for (const [pattern, value] of replacements) script = script.replace(pattern, value);
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd: packages.dir, env: { PATH: process.env.PATH ?? '', KEY: tenant.manager.key } });
  // curl prints no newline after a body: two bodies printed back to back are split.
  return stdout
    .replaceAll('}{', '}\n{')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the README examples', () => {
  it('uploads a package and reads its file, then launches it for a learner', async () => {
    const upload = shellBlocks.find((block) => block.includes('/v1/scorm-files/upload/'));
    const launch = shellBlocks.find((block) => block.includes('/v1/launches'));
    expect(upload && launch, 'the README shows an upload and a launch').toBeTruthy();

    const [uploaded, file] = await runBlock(upload!);
    expect(uploaded).toMatchObject({ scorm_file_id: 1, file_name: 'course.zip' });
    expect(file).toMatchObject({ id: 1, batch_name: 'spring' });
    await eventually(async () => ((await get(harness.app, tenant.manager.key, '/v1/scorm-files/1/')).json<{ status: string }>().status === 'content_extraction_completed' ? true : undefined));

    const [launched] = await runBlock(launch!, [[/"scorm_file_id": \d+/, '"scorm_file_id": 1']]);
    expect(launched).toMatchObject({ launch_id: expect.any(String), expires_at: expect.any(String) });
    expect(launched!.launch_url).toMatch(new RegExp(`^${harness.baseUrl}/player/launch/`));
    const opened = await fetch(launched!.launch_url as string, { redirect: 'manual' });
    expect(opened.status).toBe(303);
  });

  it('walks a learner through the progress API to a certificate anyone can check, from the file uploaded above', async () => {
    const block = shellBlocks.find((candidate) => candidate.includes('/v1/auth/learner-token'));
    expect(block, 'the README walks through the progress API').toBeTruthy();
    const [collection, context, started, updated, submitted, ended, summary, certificate] = await runBlock(block!);
    expect(collection).toMatchObject({ identifier: 'safety-101', scormFileId: 1, contents: [{ contentId: 'item1' }] });
    expect(context).toMatchObject({ identifier: 'spring', certificate: { name: 'Safety 101', criteria: { minScorePercent: 80 } } });
    expect([started, updated, submitted, ended].map((answer) => [answer!.responseCode, answer!.result])).toEqual([
      ['OK', { item1: 'Progress started' }],
      ['OK', { item1: 'Progress Updated' }],
      ['OK', { item1: 'Score Updated' }],
      ['OK', { item1: 'Progress ended' }],
    ]);
    expect(summary).toMatchObject({
      responseCode: 'OK',
      result: { summary: [{ userId: 'ann', progress: 100, status: 2, assessmentStatus: { item1: { score: 9, max_score: 10, attempts: 1 } } }] },
    });
    const [issued] = (summary!.result as { summary: { issuedCertificates: { id: string }[] }[] }).summary[0]!.issuedCertificates;
    expect(certificate).toMatchObject({ id: issued!.id, name: 'Safety 101', valid: true, learner: { userId: 'ann', name: 'Ann Lee' }, context: { identifier: 'spring' } });
  });

  it('creates LRS credentials, stores a statement with them and finds it by its verb', async () => {
    const block = shellBlocks.find((candidate) => candidate.includes('/v1/xapi-credentials/'));
    expect(block, 'the README shows the LRS').toBeTruthy();
    const [credentials, result] = await runBlock(block!);
    expect(credentials).toMatchObject({ name: 'Course player', key: expect.stringMatching(/^lrs_/), secret: expect.any(String) });
    expect(result).toMatchObject({ statements: [{ verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, actor: { mbox: 'mailto:ann@example.com' } }], more: '' });
  });
});

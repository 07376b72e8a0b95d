import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { haveChromium, launchChromium } from '../support/chromium.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { launchFor, playableFile } from '../support/player.js';
import { Learner } from '../support/progress.js';

const SATISFIED = 'https://w3id.org/xapi/adl/verbs/satisfied';

describe.skipIf(!haveChromium || !haveFixtures)('the player with xAPI content in Chromium', () => {
  let harness: Harness;
  let tenant: Tenant;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startHarness({ listen: true, worker: true });
    tenant = await harness.createTenant('xAPI Org');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  async function openPlayer(fileId: number, learner: string): Promise<Page> {
    const launch = await launchFor(harness.app, tenant.manager.key, { scorm_file_id: fileId, userId: learner, userName: learner });
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(launch.launch_url);
    return page;
  }

  it('plays every AU of a cmi5 course with the AUs own cmi5 library, and the course ends satisfied at 100%', async () => {
    const { app } = harness;
    const fileId = await playableFile(app, tenant.manager.key, fixture('catapult-cmi5-multi-au-multi_au_framed.zip'));
    const learner = await Learner.of(app, tenant.manager.key, 'ivy');
    const page = await openPlayer(fileId, 'ivy');
    const aus = page.locator('#contents button[data-item]');
    await eventually(async () => ((await aus.count()) === 8 ? true : undefined), 20_000, 'the eight AUs in the contents');
    for (let i = 0; i < 8; i++) {
      await aus.nth(i).click();
      if (i === 7) {
        // The last AU is a quiz: the learner answers it right and submits.
        const quiz = await eventually(async () => page.frames().find((frame) => frame.url().includes('pages=quiz')), 20_000, 'the quiz AU');
        await quiz.getByText('(Select correct answers)').click();
        await quiz.getByText('Submit Answers').click();
      }
      // The AU fetched its token, read LaunchData, initialized and passed (the lessons pass on launch).
      await eventually(
        async () => ((await aus.nth(i).getAttribute('data-status')) === 'passed' ? true : undefined),
        30_000,
        `AU ${i + 1} passed`,
      );
    }
    await page.close();

    const summary = await eventually(async () => {
      const found = (await learner.summaries()).find((s) => s.collectionId === `scorm-file-${fileId}`);
      return found?.progress === 100 ? found : undefined;
    });
    expect(summary).toMatchObject({ progress: 100, status: 2 });
    const satisfied = await harness.context.database.db.selectFrom('xapi_statements').select('statement').where('verb_id', '=', SATISFIED).execute();
    // The course satisfied once, under the service's own id, with the publisher's id in the grouping (cmi5 9.3.9, 9.4).
    const courses = satisfied
      .map((row) => JSON.parse(row.statement) as { object: { id: string; definition: { type: string } }; context: { contextActivities: { grouping: { id: string }[] } } })
      .filter((statement) => statement.object.definition.type === 'https://w3id.org/xapi/cmi5/activitytype/course');
    expect(courses.map((statement) => statement.context.contextActivities.grouping.map((activity) => activity.id))).toEqual([
      ['https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-multi-au-framed'],
    ]);
    expect(courses[0]!.object.id).not.toBe('https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-multi-au-framed');
  });
});

import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, post } from '../support/api.js';
import { haveChromium, launchChromium } from '../support/chromium.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { launchFor, playableFile } from '../support/player.js';
import { createContext, Learner, type Json } from '../support/progress.js';

/** Seconds of a SCORM 1.2 time span (HH:MM:SS.SS, hours of 2 to 4 digits). */
const durationOf = (span: string): number => span.split(':').reduce((total, part) => total * 60 + Number(part), 0);

/** The SCO's own frame inside the player page, once it has loaded. */
async function scoFrame(page: Page, urlPart: string): Promise<Frame> {
  return eventually(async () => page.frames().find((frame) => frame.url().includes(urlPart)), 20_000, `a frame at ${urlPart}`);
}

describe.skipIf(!haveChromium || !haveFixtures)('the player in Chromium', () => {
  let harness: Harness;
  let tenant: Tenant;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startHarness({ listen: true, worker: true });
    tenant = await harness.createTenant('Player Org');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** The integrator's flow: a course from the package's file, and a batch of it with a certificate. */
  async function certifiedCourse(packageName: string, course: string, batch: string, certificate: string): Promise<number> {
    const { app } = harness;
    const key = tenant.manager.key;
    const fileId = await playableFile(app, key, fixture(packageName));
    const created = await post(app, key, '/v1/collections', { identifier: course, scormFileId: fileId });
    expect(created.statusCode, created.body).toBe(201);
    await createContext(app, key, { identifier: batch, collectionId: course, certificate: { name: certificate } });
    return fileId;
  }

  it('plays a SCORM 1.2 course, resumes it after the tab was closed, and completes it with a certificate issued once', async () => {
    const { app } = harness;
    const key = tenant.manager.key;
    const fileId = await certifiedCourse('golf-scorm12-runtime-basic.zip', 'golf-12', 'golf-12-spring', 'Golf basics');
    const learner = await Learner.of(app, key, 'ann', { name: 'Ann Lee' });

    const first = await launchFor(app, key, { scorm_file_id: fileId, userId: 'ann', userName: 'Ann Lee', contextId: 'golf-12-spring' });
    let page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(first.launch_url);
    let launchPage = await scoFrame(page, 'shared/launchpage.html');
    await eventually(async () => ((await launchPage.evaluate('typeof currentPage === "number" && currentPage === 0')) ? true : undefined));
    for (let i = 0; i < 5; i++) await launchPage.click('#butNext');
    // Closing the tab mid-course: what the SCO set is committed as the page goes, and the commit
    // outlives the page. (Whether the SCO also suspends and finishes depends on which unload events
    // the browser gives its frame: the bookmark comes back either way.)
    await page.close({ runBeforeUnload: true });
    const saved = await eventually(
      async () => {
        const row = await harness.context.database.db.selectFrom('runtime_attempts').selectAll().where('user_id', '=', 'ann').executeTakeFirst();
        const cmi = row && (JSON.parse(row.cmi) as { core: Json });
        return cmi?.core.lesson_location === '5' ? cmi : undefined;
      },
      10_000,
      'the commit of the closed tab',
    );
    expect(saved.core).toMatchObject({ lesson_location: '5', lesson_status: 'incomplete' });
    expect(await learner.view({ contentId: 'item_1', collectionId: 'golf-12', contextId: 'golf-12-spring' })).toMatchObject({ status: 1 });

    // The first link was single-use.
    const reopened = await fetch(first.launch_url, { redirect: 'manual' });
    expect(reopened.status).toBe(410);

    const second = await launchFor(app, key, { scorm_file_id: fileId, userId: 'ann', contextId: 'golf-12-spring' });
    page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(second.launch_url);
    launchPage = await scoFrame(page, 'shared/launchpage.html');
    // Back where it stopped: the bookmark (page 5).
    await eventually(async () => ((await launchPage.evaluate('currentPage === 5')) ? true : undefined), 20_000, 'the resumed page');
    expect(await page.evaluate('window.API.LMSGetValue("cmi.core.student_name")')).toBe('Ann Lee');
    for (let i = 5; i < 14; i++) await launchPage.click('#butNext');
    await page.click('#exit');
    await eventually(async () => ((await page.locator('#message').textContent())?.includes('progress is saved') ? true : undefined));
    await page.close();

    const summaries = await learner.summaries();
    const summary = summaries.find((s) => s.contextId === 'golf-12-spring')!;
    expect(summary.progress).toBe(100);
    expect(summary.status).toBe(2);
    expect(summary.contentStatus).toEqual({ item_1: 2 });
    expect((summary.issuedCertificates as Json[]).map((c) => c.name)).toEqual(['Golf basics']);
  });

  it('plays a SCORM 2004 course under its sequencing rules: a SCO satisfied in its content opens the next one to choice', async () => {
    const { app } = harness;
    const key = tenant.manager.key;
    const fileId = await playableFile(app, key, fixture('golf-scorm2004-3rd-seq-forced-sequential.zip'));
    const learner = await Learner.of(app, key, 'bo');
    const launch = await launchFor(app, key, { scorm_file_id: fileId, learnerToken: learner.token });
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(launch.launch_url);
    const contents = page.locator('#contents');
    expect(await contents.getByRole('button').allTextContents()).toEqual(['Playing the Game', 'Etiquette', 'Handicapping', 'Having Fun', 'Quiz']);
    const sco = await scoFrame(page, 'content=playing');
    // The package's rules: each SCO is disabled until the one before it is satisfied.
    const enabled = () => contents.getByRole('button').evaluateAll((buttons) => buttons.map((b) => !(b as { disabled: boolean }).disabled));
    await eventually(async () => (JSON.stringify(await enabled()) === JSON.stringify([true, false, false, false, false]) ? true : undefined), 10_000, 'the rules in the contents');
    await eventually(async () => ((await sco.evaluate('typeof currentPage === "number"')) ? true : undefined));
    for (let i = 0; i < 4; i++) await sco.click('#butNext');
    // The SCO set completed and passed on its last page, and committed: the contents show it.
    await eventually(async () => ((await contents.locator('[data-item="playing_item"]').getAttribute('data-status')) === 'passed' ? true : undefined));
    const ref = { contentId: 'playing_item', collectionId: `scorm-file-${fileId}`, contextId: `scorm-file-${fileId}` };
    await eventually(async () => ((await learner.view(ref)).status === 2 ? true : undefined), 10_000, 'the completed view');
    expect(await page.evaluate('window.API_1484_11.GetValue("cmi.location")')).toBe('4');

    // Continue ends Playing's attempt: its objective is satisfied, so Etiquette may start; Handicapping may not yet.
    const continued = Date.now();
    await page.click('#next');
    await scoFrame(page, 'content=etiquette');
    expect(await contents.locator('[aria-current]').textContent()).toBe('Etiquette');
    await eventually(async () => (JSON.stringify(await enabled()) === JSON.stringify([true, true, false, false, false]) ? true : undefined), 10_000, 'the rules after Playing');
    // The engine's state was saved once Playing ended.
    await eventually(
      async () => ((await harness.context.database.db.selectFrom('sequencing_states').select('updated_at').where('user_id', '=', 'bo').executeTakeFirst())?.updated_at ?? 0) >= continued || undefined,
      10_000,
      'the sequencing state',
    );
    await page.close();

    // Coming back in a new launch: the engine's state was kept, Playing's objective still satisfied.
    const again = await launchFor(app, key, { scorm_file_id: fileId, learnerToken: learner.token });
    const back = await browser.newPage();
    back.on('dialog', (dialog) => void dialog.accept());
    await back.goto(again.launch_url);
    const enabledAgain = () => back.locator('#contents').getByRole('button').evaluateAll((buttons) => buttons.map((b) => !(b as { disabled: boolean }).disabled));
    await eventually(async () => (JSON.stringify(await enabledAgain()) === JSON.stringify([true, true, false, false, false]) ? true : undefined), 10_000, 'the rules on coming back');
    await back.close();
  });

  it('takes a SCORM 2004 course to completion through its runtime API: the quiz opens only after the lessons, and the course rolls up to a certificate', async () => {
    const { app } = harness;
    const key = tenant.manager.key;
    const fileId = await certifiedCourse('golf-scorm2004-4th-seq-posttest-rollup.zip', 'golf-2004', 'golf-2004-batch', 'Golf, 4th edition');
    const learner = await Learner.of(app, key, 'cy');
    const launch = await launchFor(app, key, { scorm_file_id: fileId, learnerToken: learner.token, contextId: 'golf-2004-batch' });
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(launch.launch_url);
    const enabled = () => page.locator('#contents').getByRole('button').evaluateAll((buttons) => buttons.map((b) => !(b as { disabled: boolean }).disabled));
    await eventually(async () => (JSON.stringify(await enabled()) === JSON.stringify([true, false, false, false, false]) ? true : undefined), 10_000, 'the quiz hidden from choice');

    // Each SCO in turn starts, reports itself done and asks to continue, as a SCO does through the API.
    for (const content of ['playing', 'etiquette', 'handicapping', 'havingfun', 'assessment']) {
      await scoFrame(page, `content=${content}`);
      // This package's pages load jQuery from the internet, which tests do not reach: the test is the SCO.
      await eventually(async () => ((await page.evaluate(`window.API_1484_11.isInitialized() || window.API_1484_11.Initialize('') === 'true'`)) ? true : undefined), 10_000, `${content} initialized`);
      await page.evaluate(`(() => {
        const api = window.API_1484_11;
        api.SetValue('cmi.completion_status', 'completed');
        ${content === 'assessment' ? "api.SetValue('cmi.score.scaled', '0.9'); api.SetValue('cmi.score.raw', '90'); api.SetValue('cmi.score.max', '100'); api.SetValue('cmi.success_status', 'passed');" : ''}
        api.SetValue('adl.nav.request', 'continue');
        api.Terminate('');
      })()`);
    }
    await eventually(
      async () => {
        const summary = (await learner.summaries()).find((s) => s.contextId === 'golf-2004-batch');
        return summary?.status === 2 ? summary : undefined;
      },
      15_000,
      'the completed course',
    ).then((summary) => {
      expect(summary).toMatchObject({ progress: 100, assessmentStatus: { assessment_item: { score: 90, max_score: 100 } } });
      expect((summary.issuedCertificates as Json[]).map((c) => c.name)).toEqual(['Golf, 4th edition']);
    });
    await page.close();
  });

  it('plays a Storyline course as exported: the learner answers, the course passes, and its own time and resume data are kept', async () => {
    const { app } = harness;
    const key = tenant.manager.key;
    const fileId = await certifiedCourse('storyline-scorm12-text-entry.zip', 'storyline-entry', 'storyline-entry-batch', 'Input block');
    const learner = await Learner.of(app, key, 'dee', { name: 'Dee Park' });
    const launch = await launchFor(app, key, { scorm_file_id: fileId, learnerToken: learner.token, contextId: 'storyline-entry-batch' });
    let page = await browser.newPage();
    await page.goto(launch.launch_url);
    // Storyline's own player, unchanged: it finds the runtime API and draws its slide.
    const sco = await scoFrame(page, 'index_lms.html');
    const answer = sco.locator('textarea').first();
    await answer.waitFor({ timeout: 20_000 });
    await answer.fill('Check the label before storing the jar');
    await sco.getByText('SAVE').first().click({ force: true });
    // The slide's trigger submits the answer: the course reports itself passed.
    await eventually(async () => ((await page.evaluate('window.API.LMSGetValue("cmi.core.lesson_status")')) === 'passed' ? true : undefined), 10_000, 'the passed status');
    await page.click('#exit');
    await eventually(async () => ((await page.locator('#message').textContent())?.includes('progress is saved') ? true : undefined));
    await page.close();

    const row = await harness.context.database.db.selectFrom('runtime_attempts').selectAll().where('user_id', '=', 'dee').executeTakeFirstOrThrow();
    const cmi = JSON.parse(row.cmi) as { core: Json; suspend_data: string };
    expect(cmi.core).toMatchObject({ lesson_status: 'passed', exit: 'suspend' });
    expect(cmi.suspend_data).toContain('Check the label before storing the jar');
    const summary = (await learner.summaries()).find((s) => s.contextId === 'storyline-entry-batch')!;
    expect(summary).toMatchObject({ status: 2, progress: 100 });
    expect((summary.issuedCertificates as Json[]).map((c) => c.name)).toEqual(['Input block']);
    // The time spent is the session the course reported, counted once.
    const sessionSeconds = durationOf(String(cmi.core.session_time));
    expect(sessionSeconds).toBeGreaterThan(0);
    const view = await learner.view({ contentId: row.item_id, collectionId: 'storyline-entry', contextId: 'storyline-entry-batch' });
    expect(view.timeSpent).toBeCloseTo(sessionSeconds, 1);

    // Next visit: Storyline gets back what it saved, to resume where the learner left, and the time so far.
    const again = await launchFor(app, key, { scorm_file_id: fileId, learnerToken: learner.token, contextId: 'storyline-entry-batch' });
    page = await browser.newPage();
    await page.goto(again.launch_url);
    await scoFrame(page, 'index_lms.html');
    await eventually(async () => ((await page.evaluate('window.API.LMSGetValue("cmi.core.entry")')) === 'resume' ? true : undefined), 20_000, 'the resumed attempt');
    expect(await page.evaluate('window.API.LMSGetValue("cmi.suspend_data")')).toBe(cmi.suspend_data);
    expect(durationOf(String(await page.evaluate('window.API.LMSGetValue("cmi.core.total_time")')))).toBeCloseTo(sessionSeconds, 1);
    await page.close();
  });
});

import type { Browser, Frame, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { haveChromium, launchChromium } from '../support/chromium.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { launchFor, playableFile } from '../support/player.js';
import { Learner } from '../support/progress.js';

const COURSE = 'http://howtoreadacrochetpattern_rise';
const VERBS = 'http://adlnet.gov/expapi/verbs/';

/** A learner's answer to a question: the choices to select, or where each item of a matching goes. */
type Answer = string[] | Record<string, string>;

describe.skipIf(!haveChromium || !haveFixtures)('a Rise course exported for xAPI in the player', () => {
  let harness: Harness;
  let tenant: Tenant;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startHarness({ listen: true, worker: true });
    tenant = await harness.createTenant('Rise Org');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('plays with Tin Can launch parameters through lessons and quizzes until Rise reports the course passed, the summary at 100%', { timeout: 180_000 }, async () => {
    const { app } = harness;
    const fileId = await playableFile(app, tenant.manager.key, fixture('rise-xapi-interactions-pdf-partial.zip'));
    const learner = await Learner.of(app, tenant.manager.key, 'joe');
    const launch = await launchFor(app, tenant.manager.key, { scorm_file_id: fileId, userId: 'joe', userName: 'Joe' });
    const page = await browser.newPage();
    await page.goto(launch.launch_url);
    const course: Frame = await eventually(async () => page.frames().find((frame) => frame.url().includes('content/index.html')), 20_000, 'the Rise course');
    await course.getByText('Start course', { exact: false }).first().click();

    // Rise's own outline links, followed as the learner's click would be (the outline folds away at this width).
    const goToLesson = async (title: string) => {
      const href = await course.locator('a[href*="#/lessons/"]').filter({ hasText: title }).first().getAttribute('href');
      await course.evaluate(`location.hash = ${JSON.stringify(href!.slice(href!.indexOf('#')))}`);
      await course.getByText(title).filter({ visible: true }).first().waitFor();
    };
    const percent = async () => Number((await course.getByText(/% COMPLETE/i).first().innerText()).match(/\d+/)![0]);

    // A lesson of blocks completes once read to its end, through its "continue" dividers.
    for (const title of ['Gallery of Stitches', 'Common Stitch Abbreviations', 'Put It All Together']) {
      const before = await percent();
      await goToLesson(title);
      await eventually(
        async () => {
          await course.evaluate('for (const element of document.querySelectorAll("*")) if (element.scrollHeight > element.clientHeight + 10) element.scrollTop = element.scrollHeight');
          const more = course.getByRole('button', { name: /continue/i }).filter({ visible: true });
          if ((await more.count()) > 0) await more.first().click({ timeout: 500 }).catch(() => undefined);
          return (await percent()) > before ? true : undefined;
        },
        30_000,
        `the lesson ${title} complete`,
      );
    }

    /**
     * A Rise quiz as a learner takes it, one question card at a time. Rise may shuffle questions and
     * choices, so each card gets the answer that fits what it shows. A choice is a role=radio or
     * role=checkbox element named by its label; a matching is done with Rise's keyboard support:
     * space on an item, right arrow to the drop zones, arrows to the zone, space to drop.
     */
    const takeQuiz = async (title: string, answers: Answer[]) => {
      await goToLesson(title);
      await course.getByRole('button', { name: /start quiz/i }).filter({ visible: true }).first().click();
      const remaining = [...answers];
      for (let index = 0; index < answers.length; index++) {
        const card: Locator = course.locator('.quiz-card--active').filter({ visible: true }).filter({ hasText: `0${index + 1}/0${answers.length}` });
        const choices = card.locator('[role=radio], [role=checkbox]');
        const items = card.locator('.quiz-match__item-wrapper');
        const itemTexts = () => items.locator('[data-match-content]').allTextContents();
        // The card's content may still be coming in as it slides into view.
        const [answer, labels] = await eventually(async () => {
          const shown = (await card.locator('[id$="-label"]').allTextContents()).map((label) => label.trim());
          const matched = await itemTexts();
          const fits = remaining.find((candidate) => (Array.isArray(candidate) ? candidate.every((choice) => shown.includes(choice)) : Object.keys(candidate).every((item) => matched.includes(item))));
          return fits ? ([fits, shown] as const) : undefined;
        }, 10_000, `the answer that fits question ${index + 1} of ${title}`);
        remaining.splice(remaining.indexOf(answer), 1);
        if (Array.isArray(answer)) {
          for (const choice of answer) await choices.nth(labels.indexOf(choice)).dispatchEvent('click');
        } else {
          const zones = await card.locator('.quiz-match__item--immobile [data-match-content]').allTextContents();
          for (const [item, zone] of Object.entries(answer)) {
            const from = (await itemTexts()).indexOf(item);
            const to = zones.indexOf(zone);
            await items.nth(from).focus();
            await page.keyboard.press('Space');
            await page.keyboard.press('ArrowRight');
            for (let step = from; step !== to; step += Math.sign(to - from)) await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp');
            await page.keyboard.press('Space');
          }
        }
        const submit = card.locator('[data-ba="quizPreview.quizPreviewQuestions.submitButton"]');
        await eventually(async () => ((await submit.getAttribute('class'))!.includes('--disabled') ? undefined : true), 10_000, `submit enabled on question ${index + 1} of ${title}`);
        await submit.dispatchEvent('click');
        if (index < answers.length - 1) {
          const next = card.locator('button.quiz-card__button--next');
          await eventually(async () => ((await next.isDisabled()) ? undefined : true), 10_000, `next on question ${index + 1} of ${title}`);
          await next.dispatchEvent('click');
        }
      }
      await course.getByText('Quiz Results').filter({ visible: true }).first().waitFor();
    };
    // The answers are those of the course's own quiz data.
    await takeQuiz('Identify the Stitch', [['Chain'], ['Treble Crochet'], ['Two Together']]);
    await takeQuiz('The Important Bits', [
      ['Magic Ring (mr)'],
      ['To achieve gauge', 'The end piece could be too big or too small', 'Yarn might not be correct type for use'],
      { '1': 'Slipknot', '2': 'Chain', '3': "+ chain to account for stitch type's height used in next row" },
    ]);
    // Five of eight lessons: past the course's completion percentage (60%), Rise reports the course passed.
    expect(await percent()).toBeGreaterThanOrEqual(60);

    const summary = await eventually(async () => {
      const found = (await learner.summaries()).find((s) => s.collectionId === `scorm-file-${fileId}`);
      return found?.progress === 100 ? found : undefined;
    }, 30_000, 'the summary at 100%');
    // Every answer was right, and each answered statement became a question of the assessment attempt.
    expect(summary).toMatchObject({ progress: 100, status: 2, contentStatus: { [COURSE]: 2 }, assessmentStatus: { [COURSE]: { score: 6, max_score: 6, attempts: 1 } } });
    const statements = (await harness.context.database.db.selectFrom('xapi_statements').select('statement').execute()).map((row) => JSON.parse(row.statement));
    const answered = statements.filter((statement) => statement.verb.id === `${VERBS}answered`);
    expect(answered.map((statement) => statement.result.success)).toEqual([true, true, true, true, true, true]);
    const passed = statements.filter((statement) => statement.verb.id === `${VERBS}passed`);
    expect(passed).toMatchObject([{ object: { id: COURSE }, actor: { name: 'Joe' }, result: { success: true, completion: true } }]);
    await page.close();
  });
});

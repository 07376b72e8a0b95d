import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { createCollection, createContext, expectOk, expectRefused, Learner, uniqueId, type ContentRef } from '../support/progress.js';

// What view/start, view/update, view/end and view/read do with a learner's progress: Sunbird's
// never-regress rules, time spent, progress details per mimetype, and reads across contexts.

let harness: Harness;
let acme: Tenant;

const COURSE = 'reading';
const inSpring: ContentRef = { contentId: 'chapter-1', collectionId: COURSE, contextId: 'spring' };
const inAutumn: ContentRef = { contentId: 'chapter-1', collectionId: COURSE, contextId: 'autumn' };
const organic: ContentRef = { contentId: 'chapter-1' };

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
  await createCollection(harness.app, acme.manager.key, { identifier: COURSE, contents: [{ contentId: 'chapter-1' }, { contentId: 'chapter-2' }] });
  await createContext(harness.app, acme.manager.key, { identifier: 'spring', collectionId: COURSE });
  await createContext(harness.app, acme.manager.key, { identifier: 'autumn', collectionId: COURSE });
});
afterAll(() => harness.close());

const newLearner = () => Learner.of(harness.app, acme.manager.key, uniqueId('reader'), { key: acme.member.key });

const pdf = (progress: number, extra = {}) => ({ mimetype: 'application/pdf', progress, ...extra });

describe('view/read', () => {
  it('answers status 0 and no progress for a content never viewed', async () => {
    const learner = await newLearner();
    expectOk(await learner.read(inSpring, { msgid: 'r' }), 'api.view.read', 'r', {
      userId: learner.userId,
      collectionId: COURSE,
      contextId: 'spring',
      contentId: 'chapter-1',
      status: 0,
      progressDetails: {},
      progress: 0,
      timeSpent: 0,
    });
    expectOk(await learner.read(organic, { msgid: 'r' }), 'api.view.read', 'r', {
      userId: learner.userId,
      contentId: 'chapter-1',
      status: 0,
      progressDetails: {},
      progress: 0,
      timeSpent: 0,
    });
  });

  it('keeps organic progress and each context apart, and lists them all with ?context=all', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(organic, pdf(10), 5));
    await learner.ok(learner.update(inSpring, pdf(40), 20));
    await learner.ok(learner.end(inAutumn));
    expect(await learner.view(organic)).toMatchObject({ status: 1, progress: 10, timeSpent: 5 });
    expect(await learner.view(inSpring)).toMatchObject({ status: 1, progress: 40, timeSpent: 20 });
    expect(await learner.view(inAutumn)).toMatchObject({ status: 2, progress: 100, timeSpent: 0 });
    const all = await learner.readAll('chapter-1', { msgid: 'all' });
    expectOk(all, 'api.view.read.contextall', 'all', [
      {
        userId: learner.userId,
        contentId: 'chapter-1',
        status: 1,
        progressDetails: { 'application/pdf': pdf(10) },
        progress: 10,
        timeSpent: 5,
      },
      {
        userId: learner.userId,
        collectionId: COURSE,
        contextId: 'autumn',
        contentId: 'chapter-1',
        status: 2,
        progressDetails: {},
        progress: 100,
        timeSpent: 0,
      },
      {
        userId: learner.userId,
        collectionId: COURSE,
        contextId: 'spring',
        contentId: 'chapter-1',
        status: 1,
        progressDetails: { 'application/pdf': pdf(40) },
        progress: 40,
        timeSpent: 20,
      },
    ]);
    expectOk(await learner.readAll('chapter-2'), 'api.view.read.contextall', expect.any(String), []);
  });

  it('shows a learner only their own progress', async () => {
    const [ann, ben] = [await newLearner(), await newLearner()];
    await ann.ok(ann.end(inSpring));
    expect(await ben.view(inSpring)).toMatchObject({ userId: ben.userId, status: 0, progress: 0 });
    expect(await ben.ok(ben.readAll('chapter-1'))).toEqual([]);
  });
});

describe('never-regress rules', () => {
  it('makes start idempotent: a second start, or a start after progress, resets nothing', async () => {
    const learner = await newLearner();
    await learner.ok(learner.start(inSpring));
    await learner.ok(learner.start(inSpring));
    expect(await learner.view(inSpring)).toMatchObject({ status: 1, progress: 0, timeSpent: 0 });
    await learner.ok(learner.update(inSpring, pdf(35), 12));
    expectOk(await learner.start(inSpring), 'api.view.start', expect.any(String), { 'chapter-1': 'Progress started' });
    expect(await learner.view(inSpring)).toMatchObject({ status: 1, progress: 35, timeSpent: 12, progressDetails: { 'application/pdf': pdf(35) } });
    await learner.ok(learner.end(inSpring));
    await learner.ok(learner.start(inSpring));
    expect(await learner.view(inSpring)).toMatchObject({ status: 2, progress: 100, timeSpent: 12 });
  });

  it('never lowers progress or status; the details are the ones last sent', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(organic, pdf(60, { page: 12 }), 10));
    await learner.ok(learner.update(organic, pdf(30, { page: 6 }), 10));
    expect(await learner.view(organic)).toMatchObject({ status: 1, progress: 60, progressDetails: { 'application/pdf': pdf(30, { page: 6 }) } });
    await learner.ok(learner.end(organic));
    await learner.ok(learner.update(organic, pdf(5), 10));
    await learner.ok(learner.start(organic));
    expect(await learner.view(organic)).toMatchObject({ status: 2, progress: 100, timeSpent: 30 });
  });

  it('completes a content when progress reaches 100, without view/end', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(inSpring, pdf(100), 8));
    expect(await learner.view(inSpring)).toMatchObject({ status: 2, progress: 100 });
    const [summary] = await learner.summaries();
    expect(summary).toMatchObject({ contextId: 'spring', contentStatus: { 'chapter-1': 2 } });
  });

  it('clamps progress to 0..100', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(organic, pdf(-20), 1));
    expect(await learner.view(organic)).toMatchObject({ status: 1, progress: 0 });
    await learner.ok(learner.update(inSpring, pdf(250), 1));
    expect(await learner.view(inSpring)).toMatchObject({ status: 2, progress: 100 });
  });

  it('completes a content on view/end and forces its progress to 100', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(inSpring, pdf(20), 4));
    expectOk(await learner.end(inSpring, { msgid: 'end' }), 'api.view.end', 'end', { 'chapter-1': 'Progress ended' });
    expect(await learner.view(inSpring)).toMatchObject({ status: 2, progress: 100, timeSpent: 4, progressDetails: { 'application/pdf': pdf(20) } });
    const [summary] = await learner.summaries();
    expect(summary).toMatchObject({ contentStatus: { 'chapter-1': 2 }, progress: 50, status: 1 });
  });

  it('ends a content never started', async () => {
    const learner = await newLearner();
    await learner.ok(learner.end(organic));
    expect(await learner.view(organic)).toMatchObject({ status: 2, progress: 100, timeSpent: 0 });
  });
});

describe('time spent and progress details', () => {
  it('adds time spent up, spelled timeSpent or timespent, also after completion', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(inSpring, pdf(10), 30));
    const spelledLower = await learner.send('/v1/view/update', 'api.view.update', { ...inSpring, progressDetails: pdf(20), timespent: 12.5 });
    expectOk(spelledLower, 'api.view.update', expect.any(String), { 'chapter-1': 'Progress Updated' });
    await learner.ok(learner.end(inSpring));
    await learner.ok(learner.update(inSpring, pdf(100), 7));
    await learner.ok(learner.update(inSpring, pdf(100), 0));
    expect(await learner.view(inSpring)).toMatchObject({ timeSpent: 49.5, status: 2 });
  });

  it('keeps the details of each mimetype, whichever spelling of mimetype is used', async () => {
    const learner = await newLearner();
    await learner.ok(learner.update(inSpring, pdf(10, { page: 2 }), 1));
    await learner.ok(learner.update(inSpring, { mimeType: 'video/mp4', progress: 25, position: 93.5 }, 1));
    await learner.ok(learner.update(inSpring, pdf(15, { page: 3 }), 1));
    await learner.ok(learner.update(inSpring, { progress: 5, note: 'no mimetype' }, 1));
    expect((await learner.view(inSpring)).progressDetails).toEqual({
      'application/pdf': pdf(15, { page: 3 }),
      'video/mp4': { mimeType: 'video/mp4', progress: 25, position: 93.5 },
      default: { progress: 5, note: 'no mimetype' },
    });
    expect(await learner.view(inSpring)).toMatchObject({ progress: 25, timeSpent: 4 });
  });

  it.each([
    ['no progressDetails', { timeSpent: 3 }, { 'request.progressDetails': 'Progress details cannot be empty' }],
    ['progressDetails as a list', { progressDetails: [20], timeSpent: 3 }, { 'request.progressDetails': 'Progress details cannot be empty' }],
    ['a progress that is not a number', { progressDetails: pdf(20, { progress: '20' }), timeSpent: 3 }, {
      'request.progressDetails.progress': 'Progress must be a number from 0 to 100',
    }],
    ['no timeSpent', { progressDetails: pdf(20) }, { 'request.timeSpent': 'Time spent must be a number of seconds from 0 to 86400' }],
    ['a negative timeSpent', { progressDetails: pdf(20), timeSpent: -5 }, { 'request.timeSpent': 'Time spent must be a number of seconds from 0 to 86400' }],
    ['a timeSpent that is text', { progressDetails: pdf(20), timeSpent: '5' }, { 'request.timeSpent': 'Time spent must be a number of seconds from 0 to 86400' }],
  ])('refuses an update with %s and records nothing', async (_label, fields, result) => {
    const learner = await newLearner();
    const response = await learner.send('/v1/view/update', 'api.view.update', { ...inSpring, ...fields }, { msgid: 'u' });
    expectRefused(response, 'api.view.update', 'u', 'BAD_REQUEST', result);
    expect(await learner.view(inSpring)).toMatchObject({ status: 0, progress: 0, timeSpent: 0 });
    expect(await learner.summaries()).toEqual([]);
  });
});

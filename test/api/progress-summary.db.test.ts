import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import {
  answer,
  createCollection,
  createContext,
  enroll,
  expectOk,
  expectRefused,
  Learner,
  UUID,
  uniqueId,
  type Json,
} from '../support/progress.js';

// Summaries (one per enrollment) and the certificates a completed enrollment earns.

let harness: Harness;
let acme: Tenant;

const COURSE = 'biology';
const COURSE_INFO = {
  identifier: COURSE,
  name: 'Biology 101',
  logo: 'https://cdn.example.com/biology.png',
  leafNodesCount: 4,
  description: 'Cells, plants and animals',
};
const at = (contentId: string, contextId = 'bio-open') => ({ contentId, collectionId: COURSE, contextId });

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
  const key = acme.manager.key;
  await createCollection(harness.app, key, {
    identifier: COURSE,
    name: COURSE_INFO.name,
    logo: COURSE_INFO.logo,
    description: COURSE_INFO.description,
    contents: [{ contentId: 'cells' }, { contentId: 'plants' }, { contentId: 'bonus', optional: true }, { contentId: 'final-quiz' }],
  });
  await createCollection(harness.app, key, { identifier: 'botany', name: 'Botany', contents: [{ contentId: 'trees' }] });
  await createContext(harness.app, key, { identifier: 'bio-open', collectionId: COURSE });
  await createContext(harness.app, key, { identifier: 'bio-invite', collectionId: COURSE, enrollment: 'invite' });
  await createContext(harness.app, key, {
    identifier: 'bio-certified',
    name: 'Spring cohort',
    collectionId: COURSE,
    certificate: { name: 'Biology Certificate', criteria: { minScorePercent: 60 } },
  });
  await createContext(harness.app, key, { identifier: 'botany-certified', collectionId: 'botany', certificate: { name: 'Botany Badge' } });
});
afterAll(() => harness.close());

const newLearner = (name?: string) => Learner.of(harness.app, acme.manager.key, uniqueId('pupil'), { key: acme.member.key, ...(name ? { name } : {}) });

async function summaryOf(learner: Learner, contextId: string): Promise<Json> {
  const summaries = await learner.summaries();
  const found = summaries.find((s) => s.contextId === contextId);
  expect(found, `summary of ${contextId}`).toBeDefined();
  return found!;
}

async function completeRequired(learner: Learner, contextId: string) {
  for (const content of ['cells', 'plants', 'final-quiz']) await learner.ok(learner.end(at(content, contextId)));
}

describe('summaries', () => {
  it('answers one entry per enrollment with every field of the document', async () => {
    const learner = await newLearner();
    const before = Date.now();
    await learner.ok(learner.start(at('cells')));
    const after = Date.now();
    await learner.ok(learner.submit(at('final-quiz'), 'a1', [answer('q1', 3, 4, 1)]));
    const response = await learner.summaryList();
    expectOk(response, 'api.summary.list', null, {
      summary: [
        {
          userId: learner.userId,
          collectionId: COURSE,
          contextId: 'bio-open',
          enrolledDate: expect.any(Number),
          active: true,
          contentStatus: { cells: 1, 'final-quiz': 1 },
          assessmentStatus: { 'final-quiz': { score: 3, max_score: 4, attempts: 1 } },
          collection: COURSE_INFO,
          issuedCertificates: [],
          completedOn: null,
          progress: 0,
          status: 1,
        },
      ],
    });
    const enrolledDate = response.json().result.summary[0].enrolledDate;
    expect(enrolledDate).toBeGreaterThanOrEqual(before);
    expect(enrolledDate).toBeLessThanOrEqual(after);
  });

  it('counts progress over required contents only, and completes when they all are', async () => {
    const learner = await newLearner();
    const progressOf = async () => {
      const { progress, status, completedOn, contentStatus } = await summaryOf(learner, 'bio-open');
      return { progress, status, completedOn, contentStatus };
    };
    await learner.ok(learner.end(at('bonus')));
    expect(await progressOf()).toEqual({ progress: 0, status: 1, completedOn: null, contentStatus: { bonus: 2 } });
    await learner.ok(learner.end(at('cells')));
    expect(await progressOf()).toEqual({ progress: 33, status: 1, completedOn: null, contentStatus: { bonus: 2, cells: 2 } });
    await learner.ok(learner.update(at('plants'), { progress: 90 }, 60));
    expect(await progressOf()).toMatchObject({ progress: 33, status: 1, contentStatus: { bonus: 2, cells: 2, plants: 1 } });
    await learner.ok(learner.end(at('plants')));
    expect(await progressOf()).toMatchObject({ progress: 66, status: 1, completedOn: null });
    const before = Date.now();
    await learner.ok(learner.update(at('final-quiz'), { progress: 100 }, 30));
    const after = Date.now();
    const done = await progressOf();
    expect(done).toEqual({
      progress: 100,
      status: 2,
      completedOn: expect.any(Number),
      contentStatus: { bonus: 2, cells: 2, plants: 2, 'final-quiz': 2 },
    });
    expect(done.completedOn).toBeGreaterThanOrEqual(before);
    expect(done.completedOn).toBeLessThanOrEqual(after);
    // Later activity changes neither completion nor its date.
    await learner.ok(learner.update(at('cells'), { progress: 10 }, 5));
    await learner.ok(learner.start(at('bonus')));
    expect(await progressOf()).toEqual(done);
  });

  it('completes without the optional content', async () => {
    const learner = await newLearner();
    await completeRequired(learner, 'bio-open');
    expect(await summaryOf(learner, 'bio-open')).toMatchObject({ progress: 100, status: 2, contentStatus: { cells: 2, plants: 2, 'final-quiz': 2 } });
  });

  it('answers status 0 for an enrollment made by a manager and not yet started', async () => {
    const learner = await newLearner();
    const [enrollment] = await enroll(harness.app, acme.manager.key, 'bio-invite', [learner.userId]);
    expect(await learner.summaries()).toEqual([
      {
        userId: learner.userId,
        collectionId: COURSE,
        contextId: 'bio-invite',
        enrolledDate: enrollment!.enrolledDate,
        active: true,
        contentStatus: {},
        assessmentStatus: {},
        collection: COURSE_INFO,
        issuedCertificates: [],
        completedOn: null,
        progress: 0,
        status: 0,
      },
    ]);
  });

  it('reads the summary of one collection and context with summary/read', async () => {
    const learner = await newLearner();
    await learner.ok(learner.start(at('cells', 'bio-open')));
    await enroll(harness.app, acme.manager.key, 'bio-invite', [learner.userId]);
    await learner.ok(learner.end(at('plants', 'bio-invite')));
    const list = await learner.summaries();
    expect(list.map((s) => s.contextId)).toEqual(['bio-open', 'bio-invite']);
    expectOk(await learner.summaryRead(COURSE, 'bio-invite', { msgid: 'sr' }), 'api.summary.read', 'sr', { summary: [list[1]] });
    expectOk(await learner.summaryRead(COURSE, 'bio-open', { msgid: 'sr' }), 'api.summary.read', 'sr', { summary: [list[0]] });
    expectOk(await learner.summaryRead('botany', 'bio-open', { msgid: 'sr' }), 'api.summary.read', 'sr', { summary: [] });
    const incomplete = await learner.send('/v1/summary/read', 'api.summary.read', { contextId: 'bio-open' }, { msgid: 'sr' });
    expectRefused(incomplete, 'api.summary.read', 'sr', 'BAD_REQUEST', { 'request.collectionId': 'Collection Id cannot be empty' });
  });

  it('answers an empty list to a learner with no enrollment, even one with organic progress', async () => {
    const learner = await newLearner();
    await learner.ok(learner.end({ contentId: 'cells' }));
    expectOk(await learner.summaryList(), 'api.summary.list', null, { summary: [] });
  });
});

describe('certificates', () => {
  async function certificates(learner: Learner, contextId: string) {
    return (await summaryOf(learner, contextId)).issuedCertificates as { name: string; id: string; token: string; lastIssuedOn: number }[];
  }

  it('issues one certificate once the enrollment completes and its best scores meet the criteria', async () => {
    const learner = await newLearner('Ada Lovelace');
    await learner.ok(learner.submit(at('final-quiz', 'bio-certified'), 'try-1', [answer('q1', 2, 5, 1), answer('q2', 3, 5, 1)]));
    await completeRequired(learner, 'bio-certified');
    // Completed, but 50% is under the 60% asked.
    expect(await summaryOf(learner, 'bio-certified')).toMatchObject({ status: 2, issuedCertificates: [] });

    const before = Date.now();
    await learner.ok(learner.submit(at('final-quiz', 'bio-certified'), 'try-2', [answer('q1', 4, 5, 1), answer('q2', 3, 5, 1)]));
    const after = Date.now();
    const issued = await certificates(learner, 'bio-certified');
    // Epoch milliseconds, like enrolledDate and completedOn in the document's samples.
    expect(issued).toEqual([{ name: 'Biology Certificate', id: expect.stringMatching(UUID), token: expect.any(String), lastIssuedOn: expect.any(Number) }]);
    const issuedOn = issued[0]!.lastIssuedOn;
    expect(issuedOn).toBeGreaterThanOrEqual(before);
    expect(issuedOn).toBeLessThanOrEqual(after);

    // A better attempt, more views: still that one certificate.
    await learner.ok(learner.submit(at('final-quiz', 'bio-certified'), 'try-3', [answer('q1', 5, 5, 1), answer('q2', 5, 5, 1)]));
    await learner.ok(learner.end(at('bonus', 'bio-certified')));
    expect(await certificates(learner, 'bio-certified')).toEqual(issued);

    const verified = await harness.app.inject({ method: 'GET', url: `/v1/certificates/${issued[0]!.token}` });
    expect(verified.statusCode).toBe(200);
    const summary = await summaryOf(learner, 'bio-certified');
    expect(verified.json()).toEqual({
      id: issued[0]!.id,
      name: 'Biology Certificate',
      valid: true,
      learner: { userId: learner.userId, name: 'Ada Lovelace' },
      course: { identifier: COURSE, name: 'Biology 101' },
      context: { identifier: 'bio-certified', name: 'Spring cohort' },
      organization: expect.stringContaining('Acme Learning'),
      completedOn: new Date(summary.completedOn as number).toISOString(),
      issuedOn: new Date(issued[0]!.lastIssuedOn).toISOString(),
    });
  });

  it('counts only required contents towards the score criteria', async () => {
    const learner = await newLearner();
    await learner.ok(learner.submit(at('final-quiz', 'bio-certified'), 'good', [answer('q1', 5, 5, 1)]));
    // An optional content failed badly must not stand between a learner and the certificate.
    await learner.ok(learner.submit(at('bonus', 'bio-certified'), 'poor', [answer('b1', 0, 20, 1)]));
    await completeRequired(learner, 'bio-certified');
    expect(await certificates(learner, 'bio-certified')).toEqual([expect.objectContaining({ name: 'Biology Certificate' })]);
  });

  it('does not issue a certificate before the enrollment completes, however good the scores', async () => {
    const learner = await newLearner();
    await learner.ok(learner.submit(at('final-quiz', 'bio-certified'), 'perfect', [answer('q1', 5, 5, 1)]));
    await learner.ok(learner.end(at('cells', 'bio-certified')));
    await learner.ok(learner.end(at('bonus', 'bio-certified')));
    expect(await summaryOf(learner, 'bio-certified')).toMatchObject({ status: 1, issuedCertificates: [] });
    await learner.ok(learner.end(at('plants', 'bio-certified')));
    await learner.ok(learner.end(at('final-quiz', 'bio-certified')));
    expect(await certificates(learner, 'bio-certified')).toEqual([expect.objectContaining({ name: 'Biology Certificate' })]);
  });

  it('issues on completion when the context asks no minimum score, and none in a context without certificate', async () => {
    const learner = await newLearner();
    await learner.ok(learner.end({ contentId: 'trees', collectionId: 'botany', contextId: 'botany-certified' }));
    expect(await certificates(learner, 'botany-certified')).toEqual([expect.objectContaining({ name: 'Botany Badge' })]);
    await completeRequired(learner, 'bio-open');
    expect(await summaryOf(learner, 'bio-open')).toMatchObject({ status: 2, issuedCertificates: [] });
  });

  it("issues the certificate a context gained after the learner completed it, on the learner's next write", async () => {
    const learner = await newLearner();
    const contextId = uniqueId('bio-late');
    await createContext(harness.app, acme.manager.key, { identifier: contextId, collectionId: COURSE });
    await completeRequired(learner, contextId);
    expect(await certificates(learner, contextId)).toEqual([]);
    const patched = await harness.app.inject({
      method: 'PATCH',
      url: `/v1/contexts/${contextId}`,
      headers: { 'x-api-key': acme.manager.key },
      payload: { certificate: { name: 'Late Certificate' } },
    });
    expect(patched.statusCode).toBe(200);
    // A write that changes none of the enrollment's aggregates still checks its certificate.
    await learner.ok(learner.update(at('cells', contextId), { progress: 100 }, 5));
    expect(await certificates(learner, contextId)).toEqual([expect.objectContaining({ name: 'Late Certificate' })]);
  });

  it('shows a certificate page to browsers, naming the learner, the course and the date', async () => {
    const learner = await newLearner('Zoë <O\'Brien> & co');
    await learner.ok(learner.end({ contentId: 'trees', collectionId: 'botany', contextId: 'botany-certified' }));
    const [certificate] = await certificates(learner, 'botany-certified');
    const page = await harness.app.inject({
      method: 'GET',
      url: `/v1/certificates/${certificate!.token}`,
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const date = new Date(certificate!.lastIssuedOn).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(page.body).toContain('<h1>Botany Badge</h1>');
    expect(page.body).toContain('<p class="name">Zoë &lt;O&#39;Brien&gt; &amp; co</p>');
    expect(page.body).toContain('completed <strong>Botany</strong>');
    expect(page.body).toContain(`on ${date}`);
    expect(page.body).not.toContain("<O'Brien>");
    const asJson = await harness.app.inject({ method: 'GET', url: `/v1/certificates/${certificate!.token}`, headers: { accept: 'application/json' } });
    expect(asJson.headers['content-type']).toMatch(/^application\/json/);
    expect(asJson.json()).toMatchObject({ id: certificate!.id, learner: { name: "Zoë <O'Brien> & co" } });
  });

  it('answers 404 for an unknown certificate token', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/v1/certificates/not-a-certificate-token' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'certificate_not_found', message: 'No certificate has this token.' });
  });
});

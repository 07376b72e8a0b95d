import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { answer, assessEvent, createCollection, createContext, expectOk, expectRefused, Learner, uniqueId } from '../support/progress.js';

// assessment/submit and assessment/read: attempts made of assessment events (plain or Sunbird
// ASSESS telemetry), the latest event per question winning, and the best attempt in the summary.

let harness: Harness;
let acme: Tenant;

const COURSE = 'chemistry';
const quiz = { contentId: 'quiz', collectionId: COURSE, contextId: 'chem-open' };
const exam = { contentId: 'exam', collectionId: COURSE, contextId: 'chem-open' };

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
  const key = acme.manager.key;
  await createCollection(harness.app, key, { identifier: COURSE, contents: [{ contentId: 'lesson' }, { contentId: 'quiz' }, { contentId: 'exam' }] });
  await createCollection(harness.app, key, { identifier: 'physics', contents: [{ contentId: 'waves' }] });
  await createContext(harness.app, key, { identifier: 'chem-open', collectionId: COURSE });
  await createContext(harness.app, key, { identifier: 'chem-invite', collectionId: COURSE, enrollment: 'invite' });
  await createContext(harness.app, key, { identifier: 'chem-2020', collectionId: COURSE, startDate: '2020-01-01', endDate: '2020-06-30' });
});
afterAll(() => harness.close());

const newLearner = () => Learner.of(harness.app, acme.manager.key, uniqueId('student'), { key: acme.member.key });

async function attempts(learner: Learner, ref = quiz) {
  return (await learner.ok<{ assessments: unknown[] }>(learner.readAssessment(ref))).assessments;
}

async function assessmentStatus(learner: Learner) {
  const [summary] = await learner.summaries();
  return summary?.assessmentStatus;
}

describe('assessment/submit and assessment/read', () => {
  it('scores an attempt of plain events as the sums of scores and max scores', async () => {
    const learner = await newLearner();
    const events = [answer('q1', 3, 5, 1000, { title: 'Atoms', response: ['b'], duration: 12 }), answer('q2', 1, 2, 1000), answer('q3', 0, 3, 1000)];
    expectOk(await learner.submit(quiz, 'attempt-1', events, { msgid: 's1' }), 'api.view.assess', 's1', { quiz: 'Score Updated' });
    expectOk(await learner.readAssessment(quiz, { msgid: 'r1' }), 'api.assessment.read', 'r1', {
      userId: learner.userId,
      contentId: 'quiz',
      collectionId: COURSE,
      contextId: 'chem-open',
      assessments: [{ attemptId: 'attempt-1', score: 4, max_score: 10 }],
    });
  });

  it('scores Sunbird ASSESS telemetry events the same way, also mixed with plain events', async () => {
    const learner = await newLearner();
    await learner.ok(learner.submit(quiz, 'telemetry', [assessEvent('q1', 3, 5, 1000), assessEvent('q2', 1, 2, 1000)]));
    await learner.ok(learner.submit(quiz, 'mixed', [assessEvent('q1', 5, 5, 1000), answer('q2', 2, 2, 1000), assessEvent('q3', 0.5, 1, 1000)]));
    expect(await attempts(learner)).toEqual([
      { attemptId: 'telemetry', score: 4, max_score: 7 },
      { attemptId: 'mixed', score: 7.5, max_score: 8 },
    ]);
  });

  it('keeps the latest event per question within an attempt: an older one does not replace a newer one', async () => {
    const learner = await newLearner();
    await learner.ok(learner.submit(quiz, 'a1', [answer('q1', 1, 5, 2000), answer('q2', 2, 5, 2000)]));
    // q1 again, but from before: ignored. q2 answered anew: replaces. q3: added.
    await learner.ok(learner.submit(quiz, 'a1', [answer('q1', 5, 5, 1500), answer('q2', 4, 5, 2500), assessEvent('q3', 1, 1, 100)]));
    expect(await attempts(learner)).toEqual([{ attemptId: 'a1', score: 6, max_score: 11 }]);
    // Within one request too: the newest event for a question wins, whatever its place in the list.
    await learner.ok(learner.submit(quiz, 'a2', [answer('q1', 4, 5, 3000), answer('q1', 0, 5, 1000), assessEvent('q1', 2, 5, 2000)]));
    expect(await attempts(learner)).toEqual([
      { attemptId: 'a1', score: 6, max_score: 11 },
      { attemptId: 'a2', score: 4, max_score: 5 },
    ]);
  });

  it('keeps the best attempt per content in the summary, with the number of attempts', async () => {
    const learner = await newLearner();
    await learner.ok(learner.submit(quiz, 'first', [answer('q1', 2, 5, 1), answer('q2', 1, 5, 1)]));
    expect(await assessmentStatus(learner)).toEqual({ quiz: { score: 3, max_score: 10, attempts: 1 } });
    await learner.ok(learner.submit(quiz, 'second', [answer('q1', 5, 5, 1), answer('q2', 4, 5, 1)]));
    await learner.ok(learner.submit(quiz, 'third', [answer('q1', 1, 5, 1), answer('q2', 0, 5, 1)]));
    await learner.ok(learner.submit(exam, 'only', [assessEvent('e1', 7, 20, 1)]));
    expect(await assessmentStatus(learner)).toEqual({
      quiz: { score: 9, max_score: 10, attempts: 3 },
      exam: { score: 7, max_score: 20, attempts: 1 },
    });
    expect(await attempts(learner)).toEqual([
      { attemptId: 'first', score: 3, max_score: 10 },
      { attemptId: 'second', score: 9, max_score: 10 },
      { attemptId: 'third', score: 1, max_score: 10 },
    ]);
    expect(await attempts(learner, exam)).toEqual([{ attemptId: 'only', score: 7, max_score: 20 }]);
  });

  it('takes as best the attempt with the highest share of its maximum', async () => {
    const learner = await newLearner();
    await learner.ok(learner.submit(quiz, 'six-of-ten', [answer('q1', 6, 10, 1)]));
    await learner.ok(learner.submit(quiz, 'five-of-five', [answer('q1', 5, 5, 1)]));
    await learner.ok(learner.submit(quiz, 'six-of-fifteen', [answer('q1', 6, 15, 1)]));
    expect(await assessmentStatus(learner)).toEqual({ quiz: { score: 5, max_score: 5, attempts: 3 } });
  });

  it("keeps each learner's attempts their own", async () => {
    const [ann, ben] = [await newLearner(), await newLearner()];
    await ann.ok(ann.submit(quiz, 'same-attempt-id', [answer('q1', 5, 5, 1)]));
    await ben.ok(ben.submit(quiz, 'same-attempt-id', [answer('q1', 1, 5, 1)]));
    expect(await attempts(ann)).toEqual([{ attemptId: 'same-attempt-id', score: 5, max_score: 5 }]);
    expect(await attempts(ben)).toEqual([{ attemptId: 'same-attempt-id', score: 1, max_score: 5 }]);
  });

  it('answers an empty list before any attempt', async () => {
    const learner = await newLearner();
    expect(await attempts(learner)).toEqual([]);
  });
});

describe('refused submissions', () => {
  it.each([
    ['a content not in the collection', { ...quiz, contentId: 'waves' }, { 'request.contentId': 'Content is not part of the collection' }, 'BAD_REQUEST'],
    ['no collectionId', { contentId: 'quiz', contextId: 'chem-open' }, { 'request.collectionId': 'Collection Id cannot be empty' }, 'BAD_REQUEST'],
    ['no contextId', { contentId: 'quiz', collectionId: COURSE }, { 'request.contextId': 'Context Id cannot be empty' }, 'BAD_REQUEST'],
    ['no contentId', { collectionId: COURSE, contextId: 'chem-open' }, { 'request.contentId': 'Content Id cannot be empty' }, 'BAD_REQUEST'],
    ['an unknown context', { ...quiz, contextId: 'nope' }, { 'request.contextId': 'Invalid Context Id' }, 'BAD_REQUEST'],
    ['a context of another collection', { contentId: 'waves', collectionId: 'physics', contextId: 'chem-open' }, {
      'request.contextId': 'Context does not belong to the collection',
    }, 'BAD_REQUEST'],
    ['a context that has ended', { ...quiz, contextId: 'chem-2020' }, { 'request.contextId': 'Context has ended' }, 'BAD_REQUEST'],
    ['an invite-only context without enrollment', { ...quiz, contextId: 'chem-invite' }, { 'request.contextId': 'User is not enrolled in this context' }, 'FORBIDDEN'],
  ])('refuses %s', async (_label, ref, result, code) => {
    const learner = await newLearner();
    const response = await learner.send('/v1/assessment/submit', 'api.assess.submit', { ...ref, attemptId: 'a', assessments: [answer('q1', 1, 1, 1)] }, { msgid: 'm' });
    expectRefused(response, 'api.view.assess', 'm', code, result);
    expect(await learner.summaries()).toEqual([]);
  });

  it.each([
    ['no attemptId', { assessments: [answer('q1', 1, 1, 1)] }, { 'request.attemptId': 'Attempt Id cannot be empty' }],
    ['an attemptId with a NUL character', { attemptId: 'a\u0000', assessments: [answer('q1', 1, 1, 1)] }, {
      'request.attemptId': 'request.attemptId must not contain NUL characters (U+0000)',
    }],
    ['no assessments', { attemptId: 'a' }, { 'request.assessments': 'Assessments cannot be empty' }],
    ['an empty list of assessments', { attemptId: 'a', assessments: [] }, { 'request.assessments': 'Assessments cannot be empty' }],
    ['an event that is not an object', { attemptId: 'a', assessments: [answer('q1', 1, 1, 1), 'q2=1'] }, {
      'request.assessments[1]': 'Assessment event must be an object',
    }],
    ['an event without questionId', { attemptId: 'a', assessments: [{ score: 1, maxScore: 1, assessmentTs: 1 }] }, {
      'request.assessments[0].questionId': 'Question Id cannot be empty',
    }],
    ['a negative score', { attemptId: 'a', assessments: [answer('q1', 1, 1, 1), answer('q2', -1, 1, 1)] }, {
      'request.assessments[1].score': 'Score must be a number, zero or more',
    }],
    ['a score above its max score', { attemptId: 'a', assessments: [answer('q1', 15, 10, 1)] }, {
      'request.assessments[0].score': 'Score cannot be more than the max score',
    }],
    ['a score that is text', { attemptId: 'a', assessments: [answer('q1', '1' as unknown as number, 1, 1)] }, {
      'request.assessments[0].score': 'Score must be a number, zero or more',
    }],
    ['no maxScore', { attemptId: 'a', assessments: [{ questionId: 'q1', score: 1, assessmentTs: 1 }] }, {
      'request.assessments[0].maxScore': 'Max score must be a number, zero or more',
    }],
    ['no assessmentTs', { attemptId: 'a', assessments: [{ questionId: 'q1', score: 1, maxScore: 1 }] }, {
      'request.assessments[0].assessmentTs': 'Assessment timestamp must be epoch milliseconds',
    }],
    ['an ASSESS event without item id', { attemptId: 'a', assessments: [{ ...assessEvent('q1', 1, 1, 1), edata: { item: { maxscore: 1 }, score: 1 } }] }, {
      'request.assessments[0].edata.item.id': 'Question Id cannot be empty',
    }],
    ['an ASSESS event without score', { attemptId: 'a', assessments: [{ ...assessEvent('q1', 1, 1, 1), edata: { item: { id: 'q1', maxscore: 1 } } }] }, {
      'request.assessments[0].edata.score': 'Score must be a number, zero or more',
    }],
    ['an ASSESS event without maxscore', { attemptId: 'a', assessments: [{ ...assessEvent('q1', 1, 1, 1), edata: { item: { id: 'q1' }, score: 1 } }] }, {
      'request.assessments[0].edata.item.maxscore': 'Max score must be a number, zero or more',
    }],
    ['an ASSESS event without ets', { attemptId: 'a', assessments: [{ ...assessEvent('q1', 1, 1, 1), ets: undefined }] }, {
      'request.assessments[0].ets': 'Assessment timestamp must be epoch milliseconds',
    }],
  ])('refuses a submission with %s, recording none of its events', async (_label, fields, result) => {
    const learner = await newLearner();
    const response = await learner.send('/v1/assessment/submit', 'api.assess.submit', { ...quiz, ...fields }, { msgid: 'bad' });
    expectRefused(response, 'api.view.assess', 'bad', 'BAD_REQUEST', result);
    expect(await attempts(learner)).toEqual([]);
    expect(await learner.summaries()).toEqual([]);
  });

  it('refuses assessment/read without its context, naming the field', async () => {
    const learner = await newLearner();
    const response = await learner.readAssessment({ contentId: 'quiz', collectionId: COURSE } as typeof quiz, { msgid: 'r' });
    expectRefused(response, 'api.assessment.read', 'r', 'BAD_REQUEST', { 'request.contextId': 'Context Id cannot be empty' });
  });
});

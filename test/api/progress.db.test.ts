import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { del, get, post } from '../support/api.js';
import {
  answer,
  createCollection,
  createContext,
  enroll,
  ENVELOPE_TS,
  expectOk,
  expectRefused,
  failure,
  Learner,
  mintLearnerToken,
  randomSecret,
  signLearnerToken,
  storedLearnerTokenSecret,
  success,
  uniqueId,
} from '../support/progress.js';

// The progress API as a learning app uses it: its envelopes, who may call it, and how
// collections and contexts gate a learner's writes. Views, assessments and summaries in detail
// are in progress-views, progress-assessments and progress-summary.

let harness: Harness;
let acme: Tenant;
let globex: Tenant;

const COURSE = 'algebra';
const OTHER_COURSE = 'geometry';
const ref = (contentId: string, contextId?: string) => ({ contentId, collectionId: COURSE, ...(contextId ? { contextId } : {}) });

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme Learning');
  globex = await harness.createTenant('Globex');
  const key = acme.manager.key;
  await createCollection(harness.app, key, {
    identifier: COURSE,
    contents: [{ contentId: 'intro' }, { contentId: 'quiz' }, { contentId: 'extra', optional: true }],
  });
  await createCollection(harness.app, key, { identifier: OTHER_COURSE, contents: [{ contentId: 'shapes' }] });
  await createContext(harness.app, key, { identifier: 'algebra-open', collectionId: COURSE });
  await createContext(harness.app, key, { identifier: 'algebra-invite', collectionId: COURSE, enrollment: 'invite' });
  await createContext(harness.app, key, { identifier: 'algebra-2020', collectionId: COURSE, startDate: '2020-01-01', endDate: '2020-12-31' });
  await createContext(harness.app, key, { identifier: 'algebra-2999', collectionId: COURSE, startDate: '2999-01-01' });
  await createContext(harness.app, key, { identifier: 'geometry-open', collectionId: OTHER_COURSE });
  // Globex has a course of the same identifier, but none of Acme's contexts.
  await createCollection(harness.app, globex.manager.key, { identifier: COURSE, contents: [{ contentId: 'intro' }] });
});
afterAll(() => harness.close());

const acmeLearner = (prefix = 'learner', options: { key?: string; name?: string } = {}) =>
  Learner.of(harness.app, acme.manager.key, uniqueId(prefix), options);

async function enrollmentsOf(contextId: string) {
  const response = await get(harness.app, acme.manager.key, `/v1/contexts/${contextId}/enrollments?page_size=100`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ results: { userId: string; active: boolean; status: number }[] }>().results;
}

describe('response envelopes', () => {
  it('answers each state update with its id, the echoed msgid and the documented result', async () => {
    const learner = await acmeLearner();
    const content = ref('intro', 'algebra-open');
    for (const [call, id, result] of [
      [() => learner.start(content, { msgid: 'msg-start' }), 'api.view.start', 'Progress started'],
      [() => learner.update(content, { mimetype: 'application/pdf', progress: 20 }, 10, { msgid: 'msg-update' }), 'api.view.update', 'Progress Updated'],
      [() => learner.end(content, { msgid: 'msg-end' }), 'api.view.end', 'Progress ended'],
    ] as const) {
      const response = await call();
      expectOk(response, id, `msg-${id.split('.')[2]}`, { intro: result });
    }
    const submitted = await learner.submit({ ...ref('quiz'), contextId: 'algebra-open' }, 'attempt-1', [answer('q1', 1, 1, 1000)], {
      msgid: 'msg-assess',
    });
    expectOk(submitted, 'api.view.assess', 'msg-assess', { quiz: 'Score Updated' });
  });

  it('answers reads with their ids and results, without any x-requested-by header', async () => {
    const learner = await acmeLearner();
    await learner.ok(learner.update(ref('intro', 'algebra-open'), { mimetype: 'application/pdf', progress: 20 }, 10));
    await learner.ok(learner.submit({ ...ref('quiz'), contextId: 'algebra-open' }, 'a1', [answer('q1', 3, 4, 1000)]));
    const noHeader = { headers: { 'x-requested-by': undefined }, msgid: 'read-1' };

    expectOk(await learner.read(ref('intro', 'algebra-open'), noHeader), 'api.view.read', 'read-1', {
      userId: learner.userId,
      collectionId: COURSE,
      contextId: 'algebra-open',
      contentId: 'intro',
      status: 1,
      progressDetails: { 'application/pdf': { mimetype: 'application/pdf', progress: 20 } },
      progress: 20,
      timeSpent: 10,
    });
    expectOk(await learner.readAll('intro', noHeader), 'api.view.read.contextall', 'read-1', [
      expect.objectContaining({ contentId: 'intro', contextId: 'algebra-open', status: 1 }),
    ]);
    expectOk(await learner.readAssessment({ ...ref('quiz'), contextId: 'algebra-open' }, noHeader), 'api.assessment.read', 'read-1', {
      userId: learner.userId,
      contentId: 'quiz',
      collectionId: COURSE,
      contextId: 'algebra-open',
      assessments: [{ attemptId: 'a1', score: 3, max_score: 4 }],
    });
    const summaryRead = await learner.summaryRead(COURSE, 'algebra-open', noHeader);
    expectOk(summaryRead, 'api.summary.read', 'read-1', { summary: [expect.objectContaining({ userId: learner.userId, contextId: 'algebra-open' })] });
    const list = await learner.summaryList();
    expectOk(list, 'api.summary.list', null, { summary: [expect.objectContaining({ userId: learner.userId, contextId: 'algebra-open' })] });
  });

  it('stamps ts with the current UTC time in the document format and a fresh resmsgid per response', async () => {
    const learner = await acmeLearner();
    const before = Date.now();
    const first = (await learner.start({ contentId: 'organic-1' })).json();
    const second = (await learner.start({ contentId: 'organic-1' })).json();
    const after = Date.now();
    const [, date, time, ms] = /^(\S+) (\d\d:\d\d:\d\d):(\d{3})\+0000$/.exec(first.ts) ?? [];
    const stamped = Date.parse(`${date}T${time}.${ms}Z`);
    // Whole milliseconds of the server's clock, in UTC: between the moments around the call.
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(after);
    expect(second.params.resmsgid).not.toBe(first.params.resmsgid);
  });

  it('answers msgid null when the request carries none', async () => {
    const learner = await acmeLearner();
    expectOk(await learner.start({ contentId: 'organic-2' }, { msgid: null }), 'api.view.start', null, { 'organic-2': 'Progress started' });
  });

  it.each([
    ['an empty contentId', { contentId: '' }, { 'request.contentId': 'Content Id cannot be empty' }],
    ['no contentId', { collectionId: COURSE }, { 'request.contentId': 'Content Id cannot be empty' }],
    ['a contentId that is not text', { contentId: 42 }, { 'request.contentId': 'Content Id must be text of at most 256 characters' }],
    ['a contentId of 257 characters', { contentId: 'c'.repeat(257) }, { 'request.contentId': 'Content Id must be text of at most 256 characters' }],
    // PostgreSQL text cannot hold NUL: it must be a refusal on every database, not a failed write.
    ['a contentId with a NUL character', { contentId: 'lesson\u0000one' }, { 'request.contentId': 'request.contentId must not contain NUL characters (U+0000)' }],
    ['a contextId with a NUL character', { contentId: 'intro', collectionId: COURSE, contextId: 'algebra-open\u0000' }, {
      'request.contextId': 'request.contextId must not contain NUL characters (U+0000)',
    }],
    ['an unknown context', { contentId: 'intro', collectionId: COURSE, contextId: 'no-such-batch' }, { 'request.contextId': 'Invalid Context Id' }],
  ])('refuses %s with 400 and the field at fault', async (_label, request, result) => {
    const learner = await acmeLearner();
    expectRefused(await learner.send('/v1/view/start', 'api.view.start', request, { msgid: 'bad-1' }), 'api.view.start', 'bad-1', 'BAD_REQUEST', result);
  });

  it.each([
    ['no request', { id: 'api.view.start', ver: 'v1', ts: '2021-06-23 05:37:40:575+0000', params: { msgid: 'm' } }, { request: 'Request cannot be empty' }],
    ['a request that is a list', { id: 'api.view.start', ver: 'v1', ts: 't', params: { msgid: 'm' }, request: [] }, { request: 'Request cannot be empty' }],
    ['no id', { ver: 'v1', ts: 't', params: { msgid: 'm' }, request: { contentId: 'x' } }, { id: 'id cannot be empty' }],
    ['no ver', { id: 'api.view.start', ts: 't', params: { msgid: 'm' }, request: { contentId: 'x' } }, { ver: 'ver cannot be empty' }],
    ['no ts', { id: 'api.view.start', ver: 'v1', params: { msgid: 'm' }, request: { contentId: 'x' } }, { ts: 'ts cannot be empty' }],
  ])('refuses an envelope with %s', async (_label, body, result) => {
    const learner = await acmeLearner();
    const response = await learner.send('/v1/view/start', 'api.view.start', undefined, { rawBody: body });
    expectRefused(response, 'api.view.start', 'm', 'BAD_REQUEST', result);
    expect((await learner.view({ contentId: 'x' })).status).toBe(0);
  });

  it('refuses a body that is not JSON in the envelope', async () => {
    const learner = await acmeLearner();
    const response = await learner.send('/v1/view/start', 'api.view.start', undefined, {
      rawBody: '{"id": "api.view.start",',
      headers: { 'content-type': 'application/json' },
    });
    expectRefused(response, 'api.view.start', null, 'BAD_REQUEST', { request: 'The request body is not valid JSON.' });
  });

  it('takes JSON only: a multipart form is refused in the envelope and records nothing', async () => {
    const learner = await acmeLearner();
    const response = await learner.send('/v1/view/start', 'api.view.start', undefined, {
      rawBody: '--lens\r\ncontent-disposition: form-data; name="contentId"\r\n\r\nform-content\r\n--lens--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=lens' },
    });
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 415,
      body: failure('api.view.start', null, 'BAD_REQUEST', { request: 'This content type is not accepted here.' }),
    });
    expect((await learner.view({ contentId: 'form-content' })).status).toBe(0);
  });

  it('answers a failure on its side with SERVER_ERROR in the envelope, telling nothing of its internals', async () => {
    const broken = await startHarness();
    try {
      const tenant = await broken.createTenant('Broken Learning');
      await createCollection(broken.app, tenant.manager.key, { identifier: COURSE, contents: [{ contentId: 'intro' }] });
      await createContext(broken.app, tenant.manager.key, { identifier: 'algebra-open', collectionId: COURSE });
      const learner = await Learner.of(broken.app, tenant.manager.key, uniqueId('stranded'));
      // The key, the token and the context are known from the calls above; the write needs the database.
      await learner.ok(learner.read(ref('intro', 'algebra-open')));
      await broken.context.database.close();
      const response = await learner.update(ref('intro', 'algebra-open'), { progress: 10 }, 5, { msgid: 'down' });
      expectRefused(response, 'api.view.update', 'down', 'SERVER_ERROR', { error: 'Something went wrong on our side' });
    } finally {
      await broken.close().catch(() => undefined);
    }
  });

  it('answers a path the progress API does not have with NOT_FOUND in the envelope, once the caller is known', async () => {
    const learner = await acmeLearner();
    const mistyped = await learner.send('/v1/view/stop', 'api.view.stop', { contentId: 'c' }, { msgid: 'typo' });
    expectRefused(mistyped, 'api.progress', 'typo', 'NOT_FOUND', { path: 'No route POST /v1/view/stop' });
    const headers = { authorization: `Bearer ${learner.key}`, 'x-authenticated-user-token': learner.token };
    const wrongMethod = await harness.app.inject({ method: 'GET', url: '/v1/summary/read', headers });
    expectRefused(wrongMethod, 'api.progress', null, 'NOT_FOUND', { path: 'No route GET /v1/summary/read' });
    const anonymous = await harness.app.inject({ method: 'POST', url: '/v1/assessment/stop', payload: {} });
    expectRefused(anonymous, 'api.progress', null, 'UNAUTHORIZED', { Authorization: 'API key is required: Authorization: Bearer <key>' });
  });
});

describe('who is calling', () => {
  const organic = { contentId: 'organic-auth' };

  it('takes the API key as Authorization: Bearer or as X-API-KEY', async () => {
    const learner = await acmeLearner();
    expectOk(await learner.start(organic), 'api.view.start', expect.any(String), { 'organic-auth': 'Progress started' });
    const viaHeader = await learner.update(organic, { progress: 10 }, 5, { headers: { authorization: undefined, 'x-api-key': acme.member.key } });
    expectOk(viaHeader, 'api.view.update', expect.any(String), { 'organic-auth': 'Progress Updated' });
    expect(await learner.view(organic)).toMatchObject({ status: 1, progress: 10, timeSpent: 5 });
  });

  it.each([
    ['no API key', { authorization: undefined }, { Authorization: 'API key is required: Authorization: Bearer <key>' }],
    ['an unknown API key', { authorization: 'Bearer lens_not-a-real-key' }, { Authorization: 'API key is unknown or revoked' }],
    ['an unknown X-API-KEY', { authorization: undefined, 'x-api-key': 'nope' }, { Authorization: 'API key is unknown or revoked' }],
    ['no user token', { 'x-authenticated-user-token': undefined }, { 'x-authenticated-user-token': 'User token is required' }],
    ['a user token that is not a JWT', { 'x-authenticated-user-token': 'hello' }, { 'x-authenticated-user-token': 'User token is invalid or expired' }],
  ])('refuses a call with %s (401) and records nothing', async (_label, headers, result) => {
    const learner = await acmeLearner();
    expectRefused(await learner.start(organic, { headers, msgid: 'auth-1' }), 'api.view.start', 'auth-1', 'UNAUTHORIZED', result);
    expect((await learner.view(organic)).status).toBe(0);
  });

  it('refuses a revoked API key at once', async () => {
    const created = await post(harness.app, acme.manager.key, '/v1/api-keys/', { name: 'kiosk app' });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json<{ id: number; key: string }>();
    const learner = await acmeLearner();
    const app = new Learner(harness.app, key, learner.userId, learner.token);
    expectOk(await app.start(organic), 'api.view.start', expect.any(String), { 'organic-auth': 'Progress started' });
    const revoked = await harness.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}/`, headers: { 'x-api-key': acme.manager.key } });
    expect(revoked.statusCode).toBe(200);
    expectRefused(await app.end(organic, { msgid: 'after-revoke' }), 'api.view.end', 'after-revoke', 'UNAUTHORIZED', {
      Authorization: 'API key is unknown or revoked',
    });
    expect((await learner.view(organic)).status).toBe(1);
  });

  it('accepts a token signed with its secret, and refuses forged, expired and other organizations\' tokens', async () => {
    const userId = uniqueId('jwt');
    const secret = await storedLearnerTokenSecret(harness);
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const genuine = await signLearnerToken({ secret, organizationId: acme.organizationId, userId, expiresAt: inAnHour });
    const refusals = {
      forged: await signLearnerToken({ secret: randomSecret(), organizationId: acme.organizationId, userId, expiresAt: inAnHour }),
      expired: await signLearnerToken({ secret, organizationId: acme.organizationId, userId, expiresAt: Math.floor(Date.now() / 1000) - 120 }),
      otherOrganization: await mintLearnerToken(harness.app, globex.manager.key, userId),
      otherAudience: await signLearnerToken({ secret, organizationId: globex.organizationId, userId, expiresAt: inAnHour }),
    };
    // The control: the same construction with the right secret, audience and a future expiry works.
    const learner = new Learner(harness.app, acme.member.key, userId, genuine);
    expectOk(await learner.start(organic), 'api.view.start', expect.any(String), { 'organic-auth': 'Progress started' });
    for (const [label, token] of Object.entries(refusals)) {
      const response = await new Learner(harness.app, acme.member.key, userId, token).update(organic, { progress: 90 }, 1, { msgid: label });
      expectRefused(response, 'api.view.update', label, 'UNAUTHORIZED', { 'x-authenticated-user-token': 'User token is invalid or expired' });
    }
    expect(await learner.view(organic)).toMatchObject({ status: 1, progress: 0, timeSpent: 0 });
  });

  it('mints learner tokens only with a manager key', async () => {
    const asMember = await post(harness.app, acme.member.key, '/v1/auth/learner-token', { userId: 'someone' });
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json()).toEqual({ code: 'manager_role_required', message: 'Only managers can do this.' });
    const asManager = await post(harness.app, acme.manager.key, '/v1/auth/learner-token', { userId: 'someone', name: 'Some One', expiresInSeconds: 600 });
    expect(asManager.statusCode).toBe(200);
    const body = asManager.json<{ token: string; userId: string; expiresAt: string }>();
    expect(body).toEqual({ token: expect.any(String), userId: 'someone', expiresAt: expect.any(String) });
    const lifetime = Date.parse(body.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(600_000);
  });

  it.each([
    ['start', (l: Learner) => l.start(organic), 'api.view.start'],
    ['update', (l: Learner) => l.update(organic, { progress: 50 }, 3), 'api.view.update'],
    ['end', (l: Learner) => l.end(organic), 'api.view.end'],
    ['assessment submit', (l: Learner) => l.submit({ ...ref('quiz'), contextId: 'algebra-open' }, 'a', [answer('q', 1, 1, 1)]), 'api.view.assess'],
  ])('needs x-requested-by on %s, and changes nothing without it', async (_label, call, id) => {
    const learner = await acmeLearner();
    const bare = new Learner(harness.app, learner.key, learner.userId, learner.token);
    const send = bare.send.bind(bare);
    bare.send = (path, apiId, request, options = {}) =>
      send(path, apiId, request, { ...options, msgid: 'no-header', headers: { ...options.headers, 'x-requested-by': undefined } });
    expectRefused(await call(bare), id, 'no-header', 'BAD_REQUEST', { 'x-requested-by': 'Header x-requested-by is required' });
    expect(await learner.view(organic)).toMatchObject({ status: 0, timeSpent: 0 });
    expect(await learner.ok(learner.readAssessment({ ...ref('quiz'), contextId: 'algebra-open' }))).toMatchObject({ assessments: [] });
    expect(await learner.summaries()).toEqual([]);
  });

  it('refuses a request.userId other than the token\'s learner (403), and accepts the same one', async () => {
    const learner = await acmeLearner();
    const other = { ...organic, userId: 'somebody-else' };
    expectRefused(await learner.start(other, { msgid: 'spoof' }), 'api.view.start', 'spoof', 'FORBIDDEN', {
      'request.userId': 'User Id does not match the user token',
    });
    expectRefused(await learner.read(other, { msgid: 'spoof-read' }), 'api.view.read', 'spoof-read', 'FORBIDDEN', {
      'request.userId': 'User Id does not match the user token',
    });
    expect((await learner.view(organic)).status).toBe(0);
    expectOk(await learner.start({ ...organic, userId: learner.userId }), 'api.view.start', expect.any(String), { 'organic-auth': 'Progress started' });
    expect((await learner.view(organic)).status).toBe(1);
  });

  it("lets only a manager key read another learner's summaries", async () => {
    const alice = await acmeLearner('alice', { key: acme.member.key });
    await alice.ok(alice.start(ref('intro', 'algebra-open')));
    const bob = await acmeLearner('bob', { key: acme.member.key });
    const refused = await bob.summaryList(alice.userId);
    expectRefused(refused, 'api.summary.list', null, 'FORBIDDEN', { userId: "Reading another learner's summary needs a manager's API key" });
    const asManager = new Learner(harness.app, acme.manager.key, bob.userId, bob.token);
    const read = await asManager.summaryList(alice.userId);
    expectOk(read, 'api.summary.list', null, { summary: [expect.objectContaining({ userId: alice.userId, contextId: 'algebra-open', status: 1 })] });
  });
});

describe('collections and contexts as the progress rules see them', () => {
  it.each([
    ['an unknown collection', { contentId: 'intro', collectionId: 'no-such-course' }, { 'request.collectionId': 'Invalid Collection Id' }],
    ['a context without its collectionId', { contentId: 'intro', contextId: 'algebra-open' }, {
      'request.collectionId': 'Collection Id is required when a Context Id is given',
    }],
    ['a context of another collection', ref('intro', 'geometry-open'), { 'request.contextId': 'Context does not belong to the collection' }],
    ['a content that is not in the collection', ref('shapes', 'algebra-open'), { 'request.contentId': 'Content is not part of the collection' }],
    ['a content not in a collection named without context', ref('shapes'), { 'request.contentId': 'Content is not part of the collection' }],
    ['a context that has ended', ref('intro', 'algebra-2020'), { 'request.contextId': 'Context has ended' }],
    ['a context that has not started', ref('intro', 'algebra-2999'), { 'request.contextId': 'Context has not started yet' }],
  ])('refuses %s and records nothing', async (_label, request, result) => {
    const learner = await acmeLearner();
    for (const [call, id] of [
      [() => learner.start(request, { msgid: 'scope' }), 'api.view.start'],
      [() => learner.update(request, { progress: 40 }, 7, { msgid: 'scope' }), 'api.view.update'],
      [() => learner.end(request, { msgid: 'scope' }), 'api.view.end'],
    ] as const) {
      expectRefused(await call(), id, 'scope', 'BAD_REQUEST', result);
    }
    const all = await learner.ok(learner.readAll(request.contentId));
    expect(all).toEqual([]);
    expect(await learner.summaries()).toEqual([]);
  });

  it('refuses an invite-only context until the learner is enrolled, then accepts and keeps it', async () => {
    const learner = await acmeLearner('invitee');
    const content = ref('intro', 'algebra-invite');
    // The refusal shares its transaction with other learners' writes, which still land.
    const classmate = await acmeLearner('classmate');
    const [refused, ...others] = await Promise.all([
      learner.start(content, { msgid: 'inv' }),
      ...Array.from({ length: 10 }, (_v, i) => classmate.update(ref('intro', 'algebra-open'), { progress: i }, 1)),
    ]);
    expectRefused(refused!, 'api.view.start', 'inv', 'FORBIDDEN', { 'request.contextId': 'User is not enrolled in this context' });
    expect(others.map((r) => r.statusCode)).toEqual(others.map(() => 200));
    expect(await classmate.view(ref('intro', 'algebra-open'))).toMatchObject({ timeSpent: 10, progress: 9 });
    // Reading is not refused: a learner not enrolled has simply not started.
    expect(await learner.view(content)).toMatchObject({ status: 0, progress: 0, timeSpent: 0 });
    expect(await learner.summaries()).toEqual([]);
    expect((await enrollmentsOf('algebra-invite')).some((e) => e.userId === learner.userId)).toBe(false);

    const [enrollment] = await enroll(harness.app, acme.manager.key, 'algebra-invite', [learner.userId]);
    expect(enrollment).toEqual({ userId: learner.userId, contextId: 'algebra-invite', enrolledDate: expect.any(Number), active: true, status: 0, progress: 0 });
    // A refused request leaves its msgid unused: the client's retry is applied.
    expectOk(await learner.start(content, { msgid: 'inv' }), 'api.view.start', 'inv', { intro: 'Progress started' });
    const [summary] = await learner.summaries();
    expect(summary).toMatchObject({ contextId: 'algebra-invite', enrolledDate: enrollment!.enrolledDate, active: true, status: 1, contentStatus: { intro: 1 } });

    // Ending the enrollment closes the context to the learner again; what they did is kept.
    const ended = await del(harness.app, acme.manager.key, `/v1/contexts/algebra-invite/enrollments/${learner.userId}`);
    expect(ended.statusCode).toBe(200);
    expectRefused(await learner.end(content, { msgid: 'inv-2' }), 'api.view.end', 'inv-2', 'FORBIDDEN', {
      'request.contextId': 'The enrollment in this context has ended',
    });
    expect(await learner.summaries()).toEqual([expect.objectContaining({ contextId: 'algebra-invite', active: false, status: 1, contentStatus: { intro: 1 } })]);
  });

  it('lets a learner read, but no longer change, their progress in a context that has ended', async () => {
    await createContext(harness.app, acme.manager.key, { identifier: 'algebra-closing', collectionId: COURSE });
    const learner = await acmeLearner('late');
    const intro = ref('intro', 'algebra-closing');
    const quiz = { ...ref('quiz'), contextId: 'algebra-closing' };
    await learner.ok(learner.update(intro, { progress: 40 }, 25));
    await learner.ok(learner.submit(quiz, 'a1', [answer('q1', 2, 3, 1)]));
    const closed = await harness.app.inject({
      method: 'PATCH',
      url: '/v1/contexts/algebra-closing',
      headers: { 'x-api-key': acme.manager.key },
      payload: { endDate: '2021-01-01' },
    });
    expect(closed.statusCode).toBe(200);

    expectRefused(await learner.update(intro, { progress: 90 }, 5, { msgid: 'late' }), 'api.view.update', 'late', 'BAD_REQUEST', {
      'request.contextId': 'Context has ended',
    });
    expectRefused(await learner.submit(quiz, 'a2', [answer('q1', 3, 3, 2)], { msgid: 'late' }), 'api.view.assess', 'late', 'BAD_REQUEST', {
      'request.contextId': 'Context has ended',
    });
    expect(await learner.view(intro)).toMatchObject({ contextId: 'algebra-closing', status: 1, progress: 40, timeSpent: 25 });
    expect(await learner.ok(learner.readAssessment(quiz))).toMatchObject({ assessments: [{ attemptId: 'a1', score: 2, max_score: 3 }] });
    expect(await learner.ok(learner.readAll('intro'))).toEqual([expect.objectContaining({ contextId: 'algebra-closing', progress: 40 })]);
    // Taking the quiz counts as working on it.
    expect(await learner.summaries()).toEqual([expect.objectContaining({ contextId: 'algebra-closing', contentStatus: { intro: 1, quiz: 1 } })]);
  });

  it('enrolls a learner in an open context on the first view', async () => {
    const learner = await acmeLearner('walk-in');
    expect((await enrollmentsOf('algebra-open')).some((e) => e.userId === learner.userId)).toBe(false);
    const before = Date.now();
    await learner.ok(learner.start(ref('intro', 'algebra-open')));
    const after = Date.now();
    const mine = (await enrollmentsOf('algebra-open')).filter((e) => e.userId === learner.userId);
    expect(mine).toEqual([{ userId: learner.userId, contextId: 'algebra-open', enrolledDate: expect.any(Number), active: true, status: 1, progress: 0 }]);
    const [summary] = await learner.summaries();
    expect(summary!.enrolledDate).toBeGreaterThanOrEqual(before);
    expect(summary!.enrolledDate).toBeLessThanOrEqual(after);
  });

  it('tracks organic consumption, and consumption through a collection, without enrolling anyone', async () => {
    const learner = await acmeLearner('organic');
    expectOk(await learner.start({ contentId: 'anything-at-all' }), 'api.view.start', expect.any(String), { 'anything-at-all': 'Progress started' });
    expectOk(await learner.start(ref('quiz')), 'api.view.start', expect.any(String), { quiz: 'Progress started' });
    expect(await learner.view({ contentId: 'anything-at-all' })).toEqual({
      userId: learner.userId,
      contentId: 'anything-at-all',
      status: 1,
      progressDetails: {},
      progress: 0,
      timeSpent: 0,
    });
    expect(await learner.view(ref('quiz'))).toMatchObject({ collectionId: COURSE, contentId: 'quiz', status: 1 });
    expect(await learner.summaries()).toEqual([]);
  });
});

describe('records kept apart and enrollments that end', () => {
  it('keeps consumption through a collection apart from organic consumption of the same content', async () => {
    const learner = await acmeLearner('apart');
    await learner.ok(learner.update({ contentId: 'intro' }, { progress: 30 }, 10));
    await learner.ok(learner.update(ref('intro'), { progress: 70 }, 20));
    expect(await learner.view({ contentId: 'intro' })).toMatchObject({ progress: 30, timeSpent: 10 });
    expect(await learner.view(ref('intro'))).toMatchObject({ collectionId: COURSE, progress: 70, timeSpent: 20 });
    const all = await learner.ok<{ collectionId?: string; progress: number }[]>(learner.readAll('intro'));
    expect(all.map((r) => [r.collectionId ?? null, r.progress])).toEqual([
      [null, 30],
      [COURSE, 70],
    ]);
  });

  it('does not bring back an enrollment a manager ended, even in an open context', async () => {
    const learner = await acmeLearner('ended-open');
    await learner.ok(learner.start(ref('intro', 'algebra-open')));
    const ended = await del(harness.app, acme.manager.key, `/v1/contexts/algebra-open/enrollments/${learner.userId}`);
    expect(ended.statusCode).toBe(200);
    expectRefused(await learner.end(ref('intro', 'algebra-open'), { msgid: 'again' }), 'api.view.end', 'again', 'FORBIDDEN', {
      'request.contextId': 'The enrollment in this context has ended',
    });
    expect(await learner.summaries()).toEqual([expect.objectContaining({ contextId: 'algebra-open', active: false, status: 1 })]);
    expect(await learner.view(ref('intro', 'algebra-open'))).toMatchObject({ status: 1 });
  });

  it('refuses a context query other than all, under the read id of every context', async () => {
    const learner = await acmeLearner('query');
    expectRefused(await learner.read({ contentId: 'intro' }, { msgid: 'q', query: '?context=some' }), 'api.view.read', 'q', 'BAD_REQUEST', {
      context: 'The context query parameter can only be all',
    });
    expectRefused(await learner.readAll('', { msgid: 'q2' }), 'api.view.read.contextall', 'q2', 'BAD_REQUEST', {
      'request.contentId': 'Content Id cannot be empty',
    });
  });

  it('refuses learner ids with control characters when minting', async () => {
    const response = await post(harness.app, acme.manager.key, '/v1/auth/learner-token', { userId: 'bad\u0007user' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });
});

describe('idempotency by params.msgid', () => {
  it('applies a repeated msgid once and answers it the same way', async () => {
    const learner = await acmeLearner();
    const content = ref('intro', 'algebra-open');
    const msgid = randomUUID();
    const first = await learner.update(content, { mimetype: 'video/mp4', progress: 30 }, 40, { msgid });
    const again = await learner.update(content, { mimetype: 'video/mp4', progress: 30 }, 40, { msgid });
    expectOk(first, 'api.view.update', msgid, { intro: 'Progress Updated' });
    expectOk(again, 'api.view.update', msgid, { intro: 'Progress Updated' });
    expect(await learner.view(content)).toMatchObject({ timeSpent: 40, progress: 30 });

    const quiz = { ...ref('quiz'), contextId: 'algebra-open' };
    const assessment = randomUUID();
    await learner.ok(learner.submit(quiz, 'attempt-1', [answer('q1', 2, 5, 1000)], { msgid: assessment }));
    // A retry must not replace the answer given since, nor count as a new attempt.
    await learner.ok(learner.submit(quiz, 'attempt-1', [answer('q1', 5, 5, 2000)]));
    expectOk(await learner.submit(quiz, 'attempt-1', [answer('q1', 2, 5, 1000)], { msgid: assessment }), 'api.view.assess', assessment, {
      quiz: 'Score Updated',
    });
    expect(await learner.ok(learner.readAssessment(quiz))).toMatchObject({ assessments: [{ attemptId: 'attempt-1', score: 5, max_score: 5 }] });
  });

  it('refuses a msgid it could not keep whole, rather than confusing two messages', async () => {
    const learner = await acmeLearner();
    const content = { contentId: 'organic-msgid' };
    const longest = 'm'.repeat(200);
    await learner.ok(learner.update(content, { progress: 10 }, 10, { msgid: longest }));
    await learner.ok(learner.update(content, { progress: 10 }, 10, { msgid: longest }));
    for (const msgid of [`${longest}-first`, `${longest}-second`]) {
      expectRefused(await learner.update(content, { progress: 10 }, 10, { msgid }), 'api.view.update', msgid, 'BAD_REQUEST', {
        'params.msgid': 'msgid must be at most 200 characters',
      });
    }
    expectRefused(await learner.update(content, { progress: 10 }, 10, { msgid: 'nul\u0000' }), 'api.view.update', 'nul\u0000', 'BAD_REQUEST', {
      'params.msgid': 'params.msgid must not contain NUL characters (U+0000)',
    });
    expect(await learner.view(content)).toMatchObject({ timeSpent: 10 });
  });

  it('refuses a msgid already used for a different request, and changes nothing', async () => {
    const learner = await acmeLearner('reuse');
    await learner.ok(learner.start(ref('intro', 'algebra-open'), { msgid: 'same' }));
    expectRefused(await learner.end(ref('quiz', 'algebra-open'), { msgid: 'same' }), 'api.view.end', 'same', 'BAD_REQUEST', {
      'params.msgid': 'This msgid was already used for another request',
    });
    expect(await learner.view(ref('quiz', 'algebra-open'))).toMatchObject({ status: 0 });
  });

  it('lets different learners use the same msgid', async () => {
    const [ann, ben] = [await acmeLearner('ann'), await acmeLearner('ben')];
    const content = ref('intro', 'algebra-open');
    for (const learner of [ann, ben]) {
      expectOk(await learner.update(content, { progress: 10 }, 15, { msgid: 'shared-msgid' }), 'api.view.update', 'shared-msgid', {
        intro: 'Progress Updated',
      });
    }
    expect(await ann.view(content)).toMatchObject({ timeSpent: 15 });
    expect(await ben.view(content)).toMatchObject({ timeSpent: 15 });
  });
});

describe('isolation between organizations', () => {
  it("treats another organization's collections and contexts as unknown", async () => {
    const outsider = await Learner.of(harness.app, globex.manager.key, uniqueId('outsider'));
    expectRefused(await outsider.start({ contentId: 'shapes', collectionId: OTHER_COURSE }, { msgid: 'x' }), 'api.view.start', 'x', 'BAD_REQUEST', {
      'request.collectionId': 'Invalid Collection Id',
    });
    // Globex has its own "algebra", but Acme's context of that name is not Globex's.
    expectRefused(await outsider.start(ref('intro', 'algebra-open'), { msgid: 'y' }), 'api.view.start', 'y', 'BAD_REQUEST', {
      'request.contextId': 'Invalid Context Id',
    });
    expectRefused(
      await outsider.submit({ ...ref('quiz'), contextId: 'algebra-open' }, 'a', [answer('q', 1, 1, 1)], { msgid: 'z' }),
      'api.view.assess',
      'z',
      'BAD_REQUEST',
      { 'request.contentId': 'Content is not part of the collection' },
    );
    expect(await outsider.summaries()).toEqual([]);
  });

  it("refuses one organization's learner tokens with another's keys, and keeps learners of the same id apart", async () => {
    const userId = uniqueId('same-name');
    const atAcme = await Learner.of(harness.app, acme.manager.key, userId);
    const atGlobex = await Learner.of(harness.app, globex.manager.key, userId);
    await atAcme.ok(atAcme.start(ref('intro', 'algebra-open')));
    await atAcme.ok(atAcme.update({ contentId: 'shared-content' }, { progress: 70 }, 30));
    const crossed = new Learner(harness.app, acme.member.key, userId, atGlobex.token);
    expectRefused(await crossed.start({ contentId: 'shared-content' }, { msgid: 'c' }), 'api.view.start', 'c', 'UNAUTHORIZED', {
      'x-authenticated-user-token': 'User token is invalid or expired',
    });
    expect(await atGlobex.view({ contentId: 'shared-content' })).toMatchObject({ status: 0, progress: 0, timeSpent: 0 });
    expect(await atGlobex.ok(atGlobex.readAll('shared-content'))).toEqual([]);
    expect(await atGlobex.summaries()).toEqual([]);
    const globexManager = new Learner(harness.app, globex.manager.key, userId, atGlobex.token);
    expect((await globexManager.ok<{ summary: unknown[] }>(globexManager.summaryList(userId))).summary).toEqual([]);
  });
});

describe('durability of acknowledged writes under concurrency', () => {
  it('reflects every one of 200 concurrent updates by several learners, and a concurrent repeat once', async () => {
    const learners = await Promise.all(Array.from({ length: 5 }, (_, i) => acmeLearner(`crowd-${i}`)));
    const content = ref('intro', 'algebra-open');
    const expected = new Map<string, number>();
    const calls = Array.from({ length: 200 }, (_, i) => {
      const learner = learners[i % learners.length]!;
      const seconds = (i % 7) + 1;
      expected.set(learner.userId, (expected.get(learner.userId) ?? 0) + seconds);
      return learner.update(content, { mimetype: 'video/mp4', progress: i % 90 }, seconds, { msgid: `crowd-${i}` });
    });
    // The same requests again, racing the first ones: applied once each.
    const repeats = Array.from({ length: 20 }, (_, i) =>
      learners[i % learners.length]!.update(content, { mimetype: 'video/mp4', progress: i % 90 }, (i % 7) + 1, { msgid: `crowd-${i}` }),
    );
    const responses = await Promise.all([...calls, ...repeats]);
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    responses.forEach((r, i) => expect(r.json()).toEqual(success('api.view.update', `crowd-${i % 200}`, { intro: 'Progress Updated' })));
    for (const learner of learners) {
      const view = await learner.view(content);
      expect({ userId: learner.userId, timeSpent: view.timeSpent }).toEqual({ userId: learner.userId, timeSpent: expected.get(learner.userId) });
      const mine = learners.indexOf(learner);
      const highest = Math.max(...Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 5 === mine).map((i) => i % 90));
      expect(view.progress).toBe(highest);
      expect(await learner.summaries()).toEqual([expect.objectContaining({ contextId: 'algebra-open', status: 1, contentStatus: { intro: 1 } })]);
    }
    expect(ENVELOPE_TS.test(responses[0]!.json().ts)).toBe(true);
  });
});

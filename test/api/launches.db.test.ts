import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { packagesDir, scorm12Manifest } from '../support/packages.js';
import { launchFor, playableFile } from '../support/player.js';
import { HOSTILE_VALUES, replacements } from '../support/hostile-values.js';
import { Learner, type Json } from '../support/progress.js';
import { writeZip } from '../support/zip-writer.js';

let harness: Harness;
let acme: Tenant;
let globex: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;
let scorm12: number;
let scorm2004: number;
let globexFile: number;

/** A SCORM 2004 package of one SCO with a media file, for ranges, interactions and attempts. */
function scorm2004Manifest(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="quiz.2004" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Quiz course</title>
    <item identifier="quiz" identifierref="res"><title>The quiz</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormType="sco" href="quiz/index.html">
    <file href="quiz/index.html"/><file href="quiz/clip.mp4"/></resource></resources>
</manifest>`;
}

const CLIP = Buffer.from(Array.from({ length: 1000 }, (_v, i) => i % 256));

beforeAll(async () => {
  harness = await startHarness({ worker: true });
  acme = await harness.createTenant('Acme');
  globex = await harness.createTenant('Globex');
  packages = await packagesDir();
  const file12 = path.join(packages.dir, 'one.zip');
  await writeZip(file12, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('Runtime course', ['First lesson', 'Second lesson']) },
    { name: 'page1.html', data: '<html><body><h1>First lesson</h1></body></html>' },
    { name: 'page2.html', data: '<html><body><h1>Second lesson</h1></body></html>' },
  ]);
  const file2004 = path.join(packages.dir, 'quiz.zip');
  await writeZip(file2004, [
    { name: 'imsmanifest.xml', data: scorm2004Manifest() },
    { name: 'quiz/index.html', data: '<html><body><h1>Quiz</h1></body></html>' },
    { name: 'quiz/clip.mp4', data: CLIP },
  ]);
  [scorm12, scorm2004, globexFile] = await Promise.all([
    playableFile(harness.app, acme.manager.key, file12),
    playableFile(harness.app, acme.manager.key, file2004),
    playableFile(harness.app, globex.manager.key, file12),
  ]);
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

/** Opens a launch link as a browser would: the session path it redirects to. */
async function open(launchUrl: string): Promise<string> {
  const response = await harness.app.inject({ method: 'GET', url: new URL(launchUrl).pathname });
  expect(response.statusCode, response.body).toBe(303);
  return new URL(response.headers.location as string, launchUrl).pathname;
}

async function session(body: Json, key = acme.manager.key): Promise<string> {
  return open((await launchFor(harness.app, key, body)).launch_url);
}

const deliver = (sessionPath: string, item: string) =>
  harness.app.inject({ method: 'POST', url: `${sessionPath}deliveries`, payload: { item } });

const commit = (sessionPath: string, body: { item: string; delivery: number; sequence: number; terminated?: boolean; cmi: Json }) =>
  harness.app.inject({ method: 'POST', url: `${sessionPath}commits`, payload: { terminated: false, ...body } });

describe('POST /v1/launches', () => {
  it('answers a single-use link that expires, under the player URL', async () => {
    const launch = await launchFor(harness.app, acme.manager.key, { scorm_file_id: scorm12, userId: 'lee' });
    expect(launch.launch_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(launch.launch_url).toMatch(/^http:\/\/lens\.test\/player\/launch\/[\w-]{43}$/);
    expect(Date.parse(launch.expires_at) - Date.now()).toBeGreaterThan(500_000);
    const sessionPath = await open(launch.launch_url);
    expect(sessionPath).toMatch(/^\/player\/sessions\/[\w-]{43}\/$/);
    const page = await harness.app.inject({ method: 'GET', url: sessionPath });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('First lesson');

    // Opened once: a second opening is refused, and so is a token nobody issued.
    const again = await harness.app.inject({ method: 'GET', url: new URL(launch.launch_url).pathname });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already used or has expired');
    expect((await harness.app.inject({ method: 'GET', url: '/player/launch/not-a-token' })).statusCode).toBe(410);

    // A link not opened in time is refused too.
    const late = await launchFor(harness.app, acme.manager.key, { scorm_file_id: scorm12, userId: 'lee' });
    await harness.context.database.db.updateTable('launches').set({ expires_at: Date.now() - 1 }).where('id', '=', late.launch_id).execute();
    expect((await harness.app.inject({ method: 'GET', url: new URL(late.launch_url).pathname })).statusCode).toBe(410);
  });

  it('makes the course and its open context on the first launch, named after the file', async () => {
    await launchFor(harness.app, acme.manager.key, { scorm_file_id: scorm12, userId: 'lee' });
    const collection = await get(harness.app, acme.manager.key, `/v1/collections/scorm-file-${scorm12}`);
    expect(collection.statusCode).toBe(200);
    expect(collection.json<Json>()).toMatchObject({
      scormFileId: scorm12,
      contents: [
        { contentId: 'item1', name: 'First lesson' },
        { contentId: 'item2', name: 'Second lesson' },
      ],
    });
    const context = await get(harness.app, acme.manager.key, `/v1/contexts/scorm-file-${scorm12}`);
    expect(context.json<Json>()).toMatchObject({ collectionId: `scorm-file-${scorm12}`, enrollment: 'open' });
  });

  it('names the learner by id with a manager key, or by a learner token with any key', async () => {
    const membersFile = await playableFile(harness.app, acme.member.key, path.join(packages.dir, 'one.zip'));
    const memberById = await post(harness.app, acme.member.key, '/v1/launches', { scorm_file_id: membersFile, userId: 'lee' });
    expect(memberById.statusCode).toBe(403);
    const learner = await Learner.of(harness.app, acme.manager.key, 'kim', { name: 'Kim Park' });
    const byToken = await post(harness.app, acme.member.key, '/v1/launches', { scorm_file_id: membersFile, learnerToken: learner.token });
    expect(byToken.statusCode, byToken.body).toBe(201);
    const forged = await post(harness.app, acme.member.key, '/v1/launches', { scorm_file_id: membersFile, learnerToken: `${learner.token}x` });
    expect(forged.json<Json>()).toMatchObject({ code: 'invalid_learner_token' });
    for (const body of [{ scorm_file_id: scorm12 }, { scorm_file_id: scorm12, userId: 'a', learnerToken: learner.token }]) {
      expect((await post(harness.app, acme.manager.key, '/v1/launches', body)).json<Json>()).toMatchObject({ code: 'learner_required' });
    }
    const badRedirect = await post(harness.app, acme.manager.key, '/v1/launches', { scorm_file_id: scorm12, userId: 'a', redirect_url: 'javascript:alert(1)' });
    expect(badRedirect.statusCode).toBe(400);
  });

  it("refuses another organization's file and context as unknown", async () => {
    const file = await post(harness.app, acme.manager.key, '/v1/launches', { scorm_file_id: globexFile, userId: 'lee' });
    expect(file.statusCode).toBe(404);
    expect(file.json<Json>()).toMatchObject({ code: 'scorm_file_not_found' });
    await launchFor(harness.app, globex.manager.key, { scorm_file_id: globexFile, userId: 'lee' });
    const context = await post(harness.app, acme.manager.key, '/v1/launches', { scorm_file_id: scorm12, userId: 'lee', contextId: `scorm-file-${globexFile}` });
    expect(context.statusCode).toBe(404);
  });
});

describe('the package files of a launch', () => {
  it('serves its files with their type and byte ranges, and nothing else', async () => {
    const sessionPath = await session({ scorm_file_id: scorm2004, userId: 'lee' });
    const page = await harness.app.inject({ method: 'GET', url: `${sessionPath}content/quiz/index.html` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<h1>Quiz</h1>');
    const range = await harness.app.inject({ method: 'GET', url: `${sessionPath}content/quiz/clip.mp4`, headers: { range: 'bytes=100-199' } });
    expect(range.statusCode).toBe(206);
    expect(range.headers['content-type']).toBe('video/mp4');
    expect(range.headers['content-range']).toBe('bytes 100-199/1000');
    expect(range.rawPayload.equals(CLIP.subarray(100, 200))).toBe(true);
    const beyond = await harness.app.inject({ method: 'GET', url: `${sessionPath}content/quiz/clip.mp4`, headers: { range: 'bytes=5000-' } });
    expect(beyond.statusCode).toBe(416);
    const cached = await harness.app.inject({ method: 'GET', url: `${sessionPath}content/quiz/clip.mp4`, headers: { 'if-none-match': range.headers.etag as string } });
    expect(cached.statusCode).toBe(304);

    // Files of another package, paths out of the package, and unknown sessions are all 404.
    for (const url of [
      `${sessionPath}content/page1.html`,
      `${sessionPath}content/../../../etc/passwd`,
      `${sessionPath}content/%2e%2e/%2e%2e/imsmanifest.xml`,
      `/player/sessions/${'x'.repeat(43)}/content/quiz/index.html`,
    ]) {
      expect((await harness.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
    const globexSession = await session({ scorm_file_id: globexFile, userId: 'lee' }, globex.manager.key);
    expect((await harness.app.inject({ method: 'GET', url: `${globexSession}content/quiz/clip.mp4` })).statusCode).toBe(404);
  });
});

describe('runtime commits', () => {
  const ref = (file: number, contentId: string) => ({ contentId, collectionId: `scorm-file-${file}`, contextId: `scorm-file-${file}` });

  it('starts a view, records progress and time once per commit, and drops a stale or repeated commit', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'ines', { name: 'Ines Roy' });
    const sessionPath = await session({ scorm_file_id: scorm12, learnerToken: learner.token });
    const delivered = await deliver(sessionPath, 'item1');
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json<Json>()).toMatchObject({ delivery: 1, resumed: false, version: '1.2', cmi: { core: { student_id: 'ines', student_name: 'Ines Roy', entry: 'ab-initio' } } });
    expect(await learner.view(ref(scorm12, 'item1'))).toMatchObject({ status: 1, timeSpent: 0 });

    // As the runtime sends them: a commit leaves out the total time, which is the LMS's.
    const cmi = (location: string, sessionTime: string) => ({ core: { lesson_location: location, lesson_status: 'incomplete', session_time: sessionTime }, suspend_data: `at ${location}` });
    expect((await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 1, cmi: cmi('p1', '00:00:30') })).json<Json>()).toEqual({ result: true, errorCode: 0, stale: false });
    expect((await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 3, cmi: cmi('p3', '00:01:30') })).json<Json>()).toMatchObject({ stale: false });
    // Overtaken by sequence 3: sequence 2 arrives late and changes nothing; sequence 3 again is a retry.
    expect((await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 2, cmi: cmi('p2', '00:01:00') })).json<Json>()).toMatchObject({ result: true, stale: true });
    expect((await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 3, cmi: cmi('p3', '00:01:30') })).json<Json>()).toMatchObject({ stale: true });
    expect(await learner.view(ref(scorm12, 'item1'))).toMatchObject({ status: 1, timeSpent: 90 });

    // The next delivery resumes the attempt, which was left without LMSFinish, as saved.
    const resumed = await deliver(sessionPath, 'item1');
    expect(resumed.json<Json>()).toMatchObject({ delivery: 2, resumed: true, cmi: { core: { entry: 'resume', lesson_location: 'p3', total_time: '0000:01:30' }, suspend_data: 'at p3' } });
    // A commit of the first delivery arriving now is stale.
    expect((await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 9, cmi: cmi('old', '00:09:00') })).json<Json>()).toMatchObject({ stale: true });
    // On LMSFinish the runtime sends the total time with this session added: it is counted once.
    const done = { core: { lesson_location: 'end', lesson_status: 'passed', exit: '', session_time: '00:00:10', total_time: '0000:01:40', score: { raw: '80', min: '0', max: '100' } } };
    expect((await commit(sessionPath, { item: 'item1', delivery: 2, sequence: 1, terminated: true, cmi: done })).statusCode).toBe(200);
    expect(await learner.view(ref(scorm12, 'item1'))).toMatchObject({ status: 2, progress: 100, timeSpent: 100 });
    expect((await deliver(sessionPath, 'item1')).json<Json>()).toMatchObject({ delivery: 3, resumed: false, cmi: { core: { entry: '', total_time: '0000:01:40' } } });
    const attempts = await learner.ok<{ assessments: Json[] }>(learner.readAssessment(ref(scorm12, 'item1')));
    expect(attempts.assessments).toEqual([expect.objectContaining({ score: 80, max_score: 100 })]);
  });

  it('refuses suspend data over the standard size with its error code, and keeps what was saved', async () => {
    const sessionPath = await session({ scorm_file_id: scorm12, userId: 'omar' });
    await deliver(sessionPath, 'item1');
    const saved = { core: { lesson_status: 'incomplete' }, suspend_data: 'kept' };
    await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 1, cmi: saved });
    const tooLong = await commit(sessionPath, { item: 'item1', delivery: 1, sequence: 2, cmi: { core: {}, suspend_data: 'x'.repeat(4097) } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<Json>()).toMatchObject({ result: false, errorCode: 405, code: 'runtime_data_refused' });
    expect((await deliver(sessionPath, 'item1')).json<Json>()).toMatchObject({ cmi: { suspend_data: 'kept' } });

    const sessionPath2004 = await session({ scorm_file_id: scorm2004, userId: 'omar' });
    await deliver(sessionPath2004, 'quiz');
    const at64000 = await commit(sessionPath2004, { item: 'quiz', delivery: 1, sequence: 1, cmi: { suspend_data: 'y'.repeat(64000) } });
    expect(at64000.statusCode).toBe(200);
    const over = await commit(sessionPath2004, { item: 'quiz', delivery: 1, sequence: 2, cmi: { suspend_data: 'y'.repeat(64001) } });
    expect(over.json<Json>()).toMatchObject({ result: false, errorCode: 406 });
  });

  it('turns SCORM 2004 interactions into an assessment attempt per launch, and starts a new attempt after a normal exit', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'zoe');
    const interactions = (results: string[]) =>
      Object.fromEntries(results.map((result, i) => [String(i), { id: `q${i + 1}`, type: 'choice', learner_response: 'b', result, weighting: '2' }]));
    for (const results of [['correct', 'incorrect'], ['correct', 'correct']]) {
      const sessionPath = await session({ scorm_file_id: scorm2004, learnerToken: learner.token });
      const { delivery, cmi } = (await deliver(sessionPath, 'quiz')).json<{ delivery: number; cmi: Json }>();
      expect(cmi).toMatchObject({ entry: 'ab-initio', learner_id: 'zoe' });
      expect(cmi.suspend_data).toBeUndefined();
      const answered = { completion_status: 'completed', success_status: 'passed', exit: 'normal', session_time: 'PT1M', suspend_data: 'done', interactions: interactions(results) };
      expect((await commit(sessionPath, { item: 'quiz', delivery, sequence: 1, terminated: true, cmi: answered })).statusCode).toBe(200);
    }
    const attempts = await learner.ok<{ assessments: Json[] }>(learner.readAssessment(ref(scorm2004, 'quiz')));
    expect(attempts.assessments.map((a) => [a.score, a.max_score])).toEqual([
      [2, 4],
      [4, 4],
    ]);
    const summary = (await learner.summaries()).find((s) => s.collectionId === `scorm-file-${scorm2004}`)!;
    expect(summary).toMatchObject({ progress: 100, status: 2, contentStatus: { quiz: 2 }, assessmentStatus: { quiz: { score: 4, max_score: 4 } } });
  });

  it('refuses or stores hostile runtime data without a server error, and the learner resumes and reads their records after it', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'mallory');
    const courses = [
      { file: scorm12, item: 'item1', cmi: { core: { lesson_status: 'incomplete', lesson_location: 'p1', session_time: '00:00:10', score: { raw: '50', min: '0', max: '100' } }, suspend_data: 's', interactions: { 0: { id: 'q1', type: 'choice', student_response: 'a', result: 'correct', weighting: '1', correct_responses: { 0: { pattern: 'a' } } } }, objectives: { 0: { id: 'o1', score: { raw: '5' }, status: 'passed' } } } },
      { file: scorm2004, item: 'quiz', cmi: { completion_status: 'incomplete', success_status: 'unknown', progress_measure: '0.5', location: 'p1', session_time: 'PT10S', score: { scaled: '0.5', raw: '5' }, suspend_data: 's', interactions: { 0: { id: 'q1', type: 'choice', learner_response: 'a', result: 'correct', weighting: '1', latency: 'PT1S', correct_responses: { 0: { pattern: 'a' } } } }, objectives: { 0: { id: 'o1', success_status: 'passed', score: { scaled: '1' } } } } },
    ];
    const failures: string[] = [];
    for (const course of courses) {
      const sessionPath = await session({ scorm_file_id: course.file, learnerToken: learner.token });
      const { delivery } = (await deliver(sessionPath, course.item)).json<{ delivery: number }>();
      let sequence = 0;
      for (const value of HOSTILE_VALUES) {
        for (const replaced of replacements(course.cmi, value)) {
          const response = await commit(sessionPath, { item: course.item, delivery, sequence: ++sequence, cmi: replaced.body as Json });
          if (response.statusCode >= 500) failures.push(`${course.item} ${replaced.path}=${JSON.stringify(value).slice(0, 30)}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
      }
      // Whatever was kept, the next launch delivers it and the records read back.
      const resumed = await deliver(await session({ scorm_file_id: course.file, learnerToken: learner.token }), course.item);
      expect(resumed.statusCode, resumed.body).toBe(200);
      expect((await learner.read(ref(course.file, course.item))).statusCode).toBe(200);
      expect((await learner.readAssessment(ref(course.file, course.item))).statusCode).toBe(200);
    }
    expect(failures).toEqual([]);
    expect((await learner.summaryList()).statusCode).toBe(200);
  });

  it('keeps a manager preview out of the learners’ records', async () => {
    const sessionPath = await open(
      (await harness.context.launches.service.create(
        { userId: acme.manager.id, organizationId: acme.organizationId, organizationSlug: acme.slug, role: 'manager', apiKeyId: null, apiKeyName: null },
        { scormFileId: scorm12, learner: { userId: 'preview-user', name: null }, preview: true },
      )).launch_url,
    );
    const { delivery } = (await deliver(sessionPath, 'item2')).json<{ delivery: number }>();
    expect((await commit(sessionPath, { item: 'item2', delivery, sequence: 1, cmi: { core: { lesson_status: 'completed' } } })).statusCode).toBe(200);
    const learner = await Learner.of(harness.app, acme.manager.key, 'preview-user');
    expect(await learner.summaries()).toEqual([]);
  });
});

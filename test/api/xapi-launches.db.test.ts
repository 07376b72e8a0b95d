import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { lrs, newId } from '../support/lrs.js';
import { packagesDir } from '../support/packages.js';
import { launchFor, playableFile } from '../support/player.js';
import { Learner } from '../support/progress.js';
import { writeZip } from '../support/zip-writer.js';

let harness: Harness;
let acme: Tenant;
let packages: Awaited<ReturnType<typeof packagesDir>>;
let cmi5File: number;
let tinCanFile: number;
let freeFile: number;

const COURSE = 'https://example.com/courses/rocks';
const AU = (n: number) => `${COURSE}/au/${n}`;
const BLOCK = `${COURSE}/block/tests`;
const FREE_COURSE = 'https://example.com/courses/free';

/** A cmi5 course of two AUs: one satisfied by completion, one (in a block) by passing with a mastery score. */
function cmi5Xml(): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${COURSE}"><title><langstring lang="en-US">Rocks</langstring></title><description><langstring lang="en-US">About rocks</langstring></description></course>
  <au id="${AU(1)}" moveOn="Completed"><title><langstring lang="en-US">Minerals</langstring></title><description><langstring lang="en-US">Minerals</langstring></description><url>au1/index.html?page=1</url></au>
  <block id="${BLOCK}"><title><langstring lang="en-US">Tests</langstring></title><description><langstring lang="en-US">Tests</langstring></description>
    <au id="${AU(2)}" moveOn="Passed" masteryScore="0.8"><title><langstring lang="en-US">Quiz</langstring></title><description><langstring lang="en-US">Quiz</langstring></description><url>au2/index.html</url>
      <launchParameters>level=2</launchParameters><entitlementKey>rocks-2026</entitlementKey></au>
  </block>
</courseStructure>`;
}

/** A cmi5 course whose only AU asks nothing of the learner (moveOn NotApplicable). */
function freeXml(): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${FREE_COURSE}"><title><langstring lang="en-US">Free</langstring></title><description><langstring lang="en-US">Free</langstring></description></course>
  <au id="${FREE_COURSE}/au" moveOn="NotApplicable"><title><langstring lang="en-US">Read me</langstring></title><description><langstring lang="en-US">Read me</langstring></description><url>index.html</url></au>
</courseStructure>`;
}

function tinCanXml(): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>
  <activity id="https://example.com/tincan/volcanoes" type="http://adlnet.gov/expapi/activities/course">
    <name lang="en-US">Volcanoes</name><description lang="en-US">All about volcanoes</description><launch lang="en-US">index.html</launch>
  </activity></activities></tincan>`;
}

beforeAll(async () => {
  harness = await startHarness({ worker: true });
  acme = await harness.createTenant('Acme');
  packages = await packagesDir();
  const cmi5Zip = path.join(packages.dir, 'cmi5.zip');
  await writeZip(cmi5Zip, [
    { name: 'cmi5.xml', data: cmi5Xml() },
    { name: 'au1/index.html', data: '<html><body><h1>Minerals</h1><p>Quartz is a mineral.</p></body></html>' },
    { name: 'au2/index.html', data: '<html><body><h1>Quiz</h1><p>Which rock floats?</p></body></html>' },
  ]);
  const tinCanZip = path.join(packages.dir, 'tincan.zip');
  await writeZip(tinCanZip, [
    { name: 'tincan.xml', data: tinCanXml() },
    { name: 'index.html', data: '<html><body><h1>Volcanoes</h1><p>Magma rises.</p></body></html>' },
  ]);
  const freeZip = path.join(packages.dir, 'free.zip');
  await writeZip(freeZip, [
    { name: 'cmi5.xml', data: freeXml() },
    { name: 'index.html', data: '<html><body><h1>Read me</h1><p>Nothing to pass.</p></body></html>' },
  ]);
  [cmi5File, tinCanFile, freeFile] = await Promise.all([
    playableFile(harness.app, acme.manager.key, cmi5Zip),
    playableFile(harness.app, acme.manager.key, tinCanZip),
    playableFile(harness.app, acme.manager.key, freeZip),
  ]);
});
afterAll(async () => {
  await harness.close();
  await packages.cleanup();
});

/** Opens the launch link and asks the player for an item's launch URL, as the player page does. */
async function launchItem(scormFileId: number, learner: Learner, item: string): Promise<URL> {
  const launch = await launchFor(harness.app, acme.manager.key, { scorm_file_id: scormFileId, learnerToken: learner.token });
  const opened = await harness.app.inject({ method: 'GET', url: new URL(launch.launch_url).pathname });
  const sessionPath = new URL(opened.headers.location as string, launch.launch_url).pathname;
  const response = await harness.app.inject({ method: 'POST', url: `${sessionPath}xapi-launches`, payload: { item } });
  expect(response.statusCode, response.body).toBe(200);
  return new URL(response.json().url, `http://lens.test${sessionPath}`);
}

/** What a cmi5 AU does first: the fetch URL for its token, then the LaunchData state. */
async function startAu(url: URL) {
  const fetchUrl = new URL(url.searchParams.get('fetch')!);
  const fetched = await harness.app.inject({ method: 'POST', url: fetchUrl.pathname });
  const token = fetched.json()['auth-token'] as string;
  expect(token).toBeTruthy();
  const auth = `Basic ${token}`;
  const actor = JSON.parse(url.searchParams.get('actor')!);
  const registration = url.searchParams.get('registration')!;
  const activityId = url.searchParams.get('activityId')!;
  const launchData = await lrs(harness, auth, 'activities/state', { query: { stateId: 'LMS.LaunchData', activityId, agent: actor, registration } });
  expect(launchData.statusCode, launchData.body).toBe(200);
  const data = launchData.json();
  const sessionId = data.contextTemplate.extensions['https://w3id.org/xapi/cmi5/context/extensions/sessionid'] as string;
  /** A cmi5 defined statement as cmi5 shapes it: moveOn category, duration and mastery score where they belong. */
  const cmi5 = (verb: string, extra: Record<string, unknown> = {}) => {
    const judging = [V.completed, V.passed, V.failed].includes(verb);
    const timed = judging || verb === V.terminated;
    const scored = (verb === V.passed || verb === V.failed) && data.masteryScore !== undefined;
    const result = { ...(timed ? { duration: 'PT1M' } : {}), ...(extra.result as object | undefined) };
    return {
      id: newId(),
      actor,
      verb: { id: verb },
      object: { objectType: 'Activity', id: activityId },
      context: {
        registration,
        contextActivities: {
          ...data.contextTemplate.contextActivities,
          category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }, ...(judging ? [{ id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' }] : [])],
        },
        extensions: { ...data.contextTemplate.extensions, ...(scored ? { 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore': data.masteryScore } : {}) },
      },
      timestamp: new Date().toISOString(),
      ...extra,
      ...(Object.keys(result).length > 0 ? { result } : {}),
    };
  };
  const send = (statement: Record<string, unknown>) => lrs(harness, auth, 'statements', { body: statement });
  return { fetchUrl, auth, actor, registration, activityId, data, sessionId, cmi5, send };
}

const V = {
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
};
const EXT = 'https://w3id.org/xapi/cmi5/context/extensions';

interface StoredStatement {
  verb: { id: string };
  object: { id: string; definition?: { type?: string } };
  result?: { duration?: string };
  context: { extensions: Record<string, unknown>; contextActivities: { grouping?: { id: string }[] } };
}

/** The statements of a registration, oldest first, as a reporting tool reads them. */
async function registrationStatements(auth: string, registration: string): Promise<StoredStatement[]> {
  const response = await lrs(harness, auth, 'statements', { query: { registration, ascending: 'true' } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().statements;
}

describe('cmi5 launch', () => {
  it('launches an AU with the cmi5 parameters, a single-use fetch URL, LaunchData and the launched statement', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'ann', { name: 'Ann' });
    const url = await launchItem(cmi5File, learner, AU(2));
    expect(url.pathname).toMatch(/\/content\/au2\/index\.html$/);
    // launchParameters are the AU's LaunchData, not part of its URL.
    expect(url.searchParams.has('level')).toBe(false);
    expect(url.searchParams.get('endpoint')).toBe('http://lens.test/xapi');
    // The LMS's own activity id, never the publisher's (cmi5 8.1.5); the publisher's is in the grouping.
    const activityId = url.searchParams.get('activityId')!;
    expect(activityId).not.toBe(AU(2));
    expect(JSON.parse(url.searchParams.get('actor')!)).toMatchObject({ account: { name: 'ann' }, name: 'Ann' });
    const au = await startAu(url);
    expect(au.data).toMatchObject({
      launchMode: 'Normal',
      moveOn: 'Passed',
      masteryScore: 0.8,
      launchParameters: 'level=2',
      entitlementKey: { courseStructure: 'rocks-2026' },
      contextTemplate: { contextActivities: { grouping: [{ id: AU(2) }] } },
    });
    const again = await harness.app.inject({ method: 'POST', url: au.fetchUrl.pathname });
    expect(again.json()['error-code']).toBe('1');
    const launched = await lrs(harness, au.auth, 'statements', { query: { registration: au.registration, verb: V.launched } });
    expect(launched.json().statements).toHaveLength(1);
    const statement = launched.json().statements[0] as StoredStatement;
    expect(statement.object.id).toBe(activityId);
    expect(statement.context.contextActivities.grouping).toEqual([{ objectType: 'Activity', id: AU(2) }]);
    expect(statement.context.extensions).toMatchObject({
      [`${EXT}/sessionid`]: au.sessionId,
      [`${EXT}/launchmode`]: 'Normal',
      [`${EXT}/moveon`]: 'Passed',
      [`${EXT}/masteryscore`]: 0.8,
      [`${EXT}/launchparameters`]: 'level=2',
    });
    const launchUrl = new URL(statement.context.extensions[`${EXT}/launchurl`] as string);
    expect(launchUrl.pathname).toBe(url.pathname);
    expect(launchUrl.search).toBe('');
    // The same AU keeps its activity id at the next launch.
    expect((await launchItem(cmi5File, learner, AU(2))).searchParams.get('activityId')).toBe(activityId);
  });

  it('enforces the AU statement rules with 403', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'ben');
    const au = await startAu(await launchItem(cmi5File, learner, AU(1)));
    expect((await au.send(au.cmi5(V.completed, { result: { completion: true } }))).statusCode).toBe(403);
    expect((await au.send(au.cmi5(V.initialized, { actor: { mbox: 'mailto:someone@else.com' } }))).statusCode).toBe(403);
    expect((await au.send(au.cmi5(V.satisfied))).statusCode).toBe(403);
    const withoutSession = au.cmi5(V.initialized);
    (withoutSession.context as { extensions: unknown }).extensions = {};
    expect((await au.send(withoutSession)).statusCode).toBe(403);
    expect((await au.send(au.cmi5(V.initialized))).statusCode).toBe(200);
    expect((await au.send(au.cmi5(V.initialized))).statusCode).toBe(403);
    expect((await au.send(au.cmi5(V.completed, { result: { completion: true } }))).statusCode).toBe(200);
    expect((await au.send(au.cmi5(V.completed, { result: { completion: true } }))).statusCode).toBe(403);
    const experienced = { ...au.cmi5('http://adlnet.gov/expapi/verbs/experienced'), context: { registration: au.registration, contextActivities: {}, extensions: au.data.contextTemplate.extensions } };
    expect((await au.send(experienced)).statusCode).toBe(200);
    // An AU cannot void what it sent (cmi5 6.3).
    const voiding = { ...experienced, id: newId(), verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: experienced.id } };
    expect((await au.send(voiding)).statusCode).toBe(403);
    expect((await au.send(au.cmi5(V.terminated))).statusCode).toBe(200);
    expect((await au.send(au.cmi5(V.completed, { result: { completion: true } }))).statusCode).toBe(403);
    // Passing needs the mastery score of the AU.
    const quiz = await startAu(await launchItem(cmi5File, learner, AU(2)));
    expect((await quiz.send(quiz.cmi5(V.initialized))).statusCode).toBe(200);
    expect((await quiz.send(quiz.cmi5(V.passed, { result: { success: true, score: { scaled: 0.5 } } }))).statusCode).toBe(403);
    // Statements as cmi5 shapes them (each rule: test/modules/launches/cmi5-statements.test.ts).
    const pass = () => quiz.cmi5(V.passed, { result: { success: true, score: { scaled: 0.9 } } });
    const untimed = pass();
    delete (untimed.result as { duration?: string }).duration;
    expect((await quiz.send(untimed)).statusCode, 'a pass without its duration').toBe(403);
    const anonymous: Partial<ReturnType<typeof pass>> = pass();
    delete anonymous.id;
    expect((await quiz.send(anonymous)).statusCode, 'a pass without its id').toBe(403);
    const allowed = (extensions: Record<string, unknown>, category: { id: string }[] = []) => ({
      ...quiz.cmi5('http://adlnet.gov/expapi/verbs/experienced'),
      context: { registration: quiz.registration, contextActivities: { category }, extensions },
    });
    expect((await quiz.send(allowed({}))).statusCode, 'an allowed statement without the session id').toBe(403);
    expect((await quiz.send(allowed(quiz.data.contextTemplate.extensions, [{ id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' }]))).statusCode, 'moveOn on an allowed statement').toBe(403);
    expect((await quiz.send(pass())).statusCode).toBe(200);
  });

  it("reaches only its own learner's records", async () => {
    const eve = await Learner.of(harness.app, acme.manager.key, 'eve');
    const eveAu = await startAu(await launchItem(cmi5File, eve, AU(1)));
    const eveStatement = eveAu.cmi5(V.initialized);
    expect((await eveAu.send(eveStatement)).statusCode).toBe(200);

    const fay = await Learner.of(harness.app, acme.manager.key, 'fay');
    const fayAu = await startAu(await launchItem(cmi5File, fay, AU(1)));
    // Fay's token finds none of Eve's statements, by id or by query, nor Eve's documents.
    expect((await lrs(harness, fayAu.auth, 'statements', { query: { statementId: eveStatement.id as string } })).statusCode).toBe(404);
    expect((await lrs(harness, fayAu.auth, 'statements', { query: { registration: eveAu.registration } })).json().statements).toEqual([]);
    const everything = (await lrs(harness, fayAu.auth, 'statements')).json().statements as { context: { registration: string } }[];
    expect(everything.length).toBeGreaterThan(0);
    expect(everything.every((s) => s.context.registration === fayAu.registration)).toBe(true);
    const eveState = await lrs(harness, fayAu.auth, 'activities/state', { query: { stateId: 'LMS.LaunchData', activityId: eveAu.activityId, agent: eveAu.actor, registration: eveAu.registration } });
    expect(eveState.statusCode).toBe(403);
    // Nor does it write as Eve.
    expect((await fayAu.send(fayAu.cmi5(V.initialized, { actor: eveAu.actor }))).statusCode).toBe(403);
  });

  it('turns the statements into progress: each AU satisfied by its moveOn, the course satisfied, the summary at 100%', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'cat');
    const first = await startAu(await launchItem(cmi5File, learner, AU(1)));
    await first.send(first.cmi5(V.initialized));
    await first.send(first.cmi5(V.completed, { result: { completion: true, duration: 'PT2M' } }));
    await first.send(first.cmi5(V.terminated, { result: { duration: 'PT3M' } }));
    const second = await startAu(await launchItem(cmi5File, learner, AU(2)));
    await second.send(second.cmi5(V.initialized));
    const passed = await second.send(second.cmi5(V.passed, { result: { success: true, score: { scaled: 0.9 } } }));
    expect(passed.statusCode, passed.body).toBe(200);
    await second.send(second.cmi5(V.terminated, { result: { duration: 'PT1M' } }));

    const summary = (await learner.summaries()).find((s) => s.collectionId === `scorm-file-${cmi5File}`)!;
    expect(summary).toMatchObject({ progress: 100, status: 2, contentStatus: { [AU(1)]: 2, [AU(2)]: 2 }, assessmentStatus: { [AU(2)]: { score: 90, max_score: 100 } } });
    // The block, then the course, satisfied in the session that satisfied them, under the LMS's ids (cmi5 9.3.9, 9.4).
    const statements = await registrationStatements(second.auth, second.registration);
    const satisfied = statements.filter((s) => s.verb.id === V.satisfied);
    expect(satisfied.map((s) => [s.object.definition?.type, s.context.contextActivities.grouping?.[0]?.id, s.context.extensions[`${EXT}/sessionid`]])).toEqual([
      ['https://w3id.org/xapi/cmi5/activitytype/block', BLOCK, second.sessionId],
      ['https://w3id.org/xapi/cmi5/activitytype/course', COURSE, second.sessionId],
    ]);
    expect(satisfied.map((s) => s.object.id)).not.toContain(BLOCK);
    expect(satisfied.map((s) => s.object.id)).not.toContain(COURSE);
    expect(statements.map((s) => s.verb.id).slice(-4)).toEqual([V.passed, V.satisfied, V.satisfied, V.terminated]);
    // The same learner's next launch is the same registration: progress adds up, it does not restart.
    const third = await launchItem(cmi5File, learner, AU(1));
    expect(third.searchParams.get('registration')).toBe(second.registration);
  });
});

describe('cmi5 registration and sessions', () => {
  it('satisfies a course of NotApplicable AUs when the registration starts, before the launched statement', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'dan');
    const au = await startAu(await launchItem(freeFile, learner, `${FREE_COURSE}/au`));
    const statements = await registrationStatements(au.auth, au.registration);
    expect(statements.map((s) => s.verb.id)).toEqual([V.satisfied, V.launched]);
    expect(statements[0]!.context.contextActivities.grouping).toEqual([{ objectType: 'Activity', id: FREE_COURSE }]);
    // Outside an AU session: a session id of its own.
    expect(statements[0]!.context.extensions[`${EXT}/sessionid`]).not.toBe(au.sessionId);
    await au.send(au.cmi5(V.initialized));
    expect((await registrationStatements(au.auth, au.registration)).filter((s) => s.verb.id === V.satisfied)).toHaveLength(1);
  });

  it('abandons a session left open with its duration, and refuses what follows it', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'eli');
    const first = await startAu(await launchItem(cmi5File, learner, AU(1)));
    expect((await first.send(first.cmi5(V.initialized))).statusCode).toBe(200);
    const second = await startAu(await launchItem(cmi5File, learner, AU(1)));
    const abandoned = (await registrationStatements(second.auth, second.registration)).filter((s) => s.verb.id === V.abandoned);
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]!.context.extensions[`${EXT}/sessionid`]).toBe(first.sessionId);
    expect(abandoned[0]!.result?.duration).toMatch(/^PT\d+(\.\d+)?S$/);
    expect((await first.send(first.cmi5(V.terminated))).statusCode).toBe(403);
  });

  it('refuses a second failed in a session, a pass after a fail in it, and a fail after a pass in the registration', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'flo');
    const failing = await startAu(await launchItem(cmi5File, learner, AU(2)));
    const failed = () => failing.cmi5(V.failed, { result: { success: false, score: { scaled: 0.2 } } });
    expect((await failing.send(failing.cmi5(V.initialized))).statusCode).toBe(200);
    expect((await failing.send(failed())).statusCode).toBe(200);
    expect((await failing.send(failed())).statusCode).toBe(403);
    expect((await failing.send(failing.cmi5(V.passed, { result: { success: true, score: { scaled: 0.9 } } }))).statusCode).toBe(403);
    expect((await failing.send(failing.cmi5(V.terminated))).statusCode).toBe(200);
    const passing = await startAu(await launchItem(cmi5File, learner, AU(2)));
    expect((await passing.send(passing.cmi5(V.initialized))).statusCode).toBe(200);
    expect((await passing.send(passing.cmi5(V.passed, { result: { success: true, score: { scaled: 0.9 } } }))).statusCode).toBe(200);
    expect((await passing.send(passing.cmi5(V.failed, { result: { success: false, score: { scaled: 0.2 } } }))).statusCode).toBe(403);
    const next = await startAu(await launchItem(cmi5File, learner, AU(2)));
    expect((await next.send(next.cmi5(V.initialized))).statusCode).toBe(200);
    expect((await next.send(next.cmi5(V.failed, { result: { success: false, score: { scaled: 0.2 } } }))).statusCode).toBe(403);
  });
});

describe('cmi5 documents of an AU', () => {
  it('keeps LMS.LaunchData the LMS’s: the AU cannot change or delete it', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'gus');
    const au = await startAu(await launchItem(cmi5File, learner, AU(1)));
    const state = { activityId: au.activityId, agent: au.actor, registration: au.registration };
    const launchData = { ...state, stateId: 'LMS.LaunchData' };
    expect((await lrs(harness, au.auth, 'activities/state', { method: 'PUT', query: launchData, body: { launchMode: 'Browse' } })).statusCode).toBe(403);
    expect((await lrs(harness, au.auth, 'activities/state', { method: 'POST', query: launchData, body: { moveOn: 'NotApplicable' } })).statusCode).toBe(403);
    expect((await lrs(harness, au.auth, 'activities/state', { method: 'DELETE', query: launchData })).statusCode).toBe(403);
    expect((await lrs(harness, au.auth, 'activities/state', { method: 'DELETE', query: state })).statusCode).toBe(403);
    const kept = await lrs(harness, au.auth, 'activities/state', { query: launchData });
    expect(kept.json()).toEqual(au.data);
    // Its own state documents are its to write and delete.
    const bookmark = { ...state, stateId: 'bookmark' };
    expect((await lrs(harness, au.auth, 'activities/state', { method: 'PUT', query: bookmark, body: { page: 3 } })).statusCode).toBe(204);
    expect((await lrs(harness, au.auth, 'activities/state', { method: 'DELETE', query: bookmark })).statusCode).toBe(204);
  });

  it('takes learner preferences only as cmi5 shapes them: a language list and audio on or off', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'hal');
    const au = await startAu(await launchItem(cmi5File, learner, AU(1)));
    const query = { agent: au.actor, profileId: 'cmi5LearnerPreferences' };
    const put = (request: { body?: unknown; raw?: string; contentType?: string }) => lrs(harness, au.auth, 'agents/profile', { method: 'PUT', query, headers: { 'if-none-match': '*' }, ...request });
    expect((await put({ raw: 'just some text', contentType: 'text/plain' })).statusCode).toBe(403);
    expect((await put({ body: { audioPreference: 'on' } })).statusCode).toBe(403);
    expect((await put({ body: { languagePreference: 'en-US' } })).statusCode).toBe(403);
    expect((await put({ body: { languagePreference: 'not comma separated', audioPreference: 'on' } })).statusCode).toBe(403);
    expect((await put({ body: { languagePreference: '', audioPreference: 'off' } })).statusCode).toBe(403);
    expect((await put({ body: { languagePreference: 'en-US,fr-FR,fr-BE', audioPreference: 'off' } })).statusCode).toBe(204);
    expect((await lrs(harness, au.auth, 'agents/profile', { query })).json()).toEqual({ languagePreference: 'en-US,fr-FR,fr-BE', audioPreference: 'off' });
  });
});

describe('Tin Can launch', () => {
  it('launches with endpoint, auth, actor, registration and activity_id, and completion ends the view', async () => {
    const learner = await Learner.of(harness.app, acme.manager.key, 'dee');
    const url = await launchItem(tinCanFile, learner, 'https://example.com/tincan/volcanoes');
    expect(url.searchParams.get('activity_id')).toBe('https://example.com/tincan/volcanoes');
    const auth = url.searchParams.get('auth')!;
    expect(auth).toMatch(/^Basic /);
    const actor = JSON.parse(url.searchParams.get('actor')!);
    const registration = url.searchParams.get('registration')!;
    const statement = (verb: string, extra: Record<string, unknown> = {}) => ({
      actor,
      verb: { id: verb },
      object: { id: 'https://example.com/tincan/volcanoes' },
      context: { registration },
      ...extra,
    });
    expect((await lrs(harness, auth, 'statements', { body: statement('http://adlnet.gov/expapi/verbs/attempted') })).statusCode).toBe(200);
    // Rise reports progress with cmi5's extension, written with http.
    const progressed = statement('http://adlnet.gov/expapi/verbs/progressed', { result: { extensions: { 'http://w3id.org/xapi/cmi5/result/extensions/progress': 38 } } });
    expect((await lrs(harness, auth, 'statements', { body: progressed })).statusCode).toBe(200);
    const ref = { contentId: 'https://example.com/tincan/volcanoes', collectionId: `scorm-file-${tinCanFile}`, contextId: `scorm-file-${tinCanFile}` };
    expect(await learner.view(ref)).toMatchObject({ progress: 38 });
    const answered = statement('http://adlnet.gov/expapi/verbs/answered', {
      object: { id: 'https://example.com/tincan/volcanoes/q1', definition: { name: { 'en-US': 'What rises?' }, interactionType: 'choice' } },
      result: { success: true, response: 'magma' },
    });
    expect((await lrs(harness, auth, 'statements', { body: answered })).statusCode).toBe(200);
    expect((await lrs(harness, auth, 'statements', { body: statement(V.completed, { result: { completion: true } }) })).statusCode).toBe(200);
    const asSomeoneElse = statement(V.completed, { actor: { mbox: 'mailto:other@example.com' } });
    expect((await lrs(harness, auth, 'statements', { body: asSomeoneElse })).statusCode).toBe(403);
    const summary = (await learner.summaries()).find((s) => s.collectionId === `scorm-file-${tinCanFile}`)!;
    expect(summary).toMatchObject({ progress: 100, status: 2, assessmentStatus: { 'https://example.com/tincan/volcanoes': { score: 1, max_score: 1 } } });
  });
});

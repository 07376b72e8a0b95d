import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { lrs, lrsCredentials, newId, statement } from '../support/lrs.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const ada = { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.com' };
const bob = { objectType: 'Agent', account: { homePage: 'https://sso.example.com', name: 'bob' } };
const teacher = { objectType: 'Agent', mbox: 'mailto:teacher@example.com' };
const course = 'http://example.com/courses/physics';
const lesson = 'http://example.com/courses/physics/lesson-1';
const quiz = 'http://example.com/courses/physics/quiz';
const verbs = {
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  commented: 'http://adlnet.gov/expapi/verbs/commented',
};

/** A tenant of its own with credentials, so each query sees only the statements of its test. */
async function freshLrs() {
  const tenant = await harness.createTenant('Queries');
  const auth = await lrsCredentials(harness, tenant);
  const store = async (sent: unknown): Promise<string[]> => {
    const response = await lrs(harness, auth, 'statements', { body: sent });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as string[];
  };
  const query = async (parameters: Record<string, string | object>, headers: Record<string, string> = {}) => {
    const response = await lrs(harness, auth, 'statements', { query: parameters, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { statements: Record<string, unknown>[]; more: string };
  };
  const ids = async (parameters: Record<string, string | object>) => (await query(parameters)).statements.map((s) => s.id);
  return { auth, store, query, ids };
}

describe('GET /statements filters', () => {
  it('filters by agent (actor or object), verb, activity and registration; newest first', async () => {
    const { store, ids } = await freshLrs();
    const registration = newId();
    const [a1] = await store(statement({ actor: ada, verb: { id: verbs.attempted }, object: { id: lesson }, context: { registration } }));
    const [b1] = await store(statement({ actor: bob, verb: { id: verbs.passed }, object: { id: quiz } }));
    const [about] = await store(statement({ actor: teacher, verb: { id: verbs.commented }, object: ada }));
    const [a2] = await store(statement({ actor: ada, verb: { id: verbs.passed }, object: { id: quiz }, context: { registration } }));

    expect(await ids({ agent: ada })).toEqual([a2, about, a1]);
    expect(await ids({ agent: { account: { homePage: 'https://sso.example.com', name: 'bob' } } })).toEqual([b1]);
    expect(await ids({ verb: verbs.passed })).toEqual([a2, b1]);
    expect(await ids({ activity: quiz })).toEqual([a2, b1]);
    expect(await ids({ registration })).toEqual([a2, a1]);
    expect(await ids({ registration: registration.toUpperCase() })).toEqual([a2, a1]);
    expect(await ids({ agent: ada, verb: verbs.passed, activity: quiz })).toEqual([a2]);
    expect(await ids({ ascending: 'true' })).toEqual([a1, b1, about, a2]);
  });

  it('related_agents and related_activities widen the filters to context, authority, members and sub-statements', async () => {
    const { store, ids } = await freshLrs();
    const [taught] = await store(statement({ actor: bob, object: { id: lesson }, context: { instructor: teacher, contextActivities: { parent: { id: course } } } }));
    const [team] = await store(statement({ actor: { objectType: 'Group', member: [ada, bob] }, object: { id: quiz }, context: { contextActivities: { grouping: [{ id: course }] } } }));
    const [planned] = await store(
      statement({ actor: bob, verb: { id: 'http://example.com/verbs/planned' }, object: { objectType: 'SubStatement', actor: teacher, verb: { id: verbs.attempted }, object: { id: course } } }),
    );
    expect(await ids({ agent: teacher })).toEqual([]);
    expect(await ids({ agent: teacher, related_agents: 'true' })).toEqual([planned, taught]);
    expect(await ids({ agent: ada, related_agents: 'true' })).toEqual([team]);
    expect(await ids({ activity: course })).toEqual([]);
    expect(await ids({ activity: course, related_activities: 'true' })).toEqual([planned, team, taught]);
  });

  it('since and until bound the stored time; limit pages with more links that reach every statement once', async () => {
    const { auth, store, query } = await freshLrs();
    const first = await store(Array.from({ length: 3 }, () => statement()));
    const { statements: [newestOfFirst] } = await query({ limit: '1' });
    const cut = newestOfFirst!.stored as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await store(Array.from({ length: 4 }, () => statement()));
    expect((await query({ since: cut })).statements.map((s) => s.id).sort()).toEqual([...second].sort());
    expect((await query({ until: cut })).statements.map((s) => s.id).sort()).toEqual([...first].sort());

    const seen: string[] = [];
    let page = await query({ limit: '3', ascending: 'true' });
    for (let pages = 0; pages < 5; pages++) {
      seen.push(...page.statements.map((s) => s.id as string));
      if (page.more === '') break;
      expect(page.more).toMatch(/^\/xapi\/statements\?more=/);
      const next = await harness.app.inject({ method: 'GET', url: page.more, headers: { authorization: auth, 'x-experience-api-version': '1.0.3' } });
      expect(next.statusCode).toBe(200);
      page = next.json();
    }
    expect(seen).toEqual([...first, ...second]);
    const forged = await harness.app.inject({ method: 'GET', url: '/xapi/statements?more=not-a-cursor', headers: { authorization: auth, 'x-experience-api-version': '1.0.3' } });
    expect(forged.statusCode).toBe(400);
  });

  it('a statement that targets a matching statement matches too, along a chain; the time filters apply to it', async () => {
    const { store, ids } = await freshLrs();
    const [original] = await store(statement({ verb: { id: verbs.passed }, object: { id: quiz } }));
    const [comment] = await store(statement({ actor: teacher, verb: { id: verbs.commented }, object: { objectType: 'StatementRef', id: original } }));
    const [reply] = await store(statement({ actor: bob, verb: { id: verbs.commented }, object: { objectType: 'StatementRef', id: comment } }));
    await store(statement({ verb: { id: verbs.attempted }, object: { id: lesson } }));
    expect(await ids({ activity: quiz })).toEqual([reply, comment, original]);
    expect(await ids({ verb: verbs.passed, agent: teacher })).toEqual([]);
    expect(await ids({ verb: verbs.passed, limit: '2' })).toEqual([reply, comment]);
  });

  it('refuses malformed filters with 400', async () => {
    const { auth } = await freshLrs();
    for (const parameters of [{ agent: 'not json' }, { agent: { name: 'no identifier' } }, { verb: 'no iri' }, { registration: 'nope' }, { since: 'yesterday' }, { limit: '-1' }, { format: 'short' }, { ascending: 'yes' }]) {
      const response = await lrs(harness, auth, 'statements', { query: parameters });
      expect(response.statusCode, JSON.stringify(parameters)).toBe(400);
    }
  });
});

describe('statement formats', () => {
  const rich = statement({
    actor: ada,
    verb: { id: verbs.passed, display: { 'en-US': 'passed', 'fr-FR': 'a réussi' } },
    object: { id: quiz, definition: { name: { 'en-US': 'Quiz', 'fr-FR': 'Quiz de physique' }, description: { 'en-US': 'The quiz' } } },
    context: { instructor: teacher, contextActivities: { parent: { id: course, definition: { name: { 'en-US': 'Physics' } } } } },
  });

  it('ids keeps only what identifies agents, activities and verbs', async () => {
    const { store, query } = await freshLrs();
    const [id] = await store(rich);
    const [found] = (await query({ format: 'ids' })).statements;
    expect(found!.id).toBe(id);
    expect(found!.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:ada@example.com' });
    expect(found!.verb).toEqual({ id: verbs.passed });
    expect(found!.object).toEqual({ id: quiz });
    expect(found!.context).toMatchObject({ contextActivities: { parent: [{ id: course }] } });
  });

  it('canonical keeps one language per language map, the one the reader accepts', async () => {
    const { store, query } = await freshLrs();
    await store(rich);
    const [french] = (await query({ format: 'canonical' }, { 'accept-language': 'fr-FR, en;q=0.5' })).statements;
    expect((french!.verb as { display: unknown }).display).toEqual({ 'fr-FR': 'a réussi' });
    expect((french!.object as { definition: { name: unknown } }).definition.name).toEqual({ 'fr-FR': 'Quiz de physique' });
    const [exact] = (await query({})).statements;
    expect((exact!.verb as { display: unknown }).display).toEqual({ 'en-US': 'passed', 'fr-FR': 'a réussi' });
    // A single context activity is stored as an array of one.
    expect((exact!.context as { contextActivities: { parent: unknown } }).contextActivities.parent).toHaveLength(1);
  });
});

describe('agents and activities resources', () => {
  it('GET /activities returns what every statement said of the activity, in every language', async () => {
    const { auth, store } = await freshLrs();
    await store(statement({ object: { id: quiz, definition: { name: { 'en-US': 'Old name' }, type: 'http://example.com/types/quiz' } } }));
    await store([
      statement({ object: { id: quiz, definition: { name: { 'en-US': 'Physics quiz' } } } }),
      statement({ object: { id: quiz, definition: { name: { 'fr-FR': 'Quiz de physique' }, description: { 'en-US': 'Ten questions' } } } }),
    ]);
    const response = await lrs(harness, auth, 'activities', { query: { activityId: quiz } });
    expect(response.json()).toEqual({
      objectType: 'Activity',
      id: quiz,
      definition: { name: { 'en-US': 'Physics quiz', 'fr-FR': 'Quiz de physique' }, description: { 'en-US': 'Ten questions' }, type: 'http://example.com/types/quiz' },
    });
    const unknown = await lrs(harness, auth, 'activities', { query: { activityId: 'http://example.com/unknown' } });
    expect(unknown.json()).toEqual({ objectType: 'Activity', id: 'http://example.com/unknown' });
    expect((await lrs(harness, auth, 'activities', {})).statusCode).toBe(400);
  });

  it('GET /agents returns a Person with arrays of what is known of the agent', async () => {
    const { auth } = await freshLrs();
    const response = await lrs(harness, auth, 'agents', { query: { agent: ada } });
    expect(response.json()).toEqual({ objectType: 'Person', name: ['Ada'], mbox: ['mailto:ada@example.com'] });
    expect((await lrs(harness, auth, 'agents', { query: { agent: { name: 'x' } } })).statusCode).toBe(400);
  });
});

import { describe, expect, it } from 'vitest';
import { cmi5StatementProblem, type Cmi5Launch } from '../../../src/modules/launches/cmi5-statements.js';
import type { Statement } from '../../../src/modules/xapi/statements/statement.js';

const launch: Cmi5Launch = { activityId: 'https://lens.test/cmi5/au/a1', sessionId: 'session-1', registration: '0f6c5a5e-3c1e-4b5a-9d2c-1a2b3c4d5e6f', masteryScore: 0.8 };
const CMI5 = { id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' };
const MOVE_ON = { id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' };
const MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';

interface Shaped extends Statement {
  actor: Record<string, unknown>;
  result: Record<string, unknown> & { score: Record<string, unknown> };
  context: { registration: string; contextActivities: { category: { id: string }[] }; extensions: Record<string, unknown> };
  timestamp: string;
}

/** A passed statement as a cmi5 AU sends it. */
function passed(): Shaped {
  return {
    id: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    actor: { objectType: 'Agent', account: { homePage: 'https://lens.test', name: 'ann' } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
    object: { objectType: 'Activity', id: launch.activityId },
    result: { success: true, duration: 'PT3M', score: { scaled: 0.9, raw: 9, min: 0, max: 10 } },
    context: { registration: launch.registration, contextActivities: { category: [CMI5, MOVE_ON] }, extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': 'session-1', [MASTERY]: 0.8 } },
    timestamp: '2026-12-07T03:00:00.000Z',
  };
}

describe('cmi5 rules for one statement of an AU', () => {
  it('takes a statement shaped as cmi5 says, with a zero UTC offset too', () => {
    expect(cmi5StatementProblem(passed(), launch)).toBeUndefined();
    expect(cmi5StatementProblem({ ...passed(), timestamp: '2026-12-07T03:00:00+00:00' }, launch)).toBeUndefined();
  });

  const broken: [string, (statement: Shaped) => void][] = [
    ['no id', (st) => delete st.id],
    ['no timestamp', (st) => delete (st as Partial<Shaped>).timestamp],
    ['a timestamp not in UTC', (st) => (st.timestamp = '2026-12-07T03:00:00.000-06:00')],
    ['a Group as actor', (st) => (st.actor.objectType = 'Group')],
    ['another registration', (st) => (st.context.registration = 'ccaf384c-f8d4-4e7a-8304-49af58f0b176')],
    ['no session id', (st) => delete st.context.extensions['https://w3id.org/xapi/cmi5/context/extensions/sessionid']],
    ['another object', (st) => (st.object = { id: 'http://example.com/not/the/lms/id' })],
    ['no duration', (st) => delete st.result.duration],
    ['completion on passed', (st) => (st.result.completion = true)],
    ['success false on passed', (st) => (st.result.success = false)],
    ['a raw score without min', (st) => delete st.result.score.min],
    ['a raw score without max', (st) => delete st.result.score.max],
    ['a score below the mastery score', (st) => (st.result.score = { scaled: 0.79 })],
    ['no moveOn category', (st) => st.context.contextActivities.category.pop()],
    ['no mastery score in the context', (st) => delete st.context.extensions[MASTERY]],
    ['another mastery score in the context', (st) => (st.context.extensions[MASTERY] = 0.5)],
    ['a verb cmi5 does not define', (st) => (st.verb = { id: 'http://adlnet.gov/expapi/verbs/experienced' })],
    ['completed without completion, with success and a score', (st) => (st.verb = { id: 'http://adlnet.gov/expapi/verbs/completed' })],
    ['terminated with the moveOn category', (st) => {
      st.verb = { id: 'http://adlnet.gov/expapi/verbs/terminated' };
      st.result = { duration: 'PT3M', score: {} };
      delete (st.result as Partial<Shaped['result']>).score;
    }],
    ['an allowed statement with the moveOn category', (st) => {
      st.verb = { id: 'http://adlnet.gov/expapi/verbs/experienced' };
      st.context.contextActivities.category = [MOVE_ON];
    }],
    ['a cmi5 verb about the AU without the cmi5 category', (st) => (st.context.contextActivities.category = [MOVE_ON])],
  ];
  it.each(broken)('refuses %s', (_problem, breakIt) => {
    const statement = passed();
    breakIt(statement);
    expect(cmi5StatementProblem(statement, launch)).toBeTypeOf('string');
  });

  it('takes an allowed statement about anything, with the session id and no cmi5 category', () => {
    const answered = { ...passed(), verb: { id: 'http://adlnet.gov/expapi/verbs/answered' }, object: { id: 'https://example.com/q1' } } as Shaped;
    answered.context.contextActivities.category = [];
    expect(cmi5StatementProblem(answered, launch)).toBeUndefined();
  });
});

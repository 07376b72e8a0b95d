import type { Statement } from '../xapi/statements/statement.js';

// cmi5's rules for one statement of an AU session (cmi5 9), those that need nothing but the
// statement and its launch. The rules between statements (order, once per session or
// registration) are the session's (xapi-sessions.ts).

export const CMI5_VERBS = {
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
} as const;
const DEFINED_VERBS = new Set<string>(Object.values(CMI5_VERBS));
/** The verbs whose statements carry a moveOn result (completion or success), and the moveOn category with it. */
const MOVE_ON_VERBS = new Set<string>([CMI5_VERBS.completed, CMI5_VERBS.passed, CMI5_VERBS.failed]);
/** The verbs whose statements must say how long they took (9.5.4.1). */
const TIMED_VERBS = new Set<string>([CMI5_VERBS.completed, CMI5_VERBS.passed, CMI5_VERBS.failed, CMI5_VERBS.terminated]);
export const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVE_ON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
export const SESSION_EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const MASTERY_EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
/** A timestamp in UTC: `Z` or a zero offset. */
const UTC = /(?:Z|[+]00:?00)$/i;

type Json = Record<string, unknown>;
const objectOf = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

/** What the launch says of the AU's statements. */
export interface Cmi5Launch {
  activityId: string;
  sessionId: string;
  registration: string;
  /** The AU's mastery score, from 0 to 1, or null. */
  masteryScore: number | null;
}

function resultProblem(verb: string, result: Json, launch: Cmi5Launch, extensions: Json): string | undefined {
  if (verb === CMI5_VERBS.completed ? result.completion !== true : 'completion' in result) return 'result.completion is true on completed, and only there';
  if (verb === CMI5_VERBS.passed && result.success !== true) return 'a passed statement has result.success true';
  if (verb === CMI5_VERBS.failed && result.success !== false) return 'a failed statement has result.success false';
  if (verb !== CMI5_VERBS.passed && verb !== CMI5_VERBS.failed && 'success' in result) return 'result.success is only on passed and failed';
  const score = objectOf(result.score);
  if ('score' in result && verb !== CMI5_VERBS.passed && verb !== CMI5_VERBS.failed) return 'a score is only on passed and failed';
  if ('raw' in score && !('min' in score && 'max' in score)) return 'a raw score comes with its min and max';
  if (TIMED_VERBS.has(verb) && typeof result.duration !== 'string') return `a ${verb.split('/').pop()} statement has result.duration`;
  const { masteryScore } = launch;
  if (masteryScore !== null && 'score' in result && (verb === CMI5_VERBS.passed || verb === CMI5_VERBS.failed)) {
    if (extensions[MASTERY_EXTENSION] !== masteryScore) return `a scored ${verb.split('/').pop()} statement carries the mastery score ${masteryScore} in its context`;
    const scaled = score.scaled;
    if (typeof scaled === 'number' && (verb === CMI5_VERBS.passed ? scaled < masteryScore : scaled >= masteryScore)) {
      return `the AU's mastery score is ${masteryScore}: a scaled score of ${scaled} does not ${verb === CMI5_VERBS.passed ? 'pass' : 'fail'}`;
    }
  }
  return undefined;
}

/**
 * What breaks cmi5's rules in a statement the AU sends, if anything: an id and a UTC timestamp of
 * its own (9.1, 9.7), an Agent (9.2), the registration and session id of its launch (9.6), and on
 * cmi5 defined statements (the cmi5 category) the AU as object (9.4), the result cmi5 gives each
 * verb (9.5) and the moveOn category where a result judges it, nowhere else (9.6.2.2).
 */
export function cmi5StatementProblem(statement: Statement, launch: Cmi5Launch): string | undefined {
  const verb = objectOf(statement.verb).id as string;
  const context = objectOf(statement.context);
  const extensions = objectOf(context.extensions);
  if (typeof statement.id !== 'string') return 'An AU gives each statement its id.';
  if (typeof statement.timestamp !== 'string' || !UTC.test(statement.timestamp)) return 'An AU gives each statement a timestamp in UTC.';
  const objectType = objectOf(statement.actor).objectType;
  if (objectType !== undefined && objectType !== 'Agent') return 'The actor of a cmi5 statement is an Agent.';
  if (String(context.registration ?? '').toLowerCase() !== launch.registration) return 'A statement of this session must carry its registration.';
  if (extensions[SESSION_EXTENSION] !== launch.sessionId) return 'A cmi5 statement must carry the session id of its launch.';
  const categories = objectOf(context.contextActivities).category;
  const has = (id: string) => Array.isArray(categories) && categories.some((category) => objectOf(category).id === id);
  // cmi5 defined statements carry the cmi5 category; any other statement is a cmi5 allowed one.
  const onAu = objectOf(statement.object).id === launch.activityId;
  if (!has(CMI5_CATEGORY)) {
    if (DEFINED_VERBS.has(verb) && onAu) return 'A cmi5 statement about the AU must carry the cmi5 category.';
    return has(MOVE_ON_CATEGORY) ? 'Only a cmi5 completed, passed or failed statement carries the moveOn category.' : undefined;
  }
  if (!DEFINED_VERBS.has(verb)) return `${verb} is not a verb cmi5 defines for an AU.`;
  if (!onAu) return 'A cmi5 defined statement is about the launched AU.';
  if (MOVE_ON_VERBS.has(verb) !== has(MOVE_ON_CATEGORY)) return 'The moveOn category is on cmi5 completed, passed and failed statements, and only there.';
  const problem = resultProblem(verb, objectOf(statement.result), launch, extensions);
  return problem && `cmi5 rule broken: ${problem}.`;
}

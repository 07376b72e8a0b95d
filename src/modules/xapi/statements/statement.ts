import { normalTimestamp, VOIDED_VERB } from './validation.js';

/** A statement after validation: a JSON object whose shape validateStatement has checked. */
export type Statement = Record<string, unknown>;
type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * The key an Agent or identified Group is known by: its one inverse functional identifier.
 * Agents and identified Groups with the same identifier are the same (the objectType is not part of it).
 */
export function agentKey(agentOrGroup: unknown): string | undefined {
  const candidate = asObject(agentOrGroup);
  if (!candidate) return undefined;
  if (typeof candidate.mbox === 'string') return `mbox ${candidate.mbox}`;
  if (typeof candidate.mbox_sha1sum === 'string') return `mbox_sha1sum ${candidate.mbox_sha1sum.toLowerCase()}`;
  if (typeof candidate.openid === 'string') return `openid ${candidate.openid}`;
  const account = asObject(candidate.account);
  if (account) return `account ${JSON.stringify([account.homePage, account.name])}`;
  return undefined;
}

/** A single Activity in contextActivities is stored (and returned) as an array of one. */
function contextActivitiesAsArrays(statement: Json): void {
  const contextActivities = asObject(asObject(statement.context)?.contextActivities);
  if (!contextActivities) return;
  for (const [kind, activities] of Object.entries(contextActivities)) {
    if (!Array.isArray(activities)) contextActivities[kind] = [activities];
  }
}

/** The statement as the LRS stores it: id, timestamp, stored, authority and version set. */
export function statementToStore(
  sent: Statement,
  fields: { id: string; stored: string; authority: Json; version: string },
): Statement {
  const statement: Statement = structuredClone(sent);
  statement.id = fields.id;
  statement.timestamp ??= fields.stored;
  statement.stored = fields.stored;
  statement.authority = fields.authority;
  statement.version ??= fields.version;
  contextActivitiesAsArrays(statement);
  const object = asObject(statement.object);
  if (object?.objectType === 'SubStatement') contextActivitiesAsArrays(object);
  return statement;
}

export const isVoiding = (statement: Statement): boolean => asObject(statement.verb)?.id === VOIDED_VERB;

/** The id a StatementRef object targets, lower-cased (UUIDs compare without case). */
export function targetedStatementId(statement: Statement): string | undefined {
  const object = asObject(statement.object);
  return object?.objectType === 'StatementRef' && typeof object.id === 'string' ? object.id.toLowerCase() : undefined;
}

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export interface StatementIndex {
  agents: Map<string, 0 | 1>;
  activities: Map<string, 0 | 1>;
}

function mark(map: Map<string, 0 | 1>, key: string | undefined, related: 0 | 1): void {
  if (key === undefined) return;
  if (related === 0 || !map.has(key)) map.set(key, related);
}

/** An agent and, for a group, its members; all but an identified actor/object are for the broad filter only. */
function markAgents(index: StatementIndex, value: unknown, related: 0 | 1): void {
  const candidate = asObject(value);
  if (!candidate) return;
  mark(index.agents, agentKey(candidate), related);
  if (Array.isArray(candidate.member)) for (const member of candidate.member) mark(index.agents, agentKey(member), 1);
}

function markParts(index: StatementIndex, statement: Json, related: 0 | 1): void {
  markAgents(index, statement.actor, related);
  const object = asObject(statement.object);
  const objectType = object?.objectType;
  if (objectType === 'Agent' || objectType === 'Group') markAgents(index, object, related);
  else if ((objectType === undefined || objectType === 'Activity') && typeof object?.id === 'string') mark(index.activities, object.id, related);
  const context = asObject(statement.context);
  markAgents(index, context?.instructor, 1);
  markAgents(index, context?.team, 1);
  // xAPI 2.0: the agents and groups of contextAgents and contextGroups.
  for (const entry of [...arrayOf(context?.contextAgents), ...arrayOf(context?.contextGroups)]) {
    markAgents(index, asObject(entry)?.agent ?? asObject(entry)?.group, 1);
  }
  const contextActivities = asObject(context?.contextActivities) ?? {};
  for (const activities of Object.values(contextActivities)) {
    for (const activity of Array.isArray(activities) ? activities : [activities]) {
      const id = asObject(activity)?.id;
      if (typeof id === 'string') mark(index.activities, id, 1);
    }
  }
}

/**
 * What the agent and activity filters of GET /statements match a statement by: actor and object
 * (the object Activity) for the plain filters; authority, instructor, team, context activities,
 * group members and a SubStatement's parts too for related_agents and related_activities.
 */
export function statementIndex(statement: Statement): StatementIndex {
  const index: StatementIndex = { agents: new Map(), activities: new Map() };
  markParts(index, statement, 0);
  markAgents(index, statement.authority, 1);
  const object = asObject(statement.object);
  if (object?.objectType === 'SubStatement') markParts(index, object, 1);
  return index;
}

/** A duration compared to 0.01 s: finer digits of its seconds are dropped (xAPI 2.0, 4.2.7). */
function centiseconds(duration: string): string {
  return duration.replace(/(\d+)(?:\.(\d+))?S$/, (_match, whole: string, fraction: string | undefined) => {
    const kept = (fraction ?? '').slice(0, 2).replace(/0+$/, '');
    return kept ? `${whole}.${kept}S` : `${whole}S`;
  });
}

/** The parts of a statement compared to tell whether a statement sent again is the same one. */
function comparable(statement: Statement): Statement {
  const copy = structuredClone(statement);
  delete copy.authority;
  delete copy.stored;
  delete copy.version;
  if (typeof copy.id === 'string') copy.id = copy.id.toLowerCase();
  if (typeof copy.timestamp === 'string') copy.timestamp = Date.parse(normalTimestamp(copy.timestamp));
  const result = asObject(copy.result);
  if (typeof result?.duration === 'string') result.duration = centiseconds(result.duration);
  contextActivitiesAsArrays(copy);
  const object = asObject(copy.object);
  if (object?.objectType === 'StatementRef' && typeof object.id === 'string') object.id = object.id.toLowerCase();
  if (object?.objectType === 'SubStatement') contextActivitiesAsArrays(object);
  return copy;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const left = asObject(a);
  const right = asObject(b);
  if (!left || !right) return false;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => key in right && sameJson(left[key], right[key]));
}

/**
 * Whether a statement sent with an id already stored is the one stored (then it is accepted
 * again, unchanged) or another (a conflict). Differences the LRS itself makes are ignored:
 * authority, stored, version, the case of UUIDs, a timestamp's precision and time zone (or its
 * absence from the statement sent), and a single context activity against an array of one.
 */
export function sameStatement(stored: Statement, sent: Statement): boolean {
  const before = comparable(stored);
  // A statement sent without a timestamp took the time it was stored: that is not a difference.
  if (sent.timestamp === undefined) delete before.timestamp;
  return sameJson(before, comparable(sent));
}

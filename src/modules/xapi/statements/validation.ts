import { BadRequestError } from '../../../http/errors.js';

/**
 * The data model's MUSTs (xAPI 1.0.3 Part Two, and 2.0 where it widens them): a statement that
 * breaks one is refused whole with 400 and the path of the first fault. No library checks these
 * rules (exactly one identifier per agent, interaction components per interaction type, voiding
 * targets...), so they live here, one function per object of the specification.
 */
export class InvalidStatementError extends BadRequestError {
  constructor(path: string, problem: string) {
    super('invalid_statement', `${path} ${problem}.`, { path });
  }
}

type Json = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// An absolute IRI: a scheme, a colon, then neither white space nor control characters (RFC 3987).
const IRI = /^[a-z][a-z0-9+.-]*:[^\s\p{Cc}]+$/iu;
const MBOX = /^mailto:[^@\s\p{Cc}]+@[^@\s\p{Cc}]+$/iu;
// An account name is any string but U+0000, which no database stores in an identifier.
const ACCOUNT_NAME = /^[^\0]*$/;
const SHA1_HEX = /^[0-9a-f]{40}$/i;
const LANGUAGE_TAG = /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/i;
// ISO 8601 date and time, extended format; RFC 3339's "-00:00" (offset unknown) is refused.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
// ISO 8601 durations: weeks alone (P3W), or years to seconds (P1Y2M3DT4H5M6.7S).
const DURATION = /^P((\d+(\.\d+)?W)|(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?)$/;
const VERSION = /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/;

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

const INTERACTION_TYPES = new Set([
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
]);
/** Which interaction component lists each interaction type may carry. */
const COMPONENT_LISTS: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const ALL_COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new InvalidStatementError(path, 'must be an object');
  return value;
}

/** Every property known, none null: the specification allows no others. */
function only(value: Json, path: string, allowed: readonly string[]): void {
  for (const [key, property] of Object.entries(value)) {
    if (!allowed.includes(key)) throw new InvalidStatementError(`${path}.${key}`, 'is not a property of this object');
    if (property === null) throw new InvalidStatementError(`${path}.${key}`, 'must not be null');
  }
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new InvalidStatementError(path, 'must be a string');
  return value;
}

function matching(value: unknown, pattern: RegExp, path: string, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new InvalidStatementError(path, `must be ${what}`);
  return value;
}

export const iri = (value: unknown, path: string): string => matching(value, IRI, path, 'an absolute IRI');
export const uuid = (value: unknown, path: string): string => matching(value, UUID, path, 'a UUID');
export const isUuid = (value: string): boolean => UUID.test(value);

export function timestamp(value: unknown, path: string): string {
  const text = matching(value, TIMESTAMP, path, 'an ISO 8601 timestamp');
  if (text.endsWith('-00:00') || text.endsWith('-0000') || text.endsWith('-00')) {
    throw new InvalidStatementError(path, 'must not have the offset -00:00');
  }
  if (Number.isNaN(Date.parse(normalTimestamp(text)))) throw new InvalidStatementError(path, 'must be a real date and time');
  return text;
}

/** The timestamp in a form Date.parse reads: "+0530" and "+05" offsets become "+05:30" and "+05:00". */
export function normalTimestamp(text: string): string {
  return text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/([+-]\d{2})$/, '$1:00');
}

function boolean(value: unknown, path: string): void {
  if (typeof value !== 'boolean') throw new InvalidStatementError(path, 'must be true or false');
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidStatementError(path, 'must be a number');
  return value;
}

export function languageMap(value: unknown, path: string): void {
  for (const [tag, text] of Object.entries(object(value, path))) {
    if (!LANGUAGE_TAG.test(tag)) throw new InvalidStatementError(`${path}.${tag}`, 'must be keyed by an RFC 5646 language tag');
    string(text, `${path}.${tag}`);
  }
}

function extensions(value: unknown, path: string): void {
  for (const key of Object.keys(object(value, path))) iri(key, `${path} key ${JSON.stringify(key)}`);
}

/** The identifier properties (IFIs) an Agent or Group carries. */
const IDENTIFIERS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function identifiers(actor: Json, path: string): number {
  const present = IDENTIFIERS.filter((key) => actor[key] !== undefined);
  if (present.length > 1) throw new InvalidStatementError(path, 'must have exactly one identifier (mbox, mbox_sha1sum, openid or account)');
  if (actor.mbox !== undefined) matching(actor.mbox, MBOX, `${path}.mbox`, 'a mailto: IRI');
  if (actor.mbox_sha1sum !== undefined) matching(actor.mbox_sha1sum, SHA1_HEX, `${path}.mbox_sha1sum`, 'a SHA-1 hex digest');
  if (actor.openid !== undefined) iri(actor.openid, `${path}.openid`);
  if (actor.account !== undefined) {
    const account = object(actor.account, `${path}.account`);
    only(account, `${path}.account`, ['homePage', 'name']);
    iri(account.homePage, `${path}.account.homePage`);
    matching(account.name, ACCOUNT_NAME, `${path}.account.name`, 'a string without U+0000');
  }
  return present.length;
}

export function agent(value: unknown, path: string): void {
  const candidate = object(value, path);
  only(candidate, path, ['objectType', 'name', ...IDENTIFIERS]);
  if (candidate.objectType !== undefined && candidate.objectType !== 'Agent') {
    throw new InvalidStatementError(`${path}.objectType`, 'must be "Agent"');
  }
  if (candidate.name !== undefined) string(candidate.name, `${path}.name`);
  if (identifiers(candidate, path) !== 1) throw new InvalidStatementError(path, 'must have exactly one identifier (mbox, mbox_sha1sum, openid or account)');
}

export function group(value: unknown, path: string): void {
  const candidate = object(value, path);
  only(candidate, path, ['objectType', 'name', 'member', ...IDENTIFIERS]);
  if (candidate.objectType !== 'Group') throw new InvalidStatementError(`${path}.objectType`, 'must be "Group"');
  if (candidate.name !== undefined) string(candidate.name, `${path}.name`);
  const identified = identifiers(candidate, path) === 1;
  if (candidate.member === undefined) {
    if (!identified) throw new InvalidStatementError(`${path}.member`, 'is required in an anonymous group');
    return;
  }
  if (!Array.isArray(candidate.member)) throw new InvalidStatementError(`${path}.member`, 'must be an array of agents');
  if (!identified && candidate.member.length === 0) throw new InvalidStatementError(`${path}.member`, 'must list the members of an anonymous group');
  candidate.member.forEach((member, index) => agent(member, `${path}.member[${index}]`));
}

/** An Agent, or a Group when its objectType says so. */
export function actor(value: unknown, path: string): void {
  if (isObject(value) && value.objectType === 'Group') group(value, path);
  else agent(value, path);
}

function verb(value: unknown, path: string): void {
  const candidate = object(value, path);
  only(candidate, path, ['id', 'display']);
  iri(candidate.id, `${path}.id`);
  if (candidate.display !== undefined) languageMap(candidate.display, `${path}.display`);
}

function interactionComponents(value: unknown, path: string): void {
  if (!Array.isArray(value)) throw new InvalidStatementError(path, 'must be an array of interaction components');
  const ids = new Set<string>();
  value.forEach((component, index) => {
    const at = `${path}[${index}]`;
    const candidate = object(component, at);
    only(candidate, at, ['id', 'description']);
    const id = string(candidate.id, `${at}.id`);
    if (ids.has(id)) throw new InvalidStatementError(`${at}.id`, 'must be distinct within its list');
    ids.add(id);
    if (candidate.description !== undefined) languageMap(candidate.description, `${at}.description`);
  });
}

export function activityDefinition(value: unknown, path: string): void {
  const definition = object(value, path);
  only(definition, path, [
    'name',
    'description',
    'type',
    'moreInfo',
    'extensions',
    'interactionType',
    'correctResponsesPattern',
    ...ALL_COMPONENT_LISTS,
  ]);
  if (definition.name !== undefined) languageMap(definition.name, `${path}.name`);
  if (definition.description !== undefined) languageMap(definition.description, `${path}.description`);
  if (definition.type !== undefined) iri(definition.type, `${path}.type`);
  if (definition.moreInfo !== undefined) iri(definition.moreInfo, `${path}.moreInfo`);
  if (definition.extensions !== undefined) extensions(definition.extensions, `${path}.extensions`);
  const interactionType = definition.interactionType;
  if (interactionType !== undefined && (typeof interactionType !== 'string' || !INTERACTION_TYPES.has(interactionType))) {
    throw new InvalidStatementError(`${path}.interactionType`, 'must be one of the interaction types of the specification');
  }
  if (definition.correctResponsesPattern !== undefined) {
    if (interactionType === undefined) throw new InvalidStatementError(`${path}.correctResponsesPattern`, 'needs an interactionType');
    if (!Array.isArray(definition.correctResponsesPattern)) {
      throw new InvalidStatementError(`${path}.correctResponsesPattern`, 'must be an array of strings');
    }
    definition.correctResponsesPattern.forEach((pattern, index) => string(pattern, `${path}.correctResponsesPattern[${index}]`));
  }
  const allowed = typeof interactionType === 'string' ? (COMPONENT_LISTS[interactionType] ?? []) : [];
  for (const list of ALL_COMPONENT_LISTS) {
    if (definition[list] === undefined) continue;
    if (!allowed.includes(list)) throw new InvalidStatementError(`${path}.${list}`, `is not used with interactionType ${String(interactionType)}`);
    interactionComponents(definition[list], `${path}.${list}`);
  }
}

export function activity(value: unknown, path: string): void {
  const candidate = object(value, path);
  only(candidate, path, ['objectType', 'id', 'definition']);
  if (candidate.objectType !== undefined && candidate.objectType !== 'Activity') {
    throw new InvalidStatementError(`${path}.objectType`, 'must be "Activity"');
  }
  iri(candidate.id, `${path}.id`);
  if (candidate.definition !== undefined) activityDefinition(candidate.definition, `${path}.definition`);
}

function statementRef(value: Json, path: string): void {
  only(value, path, ['objectType', 'id']);
  uuid(value.id, `${path}.id`);
}

function statementObject(value: unknown, path: string, inSubStatement: boolean, version: XapiVersion): void {
  const candidate = object(value, path);
  switch (candidate.objectType) {
    case undefined:
    case 'Activity':
      return activity(candidate, path);
    case 'Agent':
      return agent(candidate, path);
    case 'Group':
      return group(candidate, path);
    case 'StatementRef':
      return statementRef(candidate, path);
    case 'SubStatement':
      if (inSubStatement) throw new InvalidStatementError(path, 'must not be a SubStatement inside a SubStatement');
      return subStatement(candidate, path, version);
    default:
      throw new InvalidStatementError(`${path}.objectType`, 'must be Activity, Agent, Group, StatementRef or SubStatement');
  }
}

function score(value: unknown, path: string): void {
  const candidate = object(value, path);
  only(candidate, path, ['scaled', 'raw', 'min', 'max']);
  if (candidate.scaled !== undefined) {
    const scaled = number(candidate.scaled, `${path}.scaled`);
    if (scaled < -1 || scaled > 1) throw new InvalidStatementError(`${path}.scaled`, 'must be between -1 and 1');
  }
  const min = candidate.min === undefined ? undefined : number(candidate.min, `${path}.min`);
  const max = candidate.max === undefined ? undefined : number(candidate.max, `${path}.max`);
  if (min !== undefined && max !== undefined && min >= max) throw new InvalidStatementError(`${path}.min`, 'must be less than max');
  if (candidate.raw !== undefined) {
    const raw = number(candidate.raw, `${path}.raw`);
    if ((min !== undefined && raw < min) || (max !== undefined && raw > max)) {
      throw new InvalidStatementError(`${path}.raw`, 'must be between min and max');
    }
  }
}

function result(value: unknown, path: string): void {
  const candidate = object(value, path);
  only(candidate, path, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
  if (candidate.score !== undefined) score(candidate.score, `${path}.score`);
  if (candidate.success !== undefined) boolean(candidate.success, `${path}.success`);
  if (candidate.completion !== undefined) boolean(candidate.completion, `${path}.completion`);
  if (candidate.response !== undefined) string(candidate.response, `${path}.response`);
  if (candidate.duration !== undefined) matching(candidate.duration, DURATION, `${path}.duration`, 'an ISO 8601 duration');
  if (candidate.extensions !== undefined) extensions(candidate.extensions, `${path}.extensions`);
}

const CONTEXT_ACTIVITY_KINDS = ['parent', 'grouping', 'category', 'other'];

/** xAPI 2.0's contextAgents and contextGroups: agents or groups with the IRIs of their relevant types. */
function contextActors(value: unknown, path: string, kind: 'contextAgent' | 'contextGroup'): void {
  if (!Array.isArray(value)) throw new InvalidStatementError(path, `must be an array of ${kind} objects`);
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    const candidate = object(item, at);
    const member = kind === 'contextAgent' ? 'agent' : 'group';
    only(candidate, at, ['objectType', member, 'relevantTypes']);
    if (candidate.objectType !== kind) throw new InvalidStatementError(`${at}.objectType`, `must be "${kind}"`);
    if (kind === 'contextAgent') agent(candidate.agent, `${at}.agent`);
    else group(candidate.group, `${at}.group`);
    if (candidate.relevantTypes !== undefined) {
      if (!Array.isArray(candidate.relevantTypes) || candidate.relevantTypes.length === 0) {
        throw new InvalidStatementError(`${at}.relevantTypes`, 'must be a non-empty array of IRIs');
      }
      candidate.relevantTypes.forEach((type, i) => iri(type, `${at}.relevantTypes[${i}]`));
    }
  });
}

function context(value: unknown, path: string, objectIsActivity: boolean, version: XapiVersion): void {
  const candidate = object(value, path);
  only(candidate, path, [
    ...(version === '2.0.0' ? ['contextAgents', 'contextGroups'] : []),
    'registration',
    'instructor',
    'team',
    'contextActivities',
    'revision',
    'platform',
    'language',
    'statement',
    'extensions',
  ]);
  if (candidate.registration !== undefined) uuid(candidate.registration, `${path}.registration`);
  if (candidate.instructor !== undefined) actor(candidate.instructor, `${path}.instructor`);
  if (candidate.team !== undefined) group(candidate.team, `${path}.team`);
  if (candidate.contextActivities !== undefined) {
    const kinds = object(candidate.contextActivities, `${path}.contextActivities`);
    only(kinds, `${path}.contextActivities`, CONTEXT_ACTIVITY_KINDS);
    for (const [kind, activities] of Object.entries(kinds)) {
      const at = `${path}.contextActivities.${kind}`;
      if (Array.isArray(activities)) activities.forEach((item, index) => activity(item, `${at}[${index}]`));
      else activity(activities, at);
    }
  }
  for (const key of ['revision', 'platform'] as const) {
    if (candidate[key] === undefined) continue;
    string(candidate[key], `${path}.${key}`);
    if (!objectIsActivity) throw new InvalidStatementError(`${path}.${key}`, 'is only used when the object is an Activity');
  }
  if (candidate.language !== undefined) matching(candidate.language, LANGUAGE_TAG, `${path}.language`, 'an RFC 5646 language tag');
  if (candidate.statement !== undefined) {
    const ref = object(candidate.statement, `${path}.statement`);
    if (ref.objectType !== 'StatementRef') throw new InvalidStatementError(`${path}.statement.objectType`, 'must be "StatementRef"');
    statementRef(ref, `${path}.statement`);
  }
  if (candidate.extensions !== undefined) extensions(candidate.extensions, `${path}.extensions`);
  if (candidate.contextAgents !== undefined) contextActors(candidate.contextAgents, `${path}.contextAgents`, 'contextAgent');
  if (candidate.contextGroups !== undefined) contextActors(candidate.contextGroups, `${path}.contextGroups`, 'contextGroup');
}

function attachments(value: unknown, path: string): void {
  if (!Array.isArray(value)) throw new InvalidStatementError(path, 'must be an array');
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    const candidate = object(item, at);
    only(candidate, at, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']);
    iri(candidate.usageType, `${at}.usageType`);
    languageMap(candidate.display, `${at}.display`);
    if (candidate.description !== undefined) languageMap(candidate.description, `${at}.description`);
    matching(candidate.contentType, /^[\w.+-]+\/[\w.+-]+/, `${at}.contentType`, 'an Internet media type');
    if (!Number.isInteger(candidate.length) || (candidate.length as number) < 0) {
      throw new InvalidStatementError(`${at}.length`, 'must be a whole number of octets');
    }
    matching(candidate.sha2, /^[0-9a-f]{56,128}$/i, `${at}.sha2`, 'a SHA-2 hex digest');
    if (candidate.fileUrl !== undefined) iri(candidate.fileUrl, `${at}.fileUrl`);
  });
}

/** What a statement and a SubStatement share: actor, verb, object, result, context, timestamp, attachments. */
function statementBody(candidate: Json, path: string, inSubStatement: boolean, version: XapiVersion): void {
  actor(candidate.actor, `${path}.actor`);
  verb(candidate.verb, `${path}.verb`);
  statementObject(candidate.object, `${path}.object`, inSubStatement, version);
  const target = candidate.object as Json;
  const objectIsActivity = target.objectType === undefined || target.objectType === 'Activity';
  if (candidate.result !== undefined) result(candidate.result, `${path}.result`);
  if (candidate.context !== undefined) context(candidate.context, `${path}.context`, objectIsActivity, version);
  if (candidate.timestamp !== undefined) timestamp(candidate.timestamp, `${path}.timestamp`);
  if (candidate.attachments !== undefined) attachments(candidate.attachments, `${path}.attachments`);
  if ((candidate.verb as Json).id === VOIDED_VERB && target.objectType !== 'StatementRef') {
    throw new InvalidStatementError(`${path}.object`, 'of a voiding statement must be a StatementRef');
  }
}

function subStatement(value: Json, path: string, version: XapiVersion): void {
  only(value, path, ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments']);
  statementBody(value, path, true, version);
}

/** The xAPI version a request speaks, as a statement of it is stored. */
export type XapiVersion = '1.0.0' | '2.0.0';

/** Checks one statement as sent; throws InvalidStatementError for the first rule it breaks. */
export function validateStatement(value: unknown, path = 'statement', version: XapiVersion = '1.0.0'): void {
  const candidate = object(value, path);
  only(candidate, path, [
    'id',
    'actor',
    'verb',
    'object',
    'result',
    'context',
    'timestamp',
    'stored',
    'authority',
    'version',
    'attachments',
  ]);
  if (candidate.id !== undefined) uuid(candidate.id, `${path}.id`);
  statementBody(candidate, path, false, version);
  if (candidate.stored !== undefined) timestamp(candidate.stored, `${path}.stored`);
  if (candidate.version !== undefined) matching(candidate.version, VERSION, `${path}.version`, 'an xAPI version 1.0.x or 2.0.x');
  if (candidate.authority !== undefined) {
    actor(candidate.authority, `${path}.authority`);
    const authority = candidate.authority as Json;
    // A group authority is OAuth's pair: an anonymous group of the consumer (an application) and the user.
    if (authority.objectType === 'Group' && (IDENTIFIERS.some((key) => authority[key] !== undefined) || !Array.isArray(authority.member) || authority.member.length !== 2)) {
      throw new InvalidStatementError(`${path}.authority`, 'as a group must be an anonymous group of two members (an OAuth consumer and a user)');
    }
  }
}

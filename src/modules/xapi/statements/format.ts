import type { Statement } from './statement.js';

/** The `format` parameter of GET /statements. */
export type StatementFormat = 'exact' | 'ids' | 'canonical';

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

const IDENTIFIERS = ['mbox', 'mbox_sha1sum', 'openid', 'account'];

/** An Agent or Group reduced to what identifies it (an anonymous group: its members, so reduced). */
function agentIds(value: unknown): unknown {
  const candidate = asObject(value);
  if (!candidate) return value;
  const reduced: Json = {};
  if (candidate.objectType !== undefined) reduced.objectType = candidate.objectType;
  for (const key of IDENTIFIERS) if (candidate[key] !== undefined) reduced[key] = candidate[key];
  if (Array.isArray(candidate.member) && !IDENTIFIERS.some((key) => candidate[key] !== undefined)) {
    reduced.member = candidate.member.map(agentIds);
  }
  return reduced;
}

function activityIds(value: unknown): unknown {
  const candidate = asObject(value);
  return candidate ? { id: candidate.id } : value;
}

function partsIds(statement: Json): Json {
  const reduced: Json = { ...statement, actor: agentIds(statement.actor), verb: { id: asObject(statement.verb)?.id } };
  const object = asObject(statement.object);
  switch (object?.objectType) {
    case 'Agent':
    case 'Group':
      reduced.object = agentIds(object);
      break;
    case 'SubStatement':
      reduced.object = partsIds(object);
      break;
    case 'StatementRef':
      break;
    default:
      reduced.object = activityIds(object);
  }
  const context = asObject(statement.context);
  if (context) {
    const contextIds: Json = { ...context };
    if (context.instructor !== undefined) contextIds.instructor = agentIds(context.instructor);
    if (context.team !== undefined) contextIds.team = agentIds(context.team);
    const kinds = asObject(context.contextActivities);
    if (kinds) {
      contextIds.contextActivities = Object.fromEntries(
        Object.entries(kinds).map(([kind, list]) => [kind, Array.isArray(list) ? list.map(activityIds) : activityIds(list)]),
      );
    }
    reduced.context = contextIds;
  }
  if (statement.authority !== undefined) reduced.authority = agentIds(statement.authority);
  return reduced;
}

/** The language of a language map a reader asked for (Accept-Language order), else the first one. */
function pickLanguage(map: Json, languages: string[]): Json {
  const tags = Object.keys(map);
  for (const wanted of languages) {
    const exact = tags.find((tag) => tag.toLowerCase() === wanted);
    if (exact) return { [exact]: map[exact] };
    const prefix = tags.find((tag) => tag.toLowerCase().split('-')[0] === wanted.split('-')[0]);
    if (prefix) return { [prefix]: map[prefix] };
  }
  return tags.length > 0 ? { [tags[0]!]: map[tags[0]!] } : map;
}

const LANGUAGE_MAPS = new Set(['display', 'name', 'description']);

/** Every language map (verb display, activity names and descriptions, components) cut to one language. */
function oneLanguage(value: unknown, languages: string[], key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => oneLanguage(item, languages));
  const candidate = asObject(value);
  if (!candidate) return value;
  if (LANGUAGE_MAPS.has(key) && Object.values(candidate).every((text) => typeof text === 'string')) return pickLanguage(candidate, languages);
  return Object.fromEntries(
    Object.entries(candidate).map(([name, item]) => [name, name === 'extensions' ? item : oneLanguage(item, languages, name)]),
  );
}

/** Languages of an Accept-Language header, most wanted first, lower-cased. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = parameters.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((q) => q !== undefined);
      return { tag: tag.trim().toLowerCase(), quality: quality === undefined ? 1 : Number(quality) };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality)
    .map((entry) => entry.tag);
}

/** A stored statement in the format a reader asked for. */
export function formatStatement(statement: Statement, format: StatementFormat, languages: string[]): Statement {
  if (format === 'ids') return partsIds(statement);
  if (format === 'canonical') return oneLanguage(statement, languages) as Statement;
  return statement;
}

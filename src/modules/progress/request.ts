import type { FastifyRequest } from 'fastify';
import { readAssessEvent, type AssessEvent, type ViewChange } from './aggregates.js';
import { badRequest, forbidden } from './envelope.js';
import type { Learner } from './learner-tokens.js';
import type { ContentRef } from './service.js';

type Fields = Record<string, unknown>;

/** One update reports at most a day: more is a client bug, and totals must stay finite. */
const MAX_TIME_SPENT_SECONDS = 86_400;

const LABELS: Record<string, string> = {
  contentId: 'Content Id',
  collectionId: 'Collection Id',
  contextId: 'Context Id',
  attemptId: 'Attempt Id',
  userId: 'User Id',
};

const MAX_MSGID = 200;

/**
 * The `params.msgid` of a request envelope, echoed in the response and used to apply writes once.
 * Never shortened: two ids sharing a prefix are two messages (requestOf refuses over-long ones).
 */
export function msgidOf(request: FastifyRequest): string | null {
  const body = request.body as { params?: { msgid?: unknown } } | undefined;
  const msgid = body?.params?.msgid;
  return typeof msgid === 'string' && msgid.trim() !== '' ? msgid.trim() : null;
}

/**
 * The `request` object of an envelope `{id, ver, ts, params: {msgid}, request}`; `id`, `ver`,
 * `ts` and `request` are required. A `request.userId` is legacy: it must name the token's learner.
 */
export function requestOf(body: unknown, learner: Learner): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('request', 'Request body must be a JSON object');
  const envelope = body as Fields;
  for (const field of ['id', 'ver', 'ts']) {
    if (typeof envelope[field] !== 'string' || envelope[field] === '') throw badRequest(field, `${field} cannot be empty`);
  }
  const msgid = (envelope.params as Fields | undefined)?.msgid;
  if (typeof msgid === 'string' && msgid.trim().length > MAX_MSGID) throw badRequest('params.msgid', `msgid must be at most ${MAX_MSGID} characters`);
  const request = envelope.request;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw badRequest('request', 'Request cannot be empty');
  const fields = request as Fields;
  if (fields.userId !== undefined && fields.userId !== learner.userId) {
    throw forbidden('request.userId', 'User Id does not match the user token');
  }
  return fields;
}

function optionalText(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 256) throw badRequest(`request.${name}`, `${LABELS[name] ?? name} must be text of at most 256 characters`);
  return value;
}

export function requiredText(fields: Fields, name: string): string {
  const value = optionalText(fields, name);
  if (value === undefined) throw badRequest(`request.${name}`, `${LABELS[name] ?? name} cannot be empty`);
  return value;
}

export function contentRef(fields: Fields): ContentRef {
  const collectionId = optionalText(fields, 'collectionId');
  const contextId = optionalText(fields, 'contextId');
  return { contentId: requiredText(fields, 'contentId'), collectionId, contextId };
}

/** The change a view/update asks for: `progressDetails` (per mimetype) and `timeSpent` (seconds) are required. */
export function viewUpdate(fields: Fields): ViewChange {
  const details = fields.progressDetails;
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw badRequest('request.progressDetails', 'Progress details cannot be empty');
  }
  const progress = (details as Fields).progress;
  if (progress !== undefined && (typeof progress !== 'number' || !Number.isFinite(progress))) {
    throw badRequest('request.progressDetails.progress', 'Progress must be a number from 0 to 100');
  }
  // The document's samples spell it timespent; its request spec timeSpent.
  const timeSpent = fields.timeSpent ?? fields.timespent;
  if (typeof timeSpent !== 'number' || !Number.isFinite(timeSpent) || timeSpent < 0 || timeSpent > MAX_TIME_SPENT_SECONDS) {
    throw badRequest('request.timeSpent', `Time spent must be a number of seconds from 0 to ${MAX_TIME_SPENT_SECONDS}`);
  }
  return { kind: 'update', progressDetails: details as Fields, timeSpent };
}

export function assessEvents(fields: Fields): AssessEvent[] {
  const events = fields.assessments;
  if (!Array.isArray(events) || events.length === 0) throw badRequest('request.assessments', 'Assessments cannot be empty');
  if (events.length > 1000) throw badRequest('request.assessments', 'At most 1000 assessment events per request');
  return events.map((event, index) => readAssessEvent(event, index));
}

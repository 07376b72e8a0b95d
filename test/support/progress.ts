import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { expect } from 'vitest';
import type { LensApp } from '../../src/app.js';
import type { Harness } from './harness.js';

/** The envelope timestamp of the progress API document: `2021-06-23 05:37:40:575+0000`. */
export const ENVELOPE_TS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d:\d{3}\+0000$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type Json = Record<string, unknown>;

/** The success envelope a progress endpoint must answer with, exactly. */
export function success(id: string, msgid: string | null, result: unknown) {
  return {
    id,
    ver: 'v1',
    ts: expect.stringMatching(ENVELOPE_TS),
    params: { resmsgid: expect.stringMatching(UUID), msgid, err: null, status: 'success', errmsg: null },
    responseCode: 'OK',
    result,
  };
}

/** The error envelope of a refusal: `result` names the field, `errmsg` says why, `err` says whose fault it is. */
export function failure(id: string, msgid: string | null, responseCode: string, result: Record<string, string>) {
  const err = responseCode === 'SERVER_ERROR' ? 'SERVER_ERROR' : 'CLIENT_ERROR';
  return {
    id,
    ver: 'v1',
    ts: expect.stringMatching(ENVELOPE_TS),
    params: { resmsgid: expect.stringMatching(UUID), msgid, err, status: 'failed', errmsg: Object.values(result)[0] },
    responseCode,
    result,
  };
}

export const STATUS_OF: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, SERVER_ERROR: 500 };

/** Asserts a refusal: HTTP status, the whole envelope, and the field it names. */
export function expectRefused(response: InjectResponse, id: string, msgid: string | null, responseCode: string, result: Record<string, string>) {
  expect({ status: response.statusCode, body: response.json() }).toEqual({
    status: STATUS_OF[responseCode],
    body: failure(id, msgid, responseCode, result),
  });
}

export function expectOk(response: InjectResponse, id: string, msgid: string | null, result: unknown) {
  expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: success(id, msgid, result) });
}

/** A learner token, minted the documented way: with a manager's API key. */
export async function mintLearnerToken(app: LensApp, managerKey: string, userId: string, name?: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/auth/learner-token',
    headers: { 'x-api-key': managerKey },
    payload: { userId, ...(name ? { name } : {}) },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ token: string }>().token;
}

/**
 * A token signed like the service's own (HS256, issuer scorm-lens, audience of the organization),
 * with any secret and expiry: the stored secret gives a genuine token, another secret a forgery.
 */
export async function signLearnerToken(options: { secret: Uint8Array; organizationId: number; userId: string; expiresAt: number }) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.userId)
    .setIssuer('scorm-lens')
    .setAudience(`scorm-lens:organization:${options.organizationId}`)
    .setIssuedAt(options.expiresAt - 3600)
    .setExpirationTime(options.expiresAt)
    .sign(options.secret);
}

export async function storedLearnerTokenSecret(harness: Harness): Promise<Uint8Array> {
  const row = await harness.context.database.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'learner_token_secret')
    .executeTakeFirstOrThrow();
  return new TextEncoder().encode(row.value);
}

export const randomSecret = (): Uint8Array => new Uint8Array(randomBytes(32));

export interface ContentRef {
  contentId: string;
  collectionId?: string;
  contextId?: string;
  /** Legacy: the document's older version sent the learner in the body. */
  userId?: string;
}

/** A content in a context, as assessments need it. */
export type ContextRef = Required<Pick<ContentRef, 'contentId' | 'collectionId' | 'contextId'>> & { userId?: string };

export interface SendOptions {
  msgid?: string | null;
  /** Headers replacing the defaults (Authorization Bearer, learner token, x-requested-by); undefined drops one. */
  headers?: Record<string, string | undefined>;
  query?: string;
  /** The whole body, instead of an envelope around `request`. */
  rawBody?: unknown;
}

/** One learner of one organization, calling the progress API the way a learning app would. */
export class Learner {
  constructor(
    readonly app: LensApp,
    readonly key: string,
    readonly userId: string,
    readonly token: string,
  ) {}

  static async of(app: LensApp, managerKey: string, userId: string, options: { key?: string; name?: string } = {}): Promise<Learner> {
    return new Learner(app, options.key ?? managerKey, userId, await mintLearnerToken(app, managerKey, userId, options.name));
  }

  /** A request envelope of the document; its msgid comes back in `params.msgid`. */
  send(path: string, id: string, request: unknown, options: SendOptions = {}) {
    const msgid = options.msgid === undefined ? randomUUID() : options.msgid;
    const headers: Record<string, string> = {};
    const wanted: Record<string, string | undefined> = {
      authorization: `Bearer ${this.key}`,
      'x-authenticated-user-token': this.token,
      'x-requested-by': 'lens-tests',
      ...options.headers,
    };
    for (const [name, value] of Object.entries(wanted)) if (value !== undefined) headers[name] = value;
    const body =
      options.rawBody !== undefined
        ? options.rawBody
        : { id, ver: 'v1', ts: '2021-06-23 05:37:40:575+0000', params: msgid === null ? {} : { msgid }, request };
    return this.app.inject({ method: 'POST', url: `${path}${options.query ?? ''}`, headers, payload: body as Json });
  }

  start(ref: ContentRef, options?: SendOptions) {
    return this.send('/v1/view/start', 'api.view.start', ref, options);
  }

  update(ref: ContentRef, progressDetails: Json, timeSpent: number, options?: SendOptions) {
    return this.send('/v1/view/update', 'api.view.update', { ...ref, progressDetails, timeSpent }, options);
  }

  end(ref: ContentRef, options?: SendOptions) {
    return this.send('/v1/view/end', 'api.view.end', ref, options);
  }

  read(ref: ContentRef, options?: SendOptions) {
    return this.send('/v1/view/read', 'api.view.read', ref, options);
  }

  readAll(contentId: string, options?: SendOptions) {
    return this.send('/v1/view/read', 'api.view.read.contextall', { contentId }, { query: '?context=all', ...options });
  }

  submit(ref: ContextRef, attemptId: string, assessments: unknown[], options?: SendOptions) {
    return this.send('/v1/assessment/submit', 'api.assess.submit', { ...ref, attemptId, assessments }, options);
  }

  readAssessment(ref: ContextRef, options?: SendOptions) {
    return this.send('/v1/assessment/read', 'api.assessment.read', ref, options);
  }

  summaryRead(collectionId: string, contextId: string, options?: SendOptions) {
    return this.send('/v1/summary/read', 'api.summary.read', { collectionId, contextId }, options);
  }

  summaryList(userId = this.userId, headers: Record<string, string> = {}) {
    return this.app.inject({
      method: 'GET',
      url: `/v1/summary/list/${encodeURIComponent(userId)}`,
      headers: { authorization: `Bearer ${this.key}`, 'x-authenticated-user-token': this.token, ...headers },
    });
  }

  /** The `result` of a call that must succeed. */
  async ok<T = Json>(call: Promise<InjectResponse>): Promise<T> {
    const response = await call;
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ result: T }>().result;
  }

  /** This learner's view of a content, which must be readable. */
  view(ref: ContentRef): Promise<Json> {
    return this.ok(this.read(ref));
  }

  async summaries(): Promise<Json[]> {
    return (await this.ok<{ summary: Json[] }>(this.summaryList())).summary;
  }
}

export interface CollectionSpec {
  identifier: string;
  name?: string;
  description?: string | null;
  logo?: string | null;
  contents: { contentId: string; name?: string; optional?: boolean }[];
}

export async function createCollection(app: LensApp, managerKey: string, spec: CollectionSpec) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/collections',
    headers: { 'x-api-key': managerKey },
    payload: {
      identifier: spec.identifier,
      name: spec.name ?? `Course ${spec.identifier}`,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.logo !== undefined ? { logo: spec.logo } : {}),
      contents: spec.contents.map((c) => ({ contentId: c.contentId, name: c.name ?? `Lesson ${c.contentId}`, ...(c.optional ? { optional: true } : {}) })),
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Json>();
}

export interface ContextSpec {
  identifier: string;
  collectionId: string;
  name?: string;
  enrollment?: 'open' | 'invite';
  startDate?: string | null;
  endDate?: string | null;
  certificate?: { name: string; criteria?: { minScorePercent?: number } } | null;
}

export async function createContext(app: LensApp, managerKey: string, spec: ContextSpec) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/contexts',
    headers: { 'x-api-key': managerKey },
    payload: { ...spec, name: spec.name ?? `Batch ${spec.identifier}`, enrollment: spec.enrollment ?? 'open' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Json>();
}

export async function enroll(app: LensApp, managerKey: string, contextId: string, userIds: string[]) {
  const response = await app.inject({
    method: 'POST',
    url: `/v1/contexts/${contextId}/enrollments`,
    headers: { 'x-api-key': managerKey },
    payload: { userIds },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ enrollments: Json[] }>().enrollments;
}

/** A plain assessment event of the notes. */
export const answer = (questionId: string, score: number, maxScore: number, assessmentTs: number, extra: Json = {}) => ({
  questionId,
  score,
  maxScore,
  assessmentTs,
  type: 'mcq',
  ...extra,
});

/** A Sunbird telemetry ASSESS event. */
export const assessEvent = (questionId: string, score: number, maxScore: number, ets: number) => ({
  eid: 'ASSESS',
  ets,
  ver: '3.0',
  actor: { id: 'someone', type: 'User' },
  edata: { item: { id: questionId, maxscore: maxScore, type: 'mcq', title: `Question ${questionId}` }, score, resvalues: [{ '1': 'A' }], duration: 4 },
});

/** A fresh id, so tests sharing one organization do not see each other's data. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

import { Type, type TProperties, type TSchema } from 'typebox';
import { Nullable } from '../../http/schemas.js';

/**
 * The progress API's requests and responses, for the API document. The handlers check requests
 * themselves (to name the offending field in the envelope), and responses are written as they are:
 * these schemas describe them, they neither validate nor reshape them.
 */

/** An envelope request. */
export function envelopeSchema(apiId: string, request: TProperties) {
  return Type.Object({
    id: Type.String({ examples: [apiId] }),
    ver: Type.String({ examples: ['v1'] }),
    ts: Type.String({ examples: ['2021-06-23 05:37:40:575+0000'] }),
    params: Type.Object({ msgid: Type.String({ description: 'A unique request id: a repeated msgid is applied once.' }) }),
    request: Type.Object(request),
  });
}

const envelopeOf = (status: 'success' | 'failed', responseCode: TSchema, result: TSchema, options: { $id?: string; title?: string } = {}) =>
  Type.Object({
    id: Type.String({ description: 'The API id, e.g. `api.view.start`.' }),
    ver: Type.Literal('v1'),
    ts: Type.String({ examples: ['2021-06-23 05:37:40:575+0000'] }),
    params: Type.Object({
      resmsgid: Type.String({ format: 'uuid' }),
      msgid: Nullable(Type.String()),
      err: status === 'success' ? Type.Null() : Type.Union([Type.Literal('CLIENT_ERROR'), Type.Literal('SERVER_ERROR')]),
      status: Type.Literal(status),
      errmsg: status === 'success' ? Type.Null() : Type.String(),
    }),
    responseCode,
    result,
  }, options);

/** Every refusal of the progress API: `result` maps the offending field to a message. */
export const ProgressErrorBody = envelopeOf(
  'failed',
  Type.Union(['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'SERVER_ERROR'].map((code) => Type.Literal(code))),
  Type.Record(Type.String(), Type.String(), { examples: [{ 'request.contentId': 'Content Id cannot be empty' }] }),
  { $id: 'ProgressError', title: 'Progress error' },
);

/**
 * What a progress operation answers: its result in a success envelope, and each refusal it can
 * give. Every operation can refuse a malformed request (400), a missing or unknown key or learner
 * token (401), and be unable to verify the token when the identity provider is down (503).
 */
export const progressResponses = (result: TSchema, ...refusals: number[]) => ({
  200: envelopeOf('success', Type.Literal('OK'), result),
  ...Object.fromEntries([400, 401, ...refusals, 500, 503].map((status) => [status, Type.Ref('ProgressError')])),
});

/** A write's acknowledgement: `{"<contentId>": "Progress started"}`. */
export const Acknowledgement = Type.Record(Type.String(), Type.String(), { examples: [{ do_123: 'Progress started' }] });

const statusCode = Type.Integer({ minimum: 0, maximum: 2, description: '0 not started, 1 in progress, 2 completed.' });

export const ViewState = Type.Object({
  userId: Type.String(),
  collectionId: Type.Optional(Type.String()),
  contextId: Type.Optional(Type.String()),
  contentId: Type.String(),
  status: statusCode,
  progressDetails: Type.Record(Type.String(), Type.Unknown()),
  progress: Type.Number({ minimum: 0, maximum: 100 }),
  timeSpent: Type.Number({ minimum: 0, description: 'Seconds.' }),
});

export const AssessmentAttempts = Type.Object({
  userId: Type.String(),
  contentId: Type.String(),
  collectionId: Type.String(),
  contextId: Type.String(),
  assessments: Type.Array(Type.Object({ attemptId: Type.String(), score: Type.Number(), max_score: Type.Number() })),
});

const BestScore = Type.Object({ score: Type.Number(), max_score: Type.Number(), attempts: Type.Integer() });

export const Summaries = Type.Object({
  summary: Type.Array(
    Type.Object({
      userId: Type.String(),
      collectionId: Type.String(),
      contextId: Type.String(),
      enrolledDate: Type.Integer({ description: 'Epoch milliseconds.' }),
      active: Type.Boolean(),
      contentStatus: Type.Record(Type.String(), statusCode),
      assessmentStatus: Type.Record(Type.String(), BestScore),
      collection: Type.Object({
        identifier: Type.String(),
        name: Type.String(),
        logo: Nullable(Type.String()),
        leafNodesCount: Type.Integer(),
        description: Nullable(Type.String()),
      }),
      issuedCertificates: Type.Array(
        Type.Object({ name: Type.String(), id: Type.String(), token: Type.String(), lastIssuedOn: Type.Integer({ description: 'Epoch milliseconds.' }) }),
      ),
      completedOn: Nullable(Type.Integer({ description: 'Epoch milliseconds.' })),
      progress: Type.Number({ minimum: 0, maximum: 100 }),
      status: statusCode,
    }),
  ),
});

const optionalText = Type.Optional(Type.String());

/** The two accepted forms of an assessment event. */
export const AssessEvent = Type.Union(
  [
    Type.Object(
      {
        questionId: Type.String({ minLength: 1 }),
        score: Type.Number({ minimum: 0 }),
        maxScore: Type.Number({ minimum: 0, description: 'At least `score`.' }),
        assessmentTs: Type.Number({ description: 'Epoch milliseconds: within an attempt, the latest event per question wins.' }),
        type: optionalText,
        title: optionalText,
        response: Type.Optional(Type.Unknown()),
        duration: Type.Optional(Type.Number({ description: 'Seconds.' })),
      },
      { title: 'Assessment event' },
    ),
    Type.Object(
      {
        eid: Type.Literal('ASSESS'),
        ets: Type.Number({ description: 'Epoch milliseconds.' }),
        edata: Type.Object({
          item: Type.Object({ id: Type.String({ minLength: 1 }), maxscore: Type.Number({ minimum: 0 }), type: optionalText, title: optionalText }),
          score: Type.Number({ minimum: 0 }),
          resvalues: Type.Optional(Type.Unknown()),
          duration: Type.Optional(Type.Number()),
        }),
      },
      { title: 'ASSESS telemetry event', description: "Sunbird's telemetry form; its other fields are ignored." },
    ),
  ],
  { description: 'A plain event, or an ASSESS telemetry event.' },
);

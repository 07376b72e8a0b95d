import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { managerOf } from '../../http/auth.js';
import { errorResponses } from '../../http/schemas.js';
import { iso } from '../../http/dates.js';
import type { LearnerTokens } from './learner-tokens.js';

const MAX_TOKEN_SECONDS = 30 * 24 * 3600;

/** Mints the `x-authenticated-user-token` a learning app sends with each progress call. */
export async function learnerTokenRoutes(app: LensApp, deps: { learnerTokens: LearnerTokens }): Promise<void> {
  app.post(
    '/v1/auth/learner-token',
    {
      schema: {
        tags: ['Progress'],
        operationId: 'mintLearnerToken',
        summary: 'Mint a learner token',
        description:
          "A signed JWT whose subject is the learner: the progress API takes the learner's identity from it. Minting needs a manager's API key, since a token acts as its learner.",
        body: Type.Object(
          {
            userId: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
            name: Type.Optional(Type.String({ maxLength: 200, description: 'Shown on certificates.' })),
            expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: MAX_TOKEN_SECONDS, default: 3600 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), userId: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }),
          ...errorResponses(400, 401, 403, 415),
        },
      },
    },
    async (request) => {
      const principal = managerOf(request);
      const { userId, name, expiresInSeconds = 3600 } = request.body;
      const { token, expiresAt } = await deps.learnerTokens.mint(
        { organizationId: principal.organizationId, userId, name: name ?? null },
        expiresInSeconds,
      );
      return { token, userId, expiresAt: iso(expiresAt) };
    },
  );
}

import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { managerOf, principalOf } from '../../http/auth.js';
import { iso } from '../../http/dates.js';
import { BadRequestError } from '../../http/errors.js';
import { BodyId, errorResponses } from '../../http/schemas.js';
import type { LaunchesService } from './service.js';

const LEARNER_ID = { minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$' };

const LaunchRequest = Type.Object(
  {
    scorm_file_id: BodyId('The SCORM file to play: its latest completed extraction is launched.'),
    userId: Type.Optional(Type.String({ ...LEARNER_ID, description: 'The learner, by id (a manager key only: the launch acts as this learner).' })),
    userName: Type.Optional(Type.String({ maxLength: 200, description: 'Shown to the course as the learner name and on certificates.' })),
    learnerToken: Type.Optional(Type.String({ maxLength: 8192, description: 'Or the learner, by a learner token (`x-authenticated-user-token`).' })),
    contextId: Type.Optional(
      Type.String({ maxLength: 128, description: 'A context (batch) of the course made from the file; by default its open context `scorm-file-<id>`.' }),
    ),
    redirect_url: Type.Optional(Type.String({ maxLength: 2000, format: 'uri', description: 'Where the player sends the learner when the course ends.' })),
  },
  { additionalProperties: false },
);

const LaunchResponse = Type.Object({
  launch_id: Type.String(),
  launch_url: Type.String({ description: 'Open it once, in the learner’s browser: it exchanges itself for a player session.' }),
  expires_at: Type.String({ format: 'date-time', description: 'The link must be opened before this.' }),
});

/** `POST /v1/launches`: a single-use link that plays a package for a learner. */
export async function launchesRoutes(app: LensApp, deps: { launches: LaunchesService }): Promise<void> {
  app.post(
    '/v1/launches',
    {
      schema: {
        tags: ['Player'],
        operationId: 'createLaunch',
        summary: 'Launch a SCORM file for a learner',
        description:
          'Answers a short-lived, single-use link to the built-in player. What the course reports (status, score, time, interactions) ' +
          'lands in the progress records of the course made from the file: views, assessment attempts, the summary and certificates.',
        body: LaunchRequest,
        response: { 201: LaunchResponse, ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.userId === undefined) === (body.learnerToken === undefined)) {
        throw new BadRequestError('learner_required', 'Name the learner with either userId or learnerToken.');
      }
      if (body.redirect_url !== undefined && !/^https?:\/\//i.test(body.redirect_url)) {
        throw new BadRequestError('invalid_redirect_url', 'redirect_url must be an http or https URL.');
      }
      // A launch acts as its learner: naming one by id takes a manager, like minting their token.
      const principal = body.userId !== undefined ? managerOf(request) : principalOf(request);
      const launch = await deps.launches.create(principal, {
        scormFileId: body.scorm_file_id,
        learner: body.learnerToken !== undefined ? { token: body.learnerToken } : { userId: body.userId!, name: body.userName ?? null },
        ...(body.contextId !== undefined ? { contextId: body.contextId } : {}),
        ...(body.redirect_url !== undefined ? { redirectUrl: body.redirect_url } : {}),
      });
      return reply.code(201).send({ ...launch, expires_at: iso(launch.expires_at) });
    },
  );
}

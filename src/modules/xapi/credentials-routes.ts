import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { managerOf } from '../../http/auth.js';
import { iso, isoOrNull } from '../../http/dates.js';
import { errorResponses, IdParams, Nullable, pathIds } from '../../http/schemas.js';
import type { XapiCredential } from '../../infra/db/schema.js';
import type { XapiCredentialsService } from './credentials.js';

const CredentialFields = {
  id: Type.Integer(),
  name: Type.String(),
  key: Type.String({ description: 'The Basic auth user name of the LRS (`/xapi/`).' }),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Nullable(Type.String({ format: 'date-time' })),
  revoked_at: Nullable(Type.String({ format: 'date-time' })),
};
const XapiCredentialBody = Type.Object(CredentialFields, { $id: 'XapiCredential', title: 'XapiCredential' });

const present = (credential: XapiCredential) => ({
  id: credential.id,
  name: credential.name,
  key: credential.key,
  created_at: iso(credential.created_at),
  last_used_at: isoOrNull(credential.last_used_at),
  revoked_at: isoOrNull(credential.revoked_at),
});

/** LRS credentials of the caller's organization, for xAPI clients; managers only. */
export async function xapiCredentialsRoutes(app: LensApp, deps: { credentials: XapiCredentialsService }): Promise<void> {
  const { credentials } = deps;
  app.addSchema(XapiCredentialBody);

  app.get(
    '/v1/xapi-credentials/',
    {
      schema: {
        tags: ['xAPI'],
        operationId: 'listXapiCredentials',
        summary: "List your organization's LRS credentials",
        response: { 200: Type.Array(Type.Ref('XapiCredential')), ...errorResponses(401, 403) },
      },
    },
    async (request) => (await credentials.list(managerOf(request).organizationId)).map(present),
  );

  app.post(
    '/v1/xapi-credentials/',
    {
      schema: {
        tags: ['xAPI'],
        operationId: 'createXapiCredential',
        summary: 'Create LRS credentials',
        description: 'Basic credentials (key and secret) for an xAPI client of `/xapi/`. The secret is shown this once.',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ ...CredentialFields, secret: Type.String({ description: 'The Basic auth password; shown this once.' }) }),
          ...errorResponses(400, 401, 403, 415),
        },
      },
    },
    async (request, reply) => {
      const principal = managerOf(request);
      const { credential, secret } = await credentials.create(principal.organizationId, principal.userId, request.body.name);
      return reply.status(201).send({ ...present(credential), secret });
    },
  );

  app.delete(
    '/v1/xapi-credentials/:id/',
    {
      schema: {
        tags: ['xAPI'],
        operationId: 'revokeXapiCredential',
        summary: 'Revoke LRS credentials',
        description: 'They stop working within seconds. Revoking revoked credentials changes nothing.',
        params: IdParams,
        response: { 200: Type.Ref('XapiCredential'), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => present(await credentials.revoke(managerOf(request).organizationId, pathIds.xapiCredential(request.params.id))),
  );
}

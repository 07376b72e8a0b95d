import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import type { LinkSigner } from '../../infra/storage/link-signer.js';
import { attachment } from '../../http/attachment.js';
import { ForbiddenError, NotFoundError } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { ObjectNotFoundError, type Storage } from '../../infra/storage/storage.js';

/** Serves stored objects behind the signed, expiring links that local storage hands out. */
export async function downloadsRoutes(app: LensApp, deps: { linkSigner: LinkSigner; storage: Storage }): Promise<void> {
  app.get(
    '/v1/downloads/*',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'downloadStoredResult',
        summary: 'Download a stored result through a signed link',
        security: [],
        description: 'The links come from `download_link`; they need no API key and expire.',
        querystring: Type.Object({ expires: Type.String(), signature: Type.String() }),
        response: {
          200: {
            description: 'The stored file: a result as JSON, anything else as bytes.',
            content: { 'application/json': { schema: Type.Unknown() }, 'application/octet-stream': { schema: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }) } },
          },
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { expires, signature } = request.query;
      const key = (request.params as { '*': string })['*'];
      const expiresAt = /^\d{1,12}$/.test(expires) ? Number(expires) : -1;
      const verdict = deps.linkSigner.verify(key, expiresAt, signature);
      if (verdict === 'invalid') throw new ForbiddenError('invalid_signature', 'This download link is not valid.');
      if (verdict === 'expired') throw new ForbiddenError('link_expired', 'This download link has expired; fetch a new one.');
      try {
        const stream = await deps.storage.read(key);
        const fileName = key.split('/').pop() ?? 'download';
        return reply
          .type(fileName.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream')
          .header('content-disposition', attachment(fileName))
          .header('cache-control', 'private, no-store')
          .send(stream);
      } catch (error) {
        if (error instanceof ObjectNotFoundError) throw new NotFoundError('object_not_found', 'The file is no longer stored.');
        throw error;
      }
    },
  );
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { LensApp } from '../../app.js';
import { principalOf } from '../../http/auth.js';
import { BadRequestError, UnsupportedMediaTypeError } from '../../http/errors.js';
import { PageQuery, Paginated, pageBody, readPage } from '../../http/pagination.js';
import { errorResponses, IdParams, pathIds } from '../../http/schemas.js';
import { checkPublicHost, DownloadError, type AddressPolicy } from '../../infra/net/public-download.js';
import type { ScormFilePresenter } from './presenter.js';
import { ListScormFilesQuery, UploadJsonBody, UploadResponse } from './schemas.js';
import { uploadMultipart, type UploadDeps } from './multipart-upload.js';

export interface FilesRoutesDeps extends UploadDeps {
  presenter: ScormFilePresenter;
  addressPolicy: AddressPolicy;
  publicUrl: string;
}

const UPLOAD_MESSAGE = 'File is being processed and content extraction will start automatically.';

function fileNameFromUrl(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export async function scormFilesRoutes(app: LensApp, deps: FilesRoutesDeps): Promise<void> {
  const { files: scormFiles, presenter: scormFilePresenter } = deps;

  async function respondWithUpload(reply: FastifyReply, principalFileId: number, request: FastifyRequest) {
    const { file, extractions } = await scormFiles.get(principalOf(request), principalFileId);
    return reply.send({
      scorm_file_id: file.id,
      file_name: file.file_name,
      scorm_file: await scormFilePresenter.detail(file, extractions),
      message: UPLOAD_MESSAGE,
    });
  }

  app.post(
    '/v1/scorm-files/upload/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'uploadScormFile',
        summary: 'Upload a SCORM file or register a public URL',
        description:
          'Send `multipart/form-data` with the package in `file` (and an optional `batch_name`), or JSON ' +
          '`{"public_url", "batch_name"}` for a package the service downloads itself. Content extraction starts ' +
          'automatically once the file is validated.',
        consumes: ['multipart/form-data', 'application/json'],
        body: {
          content: {
            'application/json': { schema: UploadJsonBody },
            // Documentation: the handler streams multipart bodies, so the parsed body is null here.
            'multipart/form-data': {
              schema: {
                type: ['object', 'null'],
                properties: {
                  file: { type: 'string', format: 'binary', description: 'The package (.zip).' },
                  batch_name: { type: 'string' },
                },
              },
            },
          },
        },
        response: { 200: UploadResponse, ...errorResponses(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (request.isMultipart()) {
        const file = await uploadMultipart(request, deps, principal);
        return respondWithUpload(reply, file.id, request);
      }
      if (!request.headers['content-type']?.startsWith('application/json')) {
        throw new UnsupportedMediaTypeError('Send multipart/form-data with a file, or application/json with public_url.');
      }
      const body = request.body as Static<typeof UploadJsonBody>;
      let url: URL;
      try {
        url = await checkPublicHost(body.public_url.trim(), deps.addressPolicy);
      } catch (error) {
        if (error instanceof DownloadError) throw new BadRequestError(error.code, error.message);
        throw error;
      }
      const file = await scormFiles.registerPublicUrl(principal, {
        publicUrl: url.toString(),
        fileName: fileNameFromUrl(url),
        batchName: body.batch_name || null,
        clientIp: request.ip,
      });
      return respondWithUpload(reply, file.id, request);
    },
  );

  app.get(
    '/v1/scorm-files/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'listScormFiles',
        summary: 'List SCORM files',
        description: 'Newest first; each file shows only its last extraction. Filter by `status` and `batch_name`.',
        querystring: Type.Object({ ...PageQuery, ...ListScormFilesQuery.properties }),
        response: { 200: Paginated(Type.Ref('ScormFileSummary'), 'ScormFilePage'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const { count, rows } = await scormFiles.page(
        principalOf(request),
        { status: request.query.status, batchName: request.query.batch_name },
        page.offset,
        page.pageSize,
      );
      const results = await Promise.all(rows.map((r) => scormFilePresenter.summary(r.file, r.extractions)));
      return pageBody(request, deps.publicUrl, page, count, results);
    },
  );

  app.get(
    '/v1/scorm-files/:id/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'getScormFile',
        summary: 'Fetch a SCORM file with its extractions',
        params: IdParams,
        response: { 200: Type.Ref('ScormFile'), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const { file, extractions } = await scormFiles.get(principalOf(request), pathIds.scormFile(request.params.id));
      return scormFilePresenter.detail(file, extractions);
    },
  );

  app.delete(
    '/v1/scorm-files/:id/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'deleteScormFile',
        summary: 'Delete a SCORM file',
        description: 'Soft delete: the file and its extractions are hidden from the API from now on.',
        params: IdParams,
        response: { 200: Type.Object({ message: Type.String() }), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const id = pathIds.scormFile(request.params.id);
      await scormFiles.delete(principalOf(request), id);
      return { message: `SCORM file with ID ${id} deleted successfully.` };
    },
  );
}

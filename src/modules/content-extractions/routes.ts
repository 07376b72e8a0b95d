import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import type { Principal } from '../accounts/principal.js';
import { PageQuery, Paginated, pageBody, readPage } from '../../http/pagination.js';
import { errorResponses, IdParams, Nullable, pathIds } from '../../http/schemas.js';
import { resultPath } from './result.js';
import { ContentExtractionBody, CreateContentExtractionBody } from './schemas.js';
import type { ExtractionWithFile } from './service.js';

const DispatchResponse = Type.Object({
  extraction_id: Type.Integer(),
  status: Type.String(),
  started_at: Nullable(Type.String({ format: 'date-time' })),
  scorm_file_id: Type.Integer(),
  scorm_file: Type.Ref('ScormFile'),
  sqs_message_id: Type.String({ description: 'Id of the queue message that carries the extraction job.' }),
});

const RestartResponse = Type.Object({ message: Type.String(), ...DispatchResponse.properties });

export async function contentExtractionsRoutes(app: LensApp, context: AppContext): Promise<void> {
  const { contentExtractions, scormFiles, scormFilePresenter, contentExtractionPresenter, config } = context;

  async function dispatchBody(principal: Principal, run: ExtractionWithFile & { messageId: string }) {
    const { file, extractions } = await scormFiles.get(principal, run.file.id);
    const extraction = await contentExtractionPresenter.present(run.extraction, run.file);
    return {
      extraction_id: extraction.id,
      status: extraction.status,
      started_at: extraction.started_at,
      scorm_file_id: file.id,
      scorm_file: await scormFilePresenter.detail(file, extractions),
      sqs_message_id: run.messageId,
    };
  }

  app.post(
    '/v1/content-extractions/',
    {
      schema: {
        tags: ['Scorm'],
        summary: 'Start a new content extraction for a SCORM file',
        body: CreateContentExtractionBody,
        response: { 200: DispatchResponse, ...errorResponses(400, 401, 404, 409, 415) },
      },
    },
    async (request) => {
      const run = await contentExtractions.create(principalOf(request), request.body.file_id);
      return dispatchBody(principalOf(request), run);
    },
  );

  app.get(
    '/v1/content-extractions/',
    {
      schema: {
        tags: ['Scorm'],
        summary: 'List content extractions',
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(ContentExtractionBody, 'ContentExtractionPage'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const { count, rows } = await contentExtractions.page(principalOf(request), page.offset, page.pageSize);
      const results = await Promise.all(rows.map((r) => contentExtractionPresenter.present(r.extraction, r.file)));
      return pageBody(request, config.publicUrl, page, count, results);
    },
  );

  app.get(
    '/v1/content-extractions/:id/',
    {
      schema: {
        tags: ['Scorm'],
        summary: 'Content extraction details',
        params: IdParams,
        response: { 200: Type.Ref('ContentExtraction'), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const { extraction, file } = await contentExtractions.get(principalOf(request), pathIds.contentExtraction(request.params.id));
      return contentExtractionPresenter.present(extraction, file);
    },
  );

  app.get(
    '/v1/content-extractions/:id/markdown',
    {
      schema: {
        tags: ['Scorm'],
        summary: 'The extraction result as Markdown',
        description: 'A readable rendering of the result: outline, the text of every page, questions with answers, media.',
        params: IdParams,
        produces: ['text/markdown'],
        response: errorResponses(401, 404, 409),
      },
    },
    async (request, reply) => {
      const { extraction } = await contentExtractions.get(principalOf(request), pathIds.contentExtraction(request.params.id));
      const stream = await context.storage.read(resultPath(extraction, 'markdown'));
      return reply.type('text/markdown; charset=utf-8').send(stream);
    },
  );

  app.post(
    '/v1/content-extractions/:id/restart/',
    {
      schema: {
        tags: ['Scorm'],
        summary: 'Restart a content extraction',
        params: IdParams,
        response: { 200: RestartResponse, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const run = await contentExtractions.restart(principal, pathIds.contentExtraction(request.params.id));
      return { message: 'Extraction restarted', ...(await dispatchBody(principal, run)) };
    },
  );
}

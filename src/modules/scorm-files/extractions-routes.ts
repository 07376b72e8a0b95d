import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { principalOf } from '../../http/auth.js';
import type { Principal } from '../accounts/principal.js';
import { PageQuery, Paginated, pageBody, readPage } from '../../http/pagination.js';
import { errorResponses, IdParams, Nullable, pathIds } from '../../http/schemas.js';
import type { ContentExtractionsService, ExtractionWithFile } from './extractions-service.js';
import type { ScormFilesService } from './files-service.js';
import type { ScormFilePresenter } from './presenter.js';
import type { ExtractionResults } from './results.js';
import { CreateContentExtractionBody } from './schemas.js';

export interface ExtractionsRoutesDeps {
  files: ScormFilesService;
  extractions: ContentExtractionsService;
  results: ExtractionResults;
  presenter: ScormFilePresenter;
  publicUrl: string;
}

const DispatchResponse = Type.Object({
  extraction_id: Type.Integer(),
  status: Type.String(),
  started_at: Nullable(Type.String({ format: 'date-time' })),
  scorm_file_id: Type.Integer(),
  scorm_file: Type.Ref('ScormFile'),
  sqs_message_id: Type.String({ description: 'Id of the queue message that carries the extraction job.' }),
});

const RestartResponse = Type.Object({ message: Type.String(), ...DispatchResponse.properties });

export async function contentExtractionsRoutes(app: LensApp, deps: ExtractionsRoutesDeps): Promise<void> {
  const { extractions: contentExtractions, files: scormFiles, presenter } = deps;

  async function dispatchBody(principal: Principal, run: ExtractionWithFile & { messageId: string }) {
    const { file, extractions } = await scormFiles.get(principal, run.file.id);
    const extraction = await presenter.extraction(run.extraction, run.file);
    return {
      extraction_id: extraction.id,
      status: extraction.status,
      started_at: extraction.started_at,
      scorm_file_id: file.id,
      scorm_file: await presenter.detail(file, extractions),
      sqs_message_id: run.messageId,
    };
  }

  app.post(
    '/v1/content-extractions/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'createContentExtraction',
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
        operationId: 'listContentExtractions',
        summary: 'List content extractions',
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('ContentExtraction'), 'ContentExtractionPage'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const { count, rows } = await contentExtractions.page(principalOf(request), page.offset, page.pageSize);
      const results = await Promise.all(rows.map((r) => presenter.extraction(r.extraction, r.file)));
      return pageBody(request, deps.publicUrl, page, count, results);
    },
  );

  app.get(
    '/v1/content-extractions/:id/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'getContentExtraction',
        summary: 'Content extraction details',
        params: IdParams,
        response: { 200: Type.Ref('ContentExtraction'), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const { extraction, file } = await contentExtractions.get(principalOf(request), pathIds.contentExtraction(request.params.id));
      return presenter.extraction(extraction, file);
    },
  );

  app.get(
    '/v1/content-extractions/:id/markdown',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'getContentExtractionMarkdown',
        summary: 'The extraction result as Markdown',
        description: 'A readable rendering of the result: outline, the text of every page, questions with answers, media.',
        params: IdParams,
        response: {
          200: { description: 'The Markdown document.', content: { 'text/markdown': { schema: Type.Unsafe<unknown>({ type: 'string' }) } } },
          ...errorResponses(401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { extraction } = await contentExtractions.get(principalOf(request), pathIds.contentExtraction(request.params.id));
      return reply.type('text/markdown; charset=utf-8').send(await deps.results.markdown(extraction));
    },
  );

  app.post(
    '/v1/content-extractions/:id/restart/',
    {
      schema: {
        tags: ['Scorm'],
        operationId: 'restartContentExtraction',
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

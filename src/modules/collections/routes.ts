import { Type, type Static } from 'typebox';
import type { LensApp } from '../../app.js';
import { managerOf, principalOf } from '../../http/auth.js';
import { PageQuery, Paginated, pageBody, readPage } from '../../http/pagination.js';
import { errorResponses, Nullable } from '../../http/schemas.js';
import type { Context } from '../../infra/db/schema.js';
import type { CollectionWithContents, EnrollmentState } from './repository.js';
import { iso, isoOrNull } from '../../http/dates.js';
import type { CollectionsService } from './service.js';

const Content = Type.Object(
  {
    contentId: Type.String({ minLength: 1, maxLength: 256 }),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    optional: Type.Optional(Type.Boolean({ description: 'Optional contents do not count towards progress.' })),
  },
  { additionalProperties: false },
);

const CollectionBody = Type.Object(
  {
    identifier: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    logo: Nullable(Type.String()),
    scormFileId: Nullable(Type.Integer()),
    leafNodesCount: Type.Integer(),
    contents: Type.Array(Type.Object({ contentId: Type.String(), name: Type.String(), optional: Type.Boolean() })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Collection', title: 'Collection' },
);

const CreateCollection = Type.Object(
  {
    identifier: Type.Optional(Type.String({ maxLength: 128 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    logo: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
    contents: Type.Optional(Type.Array(Content, { maxItems: 5000 })),
    scormFileId: Type.Optional(Type.Integer({ minimum: 1, description: 'Take the contents from this file\'s launchable items.' })),
  },
  { additionalProperties: false },
);

const UpdateCollection = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    logo: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
    contents: Type.Optional(Type.Array(Content, { maxItems: 5000 })),
  },
  { additionalProperties: false },
);

const Certificate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    criteria: Type.Optional(
      Type.Object({ minScorePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

const ContextBody = Type.Object(
  {
    identifier: Type.String(),
    collectionId: Type.String(),
    name: Type.String(),
    startDate: Nullable(Type.String({ format: 'date-time' })),
    endDate: Nullable(Type.String({ format: 'date-time' })),
    enrollment: Type.Enum(['open', 'invite']),
    certificate: Nullable(
      Type.Object({ name: Type.String(), criteria: Type.Object({ minScorePercent: Nullable(Type.Number()) }) }),
    ),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Context', title: 'Context' },
);

const contextFields = {
  name: Type.String({ minLength: 1, maxLength: 500 }),
  startDate: Type.Optional(Nullable(Type.String({ description: 'ISO 8601 date or date-time.' }))),
  endDate: Type.Optional(Nullable(Type.String({ description: 'ISO 8601 date (the whole day counts) or date-time.' }))),
  enrollment: Type.Enum(['open', 'invite'], { description: 'open: anyone enrolls on first view/start; invite: only enrolled users.' }),
  certificate: Type.Optional(Nullable(Certificate)),
};

const CreateContext = Type.Object(
  { identifier: Type.String({ maxLength: 128 }), collectionId: Type.String({ minLength: 1 }), ...contextFields },
  { additionalProperties: false },
);
const UpdateContext = Type.Partial(Type.Object(contextFields), { additionalProperties: false });

const EnrollmentBody = Type.Object(
  {
    userId: Type.String(),
    contextId: Type.String(),
    enrolledDate: Type.Integer({ description: 'Epoch milliseconds.' }),
    active: Type.Boolean(),
    status: Type.Integer({ description: '0 not started, 1 in progress, 2 completed.' }),
    progress: Type.Integer(),
  },
  { $id: 'Enrollment', title: 'Enrollment' },
);

const IdentifierParams = Type.Object({ identifier: Type.String() });

function presentCollection({ collection, contents }: CollectionWithContents): Static<typeof CollectionBody> {
  return {
    identifier: collection.identifier,
    name: collection.name,
    description: collection.description,
    logo: collection.logo,
    scormFileId: collection.scorm_file_id,
    leafNodesCount: contents.length,
    contents: contents.map((c) => ({ contentId: c.content_id, name: c.name, optional: c.optional === 1 })),
    createdAt: iso(collection.created_at),
    updatedAt: iso(collection.updated_at),
  };
}

function presentContext(context: Context & { collection_identifier: string }): Static<typeof ContextBody> {
  return {
    identifier: context.identifier,
    collectionId: context.collection_identifier,
    name: context.name,
    startDate: isoOrNull(context.start_date),
    endDate: isoOrNull(context.end_date),
    enrollment: context.enrollment,
    certificate: context.certificate_name
      ? { name: context.certificate_name, criteria: { minScorePercent: context.certificate_min_score_percent } }
      : null,
    createdAt: iso(context.created_at),
    updatedAt: iso(context.updated_at),
  };
}

const presentEnrollment = (contextId: string) => (enrollment: EnrollmentState) => ({
  userId: enrollment.user_id,
  contextId,
  enrolledDate: enrollment.enrolled_at,
  active: enrollment.active === 1,
  status: enrollment.status,
  progress: enrollment.progress,
});

/** Collections, contexts and enrollments: managers change them, every key of the organization reads them. */
export async function collectionsRoutes(app: LensApp, deps: { collections: CollectionsService; publicUrl: string }): Promise<void> {
  const { collections } = deps;
  for (const schema of [CollectionBody, ContextBody, EnrollmentBody]) app.addSchema(schema);
  const tags = ['Collections'];

  app.post(
    '/v1/collections',
    {
      schema: {
        tags,
        operationId: 'createCollection',
        summary: 'Create a collection',
        description: 'From an explicit list of contents, or from a SCORM file whose extraction completed (its launchable items).',
        body: CreateCollection,
        response: { 201: Type.Ref('Collection'), ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(presentCollection(await collections.createCollection(managerOf(request), request.body))),
  );

  app.get(
    '/v1/collections',
    {
      schema: {
        tags,
        operationId: 'listCollections',
        summary: 'List collections',
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('Collection'), 'CollectionPage'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const { count, rows } = await collections.collectionPage(principalOf(request), page.offset, page.pageSize);
      return pageBody(request, deps.publicUrl, page, count, rows.map(presentCollection));
    },
  );

  app.get(
    '/v1/collections/:identifier',
    { schema: { tags, operationId: 'getCollection', summary: 'Read a collection', params: IdentifierParams, response: { 200: Type.Ref('Collection'), ...errorResponses(401, 404) } } },
    async (request) => presentCollection(await collections.getCollection(principalOf(request), request.params.identifier)),
  );

  app.patch(
    '/v1/collections/:identifier',
    {
      schema: {
        tags,
        operationId: 'updateCollection',
        summary: 'Update a collection',
        params: IdentifierParams,
        body: UpdateCollection,
        response: { 200: Type.Ref('Collection'), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request) => presentCollection(await collections.updateCollection(managerOf(request), request.params.identifier, request.body)),
  );

  app.delete(
    '/v1/collections/:identifier',
    {
      schema: {
        tags,
        operationId: 'deleteCollection',
        summary: 'Delete a collection without contexts',
        params: IdentifierParams,
        response: { 200: Type.Object({ message: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      await collections.deleteCollection(managerOf(request), request.params.identifier);
      return { message: `Collection ${request.params.identifier} deleted.` };
    },
  );

  app.post(
    '/v1/contexts',
    {
      schema: {
        tags,
        operationId: 'createContext',
        summary: 'Create a context (batch) of a collection',
        body: CreateContext,
        response: { 201: Type.Ref('Context'), ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(presentContext(await collections.createContext(managerOf(request), request.body))),
  );

  app.get(
    '/v1/contexts',
    {
      schema: {
        tags,
        operationId: 'listContexts',
        summary: 'List contexts',
        querystring: Type.Object({ ...PageQuery, collectionId: Type.Optional(Type.String()) }),
        response: { 200: Paginated(Type.Ref('Context'), 'ContextPage'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const { count, rows } = await collections.contextPage(
        principalOf(request),
        request.query.collectionId,
        page.offset,
        page.pageSize,
      );
      return pageBody(request, deps.publicUrl, page, count, rows.map(presentContext));
    },
  );

  app.get(
    '/v1/contexts/:identifier',
    { schema: { tags, operationId: 'getContext', summary: 'Read a context', params: IdentifierParams, response: { 200: Type.Ref('Context'), ...errorResponses(401, 404) } } },
    async (request) => presentContext(await collections.getContext(principalOf(request), request.params.identifier)),
  );

  app.patch(
    '/v1/contexts/:identifier',
    {
      schema: {
        tags,
        operationId: 'updateContext',
        summary: 'Update a context',
        params: IdentifierParams,
        body: UpdateContext,
        response: { 200: Type.Ref('Context'), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request) => presentContext(await collections.updateContext(managerOf(request), request.params.identifier, request.body)),
  );

  app.delete(
    '/v1/contexts/:identifier',
    {
      schema: {
        tags,
        operationId: 'deleteContext',
        summary: 'Delete a context',
        params: IdentifierParams,
        response: { 200: Type.Object({ message: Type.String() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      await collections.deleteContext(managerOf(request), request.params.identifier);
      return { message: `Context ${request.params.identifier} deleted.` };
    },
  );

  app.post(
    '/v1/contexts/:identifier/enrollments',
    {
      schema: {
        tags,
        operationId: 'enrollLearners',
        summary: 'Enroll learners in a context',
        params: IdentifierParams,
        body: Type.Object(
          { userIds: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ enrollments: Type.Array(Type.Ref('Enrollment')) }), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request) => {
      const enrolled = await collections.enroll(managerOf(request), request.params.identifier, request.body.userIds);
      return { enrollments: enrolled.map(presentEnrollment(request.params.identifier)) };
    },
  );

  app.get(
    '/v1/contexts/:identifier/enrollments',
    {
      schema: {
        tags,
        operationId: 'listEnrollments',
        summary: 'List the enrollments of a context',
        params: IdentifierParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('Enrollment'), 'EnrollmentPage'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const { count, rows } = await collections.enrollments(principalOf(request), request.params.identifier, page.offset, page.pageSize);
      return pageBody(request, deps.publicUrl, page, count, rows.map(presentEnrollment(request.params.identifier)));
    },
  );

  app.delete(
    '/v1/contexts/:identifier/enrollments/:userId',
    {
      schema: {
        tags,
        operationId: 'endEnrollment',
        summary: 'End an enrollment',
        description: 'The enrollment becomes inactive; its progress is kept.',
        params: Type.Object({ identifier: Type.String(), userId: Type.String() }),
        response: { 200: Type.Object({ message: Type.String() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      await collections.unenroll(managerOf(request), request.params.identifier, request.params.userId);
      return { message: `${request.params.userId} is no longer enrolled in ${request.params.identifier}.` };
    },
  );
}

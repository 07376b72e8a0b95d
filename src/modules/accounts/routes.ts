import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { managerOf, principalOf } from '../../http/auth.js';
import { PageQuery, Paginated, pageBody, readPage } from '../../http/pagination.js';
import { BodyId, errorResponses, IdParams, Nullable, pathIds } from '../../http/schemas.js';
import type { ApiKey, User } from '../../infra/db/schema.js';
import { iso, isoOrNull } from '../../http/dates.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import type { PasswordResets } from './password-resets.js';
import { isActive, type AccountsService } from './service.js';

const Role = Type.Union([Type.Literal('manager'), Type.Literal('member')]);

const UserBody = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    role: Role,
    is_active: Type.Boolean({ description: "False while the user is deactivated: the user's keys and panel sign-in do not work." }),
    deactivated_at: Nullable(Type.String({ format: 'date-time' })),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'User', title: 'User' },
);

const Password = (description: string) => Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description });

const ApiKeyFields = {
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it.' }),
  user: Type.Integer({ description: 'Id of the owner; the key acts with the owner\'s role.' }),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Nullable(Type.String({ format: 'date-time' })),
  revoked_at: Nullable(Type.String({ format: 'date-time' })),
};
const ApiKeyBody = Type.Object(ApiKeyFields, { $id: 'ApiKey', title: 'ApiKey' });
const CreatedApiKeyBody = Type.Object({
  ...ApiKeyFields,
  key: Type.String({ description: 'The API key itself. It is shown this once and cannot be recovered.' }),
});

const presentUser = (user: User) => ({
  id: user.id,
  email: user.email,
  role: user.role,
  is_active: isActive(user),
  deactivated_at: isoOrNull(user.deactivated_at),
  created_at: iso(user.created_at),
});

const presentApiKey = (apiKey: ApiKey) => ({
  id: apiKey.id,
  name: apiKey.name,
  prefix: apiKey.prefix,
  user: apiKey.user_id,
  created_at: iso(apiKey.created_at),
  last_used_at: isoOrNull(apiKey.last_used_at),
  revoked_at: isoOrNull(apiKey.revoked_at),
});

/** Users and API keys of the caller's organization, for managers; every user sets their own password. */
export async function accountsRoutes(
  app: LensApp,
  deps: { accounts: AccountsService; passwordResets: PasswordResets; publicUrl: string },
): Promise<void> {
  const { accounts, passwordResets } = deps;
  // An organization has tens of users and keys, not thousands: they are paged in memory.
  const pageOfList = <T>(request: FastifyRequest, query: { page?: string; page_size?: string }, items: T[]) => {
    const page = readPage(query);
    return pageBody(request, deps.publicUrl, page, items.length, items.slice(page.offset, page.offset + page.pageSize));
  };
  app.addSchema(UserBody);
  app.addSchema(ApiKeyBody);

  app.get(
    '/v1/users/',
    {
      schema: {
        tags: ['Accounts'],
        operationId: 'listUsers',
        summary: 'List the users of your organization',
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('User'), 'UserPage'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const users = await accounts.listUsers(managerOf(request).organizationId);
      return pageOfList(request, request.query, users.map(presentUser));
    },
  );

  app.post(
    '/v1/users/',
    {
      schema: {
        tags: ['Accounts'],
        operationId: 'createUser',
        summary: 'Add a user to your organization',
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 254 }),
            role: Role,
            password: Type.Optional(Password('For the admin panel.')),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('User'), ...errorResponses(400, 401, 403, 409, 415) },
      },
    },
    async (request, reply) => {
      const principal = managerOf(request);
      const user = await accounts.createUser({ organizationId: principal.organizationId, ...request.body });
      return reply.status(201).send(presentUser(user));
    },
  );

  app.patch(
    '/v1/users/:id/',
    {
      schema: {
        tags: ['Accounts'],
        operationId: 'updateUser',
        summary: "Change a user's role, or deactivate or reactivate a user",
        description:
          "`is_active: false` deactivates the user: their API keys stop working at once and their panel sessions end; `true` " +
          'brings the keys back. The last active manager of the organization can neither be deactivated nor made a member (`last_manager`).',
        params: IdParams,
        body: Type.Object(
          { role: Type.Optional(Role), is_active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => {
      const principal = managerOf(request);
      const { role, is_active: active } = request.body;
      const user = await accounts.updateUser(principal.organizationId, pathIds.user(request.params.id), {
        ...(role === undefined ? {} : { role }),
        ...(active === undefined ? {} : { active }),
      });
      return presentUser(user);
    },
  );

  app.delete(
    '/v1/users/:id/',
    {
      schema: {
        operationId: 'deleteUser',
        tags: ['Accounts'],
        summary: 'Delete a user',
        description:
          "The user's API keys are revoked at once, their panel sessions end and their webhooks are deleted. Their files stay with " +
          'the organization. The last active manager cannot be deleted (`last_manager`).',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = managerOf(request);
      await accounts.deleteUser(principal.organizationId, pathIds.user(request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/users/:id/password-reset/',
    {
      schema: {
        operationId: 'createPasswordReset',
        tags: ['Accounts'],
        summary: 'Make a password-reset link for a user',
        description:
          'The link opens a page of the admin panel where the user sets a new password. It works once, until `expires_at`; a new ' +
          "link replaces the user's unused ones. Only a hash of its token is stored.",
        params: IdParams,
        response: {
          201: Type.Object({
            user: Type.Ref('User'),
            reset_url: Type.String({ description: 'Hand it to the user; it is shown this once.' }),
            expires_at: Type.String({ format: 'date-time' }),
          }),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const principal = managerOf(request);
      const issued = await passwordResets.issue(principal.organizationId, pathIds.user(request.params.id));
      return reply.status(201).send({ user: presentUser(issued.user), reset_url: issued.url, expires_at: iso(issued.expiresAt) });
    },
  );

  app.post(
    '/v1/users/me/password/',
    {
      schema: {
        operationId: 'setOwnPassword',
        tags: ['Accounts'],
        summary: 'Set your own password for the admin panel',
        description: "Any user. Needs `current_password` when you have one. Your panel sessions end; sign in again with the new password.",
        body: Type.Object(
          {
            password: Password('The new password.'),
            current_password: Type.Optional(Type.String({ maxLength: PASSWORD_MAX_LENGTH })),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 415) },
      },
    },
    async (request, reply) => {
      const { password, current_password: currentPassword } = request.body;
      await accounts.changeOwnPassword(principalOf(request), { password, currentPassword });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/api-keys/',
    {
      schema: {
        tags: ['Accounts'],
        operationId: 'listApiKeys',
        summary: "List your organization's API keys",
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('ApiKey'), 'ApiKeyPage'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const keys = await accounts.listApiKeys(managerOf(request).organizationId);
      return pageOfList(request, request.query, keys.map(presentApiKey));
    },
  );

  app.post(
    '/v1/api-keys/',
    {
      schema: {
        tags: ['Accounts'],
        operationId: 'createApiKey',
        summary: 'Create an API key for a user',
        description: 'The response carries the key itself, this once; only a hash of it is stored.',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            user: Type.Optional(BodyId('Owner; yourself when absent.')),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedApiKeyBody, ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const principal = managerOf(request);
      const owner = await accounts.getUser(principal.organizationId, request.body.user ?? principal.userId);
      const { apiKey, key } = await accounts.createApiKey({
        organizationId: principal.organizationId,
        userId: owner.id,
        name: request.body.name,
      });
      return reply.status(201).send({ ...presentApiKey(apiKey), key });
    },
  );

  app.delete(
    '/v1/api-keys/:id/',
    {
      schema: {
        tags: ['Accounts'],
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        description: 'The key stops working at once. Revoking a revoked key changes nothing.',
        params: IdParams,
        response: { 200: Type.Ref('ApiKey'), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const principal = managerOf(request);
      return presentApiKey(await accounts.revokeApiKey(principal.organizationId, pathIds.apiKey(request.params.id)));
    },
  );
}

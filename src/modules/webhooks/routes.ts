import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import { managerOf } from '../../http/auth.js';
import { PageQuery, Paginated, pageBody, readPage } from '../../http/pagination.js';
import { BodyId, errorResponses, IdParams, Nullable, pathIds } from '../../http/schemas.js';
import type { Webhook, WebhookAttempt, WebhookDelivery } from '../../infra/db/schema.js';
import { iso, isoOrNull } from '../../http/dates.js';
import { WEBHOOK_EVENTS, type WebhooksService } from './service.js';

const Event = Type.Enum([...WEBHOOK_EVENTS], { description: '`content_extraction_completed`: an extraction finished, completed or failed.' });

const WebhookFields = {
  id: Type.Integer(),
  url: Type.String(),
  event: Event,
  owner: Type.Integer({ description: "Id of the owner: a manager's webhook covers the organization, a member's only the member's files." }),
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String({ description: 'Why the service disabled the webhook, when it did.' })),
  previous_secret_expires_at: Nullable(Type.String({ format: 'date-time', description: 'After a rotation, the old secret signs too until then.' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};
const WebhookBody = Type.Object(WebhookFields, { $id: 'Webhook', title: 'Webhook' });
const WebhookWithSecret = Type.Object(
  { ...WebhookFields, secret: Type.String({ description: '`whsec_…`: verifies the signatures. Shown this once.' }) },
  { $id: 'WebhookWithSecret', title: 'WebhookWithSecret' },
);

const AttemptBody = Type.Object({
  attempt: Type.Integer(),
  attempted_at: Type.String({ format: 'date-time' }),
  duration_ms: Type.Integer(),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  response_excerpt: Nullable(Type.String({ description: 'The first kilobyte of the answer.' })),
});
const DeliveryBody = Type.Object(
  {
    id: Type.Integer(),
    event_id: Type.String({ description: 'The `webhook-id` header: the same on every attempt.' }),
    event: Event,
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
    last_status_code: Nullable(Type.Integer()),
    payload: Type.Record(Type.String(), Type.Unknown()),
    created_at: Type.String({ format: 'date-time' }),
    attempt_log: Type.Array(AttemptBody),
  },
  { $id: 'WebhookDelivery', title: 'WebhookDelivery' },
);

const DeliveryParams = Type.Object({ id: Type.String(), deliveryId: Type.String() });

export const presentWebhook = (webhook: Webhook) => ({
  id: webhook.id,
  url: webhook.url,
  event: webhook.event as (typeof WEBHOOK_EVENTS)[number],
  owner: webhook.user_id,
  enabled: webhook.enabled === 1,
  disabled_reason: webhook.disabled_reason,
  previous_secret_expires_at: webhook.previous_secret && webhook.previous_secret_expires_at !== null && webhook.previous_secret_expires_at > Date.now() ? iso(webhook.previous_secret_expires_at) : null,
  created_at: iso(webhook.created_at),
  updated_at: iso(webhook.updated_at),
});

export const presentDelivery = (delivery: WebhookDelivery & { attemptLog?: WebhookAttempt[] }) => ({
  id: delivery.id,
  event_id: delivery.event_id,
  event: delivery.event as (typeof WEBHOOK_EVENTS)[number],
  status: delivery.status,
  attempts: delivery.attempts,
  next_attempt_at: delivery.status === 'pending' ? isoOrNull(delivery.next_attempt_at) : null,
  last_status_code: delivery.last_status_code,
  payload: JSON.parse(delivery.payload) as Record<string, unknown>,
  created_at: iso(delivery.created_at),
  attempt_log: (delivery.attemptLog ?? []).map((a) => ({
    attempt: a.attempt,
    attempted_at: iso(a.attempted_at),
    duration_ms: a.duration_ms,
    status_code: a.status_code,
    error: a.error,
    response_excerpt: a.response_excerpt,
  })),
});

/** Webhooks for automation: the panel's webhook page as an API, for managers' keys only. */
export async function webhooksRoutes(app: LensApp, deps: { webhooks: WebhooksService; publicUrl: string }): Promise<void> {
  const { webhooks } = deps;
  app.addSchema(WebhookBody);
  app.addSchema(WebhookWithSecret);
  app.addSchema(DeliveryBody);
  const tags = ['Webhooks'];

  app.post(
    '/v1/webhooks/',
    {
      schema: {
        tags,
        operationId: 'createWebhook',
        summary: 'Create a webhook',
        description:
          'Deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`). ' +
          'The answer carries the secret, this once. The URL must reach a public address.',
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2000 }),
            event: Event,
            owner: Type.Optional(BodyId('Owner; yourself when absent.')),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('WebhookWithSecret'), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const principal = managerOf(request);
      const { url, event, owner } = request.body;
      const webhook = await webhooks.create(principal.organizationId, { url, event, ownerId: owner ?? principal.userId });
      return reply.status(201).send({ ...presentWebhook(webhook), secret: webhook.secret });
    },
  );

  app.get(
    '/v1/webhooks/',
    {
      schema: {
        tags,
        operationId: 'listWebhooks',
        summary: "List your organization's webhooks",
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('Webhook'), 'WebhookPage'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const all = await webhooks.list(managerOf(request).organizationId);
      const page = readPage(request.query);
      return pageBody(request, deps.publicUrl, page, all.length, all.slice(page.offset, page.offset + page.pageSize).map(presentWebhook));
    },
  );

  app.get(
    '/v1/webhooks/:id/',
    { schema: { tags, operationId: 'getWebhook', summary: 'Read a webhook', params: IdParams, response: { 200: Type.Ref('Webhook'), ...errorResponses(401, 403, 404) } } },
    async (request) => presentWebhook(await webhooks.get(managerOf(request).organizationId, pathIds.webhook(request.params.id))),
  );

  app.patch(
    '/v1/webhooks/:id/',
    {
      schema: {
        tags,
        operationId: 'updateWebhook',
        summary: 'Change, disable or enable a webhook',
        description: 'Enabling a webhook the service disabled clears the reason; its pending deliveries resume.',
        params: IdParams,
        body: Type.Object(
          { url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })), event: Type.Optional(Event), enabled: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Webhook'), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request) =>
      presentWebhook(await webhooks.update(managerOf(request).organizationId, pathIds.webhook(request.params.id), request.body)),
  );

  app.delete(
    '/v1/webhooks/:id/',
    {
      schema: {
        tags,
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook',
        description: 'Pending deliveries are cancelled; the delivery log is kept.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.delete(managerOf(request).organizationId, pathIds.webhook(request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret/',
    {
      schema: {
        tags,
        operationId: 'rotateWebhookSecret',
        summary: "Rotate a webhook's secret",
        description: 'The answer carries the new secret, this once. For a day, deliveries are signed with both the new and the old secret.',
        params: IdParams,
        response: { 200: Type.Ref('WebhookWithSecret'), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const webhook = await webhooks.rotateSecret(managerOf(request).organizationId, pathIds.webhook(request.params.id));
      return { ...presentWebhook(webhook), secret: webhook.secret };
    },
  );

  app.post(
    '/v1/webhooks/:id/test/',
    {
      schema: {
        tags,
        operationId: 'testWebhook',
        summary: 'Send a test event',
        description: 'Queues the webhook\'s event with sample values and `"test": true`; the delivery appears in its log.',
        params: IdParams,
        response: { 202: Type.Ref('WebhookDelivery'), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const delivery = await webhooks.sendTest(managerOf(request).organizationId, pathIds.webhook(request.params.id));
      return reply.status(202).send(presentDelivery(delivery));
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries/',
    {
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: "A webhook's deliveries, newest first, with every attempt",
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Paginated(Type.Ref('WebhookDelivery'), 'WebhookDeliveryPage'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const page = readPage(request.query);
      const webhook = await webhooks.get(managerOf(request).organizationId, pathIds.webhook(request.params.id));
      const { count, rows } = await webhooks.deliveries(webhook, page.offset, page.pageSize);
      return pageBody(request, deps.publicUrl, page, count, rows.map(presentDelivery));
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries/:deliveryId/',
    {
      schema: { tags, operationId: 'getWebhookDelivery', summary: 'Read a delivery with its attempts', params: DeliveryParams, response: { 200: Type.Ref('WebhookDelivery'), ...errorResponses(401, 403, 404) } },
    },
    async (request) => {
      const { id, deliveryId } = request.params;
      return presentDelivery(await webhooks.delivery(managerOf(request).organizationId, pathIds.webhook(id), pathIds.delivery(deliveryId)));
    },
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/resend/',
    {
      schema: {
        tags,
        operationId: 'resendWebhookDelivery',
        summary: 'Send a delivery again now',
        description: 'The receiver gets the same `webhook-id`, so it can tell a resend from a new event.',
        params: DeliveryParams,
        response: { 202: Type.Ref('WebhookDelivery'), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id, deliveryId } = request.params;
      const delivery = await webhooks.resend(managerOf(request).organizationId, pathIds.webhook(id), pathIds.delivery(deliveryId));
      return reply.status(202).send(presentDelivery(delivery));
    },
  );
}

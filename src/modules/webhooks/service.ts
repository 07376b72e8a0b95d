import { randomUUID } from 'node:crypto';
import type { Executor } from '../../infra/db/database.js';
import type { ContentExtraction, ScormFile, Webhook, WebhookAttempt, WebhookDelivery } from '../../infra/db/schema.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../http/errors.js';
import { checkPublicHost, DownloadError, type AddressPolicy } from '../../infra/net/public-download.js';
import type { AccountsService } from '../accounts/service.js';
import type { WebhooksRepository } from './repository.js';
import { generateSecret } from './signing.js';
import { iso, isoOrNull } from '../../http/dates.js';

export const WEBHOOK_EVENTS = ['content_extraction_completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** How long a rotated-out secret keeps signing beside the new one. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

/** The body of `content_extraction_completed`, as the API document shows it. */
export interface ExtractionCompletedPayload {
  event: WebhookEvent;
  event_id: string;
  content_extraction_id: number | null;
  scorm_file_id: number | null;
  batch_name: string;
  /** Signed for each attempt, so it is stored as null. */
  download_url: string | null;
  status: 'completed' | 'failed';
  started_at: string | null;
  finished_at: string | null;
  /** Only on test events sent from the panel or the API. */
  test?: true;
}

const newEventId = () => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * Webhooks of an organization, managed by its managers. Each has an owner: a manager's webhook
 * hears about every file of the organization, a member's only about the member's own files.
 */
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly accounts: AccountsService,
    private readonly policy: AddressPolicy,
    private readonly clock: { now(): number } = Date,
  ) {}

  /** Endpoints must be public http(s) URLs: the same guard as public_url, checked again at each delivery. */
  private async checkUrl(url: string): Promise<string> {
    try {
      return (await checkPublicHost(url, this.policy)).toString();
    } catch (error) {
      if (!(error instanceof DownloadError)) throw error;
      const code = error.code === 'public_url_private_address' ? 'webhook_url_private_address' : 'webhook_url_invalid';
      throw new BadRequestError(code, error.message.replace(/^public_url/, 'url'));
    }
  }

  async get(organizationId: number, id: number): Promise<Webhook> {
    const webhook = await this.repository.find(organizationId, id);
    if (!webhook) throw new NotFoundError('webhook_not_found', `Webhook ${id} was not found.`);
    return webhook;
  }

  list(organizationId: number): Promise<Webhook[]> {
    return this.repository.list(organizationId);
  }

  /** Creates a webhook; its secret is in the answer this once. */
  async create(organizationId: number, input: { url: string; event: WebhookEvent; ownerId: number }): Promise<Webhook> {
    await this.accounts.getUser(organizationId, input.ownerId);
    const now = this.clock.now();
    return this.repository.insert({
      organization_id: organizationId,
      user_id: input.ownerId,
      url: await this.checkUrl(input.url),
      event: input.event,
      secret: generateSecret(),
      previous_secret: null,
      previous_secret_expires_at: null,
      enabled: 1,
      disabled_reason: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
  }

  /** Changes the URL or event, or enables or disables a webhook; enabling clears why it was disabled. */
  async update(organizationId: number, id: number, patch: { url?: string; event?: WebhookEvent; enabled?: boolean }): Promise<Webhook> {
    await this.get(organizationId, id);
    return this.repository.update(
      id,
      {
        ...(patch.url !== undefined ? { url: await this.checkUrl(patch.url) } : {}),
        ...(patch.event !== undefined ? { event: patch.event } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0, disabled_reason: null } : {}),
      },
      this.clock.now(),
    );
  }

  async delete(organizationId: number, id: number): Promise<void> {
    await this.get(organizationId, id);
    await this.repository.delete(id, this.clock.now());
  }

  /** A new secret, in the answer this once; the old one keeps signing beside it for a day. */
  async rotateSecret(organizationId: number, id: number): Promise<Webhook> {
    const webhook = await this.get(organizationId, id);
    const now = this.clock.now();
    return this.repository.update(
      id,
      { secret: generateSecret(), previous_secret: webhook.secret, previous_secret_expires_at: now + PREVIOUS_SECRET_TTL_MS },
      now,
    );
  }

  /** Queues a test event with sample values to one webhook, whatever its owner. */
  async sendTest(organizationId: number, id: number): Promise<WebhookDelivery> {
    const webhook = await this.get(organizationId, id);
    if (webhook.enabled !== 1) throw new ConflictError('webhook_disabled', 'Enable the webhook before sending it a test event.');
    const now = this.clock.now();
    const eventId = newEventId();
    const payload: ExtractionCompletedPayload = {
      event: 'content_extraction_completed',
      event_id: eventId,
      content_extraction_id: null,
      scorm_file_id: null,
      batch_name: '',
      download_url: null,
      status: 'completed',
      started_at: iso(now),
      finished_at: iso(now),
      test: true,
    };
    const [delivery] = await this.repository.insertDeliveries([this.newDelivery(webhook, eventId, payload, now)]);
    return delivery!;
  }

  private newDelivery(webhook: Webhook, eventId: string, payload: ExtractionCompletedPayload, now: number) {
    return {
      webhook_id: webhook.id,
      organization_id: webhook.organization_id,
      event_id: eventId,
      event: payload.event,
      payload: JSON.stringify(payload),
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      last_status_code: null,
      created_at: now,
      updated_at: now,
    };
  }

  /**
   * Writes `content_extraction_completed` to the outbox of every webhook it reaches, in the
   * transaction that finishes the extraction: the event is sent if and only if that commits.
   */
  async extractionFinished(tx: Executor, extraction: ContentExtraction, file: ScormFile): Promise<void> {
    if (extraction.status !== 'completed' && extraction.status !== 'failed') return;
    const webhooks = await this.repository.subscribers(tx, file.organization_id, 'content_extraction_completed', file.user_id);
    if (webhooks.length === 0) return;
    const now = this.clock.now();
    const eventId = newEventId();
    const payload: ExtractionCompletedPayload = {
      event: 'content_extraction_completed',
      event_id: eventId,
      content_extraction_id: extraction.id,
      scorm_file_id: file.id,
      batch_name: file.batch_name ?? '',
      download_url: null,
      status: extraction.status,
      started_at: isoOrNull(extraction.started_at),
      finished_at: isoOrNull(extraction.finished_at),
    };
    await this.repository.insertDeliveries(
      webhooks.map((webhook) => this.newDelivery(webhook, eventId, payload, now)),
      tx,
    );
  }

  /** A page of a webhook's deliveries (found with `get`, which checks whose it is), each with its attempts. */
  async deliveries(webhook: Webhook, offset: number, limit: number) {
    const page = await this.repository.deliveryPage(webhook.id, offset, limit);
    return { count: page.count, rows: await this.withAttempts(page.rows) };
  }

  private async deliveryOf(organizationId: number, webhookId: number, id: number): Promise<{ webhook: Webhook; delivery: WebhookDelivery }> {
    const webhook = await this.get(organizationId, webhookId);
    const delivery = await this.repository.delivery(webhookId, id);
    if (!delivery) throw new NotFoundError('delivery_not_found', `Delivery ${id} was not found.`);
    return { webhook, delivery };
  }

  async delivery(organizationId: number, webhookId: number, id: number): Promise<WebhookDelivery & { attemptLog: WebhookAttempt[] }> {
    const { delivery } = await this.deliveryOf(organizationId, webhookId, id);
    const [withAttempts] = await this.withAttempts([delivery]);
    return withAttempts!;
  }

  /** Sends a delivery again now, whatever became of it; the receiver sees the same webhook-id. */
  async resend(organizationId: number, webhookId: number, id: number): Promise<WebhookDelivery> {
    const { webhook } = await this.deliveryOf(organizationId, webhookId, id);
    if (webhook.enabled !== 1) throw new ConflictError('webhook_disabled', 'Enable the webhook before resending to it.');
    return this.repository.resend(id, this.clock.now());
  }

  private async withAttempts(deliveries: WebhookDelivery[]) {
    const attempts = await this.repository.attemptsOf(deliveries.map((d) => d.id));
    return deliveries.map((delivery) => ({ ...delivery, attemptLog: attempts.filter((a) => a.delivery_id === delivery.id) }));
  }
}
